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
}

impl DependencyGraph {
    /// Edges whose ends are not among `nodes` are ignored; duplicate edges collapse. A node listed
    /// twice keeps the kind it was first listed with.
    ///
    /// # Panics
    /// With `u32::MAX` nodes or more: indices are `u32` to halve the adjacency arrays.
    pub fn new(mut nodes: Vec<(Uuid, NodeKind)>, edges: Vec<Edge>) -> Self {
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
        DependencyGraph {
            ids,
            kinds,
            index,
            needs,
            dependents,
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;

    // A small estate, named so that the tests read as the situation they describe.
    const PAYROLL: u128 = 1;
    const HR_SERVICE: u128 = 10;
    const DIRECTORY: u128 = 11;
    const DATABASE: u128 = 20;
    const SERVER: u128 = 21;
    const DATA_CENTRE: u128 = 30;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn graph(nodes: &[(u128, NodeKind)], edges: &[(u128, u128)]) -> DependencyGraph {
        DependencyGraph::new(
            nodes.iter().map(|&(n, kind)| (id(n), kind)).collect(),
            edges.iter().map(|&(from, to)| (id(from), id(to))).collect(),
        )
    }

    /// Payroll needs HR; HR needs the directory and the database; the directory needs the
    /// database too and runs in the data centre; the database runs on a server in the data centre.
    fn estate() -> DependencyGraph {
        graph(
            &[
                (PAYROLL, NodeKind::Process),
                (HR_SERVICE, NodeKind::Service),
                (DIRECTORY, NodeKind::Service),
                (DATABASE, NodeKind::Component),
                (SERVER, NodeKind::Component),
                (DATA_CENTRE, NodeKind::Site),
            ],
            &[
                (PAYROLL, HR_SERVICE),
                (HR_SERVICE, DIRECTORY),
                (HR_SERVICE, DATABASE),
                (DIRECTORY, DATABASE),
                (DIRECTORY, DATA_CENTRE),
                (DATABASE, SERVER),
                (SERVER, DATA_CENTRE),
            ],
        )
    }

    fn chain(length: u128) -> DependencyGraph {
        let nodes: Vec<_> = (0..length).map(|n| (n, NodeKind::Component)).collect();
        let edges: Vec<_> = (1..length).map(|n| (n - 1, n)).collect();
        graph(&nodes, &edges)
    }

    fn reached(expected: &[(u128, u32)]) -> Vec<Reached> {
        expected
            .iter()
            .map(|&(n, depth)| Reached { id: id(n), depth })
            .collect()
    }

    fn ids(nodes: &[u128]) -> Vec<Uuid> {
        nodes.iter().map(|&n| id(n)).collect()
    }

    #[test]
    fn node_kinds_round_trip_through_their_stored_names() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NodeKind::parse("supplier"), None);
        assert_eq!(NodeKind::Process.label(), "Business process");
        assert_eq!(NodeKind::Service.label(), "IT service");
    }

    #[test]
    fn needs_are_found_transitively_with_shortest_depth() {
        // The data centre is three steps away through the directory, four through the database.
        assert_eq!(
            estate().needs(id(PAYROLL)),
            reached(&[
                (HR_SERVICE, 1),
                (DIRECTORY, 2),
                (DATABASE, 2),
                (SERVER, 3),
                (DATA_CENTRE, 3),
            ])
        );
    }

    #[test]
    fn dependents_are_found_transitively_with_shortest_depth() {
        assert_eq!(
            estate().dependents(id(DATA_CENTRE)),
            reached(&[
                (DIRECTORY, 1),
                (SERVER, 1),
                (HR_SERVICE, 2),
                (DATABASE, 2),
                (PAYROLL, 3),
            ])
        );
    }

    #[test]
    fn a_node_needing_nothing_has_no_needs_and_an_unknown_node_has_neither() {
        let estate = estate();
        assert!(estate.needs(id(DATA_CENTRE)).is_empty());
        assert!(estate.dependents(id(PAYROLL)).is_empty());
        assert!(estate.needs(id(999)).is_empty());
        assert!(estate.dependents(id(999)).is_empty());
        assert!(!estate.contains(id(999)));
        assert_eq!(estate.kind(id(999)), None);
    }

