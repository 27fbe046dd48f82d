//! The impact-over-time chart shown beside the questionnaire and in the exercise report: one line
//! per category over the time buckets, the unacceptable level, and where the MTPD and RTO fall.
//! A picture makes an inconsistent grid obvious in a way the numbers do not.
//!
//! Built as a string here rather than in a template because every coordinate is computed. The
//! Content-Security-Policy forbids inline styles and scripts, so it uses presentation attributes
//! only. Carried-forward points are hollow; each point has a tooltip saying what was answered.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::derive::{Derivation, Row};
use super::method::{Method, duration_label};
use crate::domain::svg::{Esc, Num};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 466.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 262.0;
const LEGEND_X: f64 = 482.0;
const LEGEND_CHARS: usize = 22;

const FONT: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', Roboto, system-ui, sans-serif";
const TEXT: &str = "#1f2933";
const TEXT_MUTED: &str = "#4b5563";
const GRID: &str = "#e5e7eb";
const UNACCEPTABLE: &str = "#b42318";
const UNACCEPTABLE_ZONE: &str = "#fdecea";
const RTO: &str = "#1f4e8c";
/// Okabe–Ito, told apart with the common colour-vision deficiencies (yellow left out: too pale on white).
const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8c564b",
];

/// The chart as one `<svg role="img">` element, 640×320, scaling to its container.
pub fn impact_chart(method: &Method, derivation: &Derivation) -> String {
    let mut out = String::with_capacity(8192);
    let summary = match derivation.mtpd {
        Some(mtpd) => format!(
            "MTPD {}, RTO {}",
            duration_label(mtpd),
            duration_label(derivation.rto)
        ),
        None => format!(
            "no MTPD within {}, RTO {}",
            duration_label(method.horizon()),
            duration_label(derivation.rto)
        ),
    };
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="impact-chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{font}" font-size="11" fill="{text}">"#,
            "<title>Impact over time: {summary}</title><desc>{reason}</desc>",
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ),
        w = WIDTH,
        h = HEIGHT,
        font = FONT,
        text = TEXT,
        summary = Esc(&summary),
        reason = Esc(&derivation.reason),
    );
    let buckets = method.time_buckets.len();
    if buckets == 0 {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="middle" font-style="italic" fill="{TEXT_MUTED}">The method has no time buckets to chart.</text></svg>"#,
            x = WIDTH / 2.0,
            y = HEIGHT / 2.0,
        );
        return out;
    }
    let scale = Scale::new(method, buckets);

    // The unacceptable zone and the levels, under everything else.
    let unacceptable_y = scale.y(f64::from(method.unacceptable_level));
    let _ = write!(
        out,
        r#"<rect x="{LEFT}" y="{TOP}" width="{w}" height="{h}" fill="{UNACCEPTABLE_ZONE}"/>"#,
        w = RIGHT - LEFT,
        h = Num((unacceptable_y - TOP).max(0.0)),
    );
    out.push_str(r#"<g class="impact-chart-levels">"#);
    for level in &method.levels {
        let y = Num(scale.y(f64::from(level.value)));
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="{GRID}"/><text x="{x}" y="{y}" dy="4" text-anchor="end" fill="{TEXT_MUTED}">{value} {name}</text>"#,
            x = LEFT - 6.0,
            value = level.value,
            name = Esc(&level.name),
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="{UNACCEPTABLE}" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
        y = Num(unacceptable_y),
    );

    // The time axis.
    let _ = write!(
        out,
        r#"<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{TEXT_MUTED}"/>"#
    );
    for (i, &bucket) in method.time_buckets.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{TEXT_MUTED}">{label}</text>"#,
            x = Num(scale.x(i)),
            y = BOTTOM + 16.0,
            label = Esc(&duration_label(bucket)),
        );
    }
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{TEXT_MUTED}">Time since the disruption began</text>"#,
        x = Num((LEFT + RIGHT) / 2.0),
        y = BOTTOM + 38.0,
    );

    // RTO and MTPD: labels on the outer side of each line, so they never overlap (RTO < MTPD).
    let position = |duration| method.time_buckets.iter().position(|&b| b == duration);
    let rto_x = if derivation.rto.minutes() == 0 {
        Some(LEFT)
    } else {
        position(derivation.rto).map(|i| scale.x(i))
    };
    if let Some(x) = rto_x {
        marker(
            &mut out,
            x,
            RTO,
            "4 3",
            "end",
            &format!("RTO {}", duration_label(derivation.rto)),
        );
    }
    if let Some(i) = derivation.mtpd.and_then(position) {
        let label = format!("MTPD {}", duration_label(method.time_buckets[i]));
        marker(&mut out, scale.x(i), UNACCEPTABLE, "", "start", &label);
    }

    write_lines(&mut out, method, derivation, &scale);
    // Over the lines, on a white halo, so that it stays legible where they cross it.
    let _ = write!(
        out,
        r##"<text x="{x}" y="{y}" dy="-5" text-anchor="end" fill="{UNACCEPTABLE}" stroke="#ffffff" stroke-width="3" paint-order="stroke">Unacceptable from level {label}</text>"##,
        x = RIGHT - 4.0,
        y = Num(unacceptable_y),
        label = Esc(&method.level_label(method.unacceptable_level)),
    );
    write_legend(&mut out, method);
    out.push_str("</svg>");
    out
}

struct Scale {
    step: f64,
    per_level: f64,
    categories: usize,
}

impl Scale {
    fn new(method: &Method, buckets: usize) -> Self {
        let span = f64::from(method.max_level().max(2) - 1);
        Self {
            step: (RIGHT - LEFT) / buckets as f64,
            // Room above the top level for the marker labels' line ends.
            per_level: (BOTTOM - TOP - 16.0) / span,
            categories: method.categories.len(),
        }
    }

