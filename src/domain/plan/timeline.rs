//! The recovery steps as a Gantt-style timeline: one row per step, a bar from its earliest start
//! to its finish, coloured by phase, with the critical path outlined. Reviewers see at a glance
//! what runs in parallel and what decides the recovery time, which a table of numbers hides.
//!
//! Built as a string rather than in a template because every coordinate is computed. The
//! Content-Security-Policy forbids inline styles and scripts, so it uses presentation attributes
//! only; the same markup also works inside the self-contained offline copy of a plan.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::steps::{Phase, Schedule, Step};
use crate::domain::bia::method::duration_label;
use crate::domain::svg::{Esc, FONT, MUTED, Num, TEXT, TimeAxis, truncate};

const WIDTH: f64 = 720.0;
const LEFT: f64 = 236.0;
const RIGHT: f64 = 700.0;
const TOP: f64 = 44.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const LEGEND: f64 = 48.0;
const LABEL_CHARS: usize = 34;
/// A zero-length step (a decision, a sign-off) still gets a visible mark.
const MIN_BAR: f64 = 3.0;
const CRITICAL: &str = "#1f2933";

/// Okabe–Ito colours, told apart with the common colour-vision deficiencies; the critical path is
/// also shown by outline and opacity, never by colour alone.
fn colour(phase: Phase) -> &'static str {
    match phase {
        Phase::Activation => "#e69f00",
        Phase::Recovery => "#0072b2",
        Phase::Reconstitution => "#009e73",
    }
}

/// The timeline as one `<svg role="img">` element, 720 wide, as tall as the steps need. Steps in
/// `schedule` without a match in `steps` are skipped.
pub fn timeline_svg(steps: &[Step], schedule: &Schedule) -> String {
    let by_id: HashMap<&str, &Step> = steps.iter().map(|step| (step.id.as_str(), step)).collect();
    let rows: Vec<_> = schedule
        .steps
        .iter()
        .filter_map(|scheduled| Some((scheduled, *by_id.get(scheduled.id.as_str())?)))
        .collect();
    let body_height = ROW * rows.len().max(1) as f64;
    let height = TOP + body_height + LEGEND;
    let axis = TimeAxis::new(LEFT, RIGHT, schedule.total.minutes());

    let mut out = String::with_capacity(2048 + 600 * rows.len());
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="plan-timeline" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{font}" font-size="11" fill="{text}">"#,
            "<title>Recovery timeline: {count} steps, estimated recovery time {total}</title>",
            "<desc>{desc}</desc>",
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ),
        w = WIDTH,
        h = Num(height),
        font = FONT,
        text = TEXT,
        count = rows.len(),
        total = duration_label(schedule.recovered),
        desc = Esc(&describe(&rows, schedule)),
    );

    // Time axis: gridlines and labels along the top.
    let bottom = TOP + body_height;
    axis.draw(&mut out, TOP, bottom);

    if rows.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{muted}">No recovery steps yet.</text>"#,
            x = Num((LEFT + RIGHT) / 2.0),
            y = Num(TOP + ROW * 0.65),
            muted = MUTED,
        );
    }

    for (row, (scheduled, step)) in rows.iter().enumerate() {
        let y = TOP + row as f64 * ROW;
        let x = axis.x(scheduled.start.minutes());
        let width = ((scheduled.finish.minutes() - scheduled.start.minutes()) as f64 * axis.scale)
            .max(MIN_BAR);
        let timing = if scheduled.critical {
            "on the critical path".to_owned()
        } else {
            format!("slack {}", duration_label(scheduled.slack))
        };
        let tooltip = format!(
            "{action} ({role}, {phase}): {start} to {finish}, {timing}",
            action = step.action,
            role = step.role,
            phase = step.phase.label().to_lowercase(),
            start = duration_label(scheduled.start),
            finish = duration_label(scheduled.finish),
        );
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ly}" text-anchor="end"{weight}>{label}</text>"#,
            lx = Num(LEFT - 10.0),
            ly = Num(y + ROW / 2.0 + 4.0),
            weight = if scheduled.critical {
                r#" font-weight="bold""#
            } else {
                ""
            },
            label = Esc(&truncate(&step.action, LABEL_CHARS)),
        );
        let emphasis = if scheduled.critical {
            format!(r#" stroke="{CRITICAL}" stroke-width="2""#)
        } else {
            r#" fill-opacity="0.55""#.to_owned()
        };
        let _ = write!(
            out,
            r#"<rect class="step-bar{critical}" data-step="{id}" x="{x}" y="{y}" width="{width}" height="{BAR}" rx="2" fill="{fill}"{emphasis}><title>{tooltip}</title></rect>"#,
            critical = if scheduled.critical { " critical" } else { "" },
            id = Esc(&scheduled.id),
            x = Num(x),
            y = Num(y + (ROW - BAR) / 2.0),
            width = Num(width),
            fill = colour(step.phase),
            tooltip = Esc(&tooltip),
        );
    }

    legend(&mut out, bottom + 22.0);
    out.push_str("</svg>");
    out
}

/// One line for screen readers: how long, and which steps decide it.
fn describe(rows: &[(&super::steps::Scheduled, &Step)], schedule: &Schedule) -> String {
    if rows.is_empty() {
        return "The plan has no recovery steps yet.".to_owned();
    }
    let path: Vec<&str> = schedule
        .critical_path
        .iter()
        .filter_map(|id| rows.iter().find(|(s, _)| &s.id == id))
        .map(|(_, step)| step.action.as_str())
        .collect();
    let mut line = if path.is_empty() {
        "No activation or recovery step: the plan does not say when the service is back.".to_owned()
    } else {
        format!(
            "Estimated recovery time {}. Critical path: {}.",
            duration_label(schedule.recovered),
            path.join(", then ")
        )
    };
    if schedule.total > schedule.recovered {
        line.push_str(&format!(
            " Back to normal after {}.",
            duration_label(schedule.total)
        ));
    }
    line
}

fn legend(out: &mut String, y: f64) {
    let mut x = LEFT;
    for phase in Phase::ALL {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{ry}" width="14" height="10" rx="2" fill="{fill}"/><text x="{tx}" y="{y}">{label}</text>"#,
            x = Num(x),
            ry = Num(y - 9.0),
            tx = Num(x + 19.0),
            y = Num(y),
            fill = colour(phase),
            label = phase.label(),
        );
        x += 19.0 + 7.0 * phase.label().len() as f64 + 16.0;
    }
    let _ = write!(
        out,
        r##"<rect x="{x}" y="{ry}" width="14" height="10" rx="2" fill="#ffffff" stroke="{CRITICAL}" stroke-width="2"/><text x="{tx}" y="{y}" font-weight="bold">Critical path</text>"##,
        x = Num(x),
        ry = Num(y - 9.0),
        tx = Num(x + 19.0),
        y = Num(y),
    );
}

#[cfg(test)]
mod tests;
