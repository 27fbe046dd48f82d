//! Exposure through the graph: a risk on a site, a component or a contract touches every service
//! that needs it, directly or not. A service is exposed to the risks on itself and on everything
//! it needs, and each inherited one comes with the path that carries it.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::domain::graph::DependencyGraph;

/// A risk bearing on one node, at the level that counts for it (residual once assessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bearing {
    pub risk: Uuid,
    pub node: Uuid,
    pub level: u8,
}

/// A risk a service is exposed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    pub risk: Uuid,
    pub level: u8,
    /// From the service to the node the risk bears on: `[service]` when the risk is on the
    /// service itself.
    pub path: Vec<Uuid>,
}

impl Exposure {
    pub fn inherited(&self) -> bool {
        self.path.len() > 1
    }
}

/// The highest level every node is exposed to, counting the risks below it in the graph.
pub fn highest_levels(graph: &DependencyGraph, bearings: &[Bearing]) -> HashMap<Uuid, u8> {
    let mut seeds: HashMap<Uuid, u8> = HashMap::new();
    for bearing in bearings {
        let level = seeds.entry(bearing.node).or_insert(bearing.level);
        *level = (*level).max(bearing.level);
    }
    graph.highest_over_needs(&seeds)
}

/// The risks `service` is exposed to, highest level first, then direct before inherited; each
/// risk once, through the nearest node it bears on. At most `limit` of them.
pub fn exposure_of(
    graph: &DependencyGraph,
    service: Uuid,
    bearings: &[Bearing],
    limit: usize,
) -> Vec<Exposure> {
    let depth: HashMap<Uuid, u32> = graph
        .needs(service)
        .into_iter()
        .map(|reached| (reached.id, reached.depth))
        .chain([(service, 0)])
        .collect();
    let mut nearest: HashMap<Uuid, (u32, Bearing)> = HashMap::new();
    for bearing in bearings {
        if let Some(&at) = depth.get(&bearing.node) {
            let kept = nearest.entry(bearing.risk).or_insert((at, *bearing));
            if at < kept.0 {
                *kept = (at, *bearing);
            }
        }
    }
    let mut found: Vec<(u32, Bearing)> = nearest.into_values().collect();
    found.sort_by_key(|(at, bearing)| (std::cmp::Reverse(bearing.level), *at, bearing.risk));
    found.truncate(limit);
    found
        .into_iter()
        .map(|(_, bearing)| Exposure {
            risk: bearing.risk,
            level: bearing.level,
            path: graph
                .path(service, bearing.node)
                .unwrap_or_else(|| vec![service]),
        })
        .collect()
}

/// The services among `services` whose exposure is above `appetite`.
pub fn above_appetite(
    highest: &HashMap<Uuid, u8>,
    services: &HashSet<Uuid>,
    appetite: u8,
) -> Vec<Uuid> {
    let mut exposed: Vec<Uuid> = services
        .iter()
        .copied()
        .filter(|service| highest.get(service).is_some_and(|&level| level > appetite))
        .collect();
    exposed.sort_unstable();
    exposed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::graph::NodeKind;

    #[test]
    fn a_service_inherits_the_risk_on_its_data_centre_with_the_path() {
        let (service, server, site) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let graph = DependencyGraph::new(
            vec![
                (service, NodeKind::Service),
                (server, NodeKind::Component),
                (site, NodeKind::Site),
            ],
            vec![(service, server), (server, site)],
        );
        let fire = Bearing {
            risk: Uuid::from_u128(10),
            node: site,
            level: 3,
        };
        let outage = Bearing {
            risk: Uuid::from_u128(11),
            node: service,
            level: 1,
        };
        let exposures = exposure_of(&graph, service, &[outage, fire], 10);
        assert_eq!(exposures.len(), 2);
        assert_eq!(exposures[0].risk, fire.risk, "highest first");
        assert_eq!(exposures[0].path, vec![service, server, site]);
        assert!(exposures[0].inherited());
        assert!(!exposures[1].inherited());
        let highest = highest_levels(&graph, &[outage, fire]);
        assert_eq!(highest[&service], 3);
        let services = HashSet::from([service]);
        assert_eq!(above_appetite(&highest, &services, 2), vec![service]);
        assert!(above_appetite(&highest, &services, 3).is_empty());
        assert!(
            exposure_of(&graph, server, &[outage], 10).is_empty(),
            "not downwards"
        );
    }
}
