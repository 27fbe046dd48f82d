//! Shared HTTP machinery every feature uses: page layout context, flash messages, lists with
//! sorting/filtering/CSV, form validation, the conflict page, error pages and middleware.

pub mod assets;
pub mod bar_chart;
pub mod choices;
pub mod conflict;
pub mod csv_export;
pub mod dependency_map;
pub mod error_pages;
pub mod flash;
pub mod form;
pub mod input;
pub mod list;
pub mod markdown;
pub mod middleware;
pub mod page;

/// Percent-encodes a value for use in a URL query string.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Whether `target` is a path on this site (and not `//evil.example` or `https://…`), so that
/// a sign-in may redirect there.
pub fn is_local_path(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.contains(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert!(is_local_path("/admin/users?page=2"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("javascript:alert(1)"));
        assert!(!is_local_path(""));
    }

    #[test]
    fn url_encoding_keeps_paths_readable() {
        assert_eq!(url_encode("/audit?x=a b&c"), "/audit%3Fx%3Da%20b%26c");
    }
}