    #[test]
    fn edges_to_unknown_nodes_are_ignored_and_duplicates_collapse() {
        let graph = graph(
            &[(1, NodeKind::Service), (2, NodeKind::Component)],
            &[(1, 2), (1, 2), (1, 3), (3, 2)],
        );
        assert_eq!(graph.node_count(), 2);
        assert_eq!(graph.edge_count(), 1);
        assert_eq!(graph.edges(), vec![(id(1), id(2))]);
    }

    #[test]
    fn a_node_listed_twice_keeps_its_first_kind() {
        let graph = graph(&[(1, NodeKind::Service), (1, NodeKind::Site)], &[]);
        assert_eq!(graph.node_count(), 1);
        assert_eq!(graph.kind(id(1)), Some(NodeKind::Service));
    }

    #[test]
    fn an_acyclic_graph_has_no_cycle() {
        assert_eq!(estate().find_cycle(), None);
    }

    #[test]
    fn a_cycle_is_named_with_its_path() {
        // HR needs the directory, which needs payroll, which needs HR; the database hangs off it.
        let graph = graph(
            &[
                (PAYROLL, NodeKind::Process),
                (HR_SERVICE, NodeKind::Service),
                (DIRECTORY, NodeKind::Service),
                (DATABASE, NodeKind::Component),
            ],
            &[
                (PAYROLL, HR_SERVICE),
                (HR_SERVICE, DIRECTORY),
                (DIRECTORY, PAYROLL),
                (DIRECTORY, DATABASE),
            ],
        );
        assert_eq!(
            graph.find_cycle(),
            Some(ids(&[PAYROLL, HR_SERVICE, DIRECTORY, PAYROLL]))
        );
    }

    #[test]
    fn a_self_dependency_is_a_cycle() {
        let graph = graph(&[(1, NodeKind::Service)], &[(1, 1)]);
        assert_eq!(graph.find_cycle(), Some(ids(&[1, 1])));
        assert_eq!(graph.topological_order(), Err(ids(&[1, 1])));
    }

    #[test]
    fn adding_an_edge_back_up_the_chain_would_close_a_cycle() {
        // If the data centre needed HR, the shortest way back is HR → directory → data centre.
        assert_eq!(
            estate().cycle_if_added(id(DATA_CENTRE), id(HR_SERVICE)),
            Some(ids(&[DATA_CENTRE, HR_SERVICE, DIRECTORY, DATA_CENTRE]))
        );
    }

    #[test]
    fn a_node_needing_itself_would_close_a_cycle() {
        assert_eq!(
            estate().cycle_if_added(id(SERVER), id(SERVER)),
            Some(ids(&[SERVER, SERVER]))
        );
    }

    #[test]
    fn adding_an_edge_down_or_across_closes_no_cycle() {
        let estate = estate();
        assert_eq!(estate.cycle_if_added(id(PAYROLL), id(DATA_CENTRE)), None);
        assert_eq!(estate.cycle_if_added(id(DIRECTORY), id(SERVER)), None);
        assert_eq!(estate.cycle_if_added(id(PAYROLL), id(999)), None);
    }

    #[test]
    fn topological_order_puts_dependencies_first() {
        let estate = estate();
        let order = estate.topological_order().unwrap();
        assert_eq!(order.len(), estate.node_count());
        let position = |n: u128| order.iter().position(|&node| node == id(n)).unwrap();
        for (from, to) in estate.edges() {
            let from = order.iter().position(|&node| node == from).unwrap();
            let to = order.iter().position(|&node| node == to).unwrap();
            assert!(to < from);
        }
        assert_eq!(position(DATA_CENTRE), 0);
        assert_eq!(position(PAYROLL), order.len() - 1);
    }

    #[test]
    fn topological_order_of_a_cyclic_graph_names_the_cycle() {
        let graph = graph(
            &[
                (1, NodeKind::Service),
                (2, NodeKind::Service),
                (3, NodeKind::Site),
            ],
            &[(1, 2), (2, 1), (2, 3)],
        );
        assert_eq!(graph.topological_order(), Err(ids(&[1, 2, 1])));
    }