    fn x(&self, bucket: usize) -> f64 {
        LEFT + (bucket as f64 + 0.5) * self.step
    }

    fn y(&self, level: f64) -> f64 {
        BOTTOM - 8.0 - (level - 1.0) * self.per_level
    }

    /// Lines of categories at the same level would hide each other: each is nudged a little.
    fn nudge(&self, category: usize) -> f64 {
        (category as f64 - (self.categories as f64 - 1.0) / 2.0) * 2.0
    }
}

fn marker(out: &mut String, x: f64, colour: &str, dash: &str, anchor: &str, label: &str) {
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    let text_x = if anchor == "end" { x - 4.0 } else { x + 4.0 };
    let _ = write!(
        out,
        r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{BOTTOM}" stroke="{colour}" stroke-width="1.5"{dash}/><text x="{tx}" y="{ty}" text-anchor="{anchor}" font-weight="bold" fill="{colour}">{label}</text>"#,
        x = Num(x),
        top = TOP - 4.0,
        tx = Num(text_x),
        ty = TOP - 8.0,
        label = Esc(label),
    );
}

fn write_lines(out: &mut String, method: &Method, derivation: &Derivation, scale: &Scale) {
    // (category key, bucket) → the level answered there, lower than the one carried forward.
    let answered_lower: BTreeMap<(&str, usize), u8> = derivation
        .warnings
        .iter()
        .filter_map(|w| match &w.row {
            Row::Category(key) => Some(((key.as_str(), w.bucket_index), w.answered)),
            Row::DataLoss => None,
        })
        .collect();
    let mut hollow = String::new();
    for (c, category) in method.categories.iter().enumerate() {
        let colour = PALETTE[c % PALETTE.len()];
        let _ = write!(
            out,
            r#"<g class="impact-chart-category" stroke="{colour}" fill="{colour}"><title>{}</title>"#,
            Esc(&category.name)
        );
        let row = derivation
            .effective
            .levels
            .get(&category.key)
            .map_or(&[][..], Vec::as_slice);
        let points: Vec<Option<(f64, f64)>> = row
            .iter()
            .enumerate()
            .map(|(i, level)| {
                level.map(|level| (scale.x(i), scale.y(f64::from(level)) + scale.nudge(c)))
            })
            .collect();
        // One polyline per run of answered buckets: a gap is left as a gap, not guessed across.
        for run in points.split(Option::is_none).filter(|run| run.len() > 1) {
            out.push_str(r#"<polyline fill="none" stroke-width="2" points=""#);
            for (i, (x, y)) in run.iter().flatten().enumerate() {
                let sep = if i == 0 { "" } else { " " };
                let _ = write!(out, "{sep}{},{}", Num(*x), Num(*y));
            }
            out.push_str(r#""/>"#);
        }
        for (i, point) in points.iter().enumerate() {
            let (Some((x, y)), Some(level)) = (point, row[i]) else {
                continue;
            };
            let bucket = duration_label(method.time_buckets[i]);
            let (x, y) = (Num(*x), Num(*y));
            match answered_lower.get(&(category.key.as_str(), i)) {
                None => {
                    let tip = format!(
                        "{}, {bucket}: level {}",
                        category.name,
                        method.level_label(level)
                    );
                    let _ = write!(
                        out,
                        r#"<circle cx="{x}" cy="{y}" r="3.5"><title>{}</title></circle>"#,
                        Esc(&tip)
                    );
                }
                Some(&answered) => {
                    let tip = format!(
                        "{}, {bucket}: answered {}, carried forward as {}",
                        category.name,
                        method.level_label(answered),
                        method.level_label(level)
                    );
                    let _ = write!(
                        hollow,
                        r##"<circle cx="{x}" cy="{y}" r="3.5" stroke="{colour}" stroke-width="1.5" fill="#ffffff"><title>{}</title></circle>"##,
                        Esc(&tip)
                    );
                }
            }
        }
        out.push_str("</g>");
    }
    // Hollow points last, so that another category's point at the same place cannot hide one.
    if !hollow.is_empty() {
        let _ = write!(out, r#"<g class="impact-chart-carried">{hollow}</g>"#);
    }
}

fn write_legend(out: &mut String, method: &Method) {
    let rows = method.categories.len() + 2;
    let row_height = ((BOTTOM - TOP) / rows as f64).min(18.0);
    let mut y = TOP;
    out.push_str(r#"<g class="impact-chart-legend">"#);
    for (c, category) in method.categories.iter().enumerate() {
        let colour = PALETTE[c % PALETTE.len()];
        let _ = write!(
            out,
            r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="2"/><circle cx="{cx}" cy="{y}" r="3.5" fill="{colour}"/><text x="{tx}" y="{y}" dy="4">{name}</text>"#,
            x1 = LEGEND_X,
            x2 = LEGEND_X + 18.0,
            cx = LEGEND_X + 9.0,
            tx = LEGEND_X + 24.0,
            y = Num(y),
            name = Esc(&shorten(&category.name, LEGEND_CHARS)),
        );
        y += row_height;
    }
    for (fill, label) in [(TEXT_MUTED, "as answered"), ("#ffffff", "carried forward")] {
        let _ = write!(
            out,
            r#"<circle cx="{cx}" cy="{y}" r="3.5" stroke="{TEXT_MUTED}" stroke-width="1.5" fill="{fill}"/><text x="{tx}" y="{y}" dy="4" fill="{TEXT_MUTED}">{label}</text>"#,
            cx = LEGEND_X + 9.0,
            tx = LEGEND_X + 24.0,
            y = Num(y),
        );
        y += row_height;
    }
    out.push_str("</g>");
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests;
