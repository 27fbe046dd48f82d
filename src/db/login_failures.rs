//! Counts of failed sign-ins per account and per address (the throttle's memory).

use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::domain::login_throttle::{FailureRecord, LOCK_DURATION, WINDOW};

pub async fn find(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<Option<FailureRecord>> {
    let row = sqlx::query!(
        "select failures, first_failure_at, locked_until from login_failures where throttle_key = $1",
        key
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| FailureRecord {
        failures: row.failures,
        first_failure_at: row.first_failure_at,
        locked_until: row.locked_until,
    }))
}

/// Adds one failure (restarting the count when the window has passed) and returns the new count.
pub async fn add_failure(
    db: impl PgExecutor<'_>,
    key: &str,
    now: OffsetDateTime,
) -> sqlx::Result<i32> {
    let window_start = now - WINDOW;
    sqlx::query_scalar!(
        "insert into login_failures as f (throttle_key, failures, first_failure_at)
         values ($1, 1, $2)
         on conflict (throttle_key) do update set
             failures = case when f.first_failure_at < $3 then 1 else f.failures + 1 end,
             first_failure_at = case when f.first_failure_at < $3 then $2 else f.first_failure_at end
         returning failures",
        key,
        now,
        window_start,
    )
    .fetch_one(db)
    .await
}

pub async fn lock(
    db: impl PgExecutor<'_>,
    key: &str,
    now: OffsetDateTime,
) -> sqlx::Result<OffsetDateTime> {
    let until = now + LOCK_DURATION;
    sqlx::query!(
        "update login_failures set locked_until = $2 where throttle_key = $1",
        key,
        until
    )
    .execute(db)
    .await?;
    Ok(until)
}

pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from login_failures where throttle_key = $1", key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets failures that can no longer slow or lock anyone.
pub async fn purge_stale(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<u64> {
    let horizon = now - WINDOW - LOCK_DURATION;
    let result = sqlx::query!(
        "delete from login_failures where first_failure_at < $1 and (locked_until is null or locked_until < $2)",
        horizon,
        now
    )
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}
