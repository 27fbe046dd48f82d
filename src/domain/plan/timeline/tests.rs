//! Tests of the parent module.

use super::super::steps::schedule;
use super::*;
use crate::domain::duration::Duration;
use crate::domain::svg::ticks;

fn step(id: &str, phase: Phase, action: &str, hours: i64, after: &[&str]) -> Step {
    Step {
        id: id.to_owned(),
        phase,
        action: action.to_owned(),
        role: "Recovery lead".to_owned(),
        duration: Duration::hours(hours),
        predecessors: after.iter().map(|&p| p.to_owned()).collect(),
    }
}

fn example() -> Vec<Step> {
    vec![
        step("invoke", Phase::Activation, "Invoke the plan", 1, &[]),
        step(
            "db",
            Phase::Recovery,
            "Restore <payroll> & \"HR\" DB",
            5,
            &["invoke"],
        ),
        step(
            "net",
            Phase::Recovery,
            "Fail over the network",
            2,
            &["invoke"],
        ),
        step(
            "back",
            Phase::Reconstitution,
            "Fail back",
            0,
            &["db", "net"],
        ),
    ]
}

fn draw(steps: &[Step]) -> String {
    timeline_svg(steps, &schedule(steps).unwrap())
}

#[test]
fn the_timeline_is_an_accessible_image_with_a_title() {
    let svg = draw(&example());
    assert!(svg.starts_with("<svg "));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains("<title>Recovery timeline: 4 steps, estimated recovery time 6h</title>"));
    assert!(svg.contains("Critical path: Invoke the plan, then Restore"));
}

#[test]
fn there_is_one_bar_per_step_and_the_critical_ones_are_marked() {
    let svg = draw(&example());
    assert_eq!(svg.matches(r#"class="step-bar"#).count(), 4);
    // The fail-back milestone is reconstitution: it does not decide when the service is back.
    assert_eq!(svg.matches(r#"class="step-bar critical""#).count(), 2);
    assert!(svg.contains(r#"data-step="net""#));
}

#[test]
fn labels_are_escaped_for_xml() {
    let svg = draw(&example());
    assert!(svg.contains("Restore &lt;payroll&gt; &amp; &quot;HR&quot; DB"));
    assert!(!svg.contains("<payroll>"));
    assert!(!svg.contains("& \""));
}

#[test]
fn the_timeline_has_no_style_or_script_for_the_csp() {
    let svg = draw(&example());
    assert!(!svg.contains("style"));
    assert!(!svg.contains("<script"));
    // Every attribute is a presentation attribute: no `style`, no `on…` handler.
    let allowed = [
        "xmlns",
        "class",
        "role",
        "viewBox",
        "width",
        "height",
        "font-family",
        "font-size",
        "font-weight",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "rx",
        "text-anchor",
        "data-step",
    ];
    for (at, _) in svg.match_indices("=\"") {
        let name_start = svg[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |space| space + 1);
        let name = &svg[name_start..at];
        assert!(allowed.contains(&name), "unexpected attribute {name}");
    }
}

#[test]
fn every_phase_is_in_the_legend() {
    let svg = draw(&example());
    for phase in Phase::ALL {
        assert!(svg.contains(&format!(">{}</text>", phase.label())));
    }
    assert!(svg.contains(">Critical path</text>"));
}

#[test]
fn the_axis_has_ticks_up_to_the_recovery_time() {
    let svg = draw(&example());
    for label in ["0m", "1h", "6h"] {
        assert!(svg.contains(&format!(">{label}</text>")), "{label}");
    }
    assert_eq!(ticks(6 * 60), (60, 360));
    assert_eq!(ticks(0), (15, 15));
    assert_eq!(ticks(30 * 24 * 60), (10080, 50400));
    assert_eq!(ticks(10 * 366 * 24 * 60).0, 525600);
}

#[test]
fn long_actions_are_shortened_but_kept_whole_in_the_tooltip() {
    let long = "Restore every application server from the offsite backups";
    let svg = draw(&[step("a", Phase::Recovery, long, 1, &[])]);
    assert!(svg.contains(&format!("{}…", &long[..LABEL_CHARS - 1])));
    assert!(svg.contains(&format!("<title>{long} (Recovery lead, recovery)")));
}

#[test]
fn a_plan_without_steps_still_draws() {
    let svg = draw(&[]);
    assert!(svg.contains("No recovery steps yet."));
    assert_eq!(svg.matches("step-bar").count(), 0);
}
