//! Browsers that have signed in to an account before (see `auth::known_device`): only the
//! SHA-256 of the random token each carries is kept.

use sqlx::PgExecutor;
use uuid::Uuid;

/// How long a browser stays known after its first sign-in.
pub const LIFETIME_DAYS: i32 = 365;
/// Browsers remembered per account (the most recent): scripts that keep no cookies would
/// otherwise add one at every sign-in.
pub const PER_ACCOUNT: i64 = 20;

/// The account this browser has signed in to, if its token is known and not expired.
pub async fn user_of(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select user_id from known_devices
         where token_hash = $1 and created_at > now() - make_interval(days => $2)",
        token_hash,
        LIFETIME_DAYS
    )
    .fetch_optional(db)
    .await
}

/// Remembers a browser for an account, and forgets that account's expired ones and all but its
/// most recent [`PER_ACCOUNT`].
pub async fn remember(
    conn: &mut sqlx::PgConnection,
    token_hash: &[u8],
    user_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from known_devices
         where user_id = $1
           and (created_at <= now() - make_interval(days => $2)
                or token_hash not in (select token_hash from known_devices where user_id = $1
                                      order by created_at desc limit $3))",
        user_id,
        LIFETIME_DAYS,
        PER_ACCOUNT - 1,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into known_devices (token_hash, user_id) values ($1, $2)",
        token_hash,
        user_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
