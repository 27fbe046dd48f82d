//! Tests of the parent module.

use super::*;

const NODE_W: f64 = Metrics::REGULAR.node_w;
const NODE_H: f64 = Metrics::REGULAR.node_h;
const COL_PITCH: f64 = NODE_W + Metrics::REGULAR.col_gap;

fn node(id: &str, layer: i32) -> MapNode {
    MapNode {
        id: id.to_owned(),
        label: id.to_owned(),
        kind: "service",
        kind_label: "IT service".to_owned(),
        tier: None,
        tier_rank: None,
        href: format!("/services/{id}"),
        layer,
        highlight: false,
    }
}

fn edge(from: &str, to: &str) -> MapEdge {
    MapEdge {
        from: from.to_owned(),
        to: to.to_owned(),
        redundant: false,
    }
}

fn end(edge: &Routed) -> (f64, f64) {
    match edge.segments.last().unwrap() {
        Segment::Curve(_, _, end) | Segment::Line(end) => *end,
    }
}

fn placed_y(layout: &Layout, nodes: &[MapNode], id: &str) -> f64 {
    layout
        .nodes
        .iter()
        .find(|p| nodes[p.node].id == id)
        .map(|p| p.y)
        .unwrap()
}

#[test]
fn spaced_fit_keeps_order_and_gap_closest_to_the_wish() {
    assert_eq!(spaced_fit(&[0.0, 100.0], &[10.0], None), vec![0.0, 100.0]);
    assert_eq!(spaced_fit(&[5.0, 5.0], &[10.0], None), vec![0.0, 10.0]);
    // Bounded: nothing above 0, nothing more than 20 below its stacked place.
    let bounds = Some((0.0, 20.0));
    assert_eq!(
        spaced_fit(&[100.0, 100.0], &[10.0], bounds),
        vec![20.0, 30.0]
    );
    assert_eq!(spaced_fit(&[-50.0, 0.0], &[10.0], bounds), vec![0.0, 10.0]);
    assert_eq!(spaced_fit(&[5.0, 25.0], &[10.0], bounds), vec![5.0, 25.0]);
    let fitted = spaced_fit(&[50.0, 0.0, 0.0], &[10.0, 30.0], None);
    assert!(fitted[1] - fitted[0] >= 10.0 - 1e-9);
    assert!(fitted[2] - fitted[1] >= 30.0 - 1e-9);
}

#[test]
fn crossing_reduction_untangles_a_swapped_pair() {
    // a→y and b→x cross when both columns are sorted by name.
    let nodes = vec![node("a", 0), node("b", 0), node("x", 1), node("y", 1)];
    let edges = vec![edge("a", "y"), edge("b", "x")];
    let layout = layout(&nodes, &edges);
    let (a, b) = (
        placed_y(&layout, &nodes, "a"),
        placed_y(&layout, &nodes, "b"),
    );
    let (x, y) = (
        placed_y(&layout, &nodes, "x"),
        placed_y(&layout, &nodes, "y"),
    );
    assert_eq!(a < b, y < x, "edges a→y and b→x must not cross");
}

#[test]
fn a_chain_runs_level() {
    let nodes = vec![node("p", 0), node("s", 1), node("c", 2), node("other", 2)];
    let edges = vec![edge("p", "s"), edge("s", "c")];
    let layout = layout(&nodes, &edges);
    let p = placed_y(&layout, &nodes, "p");
    assert_eq!(p, placed_y(&layout, &nodes, "s"));
    assert_eq!(p, placed_y(&layout, &nodes, "c"));
}

#[test]
fn backward_and_same_column_edges_are_routed_from_the_proper_sides() {
    let nodes = vec![node("a", 0), node("b", 1), node("c", 1)];
    let edges = vec![edge("b", "a"), edge("b", "c"), edge("a", "b")];
    let layout = layout(&nodes, &edges);
    let route = |route: Route| layout.edges.iter().find(|e| e.route == route).unwrap();
    assert_eq!(layout.edges.len(), 3);
    let back = route(Route::Backward);
    assert_eq!(back.start.0, COL_PITCH, "leaves b's left side");
    assert_eq!(end(back).0, NODE_W, "enters a's right side");
    let loop_ = route(Route::SameColumn);
    assert_eq!(loop_.start.0, COL_PITCH + NODE_W);
    assert_eq!(end(loop_).0, COL_PITCH + NODE_W);
    assert!(
        layout.width > COL_PITCH + NODE_W,
        "the loop's bulge is inside the picture"
    );
}

