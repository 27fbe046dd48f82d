//! Form validation: one error message per field, shown next to the field, with everything the
//! user typed kept (forms are plain `String` structs so nothing is lost to parsing).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Messages keyed by field name.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// Runs the form's `garde` rules. `messages` gives the sentence to show for a field that
    /// fails (garde's own wording is for developers).
    pub fn validate<T: garde::Validate<Context = ()>>(form: &T, messages: &[(&str, &str)]) -> Self {
        let mut errors = Self::default();
        if let Err(report) = form.validate() {
            for (path, error) in report.iter() {
                let field = path.to_string();
                let message = messages
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, message)| message.to_string())
                    .unwrap_or_else(|| capitalise(error.message()));
                errors.0.entry(field).or_insert(message);
            }
        }
        errors
    }

    /// Adds a message for a field (the first message for a field wins).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The messages in field order, for the summary at the top of a form.
    pub fn messages(&self) -> Vec<&str> {
        self.0.values().map(String::as_str).collect()
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A garde rule for names and other required text: spaces alone are not a value (the database
/// stores it trimmed, and would refuse the empty result).
pub fn not_blank(value: &str, _context: &()) -> garde::Result {
    if value.trim().is_empty() {
        Err(garde::Error::new("must not be blank"))
    } else {
        Ok(())
    }
}

/// A re-rendered form that was refused: status 422 so clients and tests can tell.
pub fn rejected(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(garde::Validate)]
    struct Example {
        #[garde(length(min = 1, max = 10))]
        name: String,
        #[garde(email)]
        email: String,
    }

    #[test]
    fn each_failing_field_gets_its_message() {
        let form = Example {
            name: String::new(),
            email: "not an email".into(),
        };
        let errors = FieldErrors::validate(&form, &[("name", "Enter a name.")]);
        assert_eq!(errors.get("name"), Some("Enter a name."));
        assert!(errors.has("email"));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn a_valid_form_has_no_errors() {
        let form = Example {
            name: "Ada".into(),
            email: "ada@example.com".into(),
        };
        assert!(FieldErrors::validate(&form, &[]).is_empty());
    }
}
