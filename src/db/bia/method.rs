//! The configured BIA method (one row); until a manager saves one, the shipped default applies.

use sqlx::{PgConnection, PgExecutor};

use crate::db::audit::{self, Actor, Change};
use crate::domain::bia::method::Method;

/// The method and its version (0 while the default has never been saved).
pub async fn current(db: impl PgExecutor<'_>) -> sqlx::Result<(Method, i32)> {
    let row = sqlx::query!("select definition, version from bia_method where id = 1")
        .fetch_optional(db)
        .await?;
    Ok(match row {
        Some(row) => (
            serde_json::from_value(row.definition).unwrap_or_else(|_| Method::default_method()),
            row.version,
        ),
        None => (Method::default_method(), 0),
    })
}

/// Saves the method unless it changed since `expected_version` was read; false when it did.
pub async fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &Method,
    expected_version: i32,
) -> sqlx::Result<bool> {
    let (before, version) = current(&mut *conn).await?;
    if version != expected_version {
        return Ok(false);
    }
    let definition =
        serde_json::to_value(method).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    let updated = sqlx::query!(
        "insert into bia_method (id, definition, version) values (1, $1, 1)
         on conflict (id) do update set definition = excluded.definition, version = bia_method.version + 1,
             updated_at = now()
         where bia_method.version = $2",
        definition,
        expected_version
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    audit::record(
        conn,
        actor,
        Change::new("bia_method", 1, "update")
            .before(&before)
            .after(method),
    )
    .await?;
    Ok(true)
}
