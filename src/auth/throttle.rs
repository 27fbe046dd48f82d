//! Applies the password-attempt throttle (rules in `domain::login_throttle`) to the keys of one
//! attempt: the account and the address for a stranger's browser, the browser itself when it
//! has signed in to the account before, the user for a password change.
//!
//! An attempt is counted when it is admitted, before the password is checked, in a transaction
//! that locks the keys' rows: attempts sent in parallel are decided one after the other, and
//! every instance sees the same counts. A right password then gives its count back.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::login_failures;
use crate::domain::login_throttle::{self, Admission, Rule};
use crate::state::AppState;

pub fn account_key(email: &str) -> String {
    format!("email:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

/// A known browser's key: its token's hash, so the token itself never reaches the database.
pub fn device_key(token_hash: &[u8]) -> String {
    format!("device:{}", crate::digest::hex(token_hash))
}

/// Wrong current passwords typed by a signed-in user changing theirs.
pub fn password_change_key(user_id: Uuid) -> String {
    format!("password-change:{user_id}")
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

/// An admitted attempt: its keys and the delay each set, needed to give the count back.
#[derive(Debug)]
pub struct Attempt {
    counted: Vec<(String, Option<OffsetDateTime>)>,
}

impl Attempt {
    /// When the next attempt may be checked if this one fails (`None`: at once).
    pub fn next_allowed_at(&self) -> Option<OffsetDateTime> {
        self.counted.iter().filter_map(|(_, until)| *until).max()
    }
}

/// Counts an attempt for every key, or refuses it (counting nothing) until the latest moment a
/// key's delay ends.
pub async fn admit(
    db: &PgPool,
    keys: &[(String, Rule)],
    now: OffsetDateTime,
) -> sqlx::Result<Result<Attempt, OffsetDateTime>> {
    let mut sorted: Vec<&(String, Rule)> = keys.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.dedup_by(|a, b| a.0 == b.0);
    let names: Vec<String> = sorted.iter().map(|(key, _)| key.clone()).collect();
    let mut tx = db.begin().await?;
    let records = login_failures::lock(&mut tx, &names).await?;
    let mut admitted = Vec::with_capacity(sorted.len());
    let mut wait_until: Option<OffsetDateTime> = None;
    for ((key, rule), record) in sorted.iter().zip(records) {
        match login_throttle::admit(record, *rule, now) {
            Admission::Admitted { record } => admitted.push((key.clone(), record)),
            Admission::Wait { until } => {
                wait_until = Some(wait_until.map_or(until, |other| other.max(until)));
            }
        }
    }
    if let Some(until) = wait_until {
        tx.rollback().await?;
        return Ok(Err(until));
    }
    for (key, record) in &admitted {
        login_failures::store(&mut *tx, key, record).await?;
    }
    tx.commit().await?;
    Ok(Ok(Attempt {
        counted: admitted
            .into_iter()
            .map(|(key, record)| (key, record.locked_until))
            .collect(),
    }))
}

/// The password was right: the keys in `forget` lose their whole history, the others get this
/// attempt's count back.
pub async fn succeeded(db: &PgPool, attempt: Attempt, forget: &[&str]) -> sqlx::Result<()> {
    for (key, delay_set) in &attempt.counted {
        if forget.contains(&key.as_str()) {
            login_failures::clear(db, key).await?;
        } else {
            login_failures::refund(db, key, *delay_set).await?;
        }
    }
    Ok(())
}
