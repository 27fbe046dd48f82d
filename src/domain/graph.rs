//! The catalogue's dependency graph in memory: what a node needs and what depends on it, cycles,
//! the order to restore in, and the layers a map is drawn in. Requirements flowing down, recovery
//! times flowing up, change impact and disaster scenarios are all walks over this one structure.
//!
//! Written by hand rather than with petgraph: the nodes are renumbered densely (in id order) and
//! each direction is kept as compressed sparse rows (CSR), two flat arrays walked front to back,
//! which is the cache-friendly shape for 100 000 nodes; the walks we need are each a dozen lines.
//! Every walk is iterative, so a long chain cannot overflow the stack.

use std::collections::HashMap;
use std::fmt;

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Process,
    Service,
    Component,
    Site,
    Contract,
}

impl NodeKind {
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Process,
        NodeKind::Service,
        NodeKind::Component,
        NodeKind::Site,
        NodeKind::Contract,
    ];

    /// The value stored in `catalogue_nodes.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Process => "process",
            NodeKind::Service => "service",
            NodeKind::Component => "component",
            NodeKind::Site => "site",
            NodeKind::Contract => "contract",
        }
    }

    pub fn parse(value: &str) -> Option<NodeKind> {
        NodeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Process => "Business process",
            NodeKind::Service => "IT service",
            NodeKind::Component => "Component",
            NodeKind::Site => "Site",
            NodeKind::Contract => "Contract",
        }
    }
}

/// A dependency `(from, to)`: `from` needs `to`.
pub type Edge = (Uuid, Uuid);

/// A node reached from a start node, with the number of edges on the shortest path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub id: Uuid,
    pub depth: u32,
}

/// The catalogue's nodes and its "from needs to" edges, indexed for walking in both directions.
#[derive(Clone)]
pub struct DependencyGraph {
    /// Sorted, so that index order is id order: sorting results "by id" is sorting small integers,
    /// and every output is deterministic whatever order the database returned rows in.
    ids: Vec<Uuid>,
    kinds: Vec<NodeKind>,
    index: HashMap<Uuid, u32>,
    needs: Csr,
    dependents: Csr,
    /// Whether each needs edge (aligned with `needs.targets`) has redundancy; empty when the
    /// graph was built without that knowledge, which reads as "none has".
    redundant: Vec<bool>,
}

impl DependencyGraph {
    /// Edges whose ends are not among `nodes` are ignored; duplicate edges collapse. A node listed
    /// twice keeps the kind it was first listed with.
    ///
    /// # Panics
    /// With `u32::MAX` nodes or more: indices are `u32` to halve the adjacency arrays.
    pub fn new(nodes: Vec<(Uuid, NodeKind)>, edges: Vec<Edge>) -> Self {
        Self::with_redundancy(nodes, edges, &[])
    }

    /// Like [`Self::new`], knowing which of the edges have redundancy ("redundancy exists"):
    /// such a need neither adds its recovery time nor brings its dependant down when lost.
    pub fn with_redundancy(
        mut nodes: Vec<(Uuid, NodeKind)>,
        edges: Vec<Edge>,
        redundant: &[Edge],
    ) -> Self {
        // Stable, so of duplicate ids the first listed survives `dedup`.
        nodes.sort_by_key(|&(id, _)| id);
        nodes.dedup_by_key(|&mut (id, _)| id);
        assert!(
            u32::try_from(nodes.len()).is_ok_and(|count| count < u32::MAX),
            "a dependency graph holds fewer than u32::MAX nodes"
        );
        let (ids, kinds): (Vec<Uuid>, Vec<NodeKind>) = nodes.into_iter().unzip();
        let index: HashMap<Uuid, u32> = ids
            .iter()
            .enumerate()
            .map(|(position, &id)| (id, position as u32))
            .collect();
        let pairs: Vec<(u32, u32)> = edges
            .iter()
            .filter_map(|(from, to)| Some((*index.get(from)?, *index.get(to)?)))
            .collect();
        drop(edges);
        let needs = Csr::from_pairs(ids.len(), &pairs);
        drop(pairs);
        let dependents = needs.transpose();
        let redundant = if redundant.is_empty() {
            Vec::new()
        } else {
            let marked: std::collections::HashSet<(u32, u32)> = redundant
                .iter()
                .filter_map(|(from, to)| Some((*index.get(from)?, *index.get(to)?)))
                .collect();
            (0..ids.len() as u32)
                .flat_map(|from| needs.row(from).iter().map(move |&to| (from, to)))
                .map(|pair| marked.contains(&pair))
                .collect()
        };
        DependencyGraph {
            ids,
            kinds,
            index,
            needs,
            dependents,
            redundant,
        }
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.needs.targets.len()
    }

