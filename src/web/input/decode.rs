//! Reading `application/x-www-form-urlencoded` text (a form body or a query string) into a
//! handler's type, or into the reasons it cannot be read.

use serde::de::DeserializeOwned;

use super::refusal::{InputRefused, Problem, Source};
use crate::domain::text::{describe_char, first_control};

/// Fields a handler sanitises itself and never refuses: `next` (the page to return to after
/// sign-in) falls back to the home page when it is not a plain local path.
const SANITISED_BY_HANDLER: &[&str] = &["next"];

/// The form fields that are text areas (by the last part of their name, so `category.2.criteria`
/// counts as `criteria`): only these keep tabs and line breaks. A line break in a name, a
/// reference or a telephone number would split CSV rows and make two names look alike.
const MULTI_LINE_FIELDS: &[&str] = &[
    "address",
    "cause",
    "comment",
    "conclusion",
    "consequence",
    "criteria",
    "description",
    "event",
    "evidence",
    "exit_plan",
    "instructions",
    "justification",
    "notes",
    "objectives",
    "scenario",
    "section_body",
    "treatment_note",
    "vulnerability",
];

fn is_multi_line(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    MULTI_LINE_FIELDS.contains(&last)
}

/// Decodes `bytes` as `T`, refusing control characters first: none in names or query strings;
/// tab, line feed and carriage return only in the form fields that are text areas.
pub fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    source: Source,
    back: String,
) -> Result<T, InputRefused> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(bytes).into_owned().collect();
    let mut problems: Vec<Problem> = Vec::new();
    for (name, value) in &pairs {
        let multi_line = source == Source::Form && is_multi_line(name);
        if let Some((_, c)) = first_control(name, false) {
            problems.push(Problem::new(
                name,
                format!(
                    "the field's name holds an invisible control character, {}.",
                    describe_char(c)
                ),
            ));
        } else if !SANITISED_BY_HANDLER.contains(&name.as_str())
            && let Some((position, c)) = first_control(value, multi_line)
        {
            problems.push(Problem::new(name, control_message(c, position, multi_line)));
        }
    }
    if problems.is_empty() {
        let deserializer = serde_html_form::Deserializer::new(form_urlencoded::parse(bytes));
        match serde_path_to_error::deserialize(deserializer) {
            Ok(value) => return Ok(value),
            Err(error) => problems.push(explain(&error, &pairs)),
        }
    }
    problems.dedup_by(|a, b| a.field == b.field);
    Err(InputRefused::new(source, problems, pairs, back))
}

fn control_message(c: char, position: usize, multi_line: bool) -> String {
    let allowed = if multi_line {
        " Only tabs and line breaks are kept, and only in text that can have several lines."
    } else if matches!(c, '\t' | '\n' | '\r') {
        " This field holds a single line: write it without tabs or line breaks."
    } else {
        ""
    };
    format!(
        "it holds an invisible control character, {}, at character {position} (shown as a symbol below). Remove it and send again.{allowed}",
        describe_char(c)
    )
}

/// Says in words why a value could not be read into the handler's type.
fn explain(
    error: &serde_path_to_error::Error<serde_html_form::de::Error>,
    pairs: &[(String, String)],
) -> Problem {
    let message = error.inner().to_string();
    let path = error.path().to_string();
    // A missing field is reported at the root, with the field's name in backticks.
    let field = if path == "." || path.is_empty() {
        message.split('`').nth(1).unwrap_or_default().to_string()
    } else {
        path.split(['.', '['])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(name, _)| *name == field)
        .map(|(_, value)| value.as_str())
        .collect();
    let shown = values.first().copied().unwrap_or_default();
    let reason = if values.len() > 1 {
        format!(
            "it was sent {} times, but this form has it once. Reload the form and fill it in again.",
            values.len()
        )
    } else if message.starts_with("missing field") {
        "it is missing from what was sent. Reload the form and fill it in again.".to_string()
    } else if message.starts_with("unknown variant") {
        format!("“{shown}” is not one of the choices this form offers.")
    } else if [
        "invalid digit",
        "cannot parse integer",
        "number too",
        "invalid float",
    ]
    .iter()
    .any(|clue| message.contains(clue))
    {
        format!("it should be a number, but it was “{shown}”.")
    } else if message.contains("`true` or `false`") {
        format!("it should be yes or no, but it was “{shown}”.")
    } else {
        format!("it could not be read ({message}).")
    };
    Problem::new(&field, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code, reason = "only whether it decodes matters")]
    struct Example {
        #[serde(default)]
        name: String,
        #[serde(default)]
        version: i32,
        #[serde(default)]
        service: Vec<String>,
        #[serde(default)]
        notes: String,
    }

    fn refusal(body: &str, source: Source) -> InputRefused {
        decode::<Example>(body.as_bytes(), source, "/".into()).unwrap_err()
    }

    #[test]
    fn a_well_formed_form_decodes_with_repeated_choices() {
        let example: Example = decode(
            b"name=Pay&version=3&service=a&service=b",
            Source::Form,
            "/".into(),
        )
        .unwrap();
        assert_eq!(example.service, ["a", "b"]);
    }

    #[test]
    fn a_nul_is_refused_and_named_with_its_field() {
        let refused = refusal("name=Pay%00roll&version=1", Source::Form);
        assert_eq!(refused.problems()[0].field, "name");
        assert!(refused.problems()[0].message.contains("U+0000 (NUL)"));
        assert!(refused.problems()[0].message.contains("character 4"));
    }

    #[test]
    fn line_breaks_are_text_in_forms_but_refused_in_addresses() {
        let ok: Result<Example, _> = decode(b"notes=a%0D%0Ab%09c", Source::Form, "/".into());
        assert!(ok.is_ok());
        let refused = refusal("notes=a%0Ab", Source::Address);
        assert_eq!(refused.problems()[0].field, "notes");
    }

    #[test]
    fn a_single_line_field_refuses_a_line_break_or_a_tab() {
        let refused = refusal("name=Pay%0Aroll&version=1", Source::Form);
        assert_eq!(refused.problems()[0].field, "name");
        assert!(refused.problems()[0].message.contains("single line"));
        let refused = refusal("name=Pay%09&version=1", Source::Form);
        assert_eq!(refused.problems()[0].field, "name");
        assert!(is_multi_line("category.2.criteria"));
        assert!(!is_multi_line("role_name"));
    }

    #[test]
    fn a_duplicated_field_is_named() {
        let refused = refusal("name=a&name=b", Source::Form);
        assert_eq!(refused.problems()[0].field, "name");
        assert!(refused.problems()[0].message.contains("sent 2 times"));
    }

    #[test]
    fn a_non_numeric_version_is_named() {
        let refused = refusal("name=a&version=abc", Source::Form);
        assert_eq!(refused.problems()[0].field, "version");
        assert!(refused.problems()[0].message.contains("should be a number"));
        assert!(refused.problems()[0].message.contains("abc"));
    }

    #[test]
    fn the_return_address_is_left_to_its_handler() {
        #[derive(serde::Deserialize)]
        struct Login {
            next: String,
        }
        let login: Login = decode(b"next=/%0B/evil.example", Source::Form, "/".into()).unwrap();
        assert_eq!(login.next, "/\u{b}/evil.example");
    }
}
