//! Markdown written in plans, rendered to HTML that cannot run anything: pulldown-cmark turns it
//! into HTML, then ammonia keeps only harmless tags and attributes (no script, no event handlers,
//! no `javascript:` links). Images are dropped everywhere: the pages' Content-Security-Policy
//! would block outside images anyway, and the offline copy must not request anything.

use std::collections::HashSet;

use pulldown_cmark::{Options, Parser, html};

/// For pages in the application: links stay links.
pub fn to_safe_html(markdown: &str) -> String {
    clean(markdown, false)
}

/// For the offline copy: links become their text, so the file refers to nothing outside itself.
pub fn to_self_contained_html(markdown: &str) -> String {
    clean(markdown, true)
}

fn clean(markdown: &str, without_links: bool) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    let mut removed: HashSet<&str> = HashSet::from(["img"]);
    if without_links {
        removed.insert("a");
    }
    ammonia::Builder::default()
        .rm_tags(removed)
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = to_safe_html("# Scope\n\n*Only* the **payroll** service.\n\n- one\n- two");
        assert!(html.contains("<h1>Scope</h1>"));
        assert!(html.contains("<em>Only</em>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn a_script_tag_renders_harmless() {
        let html = to_safe_html("Hello <script>alert('x')</script> world");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert"), "{html}");
        assert!(html.contains("Hello"));
    }

    #[test]
    fn event_handlers_and_javascript_links_are_removed() {
        let html = to_safe_html(
            "<p onclick=\"steal()\">Hi</p>\n\n[click](javascript:steal())\n\n<a href=\"javascript:x()\">x</a>",
        );
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn images_are_dropped_and_offline_links_become_text() {
        let markdown =
            "![logo](https://example.com/logo.png) See [the wiki](https://wiki.example.com).";
        let html = to_safe_html(markdown);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("href=\"https://wiki.example.com\""));
        let offline = to_self_contained_html(markdown);
        assert!(!offline.contains("href"), "{offline}");
        assert!(offline.contains("the wiki"));
    }
}