    pub fn kind(&self, id: Uuid) -> Option<NodeKind> {
        self.index_of(id).map(|node| self.kinds[node as usize])
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.index.contains_key(&id)
    }

    /// What `id` needs, transitively (following from→to), each with its smallest depth
    /// (1 = direct), sorted by depth then id. Excludes the start; empty for an unknown id.
    pub fn needs(&self, id: Uuid) -> Vec<Reached> {
        self.reach(&self.needs, id)
    }

    /// What depends on `id`, transitively (following to→from), same shape as [`Self::needs`].
    pub fn dependents(&self, id: Uuid) -> Vec<Reached> {
        self.reach(&self.dependents, id)
    }

    /// What depends on `id` directly, or through nodes whose kind `through` accepts: every node
    /// reached is listed, but the walk goes on only from accepted ones. With `through` accepting
    /// components, a contract's dependents are the services using it directly or through
    /// components, not the services using those services.
    pub fn dependents_through(&self, id: Uuid, through: impl Fn(NodeKind) -> bool) -> Vec<Reached> {
        self.reach_through(&self.dependents, id, through)
    }

    /// What `id` needs directly, or through nodes whose kind `through` accepts (see
    /// [`Self::dependents_through`]).
    pub fn needs_through(&self, id: Uuid, through: impl Fn(NodeKind) -> bool) -> Vec<Reached> {
        self.reach_through(&self.needs, id, through)
    }

    /// Some cycle in the graph as a closed path `[a, b, …, a]` (first == last), or `None`.
    pub fn find_cycle(&self) -> Option<Vec<Uuid>> {
        let peeled = self.peel();
        (peeled.order.len() < self.ids.len()).then(|| self.cycle_among_unpeeled(&peeled.remaining))
    }

    /// If adding the edge from→to would close a cycle, the cycle it would close as a path
    /// starting and ending at `from`: `[from, to, …, from]`; `[from, from]` when from == to.
    pub fn cycle_if_added(&self, from: Uuid, to: Uuid) -> Option<Vec<Uuid>> {
        if from == to {
            return Some(vec![from, from]);
        }
        let source = self.index_of(from)?;
        let target = self.index_of(to)?;
        // Shortest, so that the message naming the cycle is as short as it can be.
        let path = self.shortest_path(target, source)?;
        let mut cycle = Vec::with_capacity(path.len() + 1);
        cycle.push(from);
        cycle.extend(path.into_iter().map(|node| self.ids[node as usize]));
        Some(cycle)
    }

    /// All nodes, dependencies before the nodes that need them (so restoring in this order
    /// works). `Err` with a cycle, as [`Self::find_cycle`] names it, if there is one.
    pub fn topological_order(&self) -> Result<Vec<Uuid>, Vec<Uuid>> {
        let peeled = self.peel();
        if peeled.order.len() < self.ids.len() {
            return Err(self.cycle_among_unpeeled(&peeled.remaining));
        }
        Ok(self.to_ids(&peeled.order))
    }

