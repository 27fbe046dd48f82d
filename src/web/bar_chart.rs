//! A small horizontal bar chart as SVG (labels, counts, one colour per bar), for reports. Only
//! presentation attributes: the Content-Security-Policy allows no inline styles.

/// One bar: label, value, fill colour.
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub colour: &'static str,
}

/// Text made safe inside SVG markup and attributes (shared by the other pictures).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(title: &str, bars: &[Bar]) -> String {
    const LABEL_WIDTH: usize = 170;
    const BAR_SPACE: usize = 360;
    const ROW: usize = 30;
    let max = bars.iter().map(|bar| bar.value).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW + 10;
    let width = LABEL_WIDTH + BAR_SPACE + 50;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        escape(title)
    );
    for (index, bar) in bars.iter().enumerate() {
        let y = index * ROW + 5;
        let length = bar.value * BAR_SPACE / max;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" font-family=\"sans-serif\" fill=\"#1f2933\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{length}\" height=\"20\" rx=\"3\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" font-family=\"sans-serif\" fill=\"#1f2933\">{}</text>",
            LABEL_WIDTH - 8,
            y + 15,
            escape(&bar.label),
            LABEL_WIDTH,
            bar.colour,
            LABEL_WIDTH + length + 6,
            y + 15,
            bar.value
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_largest_and_labels_escaped() {
        let svg = render(
            "Services <by> tier",
            &[
                Bar {
                    label: "A & B".into(),
                    value: 4,
                    colour: "#f00",
                },
                Bar {
                    label: "C".into(),
                    value: 2,
                    colour: "#0f0",
                },
            ],
        );
        assert!(svg.contains("width=\"360\""));
        assert!(svg.contains("width=\"180\""));
        assert!(svg.contains("A &amp; B") && svg.contains("Services &lt;by&gt; tier"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn no_bars_still_renders() {
        assert!(render("Empty", &[]).starts_with("<svg"));
    }
}
