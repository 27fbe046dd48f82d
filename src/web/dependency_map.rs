//! A server-rendered SVG picture of a dependency graph (neighbourhood or whole estate): columns
//! by layer, dependents on the left of what they need, each node a link, coloured by tier, with
//! a stripe and letter by kind. Pure string building: no SQL, no HTTP.
//!
//! The Content-Security-Policy forbids inline styles, so the picture uses presentation
//! attributes only; `static/app.css` adds hover and focus touches through the classes.

mod layout;

use std::fmt::{self, Display, Write as _};

use layout::{Metrics, Route, Segment};

use crate::domain::svg::Esc;

/// One box on the map.
pub struct MapNode {
    /// Unique; used for element ids.
    pub id: String,
    /// Name shown, shortened to fit; the full name is in the tooltip.
    pub label: String,
    /// "process" | "service" | "component" | "site" | "contract".
    pub kind: &'static str,
    /// e.g. "IT service", or a component class like "Database".
    pub kind_label: String,
    /// e.g. "Mission critical"; `None` = not assessed yet.
    pub tier: Option<String>,
    /// 1 = most critical … 4; drives the colour.
    pub tier_rank: Option<u8>,
    /// Link target; empty for a node its reader may not open (drawn without a link).
    pub href: String,
    /// Column: lower = further left. Dependents are left of what they need.
    pub layer: i32,
    /// The node the map is centred on.
    pub highlight: bool,
}

/// `from` needs `to`: an arrow from → to, dashed when `redundant` (an alternative exists).
pub struct MapEdge {
    pub from: String,
    pub to: String,
    pub redundant: bool,
}

const MARGIN: f64 = 24.0;
/// Below the legend, above the graph.
const LEGEND_GAP: f64 = 20.0;
const LEGEND_ROW: f64 = 24.0;
/// Narrow maps are widened to this so the legend stays on few lines.
const MIN_WIDTH: f64 = 760.0;

/// Where the text and the kind's badge go in a box of a given size.
struct BoxText {
    text_x: f64,
    kind_y: f64,
    kind_size: f64,
    name_y: f64,
    name_size: f64,
    /// Longest name and kind line shown in full.
    name_chars: usize,
    kind_chars: usize,
    /// The badge's centre is this far from the box's right and top edges.
    icon_inset: f64,
    icon_r: f64,
}

const REGULAR_TEXT: BoxText = BoxText {
    text_x: 15.0,
    kind_y: 16.0,
    kind_size: 10.5,
    name_y: 34.0,
    name_size: 12.5,
    name_chars: 24,
    kind_chars: 28,
    icon_inset: 14.0,
    icon_r: 8.0,
};

const COMPACT_TEXT: BoxText = BoxText {
    text_x: 13.0,
    kind_y: 13.5,
    kind_size: 10.0,
    name_y: 28.0,
    name_size: 11.5,
    name_chars: 20,
    kind_chars: 21,
    icon_inset: 11.0,
    icon_r: 6.5,
};

const FONT: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', Roboto, system-ui, sans-serif";
const TEXT: &str = "#1f2933";
const TEXT_MUTED: &str = "#4b5563";
const EDGE: &str = "#8792a2";
const EDGE_FOCUS: &str = "#1f4e8c";
const HALO: &str = "#f0a500";

/// Fill and border of a box by tier: soft tints, on which the dark text keeps ≥ 7:1 contrast.
fn tier_colours(rank: Option<u8>) -> (&'static str, &'static str) {
    match rank {
        Some(0 | 1) => ("#fbdcd8", "#d9897f"),
        Some(2) => ("#fde8c2", "#d9a544"),
        Some(3) => ("#e6f0c6", "#a3be5e"),
        Some(_) => ("#d8ebe0", "#86b49b"),
        None => ("#eef0f3", "#b3bcc8"),
    }
}

/// Stripe colour, letter and legend name of a kind. White letters on these are ≥ 7:1.
fn kind_style(kind: &str) -> (&'static str, &'static str, &'static str) {
    match kind {
        "process" => ("#5b3a99", "P", "Business process"),
        "service" => ("#1f4e8c", "S", "IT service"),
        "component" => ("#0b6464", "C", "Component"),
        "site" => ("#7a4a1d", "⌂", "Site"),
        "contract" => ("#8c2f5c", "$", "Supplier contract"),
        _ => ("#4b5563", "•", "Other"),
    }
}

