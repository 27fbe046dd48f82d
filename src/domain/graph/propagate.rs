//! Values that flow up the graph: a figure on a node (a risk's level) reaches everything that
//! needs the node, directly or not. One pass in dependency order instead of a walk per node, so
//! the exposure of every service on 100 000 nodes stays a matter of milliseconds.

use std::collections::HashMap;

use uuid::Uuid;

use super::{BitSet, DependencyGraph};

impl DependencyGraph {
    /// For every node, the highest of the `seeds` on it or on anything it needs, transitively.
    /// Nodes that reach no seed are left out; seeds on unknown ids are ignored. Nodes on a cycle
    /// (which the catalogue refuses, but the computation stays total) are walked one by one.
    pub fn highest_over_needs(&self, seeds: &HashMap<Uuid, u8>) -> HashMap<Uuid, u8> {
        let mut value: Vec<Option<u8>> = vec![None; self.ids.len()];
        for (id, &seed) in seeds {
            if let Some(node) = self.index_of(*id) {
                value[node as usize] = value[node as usize].max(Some(seed));
            }
        }
        let seeded = value.clone();
        let peeled = self.peel();
        // Dependencies come first in the peeling order, so each node's needs are final.
        for &node in &peeled.order {
            let highest = self
                .needs
                .row(node)
                .iter()
                .map(|&to| value[to as usize])
                .max()
                .flatten();
            value[node as usize] = value[node as usize].max(highest);
        }
        for node in 0..self.ids.len() as u32 {
            if peeled.remaining[node as usize] > 0 {
                let mut seen = BitSet::new(self.ids.len());
                let reached = self.breadth_first(&self.needs, node, u32::MAX, &mut seen);
                value[node as usize] = reached
                    .iter()
                    .map(|&(to, _)| seeded[to as usize])
                    .chain([seeded[node as usize]])
                    .max()
                    .flatten();
            }
        }
        value
            .into_iter()
            .enumerate()
            .filter_map(|(node, value)| Some((self.ids[node], value?)))
            .collect()
    }

    /// A shortest path `[from, …, to]` along needs (`from` needs `to` through the nodes between),
    /// or `None` when `from` does not need `to`. `[from]` when they are the same.
    pub fn path(&self, from: Uuid, to: Uuid) -> Option<Vec<Uuid>> {
        let start = self.index_of(from)?;
        let goal = self.index_of(to)?;
        Some(self.to_ids(&self.shortest_path(start, goal)?))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::graph::NodeKind;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n + 1)
    }

    fn graph(count: u128, edges: &[(u128, u128)]) -> DependencyGraph {
        DependencyGraph::new(
            (0..count).map(|n| (id(n), NodeKind::Component)).collect(),
            edges.iter().map(|&(a, b)| (id(a), id(b))).collect(),
        )
    }

    #[test]
    fn a_level_on_a_site_reaches_what_needs_it() {
        // 0 needs 1 needs 2 (the site); 3 needs 2; 4 stands alone.
        let graph = graph(5, &[(0, 1), (1, 2), (3, 2)]);
        let seeds = HashMap::from([(id(2), 3), (id(1), 1)]);
        let highest = graph.highest_over_needs(&seeds);
        assert_eq!(highest.get(&id(0)), Some(&3));
        assert_eq!(highest.get(&id(1)), Some(&3));
        assert_eq!(highest.get(&id(3)), Some(&3));
        assert_eq!(highest.get(&id(4)), None);
        assert_eq!(graph.path(id(0), id(2)), Some(vec![id(0), id(1), id(2)]));
        assert_eq!(graph.path(id(2), id(0)), None);
        assert_eq!(graph.path(id(4), id(4)), Some(vec![id(4)]));
    }

    #[test]
    fn a_cycle_does_not_stop_the_computation() {
        let graph = graph(3, &[(0, 1), (1, 0), (1, 2)]);
        let highest = graph.highest_over_needs(&HashMap::from([(id(2), 2)]));
        assert_eq!(highest.get(&id(0)), Some(&2));
        assert_eq!(highest.get(&id(1)), Some(&2));
    }

    proptest! {
        #[test]
        fn the_pass_equals_the_naive_walk(
            edges in proptest::collection::vec((0u128..30, 0u128..30), 0..80),
            seeds in proptest::collection::vec((0u128..30, 0u8..5), 0..10),
        ) {
            let graph = graph(30, &edges);
            let seeds: HashMap<Uuid, u8> = seeds.into_iter().fold(HashMap::new(), |mut map, (node, level)| {
                let entry = map.entry(id(node)).or_insert(level);
                *entry = (*entry).max(level);
                map
            });
            let highest = graph.highest_over_needs(&seeds);
            for node in 0..30 {
                let naive = graph
                    .needs(id(node))
                    .iter()
                    .map(|reached| reached.id)
                    .chain([id(node)])
                    .filter_map(|reached| seeds.get(&reached).copied())
                    .max();
                prop_assert_eq!(highest.get(&id(node)).copied(), naive);
            }
        }
    }
}
