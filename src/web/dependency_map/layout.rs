//! Geometry for the dependency map, the classic layered (Sugiyama) way: one column per layer;
//! an edge that spans several columns gets a waypoint in each column it crosses, so it has its
//! own slot there instead of running behind boxes; nodes and waypoints are ordered within their
//! column to reduce crossings (barycentre sweeps), pulled level with what they connect to, and
//! edges drawn as horizontal-tangent cubic Bézier curves between spread-out ports.
//!
//! Written by hand rather than with a graph-drawing crate: the layered picture needs only these
//! few well-known steps, and none of the crates we use draws.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::{MapEdge, MapNode};

/// Down-and-up sweeps of the barycentre heuristic; the best ordering seen is kept.
const ORDER_ROUNDS: usize = 4;
/// Sweeps that pull nodes level with their neighbours (order within a column is kept).
const ALIGN_ROUNDS: usize = 3;
/// Maps with more nodes than this are drawn compact: about 19 boxes to 800 px instead of 14.
const COMPACT_ABOVE: usize = 80;
/// Once the tallest column, stacked, is taller than this (about what the scroll frame shows
/// under the legend), columns start at the top instead of centring on each other, so the first
/// screen of a big map is not empty.
const TOP_ALIGN_ABOVE: f64 = 540.0;
/// When columns start at the top, how many rows a box may drift below its stacked place to sit
/// level with its neighbours.
const DRIFT_ROWS: f64 = 2.0;

/// Sizes and spacing of the boxes and lanes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Metrics {
    pub node_w: f64,
    pub node_h: f64,
    /// Horizontal room between columns: enough for S-curves and for loops within a column.
    pub col_gap: f64,
    /// Vertical space between two boxes, and around an edge passing through a column.
    pub row_gap: f64,
    pub lane_gap: f64,
    /// Several edges on one side of a node attach at points this far apart (at most).
    pub port_spacing: f64,
    /// Smaller boxes and text, for big maps.
    pub compact: bool,
}

impl Metrics {
    pub const REGULAR: Metrics = Metrics {
        node_w: 190.0,
        node_h: 44.0,
        col_gap: 130.0,
        row_gap: 14.0,
        lane_gap: 9.0,
        port_spacing: 6.0,
        compact: false,
    };
    pub const COMPACT: Metrics = Metrics {
        node_w: 150.0,
        node_h: 34.0,
        col_gap: 110.0,
        row_gap: 8.0,
        lane_gap: 6.0,
        port_spacing: 4.5,
        compact: true,
    };

    fn for_nodes(count: usize) -> Self {
        if count > COMPACT_ABOVE {
            Self::COMPACT
        } else {
            Self::REGULAR
        }
    }

    fn col_pitch(&self) -> f64 {
        self.node_w + self.col_gap
    }
}

/// A node's box, top-left corner, in the map's coordinates (origin at the graph area's corner).
pub(super) struct Placed {
    /// Index into the caller's node slice.
    pub node: usize,
    pub x: f64,
    pub y: f64,
}

/// How an edge runs relative to the columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Route {
    /// To a column further right: leaves the right side, enters the left side.
    Forward,
    /// To a column further left (a whole-estate map can have these): leaves the left side,
    /// enters the right side.
    Backward,
    /// Within one column: a loop out to the right, right side to right side.
    SameColumn,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Segment {
    /// Cubic Bézier: two control points and the end.
    Curve((f64, f64), (f64, f64), (f64, f64)),
    /// Straight on to this point (through a column, between boxes).
    Line((f64, f64)),
}

pub(super) struct Routed {
    /// Indices into `Layout::nodes`.
    pub from: usize,
    pub to: usize,
    pub redundant: bool,
    pub route: Route,
    pub start: (f64, f64),
    pub segments: Vec<Segment>,
}

