//! User accounts. Writes record their audit row on the same connection.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Versioned;
use super::audit::{self, Actor, Change};
use crate::domain::role::Role;

/// Roles are stored as text with a check constraint; an unknown value cannot occur, and would
/// fall back to the least privileged role rather than fail the page.
pub fn role_from_db(value: &str) -> Role {
    Role::parse(value).unwrap_or(Role::Auditor)
}

/// A user as pages show it (never the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[serde(serialize_with = "serialize_role")]
    pub role: Role,
    pub active: bool,
    pub time_zone: String,
    pub version: i32,
    #[serde(skip)]
    pub created_at: OffsetDateTime,
}

fn serialize_role<S: serde::Serializer>(role: &Role, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(role.as_str())
}

/// What sign-in needs to know about an email address.
pub struct Credentials {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub password_hash: String,
}

pub async fn credentials_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as!(
        Credentials,
        "select id, email, display_name, active, password_hash from users where email = $1",
        email
    )
    .fetch_optional(db)
    .await
}

pub async fn password_hash(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<String> {
    sqlx::query_scalar!("select password_hash from users where id = $1", id)
        .fetch_one(db)
        .await
}

/// Takes a connection (not any executor) so write functions can call it inside a transaction
/// from spawned tasks; see rust-lang/rust#102211.
pub async fn find(db: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<User>> {
    let row = sqlx::query!(
        "select id, email, display_name, role, active, time_zone, version, created_at from users where id = $1",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| User {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: role_from_db(&row.role),
        active: row.active,
        time_zone: row.time_zone,
        version: row.version,
        created_at: row.created_at,
    }))
}

pub async fn count_active_administrators(db: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from users where role = 'administrator' and active"#
    )
    .fetch_one(db)
    .await
}

/// Locks the active administrators' rows until the transaction ends, and counts them.
pub async fn lock_active_administrators(conn: &mut PgConnection) -> sqlx::Result<usize> {
    let ids = sqlx::query_scalar!(
        "select id from users where role = 'administrator' and active for update"
    )
    .fetch_all(conn)
    .await?;
    Ok(ids.len())
}

pub async fn count(db: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "count!" from users"#)
        .fetch_one(db)
        .await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub password_must_change: bool,
    pub time_zone: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("a user with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: NewUser<'_>,
) -> Result<User, CreateUserError> {
    let row = sqlx::query!(
        "insert into users (email, display_name, role, password_hash, password_must_change, time_zone)
         values ($1, $2, $3, $4, $5, $6)
         returning id, version, created_at",
        new.email,
        new.display_name,
        new.role.as_str(),
        new.password_hash,
        new.password_must_change,
        new.time_zone,
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("users_email_key") => CreateUserError::EmailTaken,
        _ => CreateUserError::Database(error),
    })?;
    let user = User {
        id: row.id,
        email: new.email.to_string(),
        display_name: new.display_name.to_string(),
        role: new.role,
        active: true,
        time_zone: new.time_zone.to_string(),
        version: row.version,
        created_at: row.created_at,
    };
    audit::record(
        conn,
        actor,
        Change::new("user", user.id, "create").after(&user),
    )
    .await?;
    Ok(user)
}

pub struct ProfileChange<'a> {
    pub display_name: &'a str,
    pub role: Role,
    pub expected_version: i32,
}

/// Changes name and role unless the row moved on since the form was loaded.
pub async fn update_profile(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    change: ProfileChange<'_>,
) -> sqlx::Result<Versioned<User>> {
    let before = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update users set display_name = $2, role = $3, version = version + 1
         where id = $1 and version = $4",
        id,
        change.display_name,
        change.role.as_str(),
        change.expected_version,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("user", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Activates or deactivates an account; deactivation also ends all its sessions.
pub async fn set_active(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    active: bool,
) -> sqlx::Result<User> {
    let before = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!(
        "update users set active = $2, version = version + 1 where id = $1",
        id,
        active
    )
    .execute(&mut *conn)
    .await?;
    if !active {
        super::sessions::delete_for_user(&mut *conn, id).await?;
    }
    let after = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let action = if active { "activate" } else { "deactivate" };
    audit::record(
        conn,
        actor,
        Change::new("user", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Stores a new password hash. The audit row says who changed it, never the hash.
pub async fn set_password(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    password_hash: &str,
    must_change: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = $2, password_must_change = $3 where id = $1",
        id,
        password_hash,
        must_change
    )
    .execute(&mut *conn)
    .await?;
    let action = if must_change {
        "reset_password"
    } else {
        "change_password"
    };
    audit::record(conn, actor, Change::new("user", id, action)).await
}

pub async fn set_time_zone(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    time_zone: &str,
) -> sqlx::Result<()> {
    let before = sqlx::query_scalar!("select time_zone from users where id = $1", id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query!(
        "update users set time_zone = $2 where id = $1",
        id,
        time_zone
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("user", id, "update_preferences")
            .before(&serde_json::json!({ "time_zone": before }))
            .after(&serde_json::json!({ "time_zone": time_zone })),
    )
    .await
}

pub async fn id_by_email(db: &mut PgConnection, email: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from users where email = $1", email)
        .fetch_optional(db)
        .await
}

/// Turns an existing account into an active administrator with a new password (first start).
pub async fn make_administrator(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    password_hash: &str,
    must_change: bool,
) -> sqlx::Result<()> {
    let before = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!(
        "update users set role = 'administrator', active = true, password_hash = $2,
             password_must_change = $3, version = version + 1
         where id = $1",
        id,
        password_hash,
        must_change
    )
    .execute(&mut *conn)
    .await?;
    let after = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("user", id, "make_administrator")
            .before(&before)
            .after(&after),
    )
    .await
}

/// Active users who can own services and processes, as (id, name).
pub async fn owner_options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, display_name from users
         where active and role in ('service_owner', 'continuity_manager', 'administrator')
         order by lower(display_name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.display_name))
        .collect())
}

/// Every active user as (id, name), for linking a person in the directory to their account.
pub async fn account_options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, display_name, email from users where active order by lower(display_name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, format!("{} ({})", row.display_name, row.email)))
        .collect())
}
