//! The walks behind recovery figures: requirements flowing down to what services need, recovery
//! times flowing up from what is needed, and what falls when something is lost. Each is one pass
//! in dependency order (a fallback walk for nodes on a cycle, which the catalogue refuses), so
//! the posture of a 100 000-node estate is a matter of milliseconds. A need marked redundant
//! ("redundancy exists" on the edge) neither adds its time nor brings its dependant down.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use uuid::Uuid;

use super::{BitSet, DependencyGraph};

/// A node's own recovery figure: its minutes (`None`: nothing shows how long) and how good the
/// evidence is (0 the best; the caller gives the scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Own {
    pub minutes: Option<u32>,
    pub grade: u8,
}

impl Own {
    /// What a node without a figure of its own contributes: nothing, on no evidence to doubt.
    pub const NOTHING: Own = Own {
        minutes: Some(0),
        grade: 0,
    };
}

/// A node's figure once what it needs is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accumulated {
    /// Own time plus the slowest counted need's; `None` when some counted figure is unknown.
    pub minutes: Option<u32>,
    /// The counted need whose figure is the largest (the next link of the chain that sets the
    /// total), or, when unknown, a need whose figure is unknown.
    pub via: Option<Uuid>,
    /// The weakest evidence counted, and the node it belongs to.
    pub grade: u8,
    pub weakest: Uuid,
}

/// One node of a recovery after a loss, in the order to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restore {
    pub id: Uuid,
    /// Minutes after the loss when its restoration can begin and when it is back: once every
    /// fallen need it cannot do without is back. `None` when some figure on the way is unknown.
    pub start: Option<u32>,
    pub finish: Option<u32>,
    /// The fallen need it waits for last, if any.
    pub after: Option<Uuid>,
}

impl DependencyGraph {
    /// For every node, the smallest of the `seeds` on it or on anything depending on it,
    /// transitively, with the node the seed is on (the node itself on a tie). Nodes no seed
    /// reaches are left out. Requirements flow this way: a component must be back as soon as the
    /// strictest service that needs it, directly or not.
    pub fn lowest_over_dependents(&self, seeds: &HashMap<Uuid, u32>) -> HashMap<Uuid, (u32, Uuid)> {
        let count = self.ids.len();
        let mut value: Vec<Option<(u32, u32)>> = vec![None; count];
        for (id, &seed) in seeds {
            if let Some(node) = self.index_of(*id) {
                value[node as usize] = lower(value[node as usize], Some((seed, node)));
            }
        }
        let seeded = value.clone();
        let peeled = self.peel();
        // Reversed, the peeling order puts every dependant before what it needs.
        for &node in peeled.order.iter().rev() {
            let lowest = self
                .dependents
                .row(node)
                .iter()
                .fold(None, |low, &dependent| {
                    lower(low, value[dependent as usize])
                });
            value[node as usize] = stricter(value[node as usize], lowest);
        }
        for node in 0..count as u32 {
            if peeled.remaining[node as usize] > 0 {
                let mut seen = BitSet::new(count);
                let reached = self.breadth_first(&self.dependents, node, u32::MAX, &mut seen);
                value[node as usize] = reached
                    .iter()
                    .fold(seeded[node as usize], |low, &(dependent, _)| {
                        lower(low, seeded[dependent as usize])
                    });
            }
        }
        value
            .into_iter()
            .enumerate()
            .filter_map(|(node, value)| {
                let (minutes, from) = value?;
                Some((self.ids[node], (minutes, self.ids[from as usize])))
            })
            .collect()
    }

    /// For every node, its own figure plus the largest of its non-redundant needs' (which are
    /// restored first), transitively: the achievable recovery time. Nodes missing from `own`
    /// contribute [`Own::NOTHING`]. On a cycle the nodes on it count each other once.
    pub fn longest_over_needs(&self, own: &HashMap<Uuid, Own>) -> HashMap<Uuid, Accumulated> {
        self.accumulate(own, u32::saturating_add)
    }

