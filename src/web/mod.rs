//! Shared HTTP machinery every feature uses: page layout context, flash messages, lists with
//! sorting/filtering/CSV, form validation, the conflict page, error pages and middleware.

pub mod assets;
pub mod bar_chart;
pub mod choices;
pub mod conflict;
pub mod csv_export;
pub mod dependency_map;
pub mod derived_cache;
pub mod error_pages;
pub mod flash;
pub mod form;
pub mod heat_map;
pub mod input;
pub mod list;
pub mod markdown;
pub mod middleware;
pub mod page;
pub mod paging;
pub mod picker;
pub mod record;

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

/// Whether `target` is a path on this site (and not `//evil.example`, `/\\evil.example`,
/// `https://…` or `/\t/evil.example`, which browsers read as another host), so that a sign-in
/// may redirect there. Only printable ASCII is accepted (addresses we make are percent-encoded),
/// and the same rules hold once percent-escapes are decoded.
pub fn is_local_path(target: &str) -> bool {
    let plain = |path: &[u8]| {
        path.first() == Some(&b'/')
            && !matches!(path.get(1), Some(b'/' | b'\\'))
            && !path
                .iter()
                .any(|&byte| byte == b'\\' || byte < 0x20 || byte == 0x7f)
    };
    target.chars().all(|c| c.is_ascii_graphic())
        && plain(target.as_bytes())
        && plain(&percent_decode(target.as_bytes()))
}

/// `target` if it is a local path (see [`is_local_path`]), else the home page.
pub fn local_path_or_home(target: &str) -> &str {
    if is_local_path(target) { target } else { "/" }
}

/// Decodes `%XX` escapes (anything else is kept as it is).
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |byte: u8| (byte as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| Some((hex(*bytes.get(index + 1)?)?, hex(*bytes.get(index + 2)?)?)))
            .flatten();
        match escaped {
            Some((high, low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    out
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
    fn paths_that_browsers_read_as_another_host_are_not_local() {
        for target in [
            "/\t/evil.example",
            "/\u{b}/evil.example",
            "/\r\n/evil.example",
            "/%09/evil.example",
            "/%0B/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/a\\b",
            "/ /evil.example",
            "/\u{202E}x",
            "/\0",
        ] {
            assert!(!is_local_path(target), "{target:?}");
            assert_eq!(local_path_or_home(target), "/");
        }
        assert_eq!(
            local_path_or_home("/services?q=Zo%C3%AB&page=2"),
            "/services?q=Zo%C3%AB&page=2"
        );
    }

    #[test]
    fn url_encoding_keeps_paths_readable() {
        assert_eq!(url_encode("/audit?x=a b&c"), "/audit%3Fx%3Da%20b%26c");
    }
}
