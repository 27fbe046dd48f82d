//! Counted password attempts per throttle key (the throttle's memory, shared by every instance).

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::login_throttle::{FORGET_AFTER, FailureRecord};

pub async fn find(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<Option<FailureRecord>> {
    let row = sqlx::query!(
        "select failures, last_failure_at, locked_until from login_failures where throttle_key = $1",
        key
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| FailureRecord {
        failures: row.failures,
        last_failure_at: row.last_failure_at,
        locked_until: row.locked_until,
    }))
}

/// Locks the records of these keys (creating empty ones), so that concurrent attempts for the
/// same key are decided one after the other. Pass the keys sorted, so that two transactions
/// always lock in the same order. Returns one entry per key; `None` for a key never counted.
pub async fn lock(
    conn: &mut PgConnection,
    keys: &[String],
) -> sqlx::Result<Vec<Option<FailureRecord>>> {
    sqlx::query!(
        "insert into login_failures (throttle_key, failures)
         select key, 0 from unnest($1::text[]) as key
         on conflict (throttle_key) do nothing",
        keys
    )
    .execute(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        "select throttle_key, failures, last_failure_at, locked_until from login_failures
         where throttle_key = any($1) order by throttle_key for update",
        keys
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(keys
        .iter()
        .map(|key| {
            rows.iter()
                .find(|row| &row.throttle_key == key)
                .filter(|row| row.failures > 0)
                .map(|row| FailureRecord {
                    failures: row.failures,
                    last_failure_at: row.last_failure_at,
                    locked_until: row.locked_until,
                })
        })
        .collect())
}

pub async fn store(db: impl PgExecutor<'_>, key: &str, record: &FailureRecord) -> sqlx::Result<()> {
    sqlx::query!(
        "update login_failures set failures = $2, last_failure_at = $3, locked_until = $4
         where throttle_key = $1",
        key,
        record.failures,
        record.last_failure_at,
        record.locked_until,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives back an attempt that turned out right: one count less, and the delay it set (if no
/// later attempt has replaced it) removed. Before that attempt no delay was running, or it
/// would not have been admitted.
pub async fn refund(
    db: impl PgExecutor<'_>,
    key: &str,
    delay_set: Option<OffsetDateTime>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update login_failures
         set failures = greatest(failures - 1, 0),
             locked_until = case when locked_until = $2 then null else locked_until end
         where throttle_key = $1",
        key,
        delay_set,
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<u64> {
    let result = sqlx::query!("delete from login_failures where throttle_key = $1", key)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Forgets attempts that can no longer slow anyone down.
pub async fn purge_stale(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<u64> {
    let horizon = now - FORGET_AFTER;
    let result = sqlx::query!(
        "delete from login_failures
         where last_failure_at < $1 and (locked_until is null or locked_until < $2)",
        horizon,
        now
    )
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}
