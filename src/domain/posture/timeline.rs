//! A scenario's recovery timeline: one row per fallen service, in restore order, a bar from when
//! its restoration can start to when it is back, with marks at its RTO and its MTPD, so that a
//! reader sees at once which services come back too late. Drawn like the plan timelines
//! (presentation attributes only, for the Content-Security-Policy).

use std::collections::HashMap;
use std::fmt::Write as _;

use uuid::Uuid;

use super::scenario::{Breach, Outcome};
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::svg::{Esc, FONT, MUTED, Num, TEXT, TimeAxis, truncate};

const WIDTH: f64 = 720.0;
const LEFT: f64 = 220.0;
const RIGHT: f64 = 700.0;
const TOP: f64 = 44.0;
const ROW: f64 = 24.0;
const BAR: f64 = 12.0;
const LEGEND: f64 = 44.0;
/// Okabe–Ito: bluish green in time, orange past the RTO, vermilion past the MTPD; the RTO and
/// MTPD marks differ in shape too (a dashed and a solid line), so nothing depends on colour alone.
const IN_TIME: &str = "#009e73";
const PAST_RTO: &str = "#e69f00";
const PAST_MTPD: &str = "#d55e00";
const UNKNOWN: &str = "#9ca3af";

/// The timeline of the first `limit` services of `outcome`, labelled from `names`.
pub fn timeline_svg(outcome: &Outcome, names: &HashMap<Uuid, String>, limit: usize) -> String {
    let rows: Vec<_> = outcome.services.iter().take(limit).collect();
    let span_total = rows
        .iter()
        .flat_map(|service| [service.back, service.rto, service.mtpd])
        .flatten()
        .map(Duration::minutes)
        .max()
        .unwrap_or(60)
        .max(60);
    let axis = TimeAxis::new(LEFT, RIGHT, span_total);
    let (span, scale) = (axis.span, axis.scale);
    let body = ROW * rows.len().max(1) as f64;
    let height = TOP + body + LEGEND;
    let mut out = String::with_capacity(2048 + 600 * rows.len());
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="scenario-timeline" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{font}" font-size="11" fill="{text}">"#,
            "<title>Recovery timeline: {count} services, {breaches} breaching</title>",
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ),
        w = WIDTH,
        h = Num(height),
        font = FONT,
        text = TEXT,
        count = outcome.services.len(),
        breaches = outcome.breaches().count(),
    );
    let bottom = TOP + body;
    axis.draw(&mut out, TOP, bottom);
    if rows.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" text-anchor="middle" fill="{MUTED}">No service falls.</text>"#,
            x = Num((LEFT + RIGHT) / 2.0),
            y = Num(TOP + ROW / 2.0 + 4.0),
        );
    }
    for (row, service) in rows.iter().enumerate() {
        let y = TOP + row as f64 * ROW;
        let name = names.get(&service.id).map_or("", String::as_str);
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ly}" text-anchor="end">{label}</text>"#,
            lx = Num(LEFT - 10.0),
            ly = Num(y + ROW / 2.0 + 4.0),
            label = Esc(&truncate(name, 32)),
        );
        let start = service.start.map_or(0, Duration::minutes);
        let end = service.back.map_or(span, Duration::minutes);
        let fill = match service.breach {
            Breach::Mtpd => PAST_MTPD,
            Breach::Rto => PAST_RTO,
            Breach::Unknown => UNKNOWN,
            Breach::None => IN_TIME,
        };
        let back = service.back.map_or_else(
            || "at an unknown time".to_owned(),
            |back| format!("after {}", duration_label(back)),
        );
        let _ = write!(
            out,
            r#"<rect class="restore-bar" x="{x}" y="{y}" width="{w}" height="{BAR}" rx="2" fill="{fill}"{faded}><title>{name}: back {back} ({what})</title></rect>"#,
            x = Num(LEFT + start as f64 * scale),
            y = Num(y + (ROW - BAR) / 2.0),
            w = Num(((end - start) as f64 * scale).max(3.0)),
            faded = if service.back.is_some() {
                ""
            } else {
                r#" fill-opacity="0.4""#
            },
            name = Esc(name),
            what = service.breach.label(),
        );
        for (mark, dash) in [(service.rto, true), (service.mtpd, false)] {
            if let Some(mark) = mark {
                let x = LEFT + mark.minutes().min(span) as f64 * scale;
                let _ = write!(
                    out,
                    r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{stroke}" stroke-width="2"{dash}/>"#,
                    x = Num(x),
                    y1 = Num(y + 2.0),
                    y2 = Num(y + ROW - 2.0),
                    stroke = if dash { TEXT } else { PAST_MTPD },
                    dash = if dash {
                        r#" stroke-dasharray="3 2""#
                    } else {
                        ""
                    },
                );
            }
        }
    }
    legend(&mut out, bottom + 22.0);
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, y: f64) {
    let mut x = LEFT;
    for (fill, label) in [
        (IN_TIME, "back in time"),
        (PAST_RTO, "after its RTO"),
        (PAST_MTPD, "after its MTPD"),
        (UNKNOWN, "unknown"),
    ] {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{ry}" width="14" height="10" rx="2" fill="{fill}"/><text x="{tx}" y="{y}">{label}</text>"#,
            x = Num(x),
            ry = Num(y - 9.0),
            tx = Num(x + 19.0),
            y = Num(y),
        );
        x += 110.0;
    }
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" fill="{MUTED}">dashed: RTO · solid: MTPD</text>"#,
        x = Num(LEFT),
        y = Num(y + 18.0),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::posture::Evidence;
    use crate::domain::posture::scenario::FallenService;

    #[test]
    fn each_fallen_service_is_a_bar_with_its_marks_and_names_are_escaped() {
        let id = Uuid::from_u128(1);
        let outcome = Outcome {
            lost: vec![],
            fallen_count: 2,
            services: vec![FallenService {
                id,
                cause: None,
                after: None,
                start: Some(Duration::hours(1)),
                back: Some(Duration::hours(6)),
                own: Evidence::Nothing,
                rto: Some(Duration::hours(4)),
                mtpd: Some(Duration::hours(8)),
                breach: Breach::Rto,
            }],
        };
        let svg = timeline_svg(
            &outcome,
            &HashMap::from([(id, "Pay <roll>".to_owned())]),
            10,
        );
        assert!(svg.contains("Pay &lt;roll&gt;"));
        assert_eq!(svg.matches("restore-bar").count(), 1);
        assert!(svg.contains(PAST_RTO));
        assert!(svg.contains("stroke-dasharray"));
    }
}
