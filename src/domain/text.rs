//! Rules for text that comes from outside (forms, addresses, uploaded files): which control
//! characters make no sense where, how to show them to a person, and how to clean a file name.
//! The web extractors and the CSV import apply these once, at the edge.

/// The first character that makes no sense in this kind of text: any control character in
/// one-line text (names, search terms, addresses), any but tab, line feed and carriage return in
/// multi-line text (descriptions, notes). Returns its 1-based position and the character.
pub fn first_control(text: &str, multi_line: bool) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !(multi_line && matches!(c, '\t' | '\n' | '\r')))
        .map(|(index, c)| (index + 1, c))
}

/// A character's code point and, for the common ones, its name: "U+0000 (NUL)".
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\0' => Some("NUL"),
        '\u{7}' => Some("BEL"),
        '\u{8}' => Some("backspace"),
        '\t' => Some("tab"),
        '\n' => Some("line feed"),
        '\u{b}' => Some("vertical tab"),
        '\u{c}' => Some("form feed"),
        '\r' => Some("carriage return"),
        '\u{1b}' => Some("escape"),
        '\u{7f}' => Some("DEL"),
        _ => None,
    };
    match name {
        Some(name) => format!("U+{:04X} ({name})", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

/// The text with its control characters shown as visible symbols (NUL as ␀, escape as ␛,
/// others as ⟨U+0085⟩), so a person can see what was sent and copy the rest. Line breaks and
/// tabs stay as they are in multi-line text.
pub fn make_visible(text: &str, multi_line: bool) -> String {
    let text = if multi_line {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' if multi_line => shown.push(c),
            '\0'..='\u{1f}' => shown.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => shown.push('␡'),
            c if c.is_control() => shown.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => shown.push(c),
        }
    }
    shown
}

/// Characters that change the direction text is shown in, or are invisible: a file name
/// `invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The most characters a stored file name keeps.
const MAX_FILE_NAME: usize = 200;

/// A file name safe to store, show and send back in a header: the last part of a path, without
/// control, direction-changing or invisible characters or quotes, at most 200 characters;
/// `fallback` when nothing is left.
pub fn clean_file_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|&c| !c.is_control() && !is_invisible_format(c) && c != '"')
        .take(MAX_FILE_NAME)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        fallback.to_string()
    } else {
        cleaned.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_refuses_every_control_character() {
        assert_eq!(first_control("Pay\0roll", false), Some((4, '\0')));
        assert_eq!(first_control("a\tb", false), Some((2, '\t')));
        assert_eq!(first_control("a\u{85}b", false), Some((2, '\u{85}')));
        assert_eq!(first_control("Zoë → Ünïcode ✓", false), None);
    }

    #[test]
    fn multi_line_text_keeps_tabs_and_line_breaks_only() {
        assert_eq!(first_control("line one\r\nline\ttwo\n", true), None);
        assert_eq!(first_control("bell\u{7}", true), Some((5, '\u{7}')));
        assert_eq!(first_control("\u{b}", true), Some((1, '\u{b}')));
        assert_eq!(first_control("nul\0", true), Some((4, '\0')));
    }

    #[test]
    fn control_characters_are_named_for_people() {
        assert_eq!(describe_char('\0'), "U+0000 (NUL)");
        assert_eq!(describe_char('\u{b}'), "U+000B (vertical tab)");
        assert_eq!(describe_char('\u{85}'), "U+0085");
    }

    #[test]
    fn invisible_characters_are_made_visible() {
        assert_eq!(make_visible("a\0b\u{1b}c\u{7f}", false), "a␀b␛c␡");
        assert_eq!(make_visible("x\u{85}", false), "x⟨U+0085⟩");
        assert_eq!(make_visible("a\tb", false), "a␉b");
        assert_eq!(make_visible("one\r\ntwo\tthree", true), "one\ntwo\tthree");
    }

    #[test]
    fn file_names_lose_direction_overrides_and_invisible_characters() {
        assert_eq!(
            clean_file_name("invoice\u{202E}fdp.exe", "document"),
            "invoicefdp.exe"
        );
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}',
            '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\0', '\u{1b}', '\u{85}',
        ] {
            assert_eq!(
                clean_file_name(&format!("a{c}b.pdf"), "x"),
                "ab.pdf",
                "{c:?}"
            );
        }
    }

    #[test]
    fn file_names_lose_their_paths_and_quotes() {
        assert_eq!(clean_file_name("C:\\docs\\a\"b.pdf", "document"), "ab.pdf");
        assert_eq!(clean_file_name("../../etc/passwd", "document"), "passwd");
        assert_eq!(clean_file_name("", "document"), "document");
        assert_eq!(clean_file_name("\u{202E}\0 ", "upload.csv"), "upload.csv");
        assert_eq!(clean_file_name(&"a".repeat(300), "x").chars().count(), 200);
        assert_eq!(
            clean_file_name("Übersicht – 2026.pdf", "x"),
            "Übersicht – 2026.pdf"
        );
    }
}