    /// Like [`Self::longest_over_needs`], the larger of its own figure and its needs' instead of
    /// the sum: the data a service may lose is the worst of what it and its needs may lose.
    pub fn largest_over_needs(&self, own: &HashMap<Uuid, Own>) -> HashMap<Uuid, Accumulated> {
        self.accumulate(own, u32::max)
    }

    /// Everything `id` needs through needs none of which has redundancy: what it cannot lose.
    pub fn needs_without_redundancy(&self, id: Uuid) -> Vec<Uuid> {
        let Some(start) = self.index_of(id) else {
            return Vec::new();
        };
        let mut seen = BitSet::new(self.ids.len());
        seen.insert(start);
        let mut queue = vec![start];
        let mut head = 0;
        while head < queue.len() {
            let node = queue[head];
            head += 1;
            for (slot, &need) in self.needs.row(node).iter().enumerate() {
                if !self.redundant_at(node, slot) && seen.insert(need) {
                    queue.push(need);
                }
            }
        }
        self.to_ids(&queue[1..])
    }

    /// For every node some of `sources` cannot do without (reached through needs none of which
    /// has redundancy, the source itself excluded), which sources: bit `i` of its row stands for
    /// `sources[i]`. One pass in dependency order, a row of bits per reached node, instead of a
    /// walk per source; on a cycle (which the catalogue refuses) a walk per source.
    pub fn sole_needs_of_many(&self, sources: &[Uuid]) -> Vec<(Uuid, Vec<u64>)> {
        let count = self.ids.len();
        let words = sources.len().div_ceil(64);
        let mut own: Vec<Option<Vec<u64>>> = vec![None; count];
        for (position, source) in sources.iter().enumerate() {
            if let Some(node) = self.index_of(*source) {
                own[node as usize].get_or_insert_with(|| vec![0; words])[position / 64] |=
                    1 << (position % 64);
            }
        }
        let mut reached: Vec<Option<Vec<u64>>> = vec![None; count];
        let peeled = self.peel();
        if peeled.order.len() < count {
            for (position, source) in sources.iter().enumerate() {
                for need in self.needs_without_redundancy(*source) {
                    if let Some(node) = self.index_of(need) {
                        reached[node as usize].get_or_insert_with(|| vec![0; words])
                            [position / 64] |= 1 << (position % 64);
                    }
                }
            }
        } else {
            // Reversed, the peeling order puts every dependant before what it needs.
            for &node in peeled.order.iter().rev() {
                let mine = match (&own[node as usize], &reached[node as usize]) {
                    (None, None) => continue,
                    (Some(bits), None) | (None, Some(bits)) => bits.clone(),
                    (Some(a), Some(b)) => a.iter().zip(b).map(|(a, b)| a | b).collect(),
                };
                for (slot, &need) in self.needs.row(node).iter().enumerate() {
                    if self.redundant_at(node, slot) {
                        continue;
                    }
                    let row = reached[need as usize].get_or_insert_with(|| vec![0; words]);
                    for (to, from) in row.iter_mut().zip(&mine) {
                        *to |= from;
                    }
                }
            }
        }
        reached
            .into_iter()
            .enumerate()
            .filter_map(|(node, row)| Some((self.ids[node], row?)))
            .collect()
    }