    #[test]
    fn neighbourhood_is_limited_by_levels_in_each_direction() {
        let (nodes, edges) = estate().neighbourhood(id(DIRECTORY), 1, 1);
        assert_eq!(
            nodes,
            vec![
                (id(DIRECTORY), 0),
                (id(DATABASE), 1),
                (id(DATA_CENTRE), 1),
                (id(HR_SERVICE), -1),
            ]
        );
        // HR → database joins two included nodes, so it is drawn; the server is out of reach.
        let edges: BTreeSet<_> = edges.into_iter().collect();
        let expected: BTreeSet<_> = [
            (HR_SERVICE, DIRECTORY),
            (HR_SERVICE, DATABASE),
            (DIRECTORY, DATABASE),
            (DIRECTORY, DATA_CENTRE),
        ]
        .into_iter()
        .map(|(from, to)| (id(from), id(to)))
        .collect();
        assert_eq!(edges, expected);
    }

    #[test]
    fn a_neighbourhood_of_no_levels_is_the_node_alone() {
        assert_eq!(
            estate().neighbourhood(id(SERVER), 0, 0),
            (vec![(id(SERVER), 0)], vec![])
        );
        assert_eq!(estate().neighbourhood(id(999), 2, 2), (vec![], vec![]));
    }

    #[test]
    fn layers_count_the_longest_path_to_a_node_needing_nothing() {
        let layers: BTreeMap<Uuid, u32> = estate().layers().into_iter().collect();
        let expected: BTreeMap<Uuid, u32> = [
            (DATA_CENTRE, 0),
            (SERVER, 1),
            (DATABASE, 2),
            (DIRECTORY, 3),
            (HR_SERVICE, 4),
            (PAYROLL, 5),
        ]
        .into_iter()
        .map(|(n, layer)| (id(n), layer))
        .collect();
        assert_eq!(layers, expected);
    }

    #[test]
    fn layers_still_end_on_a_cycle() {
        let graph = graph(
            &[
                (1, NodeKind::Process),
                (2, NodeKind::Service),
                (3, NodeKind::Service),
            ],
            &[(1, 2), (2, 3), (3, 2)],
        );
        let layers = graph.layers();
        assert_eq!(layers.len(), 3);
        // Whichever edge of the cycle is ignored, the process needing it is drawn after it.
        let layer = |n: u128| layers.iter().find(|(node, _)| *node == id(n)).unwrap().1;
        assert!(layer(1) > layer(2) && layer(1) > layer(3));
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let length = 100_000;
        let graph = chain(length);
        assert_eq!(graph.needs(id(0)).len(), length as usize - 1);
        assert_eq!(graph.dependents(id(length - 1)).len(), length as usize - 1);
        assert_eq!(graph.find_cycle(), None);
        assert_eq!(graph.topological_order().unwrap()[0], id(length - 1));
        assert_eq!(graph.layers()[0], (id(0), length as u32 - 1));
        let cycle = graph.cycle_if_added(id(length - 1), id(0)).unwrap();
        assert_eq!(cycle.len(), length as usize + 1);
    }

    // Property tests: the graph against deliberately naive reference implementations.

    /// A random graph: node ids in random order relative to their positions, random edges
    /// including duplicates, self-loops and edges to unknown nodes; acyclic when asked.
    #[derive(Debug, Clone)]
    struct Case {
        nodes: Vec<(Uuid, NodeKind)>,
        edges: Vec<(Uuid, Uuid)>,
    }

    fn cases(acyclic: bool) -> impl Strategy<Value = Case> {
        (1usize..40).prop_flat_map(move |count| {
            let edge_count = if acyclic { 0..count * 3 } else { 0..count * 2 };
            (
                prop::collection::vec(any::<u64>(), count),
                prop::collection::vec((0..count + 2, 0..count + 2), edge_count),
            )
                .prop_map(move |(raw_ids, raw_edges)| {
                    // Low bits from the position keep ids distinct; high bits shuffle their order.
                    let node_id = |position: usize| {
                        if position < count {
                            Uuid::from_u128((u128::from(raw_ids[position]) << 8) | position as u128)
                        } else {
                            Uuid::from_u128(u128::MAX - position as u128)
                        }
                    };
                    let nodes = (0..count)
                        .map(|position| (node_id(position), NodeKind::ALL[position % 5]))
                        .collect();
                    let edges = raw_edges
                        .into_iter()
                        .filter(|&(from, to)| !acyclic || from < to)
                        .map(|(from, to)| (node_id(from), node_id(to)))
                        .collect();
                    Case { nodes, edges }
                })
        })
    }

    fn any_case() -> impl Strategy<Value = Case> {
        prop_oneof![cases(false), cases(true)]
    }

