//! What the SVG timelines (a plan's steps, a test's planned against actual, a scenario's
//! recovery) draw alike: short coordinates, escaped text, the palette, a tick spacing that reads
//! naturally and the time axis along the top. Each timeline keeps its own rows and legend.

use std::fmt::{self, Display, Write as _};

use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;

pub const FONT: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', Roboto, system-ui, sans-serif";
pub const TEXT: &str = "#1f2933";
pub const MUTED: &str = "#4b5563";
pub const GRID: &str = "#e5e7eb";

const MAX_TICKS: i64 = 8;
/// Tick spacings, in minutes, that read naturally: 15m … 1h … 1d … 1w … 30d … 1 year.
const TICK_STEPS: [i64; 16] = [
    15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080, 20160, 43200, 129600, 525600,
];

/// The tick spacing and the axis length (a whole number of ticks, at least one) for `total`.
pub fn ticks(total: i64) -> (i64, i64) {
    let tick = TICK_STEPS
        .into_iter()
        .find(|&step| total <= step * MAX_TICKS)
        .unwrap_or(TICK_STEPS[TICK_STEPS.len() - 1]);
    let count = ((total + tick - 1) / tick).max(1);
    (tick, count * tick)
}

/// A time axis from `left` to `right` covering `total` minutes (rounded up to whole ticks).
pub struct TimeAxis {
    pub left: f64,
    pub tick: i64,
    pub span: i64,
    /// Width of one minute.
    pub scale: f64,
}

impl TimeAxis {
    pub fn new(left: f64, right: f64, total: i64) -> Self {
        let (tick, span) = ticks(total);
        Self {
            left,
            tick,
            span,
            scale: (right - left) / span as f64,
        }
    }

    /// Where `minutes` after the start lies.
    pub fn x(&self, minutes: i64) -> f64 {
        self.left + minutes as f64 * self.scale
    }

    /// Gridlines from `top` to `bottom`, each labelled just above `top`.
    pub fn draw(&self, out: &mut String, top: f64, bottom: f64) {
        let mut at = 0;
        while at <= self.span {
            let label = Duration::from_minutes(at).map_or_else(String::new, duration_label);
            let _ = write!(
                out,
                r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{GRID}"/><text x="{x}" y="{ty}" text-anchor="middle" fill="{MUTED}">{label}</text>"#,
                x = Num(self.x(at)),
                y1 = Num(top - 6.0),
                y2 = Num(bottom),
                ty = Num(top - 12.0),
                label = Esc(&label),
            );
            at += self.tick;
        }
    }
}

pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(limit - 1).collect();
        short.push('…');
        short
    }
}

/// A coordinate with at most one decimal, so the markup stays short.
pub struct Num(pub f64);

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
pub struct Esc<'a>(pub &'a str);

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