const KINDS: [&str; 5] = ["process", "service", "component", "site", "contract"];

/// Renders the map as one `<svg class="depmap" role="img">` element, sized 1:1 so that a big
/// map scrolls in its container instead of shrinking to illegibility.
pub fn render(nodes: &[MapNode], edges: &[MapEdge]) -> String {
    if nodes.is_empty() {
        return render_empty();
    }
    let layout = layout::layout(nodes, edges);
    let legend = Legend::new(nodes, layout.width.max(MIN_WIDTH));
    let width = layout.width.max(MIN_WIDTH).max(legend.width) + 2.0 * MARGIN;
    let graph_top = MARGIN + legend.height + LEGEND_GAP;
    let height = graph_top + layout.height + MARGIN;

    let mut out = String::with_capacity(1024 + nodes.len() * 900 + edges.len() * 160);
    let focus = nodes.iter().find(|n| n.highlight);
    let title = match focus {
        Some(n) => format!("Dependencies around {}", n.label),
        None => "Dependency map".to_owned(),
    };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="depmap" role="img" aria-labelledby="depmap-title" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{FONT}" font-size="12">"#,
        w = Num(width),
        h = Num(height),
    );
    let _ = write!(
        out,
        r#"<title id="depmap-title">{}: {} items, {} dependencies. Arrows point from each item to what it needs.</title>"#,
        Esc(&title),
        layout.nodes.len(),
        layout.edges.len(),
    );
    let _ = write!(
        out,
        concat!(
            "<defs>",
            r#"<marker id="depmap-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="{EDGE}"/></marker>"#,
            r#"<marker id="depmap-arrow-focus" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="{EDGE_FOCUS}"/></marker>"#,
            "</defs>",
            r##"<rect class="depmap-bg" width="100%" height="100%" fill="#ffffff"/>"##,
        ),
        EDGE = EDGE,
        EDGE_FOCUS = EDGE_FOCUS,
    );
    legend.write(&mut out, MARGIN, MARGIN);

    // Edges under the nodes; those touching the centre node last, so they stay visible.
    let ox = MARGIN;
    let oy = graph_top;
    let is_focus = |placed: usize| nodes[layout.nodes[placed].node].highlight;
    let _ = write!(
        out,
        r#"<g class="depmap-edges" fill="none" stroke="{EDGE}" stroke-width="1.3">"#
    );
    let mut focused = Vec::new();
    for edge in &layout.edges {
        if is_focus(edge.from) || is_focus(edge.to) {
            focused.push(edge);
        } else {
            write_edge(&mut out, edge, ox, oy, false);
        }
    }
    for edge in focused {
        write_edge(&mut out, edge, ox, oy, true);
    }
    out.push_str("</g><g class=\"depmap-nodes\">");
    // Reading order, column by column and top to bottom: also the keyboard's tab order.
    let mut in_order: Vec<&layout::Placed> = layout.nodes.iter().collect();
    in_order.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    for placed in in_order {
        write_node(
            &mut out,
            &nodes[placed.node],
            &layout.metrics,
            ox + placed.x,
            oy + placed.y,
        );
    }
    out.push_str("</g></svg>");
    out
}

fn render_empty() -> String {
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="depmap depmap-empty" role="img" aria-labelledby="depmap-title" viewBox="0 0 320 80" width="320" height="80" font-family="{font}">"#,
            r#"<title id="depmap-title">Dependency map: nothing to show</title>"#,
            r##"<rect class="depmap-bg" x="0.5" y="0.5" width="319" height="79" rx="6" fill="#ffffff" stroke="#d5dbe3"/>"##,
            r#"<text x="160" y="45" text-anchor="middle" font-size="14" font-style="italic" fill="{muted}">Nothing to show</text>"#,
            "</svg>"
        ),
        font = FONT,
        muted = TEXT_MUTED,
    )
}