    /// The neighbourhood for a map: nodes within `needs_levels` along needs and
    /// `dependents_levels` along dependents, each with a signed layer (0 = start, +k = needed at
    /// depth k, −k = dependent at depth k), plus every graph edge between two included nodes.
    /// Nodes come start first, then needs, then dependents, each by depth then id. A node that
    /// is both (only possible on a cycle) is shown once, as needed. Empty for an unknown id.
    pub fn neighbourhood(
        &self,
        id: Uuid,
        needs_levels: u32,
        dependents_levels: u32,
    ) -> (Vec<(Uuid, i32)>, Vec<Edge>) {
        let Some(start) = self.index_of(id) else {
            return (Vec::new(), Vec::new());
        };
        // Two sets rather than one: a walk must not stop at a node because the other walk
        // already found it, or a cycle would hide part of the neighbourhood.
        let mut needed = BitSet::new(self.ids.len());
        let needed_order = self.breadth_first(&self.needs, start, needs_levels, &mut needed);
        let mut dependent = BitSet::new(self.ids.len());
        let dependent_order =
            self.breadth_first(&self.dependents, start, dependents_levels, &mut dependent);

        let mut members = Vec::with_capacity(1 + needed_order.len() + dependent_order.len());
        members.push((start, 0));
        members.extend(
            needed_order
                .iter()
                .map(|&(node, depth)| (node, signed(depth))),
        );
        members.extend(
            dependent_order
                .iter()
                .filter(|&&(node, _)| !needed.contains(node))
                .map(|&(node, depth)| (node, -signed(depth))),
        );

        let mut edges = Vec::new();
        for &(node, _) in &members {
            for &to in self.needs.row(node) {
                if needed.contains(to) || dependent.contains(to) {
                    edges.push((self.ids[node as usize], self.ids[to as usize]));
                }
            }
        }
        let nodes = members
            .into_iter()
            .map(|(node, layer)| (self.ids[node as usize], layer))
            .collect();
        (nodes, edges)
    }

    /// Layers for drawing the whole graph left to right: the length of the longest needs-path
    /// from each node (nodes needing nothing are layer 0), in id order. On a cycle, an edge closing
    /// it is ignored so that this still ends; which one is unspecified.
    pub fn layers(&self) -> Vec<(Uuid, u32)> {
        const UNVISITED: u32 = u32::MAX;
        const ON_PATH: u32 = u32::MAX - 1;
        // Depth first rather than peeling: an edge back to a node still on the path is exactly
        // an edge closing a cycle, so only cycles lose edges, and whatever merely leads into a
        // cycle is still drawn after it.
        let mut layer = vec![UNVISITED; self.ids.len()];
        // (node, position of the next need to look at in its row)
        let mut path: Vec<(u32, u32)> = Vec::new();
        for root in 0..self.ids.len() as u32 {
            if layer[root as usize] != UNVISITED {
                continue;
            }
            layer[root as usize] = ON_PATH;
            path.push((root, 0));
            while let Some(&(node, next)) = path.last() {
                let row = self.needs.row(node);
                if let Some(&to) = row.get(next as usize) {
                    if let Some(top) = path.last_mut() {
                        top.1 += 1;
                    }
                    if layer[to as usize] == UNVISITED {
                        layer[to as usize] = ON_PATH;
                        path.push((to, 0));
                    }
                } else {
                    layer[node as usize] = row
                        .iter()
                        .map(|&to| layer[to as usize])
                        .filter(|&below| below < ON_PATH)
                        .map(|below| below + 1)
                        .max()
                        .unwrap_or(0);
                    path.pop();
                }
            }
        }
        self.ids.iter().copied().zip(layer).collect()
    }

    /// Edges `(from, to)` as stored (duplicates collapsed), for drawing.
    pub fn edges(&self) -> Vec<Edge> {
        let mut edges = Vec::with_capacity(self.edge_count());
        for from in 0..self.ids.len() as u32 {
            for &to in self.needs.row(from) {
                edges.push((self.ids[from as usize], self.ids[to as usize]));
            }
        }
        edges
    }

    /// Whether the `slot`th need in `from`'s row has redundancy.
    fn redundant_at(&self, from: u32, slot: usize) -> bool {
        let at = self.needs.offsets[from as usize] as usize + slot;
        self.redundant.get(at).copied().unwrap_or(false)
    }

    fn index_of(&self, id: Uuid) -> Option<u32> {
        self.index.get(&id).copied()
    }

    fn to_ids(&self, nodes: &[u32]) -> Vec<Uuid> {
        nodes.iter().map(|&node| self.ids[node as usize]).collect()
    }

    fn reach(&self, adjacency: &Csr, id: Uuid) -> Vec<Reached> {
        let Some(start) = self.index_of(id) else {
            return Vec::new();
        };
        let mut seen = BitSet::new(self.ids.len());
        self.breadth_first(adjacency, start, u32::MAX, &mut seen)
            .into_iter()
            .map(|(node, depth)| Reached {
                id: self.ids[node as usize],
                depth,
            })
            .collect()
    }

