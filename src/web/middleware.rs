//! Middleware on every request: security headers, same-origin check for writes (CSRF), and
//! 503 (with `Retry-After`) while the database is not ready or known to be down.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::database_health;
use crate::state::AppState;

/// No inline script or style anywhere: everything comes from /static.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages carry personal data: never keep them in shared caches.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses state-changing requests that do not come from one of our own pages.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`, and older ones in `Origin`;
/// a request carrying neither is refused too, so a write always proves its origin.
pub async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_origin(request.headers(), state.config.public_origin.as_deref()) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), path = request.uri().path(), "cross-origin write refused");
    StatusCode::FORBIDDEN.into_response()
}

pub fn is_same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let header_text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = header_text("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = header_text("origin") else {
        return false;
    };
    match public_origin {
        Some(expected) => origin == expected,
        None => {
            let host = header_text("host").unwrap_or_default();
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .is_some_and(|origin_host| !host.is_empty() && origin_host == host)
        }
    }
}

/// While the database is not ready, or known to be down, everything but the health check and
/// assets answers 503 at once; a 503 always says when to try again (`Retry-After`).
pub async fn require_ready(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path.starts_with("/static/") {
        return next.run(request).await;
    }
    if !state.is_ready() || state.database_health.is_down() {
        return unavailable(StatusCode::SERVICE_UNAVAILABLE.into_response());
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        // `AppError::Unavailable` (a failed connection) or `Busy` (a pool timeout) says which.
        let what = response
            .extensions()
            .get::<database_health::Unreachable>()
            .copied()
            .unwrap_or(database_health::Unreachable::Suspected);
        database_health::report(&state, what);
        return unavailable(response);
    }
    response
}

fn unavailable(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(database_health::RETRY_AFTER_SECONDS),
    );
    response
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
    fn same_origin_fetch_metadata_is_accepted() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            None
        ));
    }

    #[test]
    fn cross_site_fetch_metadata_is_refused_whatever_the_origin_says() {
        let h = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://app"),
            ("host", "app"),
        ]);
        assert!(!is_same_origin(&h, None));
    }

    #[test]
    fn origin_must_match_host_or_the_public_url() {
        assert!(is_same_origin(
            &headers(&[("origin", "http://app:8080"), ("host", "app:8080")]),
            None
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "http://evil"), ("host", "app")]),
            None
        ));
        let h = headers(&[
            ("origin", "https://bcm.example.com"),
            ("host", "10.0.0.5:8080"),
        ]);
        assert!(is_same_origin(&h, Some("https://bcm.example.com")));
        assert!(!is_same_origin(&h, Some("https://other.example.com")));
    }

    #[test]
    fn a_write_without_origin_information_is_refused() {
        assert!(!is_same_origin(&headers(&[("host", "app")]), None));
    }
}