    fn accumulate(
        &self,
        own: &HashMap<Uuid, Own>,
        combine: impl Fn(u32, u32) -> u32,
    ) -> HashMap<Uuid, Accumulated> {
        let count = self.ids.len();
        let own_of = |node: u32| {
            own.get(&self.ids[node as usize])
                .copied()
                .unwrap_or(Own::NOTHING)
        };
        let mut value: Vec<Option<Accumulated>> = vec![None; count];
        let peeled = self.peel();
        let mut order = peeled.order;
        // Nodes on a cycle last, in id order: each counts the needs already done.
        order.extend((0..count as u32).filter(|&node| peeled.remaining[node as usize] > 0));
        for node in order {
            let mine = own_of(node);
            let mut total = Accumulated {
                minutes: mine.minutes,
                via: None,
                grade: mine.grade,
                weakest: self.ids[node as usize],
            };
            let mut slowest: Option<u32> = Some(0);
            for (slot, &need) in self.needs.row(node).iter().enumerate() {
                if self.redundant_at(node, slot) {
                    continue;
                }
                let Some(theirs) = value[need as usize] else {
                    continue;
                };
                if theirs.grade > total.grade {
                    total.grade = theirs.grade;
                    total.weakest = theirs.weakest;
                }
                match (slowest, theirs.minutes) {
                    // The first unknown need is the one a sentence names.
                    (Some(_), None) => {
                        slowest = None;
                        total.via = Some(self.ids[need as usize]);
                    }
                    (Some(most), Some(minutes)) if minutes > most => {
                        slowest = Some(minutes);
                        total.via = Some(self.ids[need as usize]);
                    }
                    _ => {}
                }
            }
            // A node with no figure of its own is itself what is missing, whatever it needs.
            if mine.minutes.is_none() {
                total.via = None;
            }
            total.minutes = match (total.minutes, slowest) {
                (Some(mine), Some(most)) => Some(combine(mine, most)),
                _ => None,
            };
            value[node as usize] = Some(total);
        }
        value
            .into_iter()
            .enumerate()
            .filter_map(|(node, value)| Some((self.ids[node], value?)))
            .collect()
    }

    /// What falls when `lost` is lost: the lost nodes (with no cause) and every node that needs a
    /// fallen one without redundancy (with the fallen need it fell through, the first found),
    /// in the order they fall. Unknown ids are ignored.
    pub fn fallen(&self, lost: &[Uuid]) -> Vec<(Uuid, Option<Uuid>)> {
        let mut seen = BitSet::new(self.ids.len());
        let mut order: Vec<(u32, Option<u32>)> = Vec::new();
        for id in lost {
            if let Some(node) = self.index_of(*id)
                && seen.insert(node)
            {
                order.push((node, None));
            }
        }
        let mut head = 0;
        while head < order.len() {
            let (node, _) = order[head];
            head += 1;
            for &dependent in self.dependents.row(node) {
                if !seen.contains(dependent) && !self.redundant_edge(dependent, node) {
                    seen.insert(dependent);
                    order.push((dependent, Some(node)));
                }
            }
        }
        order
            .into_iter()
            .map(|(node, cause)| {
                (
                    self.ids[node as usize],
                    cause.map(|cause| self.ids[cause as usize]),
                )
            })
            .collect()
    }

