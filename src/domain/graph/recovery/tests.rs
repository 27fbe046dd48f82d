use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use uuid::Uuid;

use crate::domain::graph::{DependencyGraph, NodeKind, Own};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n + 1)
}

/// `edges` as (from, to, redundant).
fn graph(count: u128, edges: &[(u128, u128, bool)]) -> DependencyGraph {
    DependencyGraph::with_redundancy(
        (0..count).map(|n| (id(n), NodeKind::Component)).collect(),
        edges.iter().map(|&(a, b, _)| (id(a), id(b))).collect(),
        &edges
            .iter()
            .filter(|edge| edge.2)
            .map(|&(a, b, _)| (id(a), id(b)))
            .collect::<Vec<_>>(),
    )
}

fn own(minutes: u32, grade: u8) -> Own {
    Own {
        minutes: Some(minutes),
        grade,
    }
}

#[test]
fn a_requirement_reaches_everything_below_and_names_who_sets_it() {
    // 0 (4h) and 1 (1h) need 2, which needs 3; 4 needs 3 and sets nothing.
    let graph = graph(
        5,
        &[(0, 2, false), (1, 2, false), (2, 3, true), (4, 3, false)],
    );
    let seeds = HashMap::from([(id(0), 240), (id(1), 60)]);
    let required = graph.lowest_over_dependents(&seeds);
    assert_eq!(required[&id(2)], (60, id(1)));
    // Redundancy does not lower a requirement: the standby must be recoverable too.
    assert_eq!(required[&id(3)], (60, id(1)));
    assert_eq!(required[&id(0)], (240, id(0)));
    assert!(!required.contains_key(&id(4)));
}

/// A chain of three with one redundant branch, by hand: the service (2 h own) needs its
/// application (1 h), which needs a database (3 h) and, redundantly, a replica (10 h).
#[test]
fn time_flows_up_the_chain_and_a_redundant_branch_adds_nothing() {
    let graph = graph(4, &[(0, 1, false), (1, 2, false), (1, 3, true)]);
    let figures = HashMap::from([
        (id(0), own(120, 0)),
        (id(1), own(60, 1)),
        (id(2), own(180, 0)),
        (id(3), own(600, 2)),
    ]);
    let up = graph.longest_over_needs(&figures);
    assert_eq!(up[&id(0)].minutes, Some(360));
    assert_eq!(up[&id(0)].via, Some(id(1)));
    assert_eq!(up[&id(1)].via, Some(id(2)));
    // The weakest evidence counted is the application's, not the redundant replica's.
    assert_eq!((up[&id(0)].grade, up[&id(0)].weakest), (1, id(1)));
    let chain = graph.follow(id(0), |at| up.get(&at).and_then(|figure| figure.via));
    assert_eq!(chain, vec![id(0), id(1), id(2)]);
}

#[test]
fn an_unknown_figure_makes_everything_above_it_unknown_and_is_named() {
    let graph = graph(3, &[(0, 1, false), (1, 2, false)]);
    let figures = HashMap::from([
        (id(0), own(60, 0)),
        (
            id(1),
            Own {
                minutes: None,
                grade: 3,
            },
        ),
    ]);
    let up = graph.longest_over_needs(&figures);
    assert_eq!(up[&id(0)].minutes, None);
    assert_eq!(up[&id(0)].via, Some(id(1)));
    assert_eq!(up[&id(2)].minutes, Some(0));
}

#[test]
fn a_loss_brings_down_what_needs_it_unless_there_is_redundancy() {
    // 0 needs 1 needs the site 2; 3 needs 2 redundantly; 4 needs 3.
    let graph = graph(
        5,
        &[(0, 1, false), (1, 2, false), (3, 2, true), (4, 3, false)],
    );
    let fallen = graph.fallen(&[id(2)]);
    assert_eq!(
        fallen,
        vec![(id(2), None), (id(1), Some(id(2))), (id(0), Some(id(1)))]
    );
}