#[test]
fn a_long_edge_passes_between_the_boxes_of_the_columns_it_crosses() {
    // a needs m and z directly; m (in the middle column) needs z, as do b and c.
    let nodes = vec![
        node("a", 0),
        node("b", 1),
        node("c", 1),
        node("m", 1),
        node("z", 2),
    ];
    let edges = vec![
        edge("a", "m"),
        edge("a", "z"),
        edge("m", "z"),
        edge("b", "z"),
        edge("c", "z"),
    ];
    let layout = layout(&nodes, &edges);
    let long = layout
        .edges
        .iter()
        .find(|e| {
            nodes[layout.nodes[e.from].node].id == "a" && nodes[layout.nodes[e.to].node].id == "z"
        })
        .unwrap();
    let Some(Segment::Line((x, lane))) = long.segments.get(1) else {
        panic!("expected a straight run through the middle column");
    };
    assert_eq!(*x, COL_PITCH + NODE_W);
    for id in ["b", "c", "m"] {
        let top = placed_y(&layout, &nodes, id);
        assert!(
            *lane < top || *lane > top + NODE_H,
            "the edge runs behind {id}"
        );
    }
}

#[test]
fn a_small_map_centres_a_fan_out_on_its_source() {
    let mut nodes = vec![node("a", 0)];
    let mut edges = Vec::new();
    for id in ["b", "c", "d", "e", "f"] {
        nodes.push(node(id, 1));
        edges.push(edge("a", id));
    }
    let layout = layout(&nodes, &edges);
    assert_eq!(layout.metrics, Metrics::REGULAR);
    assert_eq!(
        placed_y(&layout, &nodes, "a"),
        placed_y(&layout, &nodes, "d")
    );
}

#[test]
fn a_tall_map_starts_every_column_at_the_top() {
    // Three nodes needing the last three of forty: centred on them, they would sit some
    // 2,000 px down, below an empty first screen.
    let mut nodes = vec![node("a0", 0), node("a1", 0), node("a2", 0)];
    let mut edges = Vec::new();
    for i in 0..40 {
        nodes.push(node(&format!("b{i:02}"), 1));
    }
    for i in 0..3 {
        edges.push(edge(&format!("a{i}"), &format!("b{:02}", 37 + i)));
    }
    let layout = layout(&nodes, &edges);
    let row = NODE_H + Metrics::REGULAR.row_gap;
    for (column, first) in [(0.0, "a0"), (COL_PITCH, "b00")] {
        let top = layout
            .nodes
            .iter()
            .filter(|p| p.x == column)
            .map(|p| p.y)
            .fold(f64::INFINITY, f64::min);
        assert!(
            top <= DRIFT_ROWS * row,
            "column at {column} starts at {top}"
        );
        assert!(placed_y(&layout, &nodes, first) <= DRIFT_ROWS * row);
    }
    // Still in order and spaced.
    let a: Vec<f64> = ["a0", "a1", "a2"]
        .iter()
        .map(|id| placed_y(&layout, &nodes, id))
        .collect();
    assert!(a[1] - a[0] >= row && a[2] - a[1] >= row, "{a:?}");
}

#[test]
fn big_maps_are_compact() {
    let many = |count: usize| -> Vec<MapNode> {
        (0..count)
            .map(|i| node(&format!("n{i:03}"), (i % 4) as i32))
            .collect()
    };
    let nodes = many(COMPACT_ABOVE);
    assert_eq!(layout(&nodes, &[]).metrics, Metrics::REGULAR);
    let nodes = many(COMPACT_ABOVE + 1);
    let layout = layout(&nodes, &[]);
    let m = Metrics::COMPACT;
    assert_eq!(layout.metrics, m);
    assert_eq!(
        placed_y(&layout, &nodes, "n004") - placed_y(&layout, &nodes, "n000"),
        m.node_h + m.row_gap
    );
    assert_eq!(
        layout.width,
        3.0 * (m.node_w + m.col_gap) + m.node_w,
        "four columns of compact boxes"
    );
}

#[test]
fn unknown_ends_self_loops_and_repeats_are_dropped() {
    let nodes = vec![node("a", 0), node("b", 1), node("a", 3)];
    let edges = vec![
        edge("a", "b"),
        edge("a", "b"),
        edge("a", "a"),
        edge("a", "zzz"),
    ];
    let layout = layout(&nodes, &edges);
    assert_eq!(
        layout.nodes.len(),
        2,
        "the second node with id a is ignored"
    );
    assert_eq!(layout.edges.len(), 1);
}