    fn reach_through(
        &self,
        adjacency: &Csr,
        id: Uuid,
        through: impl Fn(NodeKind) -> bool,
    ) -> Vec<Reached> {
        let Some(start) = self.index_of(id) else {
            return Vec::new();
        };
        let mut seen = BitSet::new(self.ids.len());
        seen.insert(start);
        let mut frontier = vec![start];
        let mut reached = Vec::new();
        let mut depth = 0;
        while !frontier.is_empty() {
            depth += 1;
            let mut next_frontier = Vec::new();
            for node in frontier {
                for &next in adjacency.row(node) {
                    if seen.insert(next) {
                        reached.push(Reached {
                            id: self.ids[next as usize],
                            depth,
                        });
                        if through(self.kinds[next as usize]) {
                            next_frontier.push(next);
                        }
                    }
                }
            }
            frontier = next_frontier;
        }
        reached.sort_by_key(|reached| (reached.depth, reached.id));
        reached
    }

    /// Breadth first from `start` up to `max_depth` edges: the nodes reached (without the start)
    /// as `(node, depth)`, by depth then index. Leaves exactly the start and those nodes in `seen`.
    fn breadth_first(
        &self,
        adjacency: &Csr,
        start: u32,
        max_depth: u32,
        seen: &mut BitSet,
    ) -> Vec<(u32, u32)> {
        seen.insert(start);
        let mut reached = Vec::new();
        if max_depth == 0 {
            return reached;
        }
        reached.extend(
            adjacency
                .row(start)
                .iter()
                .filter(|&&next| seen.insert(next))
                .map(|&next| (next, 1)),
        );
        let mut level_start = 0;
        let mut depth = 1;
        while level_start < reached.len() {
            let level_end = reached.len();
            // Each level holds one depth, so sorting by node sorts by id within it.
            reached[level_start..level_end].sort_unstable();
            if depth == max_depth {
                break;
            }
            for position in level_start..level_end {
                let (node, _) = reached[position];
                for &next in adjacency.row(node) {
                    if seen.insert(next) {
                        reached.push((next, depth + 1));
                    }
                }
            }
            level_start = level_end;
            depth += 1;
        }
        reached
    }

    /// A shortest needs-path `[start, …, goal]`, if there is one.
    fn shortest_path(&self, start: u32, goal: u32) -> Option<Vec<u32>> {
        const ROOT: u32 = u32::MAX;
        let mut seen = BitSet::new(self.ids.len());
        seen.insert(start);
        // `came_from[i]` is the queue position of the node that first reached `queue[i]`: memory
        // in proportion to what the search visits, not to the whole graph.
        let mut queue = vec![start];
        let mut came_from = vec![ROOT];
        let mut head = 0;
        while head < queue.len() {
            if queue[head] == goal {
                let mut path = Vec::new();
                let mut at = head as u32;
                while at != ROOT {
                    path.push(queue[at as usize]);
                    at = came_from[at as usize];
                }
                path.reverse();
                return Some(path);
            }
            for &next in self.needs.row(queue[head]) {
                if seen.insert(next) {
                    queue.push(next);
                    came_from.push(head as u32);
                }
            }
            head += 1;
        }
        None
    }

    /// Kahn's algorithm from the nodes needing nothing: each node is peeled once all its needs
    /// have been, which is restore order. It stops short when the rest waits on a cycle.
    fn peel(&self) -> Peeled {
        let count = self.ids.len();
        let mut remaining: Vec<u32> = (0..count as u32)
            .map(|node| self.needs.row_len(node))
            .collect();
        let mut order: Vec<u32> = Vec::with_capacity(count);
        order.extend((0..count as u32).filter(|&node| remaining[node as usize] == 0));
        let mut head = 0;
        while head < order.len() {
            let node = order[head];
            head += 1;
            for &dependent in self.dependents.row(node) {
                let unmet = &mut remaining[dependent as usize];
                *unmet -= 1;
                if *unmet == 0 {
                    order.push(dependent);
                }
            }
        }
        Peeled { order, remaining }
    }

    /// After `peel` got stuck, each node still waiting needs another still waiting, so following
    /// such needs from any of them must come back round: that loop is a cycle.
    fn cycle_among_unpeeled(&self, remaining: &[u32]) -> Vec<Uuid> {
        const OFF_PATH: u32 = u32::MAX;
        let waiting = |node: u32| remaining[node as usize] > 0;
        let mut position = vec![OFF_PATH; self.ids.len()];
        let mut path: Vec<u32> = Vec::new();
        let mut node = (0..self.ids.len() as u32)
            .find(|&node| waiting(node))
            .expect("peeling stopped short, so some node is still waiting");
        while position[node as usize] == OFF_PATH {
            position[node as usize] = path.len() as u32;
            path.push(node);
            node = *self
                .needs
                .row(node)
                .iter()
                .find(|&&to| waiting(to))
                .expect("a node still waiting needs another still waiting");
        }
        let mut cycle = self.to_ids(&path[position[node as usize] as usize..]);
        cycle.push(self.ids[node as usize]);
        cycle
    }
}

