//! Tests of the parent module.

use super::super::derive::{ImpactGrid, derive};
use super::*;

fn chart_for(rows: &[(&str, [u8; 8])]) -> (Method, String) {
    let method = Method::default_method();
    let mut grid = ImpactGrid::default();
    for category in &method.categories {
        grid.levels.insert(category.key.clone(), vec![Some(1); 8]);
    }
    for (key, levels) in rows {
        grid.levels
            .insert((*key).to_owned(), levels.iter().map(|&l| Some(l)).collect());
    }
    let derivation = derive(&method, &grid, &[]);
    let chart = impact_chart(&method, &derivation);
    (method, chart)
}

#[test]
fn the_chart_has_a_line_and_a_legend_entry_per_category() {
    let (method, chart) = chart_for(&[("financial", [1, 2, 3, 4, 5, 5, 5, 5])]);
    assert_eq!(chart.matches("<polyline").count(), method.categories.len());
    for category in &method.categories {
        assert!(chart.contains(&format!(">{}</text>", Esc(&category.name))));
    }
    assert!(chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(chart.ends_with("</svg>"));
}

#[test]
fn the_chart_is_labelled_for_screen_readers() {
    let (_, chart) = chart_for(&[("financial", [1, 2, 3, 4, 5, 5, 5, 5])]);
    assert!(chart.contains(r#"role="img""#));
    assert!(chart.contains("<title>Impact over time: MTPD 24h, RTO 8h</title>"));
    assert!(chart.contains(r#"viewBox="0 0 640 320""#));
}

#[test]
fn the_chart_marks_the_unacceptable_level_the_mtpd_and_the_rto() {
    let (_, chart) = chart_for(&[("financial", [1, 2, 3, 4, 5, 5, 5, 5])]);
    assert!(chart.contains(r#"stroke-dasharray="6 4""#));
    assert!(chart.contains("Unacceptable from level 4 (Major)</text>"));
    assert!(chart.contains(">MTPD 24h</text>"));
    assert!(chart.contains(">RTO 8h</text>"));
    for label in ["1h", "4h", "8h", "24h", "72h", "1w", "2w", "30d"] {
        assert!(chart.contains(&format!(">{label}</text>")), "{label}");
    }
}

#[test]
fn an_immediate_rto_is_marked_at_the_start_of_the_time_axis() {
    let (_, chart) = chart_for(&[("customer", [5, 5, 5, 5, 5, 5, 5, 5])]);
    assert!(chart.contains(&format!(r#"<line x1="{LEFT}" y1="26""#)));
    assert!(chart.contains(">RTO 0m</text>"));
    assert!(chart.contains(">MTPD 1h</text>"));
}

#[test]
fn without_an_mtpd_only_the_rto_is_marked() {
    let (_, chart) = chart_for(&[]);
    assert!(!chart.contains(">MTPD"));
    assert!(chart.contains(">RTO 30d</text>"));
    assert!(chart.contains("no MTPD within 30d, RTO 30d"));
}

#[test]
fn carried_forward_points_are_hollow_and_say_what_was_answered() {
    let (_, chart) = chart_for(&[("operational", [1, 3, 2, 3, 3, 3, 3, 3])]);
    assert_eq!(chart.matches(r##"fill="#ffffff"><title>"##).count(), 1);
    assert!(chart.contains(r#"<g class="impact-chart-carried"><circle"#));
    assert!(chart.contains(
        "<title>Operational, 8h: answered 2 (Minor), carried forward as 3 (Moderate)</title>"
    ));
    assert!(chart.contains("<title>Operational, 4h: level 3 (Moderate)</title>"));
}

#[test]
fn an_unanswered_bucket_breaks_the_line() {
    let method = Method::default_method();
    let mut grid = ImpactGrid::default();
    grid.levels.insert(
        "financial".to_owned(),
        vec![
            Some(1),
            Some(2),
            None,
            Some(3),
            Some(3),
            None,
            None,
            Some(4),
        ],
    );
    let chart = impact_chart(&method, &derive(&method, &grid, &[]));
    // Two runs with a line, one lone point (no line), other categories unanswered.
    assert_eq!(chart.matches("<polyline").count(), 2);
    assert_eq!(
        chart.matches("<circle").count(),
        5 + method.categories.len() + 2
    );
}

#[test]
fn names_are_escaped_for_xml() {
    let mut method = Method::default_method();
    method.categories[0].name = r#"R&D <"core"> 'x'"#.to_owned();
    method.levels[3].name = "Major & <b>".to_owned();
    let mut grid = ImpactGrid::default();
    grid.levels.insert("financial".to_owned(), vec![Some(4); 8]);
    let chart = impact_chart(&method, &derive(&method, &grid, &[]));
    assert!(chart.contains("R&amp;D &lt;&quot;core&quot;&gt; &#39;x&#39;"));
    assert!(chart.contains("Major &amp; &lt;b&gt;"));
    assert!(!chart.contains("<b>"));
    assert!(!chart.contains("R&D"));
}

#[test]
fn the_chart_uses_no_style_or_script() {
    let (_, chart) = chart_for(&[("financial", [1, 2, 3, 4, 5, 5, 5, 5])]);
    assert!(!chart.contains("style="));
    assert!(!chart.contains("<style"));
    assert!(!chart.contains("<script"));
    let handler = chart.split(" on").skip(1).any(|rest| {
        let name_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(0);
        name_end > 0 && rest[name_end..].starts_with('=')
    });
    assert!(!handler, "no event handler attributes");
}

#[test]
fn a_method_without_buckets_gets_a_note_instead_of_a_chart() {
    let mut method = Method::default_method();
    method.time_buckets.clear();
    let chart = impact_chart(&method, &derive(&method, &ImpactGrid::default(), &[]));
    assert!(chart.contains("no time buckets"));
    assert!(chart.ends_with("</svg>"));
}
