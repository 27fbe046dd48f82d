//! The one error type handlers return. Which variant to use when:
//! - `NotFound` / `Forbidden`: the object does not exist / the user may not do this (friendly page).
//! - `SignInRequired`: no valid session; the user is sent to the login page and back afterwards.
//! - `PasswordChangeRequired`: signed in, but must first choose their own password (pages lead
//!   to the password change, writes are refused with 403).
//! - `Unavailable`: PostgreSQL cannot be reached (503), never a crash; `Busy`: no pooled
//!   connection came free in time (503, without taking the instance offline).
//! - `BadRequest`: a request no form of ours would send (tampered ids, unknown choices).
//! - `Internal`: anything else; logged once here with its cause, shown as a page with a request id.
//!
//! Form validation is not an error: handlers re-render their form with status 422 (see `web::form`).
//! A stale edit is not an error either: handlers render the conflict page (see `web::conflict`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    SignInRequired { next: String },
    #[error("password change required")]
    PasswordChangeRequired { read: bool },
    #[error("database unavailable")]
    Unavailable,
    /// Every pooled connection stayed busy for the acquire timeout: the database may be fine
    /// and merely loaded, so this alone does not take the instance offline.
    #[error("database connections busy")]
    Busy,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::PoolTimedOut) {
            return AppError::Busy;
        }
        if is_unavailable(&error) {
            return AppError::Unavailable;
        }
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

/// Errors that mean "the database is not there right now", as opposed to a bug. A pool
/// timeout is not among them: it may only mean every connection is busy (see `AppError::Busy`).
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // class 08: connection exception; 57P0x: server shutting down or crashed;
            // 3D000: database does not exist (yet).
            code.starts_with("08") || code.starts_with("57P0") || code == "3D000"
        }),
        _ => false,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The body stays empty: the error-page middleware renders every error status as a page.
        let status = match self {
            AppError::SignInRequired { next } => return sign_in_redirect(&next),
            AppError::PasswordChangeRequired { read } => return password_change_first(read),
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unavailable => {
                tracing::warn!("database unavailable while answering a request");
                let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
                response
                    .extensions_mut()
                    .insert(crate::database_health::Unreachable::Certain);
                return response;
            }
            AppError::Busy => {
                tracing::warn!("no database connection free within the acquire timeout");
                let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
                response
                    .extensions_mut()
                    .insert(crate::database_health::Unreachable::Suspected);
                return response;
            }
            AppError::BadRequest(reason) => {
                tracing::info!(reason, "bad request");
                StatusCode::BAD_REQUEST
            }
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        status.into_response()
    }
}

fn sign_in_redirect(next: &str) -> Response {
    let target = if next.is_empty() || next == "/" {
        "/login".to_string()
    } else {
        format!("/login?next={}", crate::web::url_encode(next))
    };
    let mut response = Redirect::to(&target).into_response();
    // htmx follows this header instead of swapping the login page into a fragment.
    if let Ok(value) = HeaderValue::from_str(&target) {
        response.headers_mut().insert("HX-Redirect", value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Where a user who must choose their own password is sent: page views go to the password
/// change (which says why), writes are refused with a page that says the same.
fn password_change_first(read: bool) -> Response {
    const TARGET: &str = "/account#password";
    let mut response = if read {
        Redirect::to(TARGET).into_response()
    } else {
        let page = crate::web::error_pages::ErrorPage {
            ctx: crate::web::page::PageContext::anonymous("Choose your own password first"),
            code: 403,
            heading: "Choose your own password first",
            message: "Your password was set by someone else. Until you choose your own on your account page, nothing can be changed.".into(),
            request_id: None,
        };
        let html = askama::Template::render(&page)
            .unwrap_or_else(|_| "<h1>Choose your own password first</h1>".into());
        (StatusCode::FORBIDDEN, axum::response::Html(html)).into_response()
    };
    response
        .headers_mut()
        .insert("HX-Redirect", HeaderValue::from_static(TARGET));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub type AppResult<T> = Result<T, AppError>;