pub(super) struct Layout {
    pub metrics: Metrics,
    pub nodes: Vec<Placed>,
    pub edges: Vec<Routed>,
    pub width: f64,
    pub height: f64,
}

/// The graph as laid out. Indices `0..real` are the caller's nodes (first of duplicate ids),
/// numbered by name so that the picture does not depend on the order the caller's query
/// happened to return; the rest are waypoints of long edges. A lower index also breaks ties.
struct Graph {
    metrics: Metrics,
    input_index: Vec<usize>,
    real: usize,
    /// Column of every node and waypoint.
    col: Vec<usize>,
    columns: usize,
    /// Edges between real nodes, without self-loops or repeats, sorted.
    edges: Vec<(usize, usize, bool)>,
    /// Each edge's waypoints, from its left end to its right end.
    chains: Vec<Vec<usize>>,
    /// Neighbours in the columns either side: the edges cut into one-column steps.
    adj: Vec<Vec<usize>>,
}

impl Graph {
    fn new(nodes: &[MapNode], edges: &[MapEdge]) -> Self {
        let mut seen_ids = HashSet::with_capacity(nodes.len());
        let mut input_index: Vec<usize> = (0..nodes.len())
            .filter(|&i| seen_ids.insert(nodes[i].id.as_str()))
            .collect();
        input_index.sort_by(|&a, &b| {
            let (a, b) = (&nodes[a], &nodes[b]);
            a.label.cmp(&b.label).then_with(|| a.id.cmp(&b.id))
        });
        let kept: Vec<&MapNode> = input_index.iter().map(|&i| &nodes[i]).collect();
        let index: HashMap<&str, usize> = kept
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();

        let mut layers: Vec<i32> = kept.iter().map(|n| n.layer).collect();
        layers.sort_unstable();
        layers.dedup();
        let mut col: Vec<usize> = kept
            .iter()
            .map(|n| layers.binary_search(&n.layer).unwrap_or_default())
            .collect();

        // A repeated edge is redundant only if every copy says so: a solid line is the
        // cautious reading.
        let mut redundant: HashMap<(usize, usize), bool> = HashMap::with_capacity(edges.len());
        for edge in edges {
            let (Some(&from), Some(&to)) =
                (index.get(edge.from.as_str()), index.get(edge.to.as_str()))
            else {
                continue;
            };
            if from != to {
                *redundant.entry((from, to)).or_insert(true) &= edge.redundant;
            }
        }
        let mut graph_edges: Vec<(usize, usize, bool)> =
            redundant.into_iter().map(|((a, b), r)| (a, b, r)).collect();
        graph_edges.sort_unstable();

        let real = kept.len();
        let mut adj = vec![Vec::new(); real];
        let mut chains = Vec::with_capacity(graph_edges.len());
        for &(from, to, _) in &graph_edges {
            let (left, right) = if col[from] <= col[to] {
                (from, to)
            } else {
                (to, from)
            };
            let mut chain = Vec::new();
            if col[left] != col[right] {
                let mut previous = left;
                for c in col[left] + 1..col[right] {
                    let waypoint = col.len();
                    col.push(c);
                    adj.push(vec![previous]);
                    adj[previous].push(waypoint);
                    chain.push(waypoint);
                    previous = waypoint;
                }
                adj[previous].push(right);
                adj[right].push(previous);
            }
            chains.push(chain);
        }
        Graph {
            metrics: Metrics::for_nodes(real),
            input_index,
            real,
            col,
            columns: layers.len(),
            edges: graph_edges,
            chains,
            adj,
        }
    }

    fn len(&self) -> usize {
        self.col.len()
    }

    fn is_real(&self, n: usize) -> bool {
        n < self.real
    }

    /// Least distance between the centres of two neighbours in a column.
    fn separation(&self, a: usize, b: usize) -> f64 {
        let gap = if self.is_real(a) && self.is_real(b) {
            self.metrics.row_gap
        } else {
            self.metrics.lane_gap
        };
        self.half_height(a) + self.half_height(b) + gap
    }

