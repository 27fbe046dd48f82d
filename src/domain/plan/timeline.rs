//! The recovery steps as a Gantt-style timeline: one row per step, a bar from its earliest start
//! to its finish, coloured by phase, with the critical path outlined. Reviewers see at a glance
//! what runs in parallel and what decides the recovery time, which a table of numbers hides.
//!
//! Built as a string rather than in a template because every coordinate is computed. The
//! Content-Security-Policy forbids inline styles and scripts, so it uses presentation attributes
//! only; the same markup also works inside the self-contained offline copy of a plan.

use std::collections::HashMap;
use std::fmt::{self, Display, Write as _};

use super::steps::{Phase, Schedule, Step};
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;

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
const MAX_TICKS: i64 = 8;
/// Tick spacings, in minutes, that read naturally: 15m … 1h … 1d … 1w … 30d … 1 year.
const TICK_STEPS: [i64; 16] = [
    15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080, 20160, 43200, 129600, 525600,
];

const FONT: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', Roboto, system-ui, sans-serif";
const TEXT: &str = "#1f2933";
const TEXT_MUTED: &str = "#4b5563";
const GRID: &str = "#e5e7eb";
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
    let (tick, span) = ticks(schedule.total.minutes());
    let scale = (RIGHT - LEFT) / span as f64;

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
    let mut at = 0;
    while at <= span {
        let x = LEFT + at as f64 * scale;
        let label = Duration::from_minutes(at).map_or_else(String::new, duration_label);
        let _ = write!(
            out,
            concat!(
                r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{grid}"/>"#,
                r#"<text x="{x}" y="{ty}" text-anchor="middle" fill="{muted}">{label}</text>"#,
            ),
            x = Num(x),
            y1 = Num(TOP - 6.0),
            y2 = Num(bottom),
            ty = Num(TOP - 12.0),
            grid = GRID,
            muted = TEXT_MUTED,
            label = Esc(&label),
        );
        at += tick;
    }

    if rows.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{muted}">No recovery steps yet.</text>"#,
            x = Num((LEFT + RIGHT) / 2.0),
            y = Num(TOP + ROW * 0.65),
            muted = TEXT_MUTED,
        );
    }

    for (row, (scheduled, step)) in rows.iter().enumerate() {
        let y = TOP + row as f64 * ROW;
        let x = LEFT + scheduled.start.minutes() as f64 * scale;
        let width =
            ((scheduled.finish.minutes() - scheduled.start.minutes()) as f64 * scale).max(MIN_BAR);
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

/// The tick spacing and the axis length (a whole number of ticks, at least one) for `total`.
pub(crate) fn ticks(total: i64) -> (i64, i64) {
    let tick = TICK_STEPS
        .into_iter()
        .find(|&step| total <= step * MAX_TICKS)
        .unwrap_or(TICK_STEPS[TICK_STEPS.len() - 1]);
    let count = ((total + tick - 1) / tick).max(1);
    (tick, count * tick)
}

pub(crate) fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(limit - 1).collect();
        short.push('…');
        short
    }
}

/// A coordinate with at most one decimal, so the markup stays short.
pub(crate) struct Num(pub(crate) f64);

impl Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round() / 10.0;
        if tenths.fract() == 0.0 {
            write!(f, "{tenths:.0}")
        } else {
            write!(f, "{tenths:.1}")
        }
    }
}

/// Text escaped for XML content and attribute values.
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests;