#[test]
fn restoration_runs_dependencies_first_then_by_urgency() {
    // 0 (RTO 8h) and 1 (RTO 1h) both need 2; 3 (RTO 4h) stands alone.
    let graph = graph(4, &[(0, 2, false), (1, 2, false)]);
    let all = [id(0), id(1), id(2), id(3)];
    let own = HashMap::from([
        (id(0), Some(60)),
        (id(1), Some(30)),
        (id(2), Some(120)),
        (id(3), None),
    ]);
    let urgency = HashMap::from([(id(0), 480), (id(1), 60), (id(3), 240)]);
    let order = graph.restore_order(&all, &own, &urgency);
    let ids: Vec<Uuid> = order.iter().map(|step| step.id).collect();
    assert_eq!(ids, vec![id(3), id(2), id(1), id(0)]);
    assert_eq!(order[3].start, Some(120));
    assert_eq!(order[3].finish, Some(180));
    assert_eq!(order[3].after, Some(id(2)));
    assert_eq!(order[0].finish, None);
}

fn acyclic() -> impl Strategy<Value = Vec<(u128, u128, bool)>> {
    proptest::collection::vec((0u128..25, 0u128..25, any::<bool>()), 0..70).prop_map(|edges| {
        edges
            .into_iter()
            .filter(|(a, b, _)| a != b)
            .map(|(a, b, redundant)| (a.max(b), a.min(b), redundant))
            .collect()
    })
}

/// Of duplicate edges the stored flag is whichever a random order gives; keep one per pair.
fn deduplicated(edges: Vec<(u128, u128, bool)>) -> Vec<(u128, u128, bool)> {
    let mut seen = HashSet::new();
    edges
        .into_iter()
        .filter(|(a, b, _)| seen.insert((*a, *b)))
        .collect()
}

