//! Turns every error status into a friendly page, so no raw error text or stack trace ever
//! reaches a user — whether the error came from a handler, an extractor, a timeout or a panic.

use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::web::page::PageContext;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageContext,
    pub code: u16,
    pub heading: &'static str,
    pub message: String,
    pub request_id: Option<String>,
}

/// Replaces the body of error responses that are not already an HTML page of ours.
pub async fn render_error_pages(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let wants_page = !request.headers().contains_key("hx-request");
    // The health check answers load balancers in plain text.
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if status.as_u16() < 400 || is_html {
        return response;
    }
    let (heading, message) = describe(status);
    let page = ErrorPage {
        ctx: PageContext::anonymous(heading),
        code: status.as_u16(),
        heading,
        message: message.to_string(),
        request_id: (status.is_server_error()).then_some(request_id).flatten(),
    };
    let mut rendered = match page.render() {
        Ok(html) if wants_page => Html(html).into_response(),
        Ok(_) => Html(format!("<p class=\"flash flash-error\">{heading}</p>")).into_response(),
        Err(_) => Html("<h1>Something went wrong</h1>").into_response(),
    };
    *rendered.status_mut() = status;
    // Keep headers that matter to the client (e.g. Retry-After, Allow).
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Bad request",
            "The request could not be understood. Go back and try again.",
        ),
        401 | 403 => (
            "Not allowed",
            "Your role does not give access to this page or action. If you need it, ask a continuity manager or an administrator.",
        ),
        404 => (
            "Not found",
            "There is nothing at this address. It may have been archived, or the link may be mistyped.",
        ),
        405 => (
            "Not allowed here",
            "This address does not accept that kind of request.",
        ),
        408 => (
            "Too slow",
            "The request took too long and was stopped. Try again in a moment.",
        ),
        413 => (
            "Too large",
            "What you sent is larger than this server accepts. Send a smaller file.",
        ),
        415 | 422 => (
            "Form not understood",
            "The form could not be read. Reload the page and try again.",
        ),
        429 => (
            "Too many requests",
            "Slow down a little and try again in a minute.",
        ),
        503 => (
            "Temporarily unavailable",
            "Continuity cannot reach its database right now. Nothing you saved is lost; try again in a minute.",
        ),
        code if code >= 500 => (
            "Something went wrong",
            "Something went wrong on our side. It has been logged; if it keeps happening, give the request id below to your administrator.",
        ),
        _ => ("Request refused", "The request was refused."),
    }
}
