//! Tests of the parent module.

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

#[test]
fn walking_only_through_components_stops_at_the_first_services() {
    // What depends on the data centre through components only: the server, the database, and
    // the services using them directly (HR and the directory) — not the payroll process, which
    // reaches it only through HR.
    let through_components = |kind: NodeKind| kind == NodeKind::Component;
    assert_eq!(
        estate().dependents_through(id(DATA_CENTRE), through_components),
        reached(&[(DIRECTORY, 1), (SERVER, 1), (DATABASE, 2), (HR_SERVICE, 3)])
    );
    // What HR needs through components only: the directory (a service, not walked on), the
    // database, the server and the data centre behind them.
    assert_eq!(
        estate().needs_through(id(HR_SERVICE), through_components),
        reached(&[(DIRECTORY, 1), (DATABASE, 1), (SERVER, 2), (DATA_CENTRE, 3)])
    );
}

proptest! {
    #[test]
    fn walking_through_everything_reaches_what_the_full_walk_reaches(length in 1u128..40) {
        let chain = chain(length);
        prop_assert_eq!(chain.dependents_through(id(length - 1), |_| true), chain.dependents(id(length - 1)));
        prop_assert_eq!(chain.needs_through(id(0), |_| true), chain.needs(id(0)));
    }
}
