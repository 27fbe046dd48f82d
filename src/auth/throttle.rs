//! Applies the sign-in throttle (rules in `domain::login_throttle`) to an account and an address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use sqlx::PgPool;
use time::OffsetDateTime;

use crate::db::login_failures;
use crate::domain::login_throttle::{self, ACCOUNT_LIMIT, ADDRESS_LIMIT, Verdict};
use crate::state::AppState;

pub fn account_key(email: &str) -> String {
    format!("email:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

/// The client's address: the peer, or the first `X-Forwarded-For` entry when configured to trust it.
pub fn client_address(parts: &Parts, state: &AppState) -> String {
    if state.config.trust_proxy_headers
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .and_then(|first| first.trim().parse::<IpAddr>().ok())
    {
        return forwarded.to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The stricter verdict of the account's and the address's records.
pub async fn check(db: &PgPool, keys: &[String; 2], now: OffsetDateTime) -> sqlx::Result<Verdict> {
    let mut worst = Verdict::Proceed {
        delay: std::time::Duration::ZERO,
    };
    for key in keys {
        match login_throttle::verdict(login_failures::find(db, key).await?, now) {
            locked @ Verdict::Locked { .. } => return Ok(locked),
            Verdict::Proceed { delay } => {
                if let Verdict::Proceed { delay: worst_delay } = worst
                    && delay > worst_delay
                {
                    worst = Verdict::Proceed { delay };
                }
            }
        }
    }
    Ok(worst)
}

/// Records a failure for both keys; returns when a lock now holds, if one does.
pub async fn record_failure(
    db: &PgPool,
    keys: &[String; 2],
    now: OffsetDateTime,
) -> sqlx::Result<Option<OffsetDateTime>> {
    let mut locked_until = None;
    for (key, limit) in keys.iter().zip([ACCOUNT_LIMIT, ADDRESS_LIMIT]) {
        let failures = login_failures::add_failure(db, key, now).await?;
        if login_throttle::locks_after(failures, limit) {
            locked_until = Some(login_failures::lock(db, key, now).await?);
        }
    }
    Ok(locked_until)
}

/// A successful sign-in forgets the account's failures (the address keeps its count).
pub async fn record_success(db: &PgPool, account_key: &str) -> sqlx::Result<()> {
    login_failures::clear(db, account_key).await
}
