//! A test's timeline: for each recovery step of an exercised plan, the planned bar (from the
//! plan's estimate) above the actual bar (from the recorded times), so a reader of the post-test
//! report sees at a glance which step overran and what it did to the recovery. Drawn like the
//! plan's own timeline (presentation attributes only, for the Content-Security-Policy).

use std::fmt::Write as _;

use super::Measured;
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::plan::steps::{Schedule, Step};
use crate::domain::svg::{Esc, FONT, Num, TEXT, TimeAxis, truncate};

const WIDTH: f64 = 720.0;
const LEFT: f64 = 236.0;
const RIGHT: f64 = 700.0;
const TOP: f64 = 44.0;
const ROW: f64 = 30.0;
const BAR: f64 = 10.0;
const LEGEND: f64 = 48.0;
/// Okabe–Ito: blue for a step on time, vermilion for one that overran; planned bars are grey
/// outlines, so the two never depend on colour alone.
const ON_TIME: &str = "#0072b2";
const OVERRAN: &str = "#d55e00";
const PLANNED: &str = "#9ca3af";

/// The planned-against-actual timeline of one exercised plan as one `<svg role="img">`.
pub fn actual_vs_planned_svg(steps: &[Step], estimate: &Schedule, measured: &Measured) -> String {
    let rows: Vec<&Step> = estimate
        .steps
        .iter()
        .filter_map(|scheduled| steps.get(scheduled.index))
        .collect();
    let span_total = estimate.total.max(measured.schedule.total).minutes();
    let axis = TimeAxis::new(LEFT, RIGHT, span_total);
    let scale = axis.scale;
    let body = ROW * rows.len().max(1) as f64;
    let height = TOP + body + LEGEND;
    let mut out = String::with_capacity(2048 + 700 * rows.len());
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="test-timeline" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{font}" font-size="11" fill="{text}">"#,
            "<title>Planned against actual: recovered after {achieved} against {estimated} planned</title>",
            "<desc>{desc}</desc>",
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ),
        w = WIDTH,
        h = Num(height),
        font = FONT,
        text = TEXT,
        achieved = duration_label(measured.achieved),
        estimated = duration_label(measured.estimated),
        desc = Esc(&describe(steps, measured)),
    );
    let bottom = TOP + body;
    axis.draw(&mut out, TOP, bottom);
    for (row, step) in rows.iter().enumerate() {
        let y = TOP + row as f64 * ROW;
        let planned = estimate.steps.iter().find(|s| s.id == step.id);
        let actual = measured.schedule.steps.iter().find(|s| s.id == step.id);
        let recorded = !measured.not_recorded.contains(&step.id);
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ly}" text-anchor="end">{label}</text>"#,
            lx = Num(LEFT - 10.0),
            ly = Num(y + ROW / 2.0 + 4.0),
            label = Esc(&truncate(&step.action, 34)),
        );
        if let Some(planned) = planned {
            let _ = write!(
                out,
                r##"<rect class="planned-bar" x="{x}" y="{y}" width="{w}" height="{BAR}" rx="2" fill="#ffffff" stroke="{PLANNED}" stroke-width="1.5"><title>Planned: {start} to {finish}</title></rect>"##,
                x = Num(LEFT + planned.start.minutes() as f64 * scale),
                y = Num(y + 4.0),
                w = Num(
                    ((planned.finish.minutes() - planned.start.minutes()) as f64 * scale).max(3.0)
                ),
                start = duration_label(planned.start),
                finish = duration_label(planned.finish),
            );
        }
        if let Some(actual) = actual {
            let taken = Duration::from_minutes(actual.finish.minutes() - actual.start.minutes())
                .unwrap_or(Duration::ZERO);
            let overran = recorded && taken > step.duration;
            let (fill, class, what) = match (recorded, overran) {
                (false, _) => (
                    PLANNED,
                    "actual-bar unrecorded",
                    "not recorded, estimate used",
                ),
                (true, true) => (OVERRAN, "actual-bar overran", "overran"),
                (true, false) => (ON_TIME, "actual-bar", "on time"),
            };
            let _ = write!(
                out,
                r#"<rect class="{class}" data-step="{id}" x="{x}" y="{y}" width="{w}" height="{BAR}" rx="2" fill="{fill}"{faded}><title>Actual: {start} to {finish}, took {taken} ({what})</title></rect>"#,
                id = Esc(&step.id),
                x = Num(LEFT + actual.start.minutes() as f64 * scale),
                y = Num(y + 5.0 + BAR),
                w = Num(
                    ((actual.finish.minutes() - actual.start.minutes()) as f64 * scale).max(3.0)
                ),
                faded = if recorded {
                    ""
                } else {
                    r#" fill-opacity="0.35""#
                },
                start = duration_label(actual.start),
                finish = duration_label(actual.finish),
                taken = duration_label(taken),
            );
        }
    }
    legend(&mut out, bottom + 22.0);
    out.push_str("</svg>");
    out
}

fn describe(steps: &[Step], measured: &Measured) -> String {
    let mut line = format!(
        "Recovered after {} against {} planned.",
        duration_label(measured.achieved),
        duration_label(measured.estimated)
    );
    if let Some(overrun) = &measured.biggest_overrun {
        let action = steps
            .iter()
            .find(|step| step.id == overrun.step)
            .map_or(overrun.step.as_str(), |step| step.action.as_str());
        let _ = write!(
            line,
            " The biggest overrun: {action}, {} against {} planned.",
            duration_label(overrun.actual),
            duration_label(overrun.estimated)
        );
    }
    line
}

fn legend(out: &mut String, y: f64) {
    let entries = [
        (
            r##"fill="#ffffff" stroke="#9ca3af" stroke-width="1.5""##,
            "Planned",
        ),
        (r##"fill="#0072b2""##, "Actual, on time"),
        (r##"fill="#d55e00""##, "Actual, overran"),
        (r##"fill="#9ca3af" fill-opacity="0.35""##, "Not recorded"),
    ];
    let mut x = LEFT;
    for (paint, label) in entries {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{ry}" width="14" height="10" rx="2" {paint}/><text x="{tx}" y="{y}">{label}</text>"#,
            x = Num(x),
            ry = Num(y - 9.0),
            tx = Num(x + 19.0),
            y = Num(y),
        );
        x += 19.0 + 6.5 * label.len() as f64 + 16.0;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::domain::exercise::measure;
    use crate::domain::plan::steps::{Phase, schedule};

    fn step(id: &str, length: i64, predecessors: &[&str]) -> Step {
        Step {
            id: id.to_owned(),
            phase: Phase::Recovery,
            action: format!("Step <{id}>"),
            role: "lead".to_owned(),
            duration: Duration::from_minutes(length).expect("a duration"),
            predecessors: predecessors.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn the_overrunning_step_is_drawn_as_overran_and_named() {
        let steps = vec![step("a", 60, &[]), step("b", 120, &["a"])];
        let actual = HashMap::from([(
            "b".to_owned(),
            Duration::from_minutes(300).expect("a duration"),
        )]);
        let measured = measure(&steps, &actual).expect("acyclic");
        let estimate = schedule(&steps).expect("acyclic");
        let svg = actual_vs_planned_svg(&steps, &estimate, &measured);
        assert!(svg.contains(r#"class="actual-bar overran" data-step="b""#));
        assert!(svg.contains(r#"class="actual-bar unrecorded" data-step="a""#));
        assert!(svg.contains("Step &lt;b&gt;"), "labels are escaped");
        assert_eq!(svg.matches("planned-bar").count(), 2);
    }
}