    /// The same graph as plain sets, for reference implementations that are obviously right.
    struct Model {
        nodes: BTreeSet<Uuid>,
        edges: BTreeSet<(Uuid, Uuid)>,
    }

    impl Model {
        fn of(case: &Case) -> Model {
            let nodes: BTreeSet<Uuid> = case.nodes.iter().map(|&(id, _)| id).collect();
            let edges = case
                .edges
                .iter()
                .copied()
                .filter(|(from, to)| nodes.contains(from) && nodes.contains(to))
                .collect();
            Model { nodes, edges }
        }

        /// Shortest distances from `start` by relaxing every edge until nothing changes.
        fn distances(&self, start: Uuid, forward: bool) -> BTreeMap<Uuid, u32> {
            let mut distance = BTreeMap::from([(start, 0)]);
            let mut changed = true;
            while changed {
                changed = false;
                for &(from, to) in &self.edges {
                    let (near, far) = if forward { (from, to) } else { (to, from) };
                    if let Some(&near_distance) = distance.get(&near)
                        && distance.get(&far).is_none_or(|&d| near_distance + 1 < d)
                    {
                        distance.insert(far, near_distance + 1);
                        changed = true;
                    }
                }
            }
            distance
        }

        fn reach(&self, start: Uuid, forward: bool) -> Vec<Reached> {
            if !self.nodes.contains(&start) {
                return Vec::new();
            }
            let mut reached: Vec<Reached> = self
                .distances(start, forward)
                .into_iter()
                .filter(|&(id, _)| id != start)
                .map(|(id, depth)| Reached { id, depth })
                .collect();
            reached.sort_by_key(|r| (r.depth, r.id));
            reached
        }

        /// Whether a path of at least one edge leads from `from` to `to`.
        fn leads(&self, from: Uuid, to: Uuid) -> bool {
            self.edges
                .iter()
                .filter(|&&(start, _)| start == from)
                .any(|&(_, next)| self.distances(next, true).contains_key(&to))
        }

        fn has_cycle(&self) -> bool {
            self.nodes.iter().any(|&node| self.leads(node, node))
        }

        /// Longest needs-path from each node, relaxing until nothing changes (acyclic only).
        fn layers(&self) -> BTreeMap<Uuid, u32> {
            let mut layer: BTreeMap<Uuid, u32> = self.nodes.iter().map(|&id| (id, 0)).collect();
            let mut changed = true;
            while changed {
                changed = false;
                for &(from, to) in &self.edges {
                    if layer[&from] < layer[&to] + 1 {
                        layer.insert(from, layer[&to] + 1);
                        changed = true;
                    }
                }
            }
            layer
        }

        fn is_closed_path(&self, path: &[Uuid]) -> bool {
            path.len() >= 2
                && path.first() == path.last()
                && path
                    .windows(2)
                    .all(|step| self.edges.contains(&(step[0], step[1])))
        }
    }

    fn graph_of(case: &Case) -> DependencyGraph {
        DependencyGraph::new(case.nodes.clone(), case.edges.clone())
    }

    /// A node of the case, or an unknown one, chosen by `pick`.
    fn some_node(case: &Case, pick: usize) -> Uuid {
        case.nodes
            .get(pick % (case.nodes.len() + 1))
            .map_or(Uuid::from_u128(u128::MAX), |&(id, _)| id)
    }

    proptest! {
        #[test]
        fn nodes_kinds_and_edges_are_kept(case in any_case()) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            prop_assert_eq!(graph.node_count(), model.nodes.len());
            prop_assert_eq!(graph.edge_count(), model.edges.len());
            let edges: BTreeSet<_> = graph.edges().into_iter().collect();
            prop_assert_eq!(edges, model.edges);
            for &(id, kind) in &case.nodes {
                prop_assert!(graph.contains(id));
                prop_assert_eq!(graph.kind(id), Some(kind));
            }
        }