impl fmt::Debug for DependencyGraph {
    /// Counts only: printing 100 000 nodes helps nobody.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DependencyGraph")
            .field("nodes", &self.node_count())
            .field("edges", &self.edge_count())
            .finish()
    }
}

fn signed(depth: u32) -> i32 {
    i32::try_from(depth).unwrap_or(i32::MAX)
}

struct Peeled {
    /// Nodes in the order they were peeled.
    order: Vec<u32>,
    /// Per node, how many of its needs were never peeled: non-zero exactly for the nodes left
    /// when peeling stopped on a cycle.
    remaining: Vec<u32>,
}

/// Compressed sparse rows: the neighbours of `node` are
/// `targets[offsets[node]..offsets[node + 1]]`, sorted and without duplicates.
#[derive(Clone)]
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    /// A counting sort by source, O(V + E), then each (short) row sorted and deduplicated.
    fn from_pairs(node_count: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut offsets = vec![0u32; node_count + 1];
        for &(from, _) in pairs {
            offsets[from as usize + 1] += 1;
        }
        for node in 0..node_count {
            offsets[node + 1] += offsets[node];
        }
        let mut fill = offsets[..node_count].to_vec();
        let mut targets = vec![0u32; pairs.len()];
        for &(from, to) in pairs {
            let slot = &mut fill[from as usize];
            targets[*slot as usize] = to;
            *slot += 1;
        }
        drop(fill);

        // Compact in place: rows only shrink, so writing never overtakes reading.
        let mut write = 0;
        let mut row_start = 0;
        for node in 0..node_count {
            let row_end = offsets[node + 1] as usize;
            targets[row_start..row_end].sort_unstable();
            offsets[node] = write as u32;
            for read in row_start..row_end {
                let to = targets[read];
                if write == offsets[node] as usize || targets[write - 1] != to {
                    targets[write] = to;
                    write += 1;
                }
            }
            row_start = row_end;
        }
        offsets[node_count] = write as u32;
        targets.truncate(write);
        targets.shrink_to_fit();
        Csr { offsets, targets }
    }

    /// The same edges the other way round. Rows come out sorted because sources are visited in
    /// order, and unique because the input rows are.
    fn transpose(&self) -> Csr {
        let node_count = self.offsets.len() - 1;
        let mut offsets = vec![0u32; node_count + 1];
        for &to in &self.targets {
            offsets[to as usize + 1] += 1;
        }
        for node in 0..node_count {
            offsets[node + 1] += offsets[node];
        }
        let mut fill = offsets[..node_count].to_vec();
        let mut targets = vec![0u32; self.targets.len()];
        for from in 0..node_count as u32 {
            for &to in self.row(from) {
                let slot = &mut fill[to as usize];
                targets[*slot as usize] = from;
                *slot += 1;
            }
        }
        Csr { offsets, targets }
    }

    fn row(&self, node: u32) -> &[u32] {
        let node = node as usize;
        &self.targets[self.offsets[node] as usize..self.offsets[node + 1] as usize]
    }

    fn row_len(&self, node: u32) -> u32 {
        self.offsets[node as usize + 1] - self.offsets[node as usize]
    }
}

/// One bit per node: the visited set of a walk costs V/8 bytes, not a `HashSet`.
struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    fn new(len: usize) -> BitSet {
        BitSet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// True if `item` was not in the set yet.
    fn insert(&mut self, item: u32) -> bool {
        let word = &mut self.words[item as usize / 64];
        let bit = 1u64 << (item % 64);
        let fresh = *word & bit == 0;
        *word |= bit;
        fresh
    }

    fn contains(&self, item: u32) -> bool {
        self.words[item as usize / 64] & (1u64 << (item % 64)) != 0
    }
}

mod propagate;
mod recovery;

pub use recovery::{Accumulated, Own, Restore};

#[cfg(test)]
mod tests;
