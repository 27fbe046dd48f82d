//! Tests of the parent module.

use super::*;

fn node(id: &str, label: &str, kind: &'static str, layer: i32, rank: Option<u8>) -> MapNode {
    MapNode {
        id: id.to_owned(),
        label: label.to_owned(),
        kind,
        kind_label: kind_style(kind).2.to_owned(),
        tier: rank.map(|r| {
            [
                "Mission critical",
                "Business critical",
                "Essential",
                "Non-essential",
            ][usize::from(r) - 1]
                .to_owned()
        }),
        tier_rank: rank,
        href: format!("/{kind}s/{id}"),
        layer,
        highlight: false,
    }
}

fn edge(from: &str, to: &str, redundant: bool) -> MapEdge {
    MapEdge {
        from: from.to_owned(),
        to: to.to_owned(),
        redundant,
    }
}

/// x of each node's box, read back from the markup.
fn node_x(svg: &str, id: &str) -> f64 {
    let start = svg.find(&format!(r#"id="depmap-n-{id}""#)).unwrap();
    let nested = svg[start..].find("<svg x=\"").unwrap() + start + 8;
    let end = svg[nested..].find('"').unwrap() + nested;
    svg[nested..end].parse().unwrap()
}

/// A sample estate: processes → services → services → components → sites.
pub(super) fn sample(size: usize) -> (Vec<MapNode>, Vec<MapEdge>) {
    let kinds: [(&'static str, &str); 5] = [
        ("process", "Process"),
        ("service", "Service"),
        ("service", "Platform"),
        ("component", "Server"),
        ("site", "Site"),
    ];
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    // Deterministic pseudo-random numbers (a linear congruential generator).
    let mut seed = 42u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let per_layer = [size / 6, size / 4, size / 6, size * 3 / 10, 0];
    let sites = size - per_layer.iter().sum::<usize>();
    for (layer, &(kind, name)) in kinds.iter().enumerate() {
        let count = if layer == 4 { sites } else { per_layer[layer] }.max(1);
        for i in 0..count {
            let rank = match next(5) {
                0 => None,
                r => Some(r as u8),
            };
            nodes.push(node(
                &format!("{layer}-{i}"),
                &format!("{name} {i}"),
                kind,
                layer as i32,
                rank,
            ));
        }
    }
    let ids: Vec<(i32, String)> = nodes.iter().map(|n| (n.layer, n.id.clone())).collect();
    for (layer, id) in &ids {
        let targets: Vec<&String> = ids
            .iter()
            .filter(|(l, _)| l == &(layer + 1))
            .map(|(_, id)| id)
            .collect();
        if targets.is_empty() {
            continue;
        }
        for _ in 0..3 {
            edges.push(edge(id, targets[next(targets.len())], next(4) == 0));
        }
    }
    (nodes, edges)
}

/// A whole estate shaped like a real one: a few processes on the left, services over three
/// columns, many components over three more (each also on a site), a handful of sites.
fn estate(size: usize) -> (Vec<MapNode>, Vec<MapEdge>) {
    let processes = (size * 14 / 210).max(1);
    let services = (size * 41 / 210).max(3);
    let sites = (size / 42).max(1);
    let components = size.saturating_sub(processes + services + sites).max(3);
    let columns: [(&'static str, &str, usize); 8] = [
        ("process", "Process", processes),
        ("service", "Service", services / 2),
        ("service", "Service", services / 3),
        ("service", "Service", services - services / 2 - services / 3),
        ("component", "Server", components / 2),
        ("component", "Database", components / 3),
        (
            "component",
            "Storage",
            components - components / 2 - components / 3,
        ),
        ("site", "Site", sites),
    ];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut nodes = Vec::new();
    let mut by_layer: Vec<Vec<String>> = Vec::new();
    let mut numbers: Vec<(&str, usize)> = Vec::new();
    for (layer, &(kind, name, count)) in columns.iter().enumerate() {
        let mut ids = Vec::new();
        for _ in 0..count {
            let number = match numbers.iter_mut().find(|(n, _)| *n == name) {
                Some((_, number)) => {
                    *number += 1;
                    *number
                }
                None => {
                    numbers.push((name, 0));
                    0
                }
            };
            let id = format!("{layer}-{number}");
            let rank = match next(5) {
                0 => None,
                r => Some(r as u8),
            };
            nodes.push(node(
                &id,
                &format!("{name} {number}"),
                kind,
                layer as i32,
                rank,
            ));
            ids.push(id);
        }
        by_layer.push(ids);
    }
    let last = by_layer.len() - 1;
    let mut edges = Vec::new();
    for layer in 0..last {
        for id in by_layer[layer].clone() {
            let mut needs = |to_layer: usize, next: &mut dyn FnMut(usize) -> usize| {
                let targets = &by_layer[to_layer];
                let to = &targets[next(targets.len())];
                edges.push(edge(&id, to, next(4) == 0));
            };
            // One step right (which puts the node in this column), then some further.
            needs(layer + 1, &mut next);
            let extra = match layer {
                0 => 1 + next(3),
                1..=3 => 1 + next(2),
                _ => next(2),
            };
            for _ in 0..extra {
                let to_layer = layer + 1 + next(6 - layer.min(5));
                needs(to_layer.min(last - 1).max(layer + 1), &mut next);
            }
            if (4..last - 1).contains(&layer) {
                needs(last, &mut next);
            }
        }
    }
    (nodes, edges)
}

#[test]
fn labels_are_escaped() {
    let nodes = vec![node(
        "x",
        "<script>alert('x')</script> & \"co\"",
        "service",
        0,
        Some(1),
    )];
    let svg = render(&nodes, &[]);
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
}

#[test]
fn hrefs_and_ids_are_escaped() {
    let mut n = node("a\"b c", "A", "service", 0, None);
    n.href = "/services?x=1&y=\"2\"".to_owned();
    let svg = render(&[n], &[]);
    assert!(svg.contains(r#"href="/services?x=1&amp;y=&quot;2&quot;""#));
    assert!(svg.contains(r#"id="depmap-n-a_22b_20c""#));
}

#[test]
fn every_node_is_a_link_to_its_page() {
    let (nodes, edges) = sample(40);
    let svg = render(&nodes, &edges);
    for n in &nodes {
        let link = format!(r#"<a href="{}" id="depmap-n-{}""#, n.href, IdPart(&n.id));
        assert_eq!(svg.matches(&link).count(), 1, "{link}");
    }
    assert_eq!(svg.matches("<a ").count(), nodes.len());
}

#[test]
fn long_labels_are_shortened_with_the_full_name_in_the_tooltip() {
    let long = "Customer relationship management platform";
    let svg = render(&[node("x", long, "service", 0, Some(2))], &[]);
    assert!(svg.contains(&format!("<title>{long}\n")));
    assert!(svg.contains(">Customer relationship m…</text>"));
}

#[test]
fn columns_run_left_to_right_by_layer() {
    let nodes = vec![
        node("c", "C", "component", 7, None),
        node("p", "P", "process", -3, None),
        node("s", "S", "service", 2, None),
        node("s2", "S2", "service", 2, None),
    ];
    let edges = vec![
        edge("p", "s", false),
        edge("s", "c", false),
        edge("s2", "c", true),
    ];
    let svg = render(&nodes, &edges);
    let (p, s, s2, c) = (
        node_x(&svg, "p"),
        node_x(&svg, "s"),
        node_x(&svg, "s2"),
        node_x(&svg, "c"),
    );
    assert!(p < s && s < c, "{p} {s} {c}");
    assert_eq!(s, s2);
}

#[test]
fn redundant_edges_are_dashed_and_the_centre_stands_out() {
    let mut centre = node("s", "S", "service", 1, Some(1));
    centre.highlight = true;
    let nodes = vec![
        node("p", "P", "process", 0, None),
        centre,
        node("c", "C", "component", 2, None),
    ];
    let svg = render(&nodes, &[edge("p", "s", false), edge("s", "c", true)]);
    assert_eq!(svg.matches(r#"class="edge edge-redundant"#).count(), 1);
    assert!(svg.contains(r#"class="halo""#));
    assert!(
        svg.contains("<title id=\"depmap-title\">Dependencies around S: 3 items, 2 dependencies.")
    );
}

#[test]
fn the_same_input_gives_the_same_picture_whatever_its_order() {
    let (mut nodes, mut edges) = sample(60);
    let first = render(&nodes, &edges);
    assert_eq!(first, render(&nodes, &edges));
    nodes.reverse();
    edges.reverse();
    assert_eq!(first, render(&nodes, &edges));
}

#[test]
fn no_inline_styles() {
    let (nodes, edges) = sample(40);
    let svg = render(&nodes, &edges);
    assert!(!svg.contains("style"));
    assert!(!svg.contains("<script"));
}

#[test]
fn an_empty_map_says_so() {
    let svg = render(&[], &[]);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains("class=\"depmap depmap-empty\""));
    assert!(svg.contains("Nothing to show"));
}

#[test]
fn a_whole_estate_map_fills_its_first_screen() {
    let (nodes, edges) = estate(210);
    let svg = render(&nodes, &edges);
    // Every box: its nested viewport, x and y.
    let boxes: Vec<(f64, f64)> = svg
        .split(r#"<svg x=""#)
        .skip(1)
        .map(|rest| {
            let mut numbers = rest.split('"').step_by(2).map(|n| n.parse().unwrap());
            (numbers.next().unwrap(), numbers.next().unwrap())
        })
        .collect();
    assert_eq!(boxes.len(), nodes.len());
    assert!(
        svg.contains(r#"width="150" height="34" overflow="hidden""#),
        "compact"
    );
    let top = boxes.iter().map(|b| b.1).fold(f64::INFINITY, f64::min);
    let mut columns: Vec<f64> = boxes.iter().map(|b| b.0).collect();
    columns.sort_by(f64::total_cmp);
    columns.dedup();
    assert_eq!(columns.len(), 8);
    for x in columns {
        let first = boxes
            .iter()
            .filter(|b| b.0 == x)
            .map(|b| b.1)
            .fold(f64::INFINITY, f64::min);
        assert!(
            first - top < 100.0,
            "the column at x = {x} starts at {first}"
        );
    }
    // The processes' column, on the left: all 14 boxes within 800 px of the top.
    let left: Vec<f64> = boxes.iter().filter(|b| b.0 == 24.0).map(|b| b.1).collect();
    assert_eq!(left.len(), 14);
    assert!(left.iter().all(|&y| y - top < 800.0), "{left:?}");
}

#[test]
fn a_big_estate_still_renders_quickly() {
    let (nodes, edges) = sample(5000);
    let started = std::time::Instant::now();
    let svg = render(&nodes, &edges);
    assert_eq!(svg.matches("<a ").count(), nodes.len());
    // Generous even for an unoptimised build on a busy machine.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn numbers_are_short() {
    assert_eq!(Num(12.0).to_string(), "12");
    assert_eq!(Num(12.25).to_string(), "12.3");
    assert_eq!(Num(-0.01).to_string(), "0");
}

/// Writes a sample to /tmp/depmap.svg and /tmp/depmap.html for a look in a browser (a
/// neighbourhood map, or above 80 nodes a whole estate; `DEPMAP_SAMPLE` sets the size):
/// `cargo test --lib web::dependency_map::tests::write_sample -- --ignored --nocapture`.
#[test]
#[ignore = "writes files for a visual check"]
fn write_sample() {
    let size = std::env::var("DEPMAP_SAMPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let (mut nodes, edges) = if size > 80 {
        // A whole-estate map: no centre node.
        estate(size)
    } else {
        let (mut nodes, mut edges) = sample(size);
        nodes[size / 4].highlight = true;
        // A supplier contract, an edge back to the left and one within a column, as a
        // whole-estate map can have them.
        let last = nodes.len() - 1;
        nodes[last].kind = "contract";
        nodes[last].kind_label = "Hosting contract".to_owned();
        let (svc_a, svc_b) = (
            nodes[size / 6 + 1].id.clone(),
            nodes[size / 6 + 4].id.clone(),
        );
        edges.push(edge(&svc_a, &svc_b, false));
        edges.push(edge(&nodes[last - 1].id, &nodes[size / 6 + 2].id, true));
        (nodes, edges)
    };
    nodes[3].label = "Customer relationship management platform".to_owned();
    let started = std::time::Instant::now();
    let svg = render(&nodes, &edges);
    println!(
        "{} nodes, {} edges: {:?}, {} bytes",
        nodes.len(),
        edges.len(),
        started.elapsed(),
        svg.len()
    );
    let css = concat!(env!("CARGO_MANIFEST_DIR"), "/static/app.css");
    std::fs::write("/tmp/depmap.svg", &svg).unwrap();
    std::fs::write(
        "/tmp/depmap.html",
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"file://{css}\"></head><body><main class=\"container\"><h1>Dependency map</h1><div class=\"depmap-scroll\">{svg}</div></main></body></html>"
        ),
    )
    .unwrap();
}