        #[test]
        fn needs_and_dependents_match_naive_relaxation(case in any_case(), pick in 0usize..64) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            let start = some_node(&case, pick);
            prop_assert_eq!(graph.needs(start), model.reach(start, true));
            prop_assert_eq!(graph.dependents(start), model.reach(start, false));
        }

        #[test]
        fn a_cycle_is_found_exactly_when_one_exists(case in any_case()) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            let cycle = graph.find_cycle();
            prop_assert_eq!(cycle.is_some(), model.has_cycle());
            if let Some(cycle) = cycle {
                prop_assert!(model.is_closed_path(&cycle), "not a cycle: {cycle:?}");
            }
        }

        #[test]
        fn topological_order_is_valid_or_names_a_cycle(case in any_case()) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            match graph.topological_order() {
                Ok(order) => {
                    prop_assert!(!model.has_cycle());
                    let position: BTreeMap<Uuid, usize> =
                        order.iter().enumerate().map(|(at, &id)| (id, at)).collect();
                    prop_assert_eq!(position.len(), order.len());
                    prop_assert!(position.keys().eq(model.nodes.iter()));
                    for (from, to) in &model.edges {
                        prop_assert!(position[to] < position[from]);
                    }
                }
                Err(cycle) => {
                    prop_assert!(model.has_cycle());
                    prop_assert!(model.is_closed_path(&cycle), "not a cycle: {cycle:?}");
                }
            }
        }

        #[test]
        fn cycle_if_added_agrees_with_reachability(
            case in any_case(),
            from_pick in 0usize..64,
            to_pick in 0usize..64,
        ) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            let from = some_node(&case, from_pick);
            let to = some_node(&case, to_pick);
            let closes = from == to
                || (model.nodes.contains(&from) && model.distances(to, true).contains_key(&from));
            match graph.cycle_if_added(from, to) {
                Some(cycle) => {
                    prop_assert!(closes);
                    prop_assert!(cycle.len() >= 2);
                    prop_assert_eq!(cycle[0], from);
                    prop_assert_eq!(cycle[1], to);
                    prop_assert_eq!(*cycle.last().unwrap(), from);
                    let mut with_edge = Model::of(&case);
                    with_edge.edges.insert((from, to));
                    prop_assert!(with_edge.is_closed_path(&cycle), "not a cycle: {cycle:?}");
                }
                None => prop_assert!(!closes),
            }
        }

        #[test]
        fn layers_are_longest_paths_and_end_even_on_cycles(case in any_case()) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            let layers: BTreeMap<Uuid, u32> = graph.layers().into_iter().collect();
            prop_assert!(layers.keys().eq(model.nodes.iter()));
            if model.has_cycle() {
                // Only edges closing a cycle may be ignored: any other is drawn pointing back.
                for &(from, to) in &model.edges {
                    if !model.leads(to, from) {
                        prop_assert!(layers[&from] > layers[&to]);
                    }
                }
            } else {
                prop_assert_eq!(layers, model.layers());
            }
        }

        #[test]
        fn neighbourhood_matches_naive_distances(
            case in any_case(),
            pick in 0usize..64,
            needs_levels in 0u32..4,
            dependents_levels in 0u32..4,
        ) {
            let graph = graph_of(&case);
            let model = Model::of(&case);
            let start = some_node(&case, pick);
            let (nodes, edges) = graph.neighbourhood(start, needs_levels, dependents_levels);
            if !model.nodes.contains(&start) {
                prop_assert!(nodes.is_empty() && edges.is_empty());
                return Ok(());
            }
            let needed = model.distances(start, true);
            let dependent = model.distances(start, false);
            let mut expected: BTreeMap<Uuid, i32> = BTreeMap::new();
            for &node in &model.nodes {
                let layer = if node == start {
                    Some(0)
                } else if let Some(&d) = needed.get(&node).filter(|&&d| d <= needs_levels) {
                    Some(d as i32)
                } else {
                    dependent.get(&node).filter(|&&d| d <= dependents_levels).map(|&d| -(d as i32))
                };
                if let Some(layer) = layer {
                    expected.insert(node, layer);
                }
            }
            let actual: BTreeMap<Uuid, i32> = nodes.iter().copied().collect();
            prop_assert_eq!(actual.len(), nodes.len(), "a node is listed twice");
            prop_assert_eq!(&actual, &expected);
            prop_assert_eq!(nodes[0], (start, 0));

            let expected_edges: BTreeSet<(Uuid, Uuid)> = model
                .edges
                .iter()
                .copied()
                .filter(|(from, to)| expected.contains_key(from) && expected.contains_key(to))
                .collect();
            let actual_edges: BTreeSet<(Uuid, Uuid)> = edges.iter().copied().collect();
            prop_assert_eq!(actual_edges.len(), edges.len(), "an edge is listed twice");
            prop_assert_eq!(actual_edges, expected_edges);
        }
    }
}