    /// Half the height of a box; a waypoint has none.
    fn half_height(&self, n: usize) -> f64 {
        if self.is_real(n) {
            self.metrics.node_h / 2.0
        } else {
            0.0
        }
    }
}

pub(super) fn layout(nodes: &[MapNode], edges: &[MapEdge]) -> Layout {
    let graph = Graph::new(nodes, edges);
    let m = graph.metrics;
    let columns = order_columns(&graph);
    let centre_y = align(&graph, &columns);

    let top = (0..graph.len())
        .map(|n| centre_y[n] - graph.half_height(n))
        .fold(f64::INFINITY, f64::min);
    let top = if top.is_finite() { top } else { 0.0 };
    let y: Vec<f64> = centre_y.iter().map(|y| (y - top).round()).collect();
    let placed: Vec<Placed> = (0..graph.real)
        .map(|n| Placed {
            node: graph.input_index[n],
            x: graph.col[n] as f64 * m.col_pitch(),
            y: y[n] - m.node_h / 2.0,
        })
        .collect();
    let mut edges = route_edges(&graph, &placed, &y);
    // Reading order: by where an edge starts, then where it ends.
    let at = |n: usize| (placed[n].x, placed[n].y);
    edges.sort_by(|a, b| {
        let key = |e: &Routed| (at(e.from), at(e.to));
        let ((af, at_), (bf, bt)) = (key(a), key(b));
        af.0.total_cmp(&bf.0)
            .then(af.1.total_cmp(&bf.1))
            .then(at_.0.total_cmp(&bt.0))
            .then(at_.1.total_cmp(&bt.1))
    });

    let mut width = graph.columns.saturating_sub(1) as f64 * m.col_pitch() + m.node_w;
    let mut height = 0.0_f64;
    for p in &placed {
        height = height.max(p.y + m.node_h);
    }
    for edge in &edges {
        // A cubic curve stays inside the hull of its control points.
        for segment in &edge.segments {
            let points: &[(f64, f64)] = match segment {
                Segment::Curve(c1, c2, end) => &[*c1, *c2, *end],
                Segment::Line(end) => &[*end],
            };
            for &(x, y) in points {
                width = width.max(x);
                height = height.max(y);
            }
        }
    }
    Layout {
        metrics: m,
        nodes: placed,
        edges,
        width: width.ceil(),
        height: height.ceil(),
    }
}

fn order_columns(graph: &Graph) -> Vec<Vec<usize>> {
    let mut columns = vec![Vec::new(); graph.columns];
    // Indices are in name order (waypoints after nodes), so this starts sorted by name.
    for n in 0..graph.len() {
        columns[graph.col[n]].push(n);
    }

    let mut best = columns.clone();
    let mut best_crossings = crossings(graph, &columns);
    let mut scratch = Scratch::new(graph.len());
    for _ in 0..ORDER_ROUNDS {
        if best_crossings == 0 {
            break;
        }
        sweep(graph, &mut columns, &mut scratch, true);
        sweep(graph, &mut columns, &mut scratch, false);
        let count = crossings(graph, &columns);
        if count < best_crossings {
            best_crossings = count;
            best.clone_from(&columns);
        }
    }
    best
}

struct Scratch {
    key: Vec<f64>,
    bary: Vec<f64>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            key: vec![0.0; n],
            bary: vec![0.0; n],
        }
    }
}

/// One barycentre sweep: each column in turn (left to right when `down`, else right to left)
/// is sorted by the mean position of its neighbours in the column just swept. Positions are
/// ranks centred on each column's middle, so columns of different heights compare fairly.
fn sweep(graph: &Graph, columns: &mut [Vec<usize>], scratch: &mut Scratch, down: bool) {
    for column in columns.iter() {
        set_centred_ranks(column, &mut scratch.key);
    }
    for c in sweep_order(columns.len(), down) {
        for &n in &columns[c] {
            scratch.bary[n] = mean_of_fixed(graph, n, c, down, &scratch.key);
        }
        let bary = &scratch.bary;
        columns[c].sort_by(|&a, &b| bary[a].total_cmp(&bary[b]).then(a.cmp(&b)));
        set_centred_ranks(&columns[c], &mut scratch.key);
    }
}

