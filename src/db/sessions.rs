//! Server-side sessions: one row per signed-in browser, keyed by a hash of its cookie token.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::duration::Duration;
use crate::domain::role::Role;

/// The signed-in user behind a valid session, as every authenticated request needs it.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub time_zone: String,
    pub password_must_change: bool,
    pub flash_kind: Option<String>,
    pub flash_message: Option<String>,
}

pub async fn create(db: impl PgExecutor<'_>, token_hash: &[u8], user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into sessions (token_hash, user_id) values ($1, $2)",
        token_hash,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// `last_seen_at` is written at most this often, so that a page view does not write in the
/// common case; the idle timeout is therefore exact to within this much.
pub const SEEN_RESOLUTION_SECS: i32 = 60;

/// The live session behind a token, as every signed-in request reads it.
#[derive(Debug, Clone)]
pub struct FoundSession {
    pub user: SessionUser,
    /// `last_seen_at` is older than [`SEEN_RESOLUTION_SECS`]: time to mark it.
    pub seen_is_stale: bool,
    /// A flash message is waiting.
    pub has_flash: bool,
}

/// Finds the live session for a token with one read-only statement. Expired sessions and
/// inactive users give `None`. The flash itself is not read here (see [`take_flash`]).
pub async fn find(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    idle: Duration,
    absolute: Duration,
) -> sqlx::Result<Option<FoundSession>> {
    let row = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.role, u.time_zone, u.password_must_change,
                  s.last_seen_at < now() - make_interval(secs => $4) as "seen_is_stale!",
                  s.flash_kind is not null as "has_flash!"
           from sessions s join users u on u.id = s.user_id
           where s.token_hash = $1
             and s.last_seen_at > now() - make_interval(mins => $2)
             and s.created_at > now() - make_interval(mins => $3)
             and u.active"#,
        token_hash,
        minutes_i32(idle),
        minutes_i32(absolute),
        f64::from(SEEN_RESOLUTION_SECS),
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| FoundSession {
        user: SessionUser {
            user_id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: super::users::role_from_db(&row.role),
            time_zone: row.time_zone,
            password_must_change: row.password_must_change,
            flash_kind: None,
            flash_message: None,
        },
        seen_is_stale: row.seen_is_stale,
        has_flash: row.has_flash,
    }))
}

/// Marks the session as seen now (only called once its mark is a minute old).
pub async fn mark_seen(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!(
        "update sessions set last_seen_at = now() where token_hash = $1",
        token_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Hands over and clears the session's flash message (marking the session as seen too). Of two
/// requests taking it at once, one gets it.
pub async fn take_flash(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<(Option<String>, Option<String>)> {
    let row = sqlx::query!(
        r#"with old as (
               select token_hash, flash_kind, flash_message from sessions
               where token_hash = $1 and flash_kind is not null
               for update
           )
           update sessions s
           set flash_kind = null, flash_message = null, last_seen_at = now()
           from old
           where s.token_hash = old.token_hash
           returning old.flash_kind, old.flash_message"#,
        token_hash,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map_or((None, None), |row| (row.flash_kind, row.flash_message)))
}

fn minutes_i32(duration: Duration) -> i32 {
    i32::try_from(duration.minutes()).unwrap_or(i32::MAX)
}

pub async fn set_flash(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    kind: &str,
    message: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update sessions set flash_kind = $2, flash_message = $3 where token_hash = $1",
        token_hash,
        kind,
        message
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from sessions where token_hash = $1", token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (deactivation, password reset by an administrator).
pub async fn delete_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<u64> {
    let result = sqlx::query!("delete from sessions where user_id = $1", user_id)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Ends a user's other sessions (after they change their own password).
pub async fn delete_others(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: &[u8],
) -> sqlx::Result<u64> {
    let result = sqlx::query!(
        "delete from sessions where user_id = $1 and token_hash <> $2",
        user_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn purge_expired(
    db: impl PgExecutor<'_>,
    idle: Duration,
    absolute: Duration,
) -> sqlx::Result<u64> {
    let result = sqlx::query!(
        "delete from sessions
         where last_seen_at < now() - make_interval(mins => $1)
            or created_at < now() - make_interval(mins => $2)",
        minutes_i32(idle),
        minutes_i32(absolute),
    )
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}
