//! The 409 page for a stale edit: the user's version and the stored one side by side, with the
//! user's input kept so they can re-apply it deliberately.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;
use crate::web::page::PageContext;

pub struct ConflictField {
    pub label: String,
    pub yours: String,
    pub current: String,
}

impl ConflictField {
    pub fn new(label: &str, yours: impl Into<String>, current: impl Into<String>) -> Self {
        Self {
            label: label.to_string(),
            yours: yours.into(),
            current: current.into(),
        }
    }

    pub fn differs(&self) -> bool {
        self.yours != self.current
    }
}

#[derive(Template)]
#[template(path = "conflict.html")]
pub struct ConflictPage {
    pub ctx: PageContext,
    /// What was being edited, e.g. "the user Jane Doe".
    pub subject: String,
    pub fields: Vec<ConflictField>,
    /// The user's submitted form values (name, value), re-sent if they choose to keep theirs.
    pub hidden: Vec<(String, String)>,
    /// Where the user's version can be submitted again (against the current version).
    pub form_action: String,
    pub current_version: i32,
    /// Where to see the stored version.
    pub current_href: String,
}

impl ConflictPage {
    pub fn into_response(self) -> Result<Response, AppError> {
        let html = self.render().map_err(anyhow::Error::from)?;
        Ok((StatusCode::CONFLICT, Html(html)).into_response())
    }
}
