//! The risk matrix as an SVG heat map: likelihood up the side, impact along the bottom, each cell
//! in its level's colour with the number of risks in it, and each cell a link to the register
//! filtered to that cell. Only presentation attributes (the Content-Security-Policy allows no
//! inline styles); every cell has a title for screen readers and hover.

use std::collections::HashMap;

use super::bar_chart::escape;
use crate::domain::risk::method::RiskMethod;

const CELL: usize = 56;
const LEFT: usize = 110;
const BOTTOM: usize = 60;

/// `counts` maps (likelihood, impact) to a number of risks; `href` gives a cell's link.
pub fn render(
    title: &str,
    method: &RiskMethod,
    counts: &HashMap<(u8, u8), i64>,
    href: impl Fn(u8, u8) -> String,
) -> String {
    let rows = method.likelihood.len();
    let columns = method.impact.len();
    let width = LEFT + columns * CELL + 10;
    let height = rows * CELL + BOTTOM + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heat-map\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        escape(title)
    );
    for step in &method.likelihood {
        let row = rows - usize::from(step.value);
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#1f2933\">{} {}</text>",
            LEFT - 6,
            row * CELL + CELL / 2 + 4,
            step.value,
            escape(&step.name)
        ));
        for impact in &method.impact {
            let x = LEFT + (usize::from(impact.value) - 1) * CELL;
            let y = row * CELL;
            let scored = method.score(step.value, impact.value);
            let (colour, level) = scored
                .as_ref()
                .and_then(|scored| method.level(scored.level))
                .map_or(("#d1d6dd", "?"), |level| {
                    (level.colour.as_str(), level.name.as_str())
                });
            let count = counts
                .get(&(step.value, impact.value))
                .copied()
                .unwrap_or(0);
            let label = format!(
                "Likelihood {} {} × impact {} {}: {level}, {count} risk{}",
                step.value,
                step.name,
                impact.value,
                impact.name,
                if count == 1 { "" } else { "s" }
            );
            svg.push_str(&format!(
                "<a href=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                escape(&href(step.value, impact.value)),
                escape(&label),
                CELL,
                CELL,
                escape(colour)
            ));
            if count > 0 {
                svg.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" font-family=\"sans-serif\" fill=\"#1f2933\">{count}</text>",
                    x + CELL / 2,
                    y + CELL / 2 + 6
                ));
            }
            svg.push_str("</a>");
        }
    }
    for impact in &method.impact {
        let x = LEFT + (usize::from(impact.value) - 1) * CELL + CELL / 2;
        svg.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#1f2933\">{}</text>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" font-family=\"sans-serif\" fill=\"#52606d\">{}</text>",
            rows * CELL + 16,
            impact.value,
            rows * CELL + 30,
            escape(&impact.name)
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" font-family=\"sans-serif\" fill=\"#1f2933\">Impact →</text>\
         <text x=\"12\" y=\"{}\" font-size=\"12\" font-family=\"sans-serif\" fill=\"#1f2933\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">Likelihood →</text></svg>",
        LEFT + columns * CELL / 2,
        rows * CELL + 50,
        rows * CELL / 2,
        rows * CELL / 2
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_links_to_its_risks_and_shows_its_count() {
        let method = RiskMethod::default_method();
        let counts = HashMap::from([((4, 5), 3)]);
        let svg = render("Inherent", &method, &counts, |l, i| {
            format!("/risks?inherent={l}x{i}")
        });
        assert_eq!(svg.matches("<rect").count(), 25);
        assert!(svg.contains("href=\"/risks?inherent=4x5\""));
        assert!(svg.contains("Likelihood 4 Likely × impact 5 Severe: Extreme, 3 risks"));
        assert!(svg.contains(">3</text>"));
    }
}