fn write_edge(out: &mut String, edge: &layout::Routed, ox: f64, oy: f64, focus: bool) {
    let class = match edge.route {
        Route::Forward => "edge",
        Route::Backward => "edge edge-back",
        Route::SameColumn => "edge edge-same",
    };
    let _ = write!(
        out,
        r#"<path class="{class}{}{}" d="M{},{}"#,
        if edge.redundant {
            " edge-redundant"
        } else {
            ""
        },
        if focus { " edge-focus" } else { "" },
        Num(edge.start.0 + ox),
        Num(edge.start.1 + oy),
    );
    let p = |(x, y): (f64, f64)| (Num(x + ox), Num(y + oy));
    for segment in &edge.segments {
        let _ = match *segment {
            Segment::Curve(c1, c2, end) => {
                let (c1, c2, end) = (p(c1), p(c2), p(end));
                write!(
                    out,
                    " C{},{} {},{} {},{}",
                    c1.0, c1.1, c2.0, c2.1, end.0, end.1
                )
            }
            Segment::Line(end) => {
                let end = p(end);
                write!(out, " L{},{}", end.0, end.1)
            }
        };
    }
    out.push('"');
    if focus {
        let _ = write!(
            out,
            r#" stroke="{EDGE_FOCUS}" stroke-width="1.8" marker-end="url(#depmap-arrow-focus)""#
        );
    } else {
        out.push_str(r#" marker-end="url(#depmap-arrow)""#);
    }
    if edge.redundant {
        out.push_str(r#" stroke-dasharray="6 4""#);
    }
    out.push_str("/>");
}

fn write_node(out: &mut String, node: &MapNode, metrics: &Metrics, x: f64, y: f64) {
    let (w, h) = (metrics.node_w, metrics.node_h);
    let t = if metrics.compact {
        &COMPACT_TEXT
    } else {
        &REGULAR_TEXT
    };
    let (fill, border) = tier_colours(node.tier_rank);
    let (kind_colour, _, kind_name) = kind_style(node.kind);
    let tier_text = match (&node.tier, node.tier_rank) {
        (Some(tier), Some(rank)) => format!("Tier {rank}, {tier}"),
        (Some(tier), None) => tier.clone(),
        (None, Some(rank)) => format!("Tier {rank}"),
        (None, None) => "Tier not assessed".to_owned(),
    };
    // In a compact box the tier goes first: if the line is cut, the badge still tells the kind.
    let kind_line = match node.tier_rank {
        Some(rank) if metrics.compact => format!("Tier {rank} · {}", node.kind_label),
        Some(rank) => format!("{} · Tier {rank}", node.kind_label),
        None => node.kind_label.clone(),
    };
    let _ = write!(
        out,
        r#"<a{} id="depmap-n-{}" class="depmap-node node-{}{}{}">"#,
        if node.href.is_empty() {
            String::new()
        } else {
            format!(r#" href="{}""#, Esc(&node.href))
        },
        IdPart(&node.id),
        IdPart(node.kind),
        match node.tier_rank {
            Some(rank) => format!(" tier-{rank}"),
            None => " tier-none".to_owned(),
        },
        if node.highlight { " highlight" } else { "" },
    );
    // Full name, kind (with the general kind when the label is narrower, e.g. "Database"), tier.
    let _ = write!(
        out,
        "<title>{}\n{}",
        Esc(&node.label),
        Esc(&node.kind_label)
    );
    if node.kind_label != kind_name {
        let _ = write!(out, " ({kind_name})");
    }
    let _ = write!(out, " · {}</title>", Esc(&tier_text));
    if node.highlight {
        let _ = write!(
            out,
            r#"<rect class="halo" x="{}" y="{}" width="{}" height="{}" rx="9" fill="none" stroke="{HALO}" stroke-width="3"/>"#,
            Num(x - 4.0),
            Num(y - 4.0),
            Num(w + 8.0),
            Num(h + 8.0),
        );
    }
    // A nested viewport clips any text that the estimate of its width got wrong.
    let _ = write!(
        out,
        r#"<svg x="{}" y="{}" width="{}" height="{}" overflow="hidden">"#,
        Num(x),
        Num(y),
        Num(w),
        Num(h),
    );
    let _ = write!(
        out,
        concat!(
            r#"<rect class="box" x="0.5" y="0.5" width="{bw}" height="{bh}" rx="6" fill="{fill}" stroke="{border}" stroke-width="{sw}"/>"#,
            r#"<path class="stripe" d="M7,0 H6 A6,6 0 0 0 0,6 V{v} A6,6 0 0 0 6,{h} H7 Z" fill="{kc}"/>"#,
            r#"<text class="kind" x="{tx}" y="{ky}" font-size="{ks}" fill="{muted}">{kind}</text>"#,
            r#"<text class="name" x="{tx}" y="{ny}" font-size="{ns}" font-weight="{weight}" fill="{text}">{name}</text>"#,
        ),
        bw = Num(w - 1.0),
        bh = Num(h - 1.0),
        fill = fill,
        border = if node.highlight { TEXT } else { border },
        sw = if node.highlight { "1.5" } else { "1" },
        v = Num(h - 6.0),
        h = Num(h),
        kc = kind_colour,
        tx = Num(t.text_x),
        ky = Num(t.kind_y),
        ks = Num(t.kind_size),
        ny = Num(t.name_y),
        ns = Num(t.name_size),
        muted = TEXT_MUTED,
        kind = Esc(&truncate(&kind_line, t.kind_chars)),
        weight = if node.highlight { "700" } else { "600" },
        text = TEXT,
        name = Esc(&truncate(&node.label, t.name_chars)),
    );
    write_icon(out, node.kind, w - t.icon_inset, t.icon_inset, t.icon_r);
    out.push_str("</svg></a>");
}

/// The kind's badge: a white letter on a disc of the kind's colour (a drawn house for a site,
/// since the ⌂ glyph is tiny or missing in many fonts).
fn write_icon(out: &mut String, kind: &str, cx: f64, cy: f64, r: f64) {
    let (colour, letter, _) = kind_style(kind);
    let _ = write!(
        out,
        r#"<circle class="icon" cx="{}" cy="{}" r="{}" fill="{colour}"/>"#,
        Num(cx),
        Num(cy),
        Num(r),
    );
    // Drawn for r = 8, scaled.
    let k = r / 8.0;
    if kind == "site" {
        let (half, rise) = (Num(4.5 * k), Num(4.3 * k));
        let _ = write!(
            out,
            r##"<path class="icon-letter" d="M{},{} l{half},-{rise} l{half},{rise} v{rise} h-{} z" fill="#ffffff"/>"##,
            Num(cx - 4.5 * k),
            Num(cy + 0.3 * k),
            Num(9.0 * k),
        );
    } else {
        let _ = write!(
            out,
            r##"<text class="icon-letter" x="{}" y="{}" font-size="{}" font-weight="700" text-anchor="middle" fill="#ffffff">{letter}</text>"##,
            Num(cx),
            Num(cy + 3.5 * k),
            Num(10.0 * k),
        );
    }
}

/// The key to colours and line styles, laid out in rows that wrap at `max_width`.
struct Legend {
    items: Vec<(f64, f64, LegendItem)>,
    width: f64,
    height: f64,
}

enum LegendItem {
    Heading(&'static str),
    Tier(Option<u8>, String),
    Kind(&'static str),
    Edge { dashed: bool, text: &'static str },
}

impl Legend {
    fn new(nodes: &[MapNode], max_width: f64) -> Self {
        let tier_name = |rank: u8| {
            nodes
                .iter()
                .find(|n| n.tier_rank == Some(rank))
                .and_then(|n| n.tier.as_deref())
        };
        let tiers = (1..=4u8)
            .map(|rank| {
                // The names come from the nodes; a tier absent from the map shows its number.
                let text = match tier_name(rank) {
                    Some(name) => format!("{rank} {name}"),
                    None => rank.to_string(),
                };
                LegendItem::Tier(Some(rank), text)
            })
            .chain([LegendItem::Tier(None, "Not assessed".to_owned())]);
        let mut first_row = vec![LegendItem::Heading("Tier")];
        first_row.extend(tiers);

        let mut second_row = vec![LegendItem::Heading("Kind")];
        second_row.extend(
            KINDS
                .iter()
                .filter(|&&kind| nodes.iter().any(|n| n.kind == kind))
                .map(|&kind| LegendItem::Kind(kind)),
        );
        if nodes.iter().any(|n| !KINDS.contains(&n.kind)) {
            second_row.push(LegendItem::Kind("other"));
        }
        second_row.push(LegendItem::Heading("Arrow"));
        second_row.push(LegendItem::Edge {
            dashed: false,
            text: "needs",
        });
        second_row.push(LegendItem::Edge {
            dashed: true,
            text: "needs, has an alternative",
        });

        let mut items = Vec::new();
        let (mut width, mut y) = (0.0_f64, 0.0);
        for row in [first_row, second_row] {
            let mut x = 0.0;
            for item in row {
                let w = item.width();
                if x > 0.0 && x + w > max_width {
                    x = 0.0;
                    y += LEGEND_ROW;
                }
                items.push((x, y, item));
                x += w;
                width = width.max(x);
            }
            y += LEGEND_ROW;
        }
        Legend {
            items,
            width,
            height: y - LEGEND_ROW + 16.0,
        }
    }

    fn write(&self, out: &mut String, left: f64, top: f64) {
        out.push_str(r#"<g class="depmap-legend">"#);
        for (x, y, item) in &self.items {
            let (x, y) = (left + x, top + y);
            let text_y = Num(y + 12.0);
            match item {
                LegendItem::Heading(text) => {
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{text_y}" font-weight="700" fill="{TEXT}">{text}</text>"#,
                        Num(x),
                    );
                }
                LegendItem::Tier(rank, text) => {
                    let (fill, border) = tier_colours(*rank);
                    let _ = write!(
                        out,
                        concat!(
                            r#"<rect x="{}" y="{}" width="22" height="15" rx="3" fill="{}" stroke="{}"/>"#,
                            r#"<text x="{}" y="{}" fill="{}">{}</text>"#,
                        ),
                        Num(x + 0.5),
                        Num(y + 0.5),
                        fill,
                        border,
                        Num(x + 29.0),
                        text_y,
                        TEXT,
                        Esc(text),
                    );
                }
                LegendItem::Kind(kind) => {
                    write_icon(out, kind, x + 8.0, y + 8.0, 8.0);
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{text_y}" fill="{TEXT}">{}</text>"#,
                        Num(x + 22.0),
                        kind_style(kind).2,
                    );
                }
                LegendItem::Edge { dashed, text } => {
                    let _ = write!(
                        out,
                        r#"<path d="M{},{} H{}" fill="none" stroke="{EDGE}" stroke-width="1.3" marker-end="url(#depmap-arrow)"{}/>"#,
                        Num(x),
                        Num(y + 8.0),
                        Num(x + 34.0),
                        if *dashed {
                            r#" stroke-dasharray="6 4""#
                        } else {
                            ""
                        },
                    );
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{text_y}" fill="{TEXT}">{text}</text>"#,
                        Num(x + 42.0),
                    );
                }
            }
        }
        out.push_str("</g>");
    }
}

impl LegendItem {
    /// Estimated width including the space after it; 12 px text averages about 6 px a
    /// character in the usual sans-serif faces.
    fn width(&self) -> f64 {
        let text = |s: &str| s.chars().count() as f64 * 6.4;
        match self {
            LegendItem::Heading(t) => text(t) + 12.0,
            LegendItem::Tier(_, t) => 29.0 + text(t) + 18.0,
            LegendItem::Kind(kind) => 22.0 + text(kind_style(kind).2) + 18.0,
            LegendItem::Edge { text: t, .. } => 42.0 + text(t) + 18.0,
        }
    }
}

/// At most `max` characters, the last an ellipsis when something was cut.
fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}…", kept.trim_end())
}

/// Any string as a fragment of an element id or class: letters, digits and `-` kept, every
/// other byte as `_xx` hex, so distinct ids stay distinct.
struct IdPart<'a>(&'a str);

impl Display for IdPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'-' {
                f.write_char(byte as char)?;
            } else {
                write!(f, "_{byte:02x}")?;
            }
        }
        Ok(())
    }
}

/// A coordinate, to one decimal and without a trailing ".0".
struct Num(f64);

impl Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", (tenths / 10.0) as i64)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

#[cfg(test)]
mod tests;