    /// The order to restore `fallen` in: a node once every fallen need it cannot do without is
    /// back, and among those ready the most urgent first (the smallest `urgency`, then id). Each
    /// starts when its last such need is back and takes its `own` minutes (nothing when absent),
    /// restorations running side by side. Nodes on a cycle come last, in id order.
    pub fn restore_order(
        &self,
        fallen: &[Uuid],
        own: &HashMap<Uuid, Option<u32>>,
        urgency: &HashMap<Uuid, u32>,
    ) -> Vec<Restore> {
        let count = self.ids.len();
        let mut down = BitSet::new(count);
        let nodes: Vec<u32> = fallen
            .iter()
            .filter_map(|id| self.index_of(*id))
            .filter(|&node| down.insert(node))
            .collect();
        // Fallen, non-redundant needs still to come back, per fallen node.
        let mut waiting: HashMap<u32, u32> = HashMap::with_capacity(nodes.len());
        for &node in &nodes {
            let unmet = self
                .needs
                .row(node)
                .iter()
                .enumerate()
                .filter(|&(slot, &need)| down.contains(need) && !self.redundant_at(node, slot))
                .count() as u32;
            waiting.insert(node, unmet);
        }
        let key = |node: u32| {
            let id = self.ids[node as usize];
            Reverse((urgency.get(&id).copied().unwrap_or(u32::MAX), node))
        };
        let mut ready: BinaryHeap<Reverse<(u32, u32)>> = nodes
            .iter()
            .filter(|node| waiting[node] == 0)
            .map(|&node| key(node))
            .collect();
        let mut finish: HashMap<u32, Option<u32>> = HashMap::with_capacity(nodes.len());
        let mut done = BitSet::new(count);
        let mut restored = Vec::with_capacity(nodes.len());
        let place = |node: u32, finish: &mut HashMap<u32, Option<u32>>| {
            let mut start = Some(0u32);
            let mut after = None;
            for (slot, &need) in self.needs.row(node).iter().enumerate() {
                if self.redundant_at(node, slot) {
                    continue;
                }
                let Some(&theirs) = finish.get(&need) else {
                    continue;
                };
                match (start, theirs) {
                    (Some(begin), Some(back)) if back >= begin => {
                        start = Some(back);
                        after = Some(self.ids[need as usize]);
                    }
                    (Some(_), None) => {
                        start = None;
                        after = Some(self.ids[need as usize]);
                    }
                    _ => {}
                }
            }
            let id = self.ids[node as usize];
            let took = own.get(&id).copied().unwrap_or(Some(0));
            let back = match (start, took) {
                (Some(start), Some(took)) => Some(start.saturating_add(took)),
                _ => None,
            };
            finish.insert(node, back);
            Restore {
                id,
                start,
                finish: back,
                after,
            }
        };
        while let Some(Reverse((_, node))) = ready.pop() {
            done.insert(node);
            restored.push(place(node, &mut finish));
            for &dependent in self.dependents.row(node) {
                if !down.contains(dependent) || self.redundant_edge(dependent, node) {
                    continue;
                }
                if let Some(unmet) = waiting.get_mut(&dependent) {
                    *unmet -= 1;
                    if *unmet == 0 {
                        ready.push(key(dependent));
                    }
                }
            }
        }
        let mut stuck: Vec<u32> = nodes
            .into_iter()
            .filter(|&node| !done.contains(node))
            .collect();
        stuck.sort_unstable();
        for node in stuck {
            restored.push(place(node, &mut finish));
        }
        restored
    }

    /// A chain from `id` following `next` until it ends (or would come back round), for the
    /// sentence that explains a figure: "through erp-db → Frankfurt DC1".
    pub fn follow(&self, id: Uuid, next: impl Fn(Uuid) -> Option<Uuid>) -> Vec<Uuid> {
        let mut chain = vec![id];
        let mut seen = BitSet::new(self.ids.len());
        if let Some(node) = self.index_of(id) {
            seen.insert(node);
        }
        let mut at = id;
        while let Some(step) = next(at) {
            match self.index_of(step) {
                Some(node) if seen.insert(node) => {}
                _ => break,
            }
            chain.push(step);
            at = step;
        }
        chain
    }

    /// Whether `from`'s need of `to` has redundancy (false when there is no such edge).
    fn redundant_edge(&self, from: u32, to: u32) -> bool {
        self.needs
            .row(from)
            .binary_search(&to)
            .is_ok_and(|slot| self.redundant_at(from, slot))
    }
}

/// `theirs` when strictly lower than `mine`: a node's own requirement names itself on a tie.
fn stricter(mine: Option<(u32, u32)>, theirs: Option<(u32, u32)>) -> Option<(u32, u32)> {
    match (mine, theirs) {
        (Some(own), Some(other)) if other.0 < own.0 => Some(other),
        (None, other) => other,
        (own, _) => own,
    }
}

/// The lower of two (minutes, node) figures; on equal minutes the smaller node index (id order).
fn lower(a: Option<(u32, u32)>, b: Option<(u32, u32)>) -> Option<(u32, u32)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

#[cfg(test)]
mod tests;