proptest! {
    #[test]
    fn one_walk_for_many_sources_finds_what_a_walk_per_source_finds(
        edges in proptest::collection::vec((0u128..25, 0u128..25, any::<bool>()), 0..70),
        sources in proptest::collection::vec(0u128..25, 0..70),
    ) {
        // Cycles allowed: the walk per source is the fallback there.
        let edges: Vec<_> = deduplicated(edges).into_iter().filter(|(a, b, _)| a != b).collect();
        let graph = graph(25, &edges);
        let mut sources: Vec<Uuid> = sources.into_iter().map(id).collect();
        sources.sort_unstable();
        sources.dedup();
        let rows: HashMap<Uuid, Vec<u64>> = graph.sole_needs_of_many(&sources).into_iter().collect();
        for node in 0..25 {
            let naive: Vec<usize> = sources
                .iter()
                .enumerate()
                .filter(|(_, source)| graph.needs_without_redundancy(**source).contains(&id(node)))
                .map(|(position, _)| position)
                .collect();
            let found: Vec<usize> = rows.get(&id(node)).map_or_else(Vec::new, |row| {
                (0..sources.len()).filter(|p| row[p / 64] & (1 << (p % 64)) != 0).collect()
            });
            prop_assert_eq!(found, naive);
        }
    }

    #[test]
    fn requirements_equal_the_naive_minimum_over_dependents(
        edges in acyclic(),
        seeds in proptest::collection::vec((0u128..25, 1u32..10_000), 0..8),
    ) {
        let edges = deduplicated(edges);
        let graph = graph(25, &edges);
        let seeds: HashMap<Uuid, u32> = seeds.into_iter().map(|(n, m)| (id(n), m)).collect();
        let required = graph.lowest_over_dependents(&seeds);
        for node in 0..25 {
            let above: Vec<Uuid> = graph
                .dependents(id(node))
                .iter()
                .map(|reached| reached.id)
                .chain([id(node)])
                .collect();
            let naive = above.iter().filter_map(|at| seeds.get(at).copied()).min();
            let found = required.get(&id(node)).copied();
            prop_assert_eq!(found.map(|(minutes, _)| minutes), naive);
            if let Some((minutes, by)) = found {
                prop_assert!(above.contains(&by));
                prop_assert_eq!(seeds.get(&by).copied(), Some(minutes));
                if seeds.get(&id(node)) == Some(&minutes) {
                    prop_assert_eq!(by, id(node), "a node's own requirement names itself on a tie");
                }
            }
        }
    }

    #[test]
    fn achievable_time_equals_the_naive_recursion(
        edges in acyclic(),
        minutes in proptest::collection::vec(proptest::option::weighted(0.9, 0u32..600), 25),
    ) {
        let edges = deduplicated(edges);
        let graph = graph(25, &edges);
        let figures: HashMap<Uuid, Own> = minutes
            .iter()
            .enumerate()
            .map(|(n, &minutes)| (id(n as u128), Own { minutes, grade: 0 }))
            .collect();
        let up = graph.longest_over_needs(&figures);
        // Edges go from higher to lower numbers, so computing upwards from 0 is dependency order.
        let mut naive: Vec<Option<u32>> = Vec::new();
        for (node, own) in minutes.iter().enumerate() {
            let mut needs = edges
                .iter()
                .filter(|(from, _, redundant)| *from == node as u128 && !redundant)
                .map(|(_, to, _)| naive[*to as usize]);
            let slowest = needs.try_fold(0, |most: u32, theirs| Some(most.max(theirs?)));
            naive.push(own.and_then(|mine| Some(mine + slowest?)));
        }
        for node in 0..25 {
            prop_assert_eq!(up[&id(node)].minutes, naive[node as usize]);
        }
    }

    #[test]
    fn what_falls_equals_the_naive_fixpoint(edges in acyclic(), lost in proptest::collection::vec(0u128..25, 1..4)) {
        let edges = deduplicated(edges);
        let graph = graph(25, &edges);
        let lost: Vec<Uuid> = lost.into_iter().map(id).collect();
        let fallen: HashSet<Uuid> = graph.fallen(&lost).into_iter().map(|(at, _)| at).collect();
        let mut naive: HashSet<Uuid> = lost.iter().copied().collect();
        loop {
            let more: Vec<Uuid> = edges
                .iter()
                .filter(|(from, to, redundant)| !redundant && naive.contains(&id(*to)) && !naive.contains(&id(*from)))
                .map(|(from, _, _)| id(*from))
                .collect();
            if more.is_empty() {
                break;
            }
            naive.extend(more);
        }
        prop_assert_eq!(fallen, naive);
    }

    #[test]
    fn every_restoration_waits_for_the_needs_it_cannot_do_without(
        edges in acyclic(),
        lost in proptest::collection::vec(0u128..25, 1..4),
    ) {
        let edges = deduplicated(edges);
        let graph = graph(25, &edges);
        let lost: Vec<Uuid> = lost.into_iter().map(id).collect();
        let fallen: Vec<Uuid> = graph.fallen(&lost).into_iter().map(|(at, _)| at).collect();
        let own: HashMap<Uuid, Option<u32>> = fallen.iter().map(|&at| (at, Some(10))).collect();
        let order = graph.restore_order(&fallen, &own, &HashMap::new());
        prop_assert_eq!(order.len(), fallen.len());
        let position: HashMap<Uuid, usize> =
            order.iter().enumerate().map(|(at, step)| (step.id, at)).collect();
        for (from, to, redundant) in &edges {
            if let (Some(&before), Some(&after)) = (position.get(&id(*to)), position.get(&id(*from)))
                && !redundant
            {
                prop_assert!(before < after);
                prop_assert!(order[after].start >= order[before].finish);
            }
        }
        for step in &order {
            prop_assert_eq!(step.finish, step.start.map(|start| start + 10));
        }
    }
}