fn sweep_order(columns: usize, down: bool) -> Vec<usize> {
    if down {
        (1..columns).collect()
    } else {
        (0..columns.saturating_sub(1)).rev().collect()
    }
}

/// The mean of `values` over `n`'s neighbours in the column before `c` (`down`) or after it;
/// the node's own value when it has none there.
fn mean_of_fixed(graph: &Graph, n: usize, c: usize, down: bool, values: &[f64]) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for &m in &graph.adj[n] {
        if (down && graph.col[m] < c) || (!down && graph.col[m] > c) {
            sum += values[m];
            count += 1;
        }
    }
    if count == 0 {
        values[n]
    } else {
        sum / count as f64
    }
}

fn set_centred_ranks(column: &[usize], key: &mut [f64]) {
    let middle = (column.len() as f64 - 1.0) / 2.0;
    for (rank, &n) in column.iter().enumerate() {
        key[n] = rank as f64 - middle;
    }
}

/// Crossings between neighbouring columns, counted as inversions with a Fenwick tree:
/// O(E log V) per ordering.
fn crossings(graph: &Graph, columns: &[Vec<usize>]) -> u64 {
    let mut rank = vec![0usize; graph.len()];
    for column in columns {
        for (r, &n) in column.iter().enumerate() {
            rank[n] = r;
        }
    }
    let mut total = 0u64;
    let mut pairs = Vec::new();
    for c in 0..columns.len().saturating_sub(1) {
        pairs.clear();
        for &left in &columns[c] {
            for &right in &graph.adj[left] {
                if graph.col[right] == c + 1 {
                    pairs.push((rank[left], rank[right]));
                }
            }
        }
        pairs.sort_unstable();
        let size = columns[c + 1].len();
        let mut tree = vec![0u64; size + 1];
        for (seen, &(_, r)) in pairs.iter().enumerate() {
            // Earlier edges (further up on the left) that end further down on the right.
            let mut at_most = 0u64;
            let mut i = r + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            total += seen as u64 - at_most;
            let mut i = r + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Vertical centres: each column starts stacked, then sweeps pull every node towards the mean
/// height of its neighbours on the swept side, keeping the column's order and spacing (least
/// squares under "at least this far apart", solved exactly by pool-adjacent-violators). Chains
/// then run level and fan-outs centre on their source.
///
/// A small map's columns are stacked around a common middle and move freely. A tall map's
/// columns all start at the top and a box may sink at most a couple of rows below its stacked
/// place: otherwise a short column (the dozen processes next to a hundred components) would
/// centre on the tall one, leaving the first screen empty.
fn align(graph: &Graph, columns: &[Vec<usize>]) -> Vec<f64> {
    let m = graph.metrics;
    let mut y = vec![0.0; graph.len()];
    let mut desired = Vec::new();
    let mut gaps = Vec::new();
    let mut tallest = 0.0_f64;
    for column in columns {
        column_gaps(graph, column, &mut gaps);
        if let (Some(&first), Some(&last)) = (column.first(), column.last()) {
            let height =
                graph.half_height(first) + gaps.iter().sum::<f64>() + graph.half_height(last);
            tallest = tallest.max(height);
        }
    }
    let drift = (tallest > TOP_ALIGN_ABOVE).then_some(DRIFT_ROWS * (m.node_h + m.row_gap));
    // Bounds for `spaced_fit`: nothing above the top, and the column's first box (there may
    // be edges passing above it) at most `drift` below it, unless those edges need the room.
    let bounds = |column: &[usize]| {
        drift.and_then(|drift| {
            let lowest = graph.half_height(*column.first()?);
            let first_box = column.iter().position(|&n| graph.is_real(n))?;
            let above: f64 = column[..=first_box]
                .windows(2)
                .map(|w| graph.separation(w[0], w[1]))
                .sum();
            Some((lowest, (m.node_h / 2.0 + drift - above).max(lowest)))
        })
    };
    for column in columns {
        desired.clear();
        desired.resize(column.len(), 0.0);
        column_gaps(graph, column, &mut gaps);
        let fitted = spaced_fit(&desired, &gaps, bounds(column));
        for (&n, value) in column.iter().zip(fitted) {
            y[n] = value;
        }
    }
    for _ in 0..ALIGN_ROUNDS {
        for down in [true, false] {
            for c in sweep_order(columns.len(), down) {
                desired.clear();
                desired.extend(
                    columns[c]
                        .iter()
                        .map(|&n| mean_of_fixed(graph, n, c, down, &y)),
                );
                column_gaps(graph, &columns[c], &mut gaps);
                let fitted = spaced_fit(&desired, &gaps, bounds(&columns[c]));
                for (&n, value) in columns[c].iter().zip(fitted) {
                    y[n] = value;
                }
            }
        }
    }
    y
}

fn column_gaps(graph: &Graph, column: &[usize], gaps: &mut Vec<f64>) {
    gaps.clear();
    gaps.extend(column.windows(2).map(|w| graph.separation(w[0], w[1])));
}

/// The positions closest (least squares) to `desired` that keep their order with at least
/// `gaps[i]` between items i and i + 1, and, with `bounds` (lo, hi), each item between lo and hi
/// plus the gaps before it. With z_i = y_i − (gaps before i) the constraint becomes "z
/// non-decreasing" (and lo ≤ z_i ≤ hi): isotonic regression, which pool-adjacent-violators
/// solves in linear time; with bounds, the unbounded solution clamped is the optimum.
fn spaced_fit(desired: &[f64], gaps: &[f64], bounds: Option<(f64, f64)>) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(desired.len());
    let mut offset = 0.0;
    for i in 0..desired.len() {
        offsets.push(offset);
        offset += gaps.get(i).copied().unwrap_or_default();
    }
    // Blocks of (sum, count) whose means increase.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(desired.len());
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() >= 2 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(desired.len());
    for (sum, count) in blocks {
        let mean = sum / count as f64;
        let mean = bounds.map_or(mean, |(lo, hi)| mean.max(lo).min(hi));
        for _ in 0..count {
            out.push(mean + offsets[out.len()]);
        }
    }
    out
}

/// One end of an edge on one side of a node, with what decides its place among the others:
/// where the edge goes next.
struct End {
    next_y: f64,
    next_col: usize,
    is_target: bool,
    edge: usize,
}

fn route_edges(graph: &Graph, placed: &[Placed], y: &[f64]) -> Vec<Routed> {
    let m = graph.metrics;
    let routes: Vec<Route> = graph
        .edges
        .iter()
        .map(|&(a, b, _)| match graph.col[a].cmp(&graph.col[b]) {
            Ordering::Less => Route::Forward,
            Ordering::Greater => Route::Backward,
            Ordering::Equal => Route::SameColumn,
        })
        .collect();

    // Sides: index 2n is node n's left side, 2n + 1 its right side.
    let mut sides: Vec<Vec<End>> = (0..graph.real * 2).map(|_| Vec::new()).collect();
    for (e, (&(a, b, _), &route)) in graph.edges.iter().zip(&routes).enumerate() {
        let chain = &graph.chains[e];
        // The first step away from each end: a waypoint, or the other end.
        let (after_a, before_b) = match route {
            Route::Forward => (chain.first(), chain.last()),
            Route::Backward => (chain.last(), chain.first()),
            Route::SameColumn => (None, None),
        };
        let (from_side, to_side) = match route {
            Route::Forward => (1, 0),
            Route::Backward => (0, 1),
            Route::SameColumn => (1, 1),
        };
        let next_a = after_a.copied().unwrap_or(b);
        let next_b = before_b.copied().unwrap_or(a);
        sides[2 * a + from_side].push(End {
            next_y: y[next_a],
            next_col: graph.col[next_a],
            is_target: false,
            edge: e,
        });
        sides[2 * b + to_side].push(End {
            next_y: y[next_b],
            next_col: graph.col[next_b],
            is_target: true,
            edge: e,
        });
    }

    // Spread the ends on each side, top to bottom in the order of where they lead, so edges
    // leave a node without crossing each other.
    let mut ports = vec![(0.0, 0.0); graph.edges.len()];
    for (side_index, ends) in sides.iter_mut().enumerate() {
        ends.sort_by(|a, b| {
            a.next_y
                .total_cmp(&b.next_y)
                .then(a.next_col.cmp(&b.next_col))
                .then(a.is_target.cmp(&b.is_target))
        });
        let n = side_index / 2;
        let span = (m.port_spacing * ends.len().saturating_sub(1) as f64).min(m.node_h - 12.0);
        let step = if ends.len() > 1 {
            span / (ends.len() - 1) as f64
        } else {
            0.0
        };
        for (i, end) in ends.iter().enumerate() {
            let port = y[n] - span / 2.0 + i as f64 * step;
            if end.is_target {
                ports[end.edge].1 = port;
            } else {
                ports[end.edge].0 = port;
            }
        }
    }

    let column_x = |c: usize| c as f64 * m.col_pitch();
    graph
        .edges
        .iter()
        .zip(&routes)
        .zip(&ports)
        .enumerate()
        .map(|(e, ((&(a, b, redundant), &route), &(y0, y1)))| {
            let (pa, pb) = (&placed[a], &placed[b]);
            let (start, segments) = match route {
                Route::Forward | Route::Backward => {
                    let forward = route == Route::Forward;
                    let start = (if forward { pa.x + m.node_w } else { pa.x }, y0);
                    let end = (if forward { pb.x } else { pb.x + m.node_w }, y1);
                    // Through each waypoint's column on a straight line, entering on the
                    // side facing `from`.
                    let mut points = Vec::with_capacity(graph.chains[e].len() * 2 + 2);
                    points.push(start);
                    let mut through = |w: usize| {
                        let x = column_x(graph.col[w]);
                        let (near, far) = if forward {
                            (x, x + m.node_w)
                        } else {
                            (x + m.node_w, x)
                        };
                        points.push((near, y[w]));
                        points.push((far, y[w]));
                    };
                    if forward {
                        graph.chains[e].iter().copied().for_each(&mut through);
                    } else {
                        graph.chains[e].iter().rev().copied().for_each(&mut through);
                    }
                    points.push(end);
                    let segments = points
                        .windows(2)
                        .enumerate()
                        .map(|(i, pair)| {
                            let (p, q) = (pair[0], pair[1]);
                            if i % 2 == 0 {
                                let mid = (p.0 + q.0) / 2.0;
                                Segment::Curve((mid, p.1), (mid, q.1), q)
                            } else {
                                Segment::Line(q)
                            }
                        })
                        .collect();
                    (start, segments)
                }
                Route::SameColumn => {
                    // Bulge out into the gap, further for nodes further apart, but never
                    // into the next column.
                    let x = pa.x + m.node_w;
                    let k = (28.0 + (y1 - y0).abs() * 0.2).min(m.col_gap * 0.8);
                    (
                        (x, y0),
                        vec![Segment::Curve((x + k, y0), (x + k, y1), (x, y1))],
                    )
                }
            };
            Routed {
                from: a,
                to: b,
                redundant,
                route,
                start,
                segments,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
