//! The "known browser" cookie: a random token set at a successful sign-in (only its SHA-256 is
//! stored, in `known_devices`). A browser presenting it for the same account is throttled on
//! its own key, so that strangers failing on purpose cannot keep the account's owner out.
//!
//! A random token looked up in the database serves where a signed cookie would: it cannot be
//! forged, needs no secret shared between instances, and can be forgotten on the server.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::session_cookie;
use crate::db::known_devices;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-continuity-device"
    } else {
        "continuity_device"
    }
}

/// A browser's known-device token, as presented (its hash is the database key).
pub struct DeviceToken {
    pub hash: Vec<u8>,
}

/// The device token this request carries, if any.
pub fn from_headers(headers: &HeaderMap, secure: bool) -> Option<DeviceToken> {
    session_cookie::cookie_value(headers, cookie_name(secure)).map(|token| DeviceToken {
        hash: session_cookie::token_hash(&token),
    })
}

/// The token, when this browser has signed in to `user_id` before.
pub async fn known_for(
    db: impl PgExecutor<'_>,
    token: Option<DeviceToken>,
    user_id: Option<Uuid>,
) -> sqlx::Result<Option<DeviceToken>> {
    let (Some(token), Some(user_id)) = (token, user_id) else {
        return Ok(None);
    };
    let owner = known_devices::user_of(db, &token.hash).await?;
    Ok((owner == Some(user_id)).then_some(token))
}

/// A new token and the cookie that carries it for a year.
pub fn new_cookie(secure: bool) -> (Vec<u8>, Cookie<'static>) {
    let token = session_cookie::new_token();
    let hash = session_cookie::token_hash(&token);
    let cookie = Cookie::build((cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(i64::from(
            known_devices::LIFETIME_DAYS,
        )))
        .build();
    (hash, cookie)
}
