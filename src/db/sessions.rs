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

/// Finds the live session for a token, marks it as seen, and (when `take_flash`) hands over and
/// clears its flash message — all in one statement. Expired sessions and inactive users give `None`.
pub async fn touch(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    idle: Duration,
    absolute: Duration,
    take_flash: bool,
) -> sqlx::Result<Option<SessionUser>> {
    let row = sqlx::query!(
        r#"with old as (
               select s.token_hash, s.flash_kind, s.flash_message
               from sessions s
               where s.token_hash = $1
                 and s.last_seen_at > now() - make_interval(mins => $2)
                 and s.created_at > now() - make_interval(mins => $3)
               for update
           ), touched as (
               update sessions s
               set last_seen_at = now(),
                   flash_kind = case when $4 then null else s.flash_kind end,
                   flash_message = case when $4 then null else s.flash_message end
               from old
               where s.token_hash = old.token_hash
               returning s.user_id, old.flash_kind, old.flash_message
           )
           select u.id, u.email, u.display_name, u.role, u.time_zone, u.password_must_change,
                  touched.flash_kind, touched.flash_message
           from touched join users u on u.id = touched.user_id
           where u.active"#,
        token_hash,
        minutes_i32(idle),
        minutes_i32(absolute),
        take_flash,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| SessionUser {
        user_id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: super::users::role_from_db(&row.role),
        time_zone: row.time_zone,
        password_must_change: row.password_must_change,
        flash_kind: if take_flash { row.flash_kind } else { None },
        flash_message: if take_flash { row.flash_message } else { None },
    }))
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
