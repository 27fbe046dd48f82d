//! Drop-in replacements for `axum::Form`, `axum_extra::extract::Form` and
//! `axum::extract::Query`: same use (`Form(form): Form<T>`, repeated keys fill a `Vec`), but
//! input is checked by [`super::decode`] and refused with [`super::InputRefused`].

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::decode::decode;
use super::refusal::{Source, back_link};

/// A form body (`application/x-www-form-urlencoded`). Must be the last extractor.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

/// The query string of the address.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_form(request.headers()) {
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        let back = back_link(request.headers());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        decode(&bytes, Source::Form, back)
            .map(Form)
            .map_err(IntoResponse::into_response)
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        decode(query.as_bytes(), Source::Address, back_link(&parts.headers))
            .map(Query)
            .map_err(IntoResponse::into_response)
    }
}
