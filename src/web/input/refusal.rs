//! The one page for input that could not be used: which field was wrong and why, everything that
//! was sent (read-only, invisible characters made visible, passwords never echoed) and a way
//! back to the form that keeps what the browser still holds.

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::domain::text::make_visible;
use crate::web::page::PageContext;

/// Where the refused input came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A form's body: multi-line text may hold tabs and line breaks.
    Form,
    /// The query string of an address: one-line values only.
    Address,
}

/// One field that could not be used, and why (a sentence starting in lower case, after the name).
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

#[derive(Debug)]
pub struct InputRefused {
    source: Source,
    problems: Vec<Problem>,
    fields: Vec<(String, String)>,
    back: String,
}

impl InputRefused {
    pub fn new(
        source: Source,
        problems: Vec<Problem>,
        fields: Vec<(String, String)>,
        back: String,
    ) -> Self {
        Self {
            source,
            problems,
            fields,
            back,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

struct ProblemView {
    label: String,
    message: String,
}

struct FieldView {
    id: String,
    label: String,
    value: String,
    rows: usize,
    masked: bool,
    wrong: bool,
}

#[derive(Template)]
#[template(path = "input_refused.html")]
struct RefusalPage {
    ctx: PageContext,
    heading: &'static str,
    intro: &'static str,
    back: String,
    back_label: &'static str,
    problems: Vec<ProblemView>,
    fields: Vec<FieldView>,
}

/// A field name as a person reads it: `display_name` → "display name".
fn label(name: &str) -> String {
    let shown = make_visible(name, false).replace('_', " ");
    if shown.trim().is_empty() {
        "(a field without a name)".to_string()
    } else {
        shown
    }
}

/// Secrets are never echoed back into a page.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name.contains("token") || name.contains("secret")
}

impl IntoResponse for InputRefused {
    fn into_response(self) -> Response {
        let fields_named: Vec<&str> = self.problems.iter().map(|p| p.field.as_str()).collect();
        tracing::info!(fields = ?fields_named, source = ?self.source, "input refused");
        let multi_line = self.source == Source::Form;
        let (heading, intro, back_label) = match self.source {
            Source::Form => (
                "Some of what you sent could not be used",
                "Nothing was saved. Go back to the form, correct the field named below and send it again; what you typed is shown further down so nothing is lost.",
                "Back to the form",
            ),
            Source::Address => (
                "This address could not be used",
                "The address holds a value that cannot be searched for or filtered by. Go back and try again without it.",
                "Go back",
            ),
        };
        let fields = self
            .fields
            .iter()
            .enumerate()
            .map(|(index, (name, value))| {
                let value = make_visible(value, multi_line);
                FieldView {
                    id: format!("sent-{index}"),
                    label: label(name),
                    rows: value.lines().count().clamp(1, 12),
                    masked: is_secret(name),
                    wrong: self.problems.iter().any(|problem| problem.field == *name),
                    value,
                }
            })
            .collect();
        let page = RefusalPage {
            ctx: PageContext::anonymous(heading),
            heading,
            intro,
            back: self.back,
            back_label,
            problems: self
                .problems
                .into_iter()
                .map(|problem| ProblemView {
                    label: label(&problem.field),
                    message: problem.message,
                })
                .collect(),
            fields,
        };
        let mut response = match page.render() {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response(),
            Err(error) => {
                tracing::error!(error = %error, "input refusal page failed to render");
                StatusCode::UNPROCESSABLE_ENTITY.into_response()
            }
        };
        // Lets the page script show this page in full when htmx asked for part of a page.
        response
            .headers_mut()
            .insert("x-input-refused", HeaderValue::from_static("1"));
        response
    }
}

/// The page to go back to: the same-site page the request came from, else the home page.
pub fn back_link(headers: &HeaderMap) -> String {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    let (Some(referer), Some(host)) = (text(header::REFERER), text(header::HOST)) else {
        return "/".into();
    };
    ["http://", "https://"]
        .iter()
        .find_map(|scheme| referer.strip_prefix(scheme)?.strip_prefix(host))
        .filter(|path| crate::web::is_local_path(path))
        .map_or_else(|| "/".into(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_way_back_is_the_same_site_page_the_form_came_from() {
        let same = headers(&[
            ("host", "app.example"),
            ("referer", "https://app.example/services/new?x=1"),
        ]);
        assert_eq!(back_link(&same), "/services/new?x=1");
        let other = headers(&[
            ("host", "app.example"),
            ("referer", "https://app.example.evil/x"),
        ]);
        assert_eq!(back_link(&other), "/");
        assert_eq!(back_link(&headers(&[])), "/");
    }

    async fn page_of(refused: InputRefused) -> (StatusCode, String) {
        let response = refused.into_response();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, String::from_utf8(body.to_vec()).expect("utf-8"))
    }

    #[tokio::test]
    async fn the_page_names_the_field_shows_what_was_typed_and_leads_back() {
        let refused = InputRefused::new(
            Source::Form,
            vec![Problem::new("display_name", "it holds a NUL.")],
            vec![
                ("display_name".into(), "Owen\0Price".into()),
                ("notes".into(), "line one\r\nline <two>".into()),
                ("new_password".into(), "orchard-violet".into()),
            ],
            "/admin/users/new".into(),
        );
        let (status, page) = page_of(refused).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("<strong>display name</strong>: it holds a NUL."));
        assert!(page.contains("Owen␀Price"));
        assert!(page.contains("line one\nline &#60;two&#62;"), "{page}");
        assert!(!page.contains("orchard-violet"));
        assert!(page.contains("href=\"/admin/users/new\" data-history-back"));
    }

    #[test]
    fn passwords_are_never_echoed() {
        assert!(is_secret("current_password"));
        assert!(is_secret("Password"));
        assert!(!is_secret("display_name"));
    }
}
