//! Organisation units (departments) that own business processes.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{WriteError, classify};
use crate::db::audit::{self, Actor, Change};

#[derive(Debug, Clone, Serialize)]
pub struct OrgUnit {
    pub id: Uuid,
    pub name: String,
    pub description: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[(
    "org_units_name_key",
    "name",
    "Another unit already has this name.",
)];

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    name: &str,
    description: &str,
) -> Result<OrgUnit, WriteError> {
    let unit = sqlx::query_as!(
        OrgUnit,
        "insert into org_units (name, description) values ($1, $2) returning id, name, description",
        name.trim(),
        description.trim()
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    audit::record(
        conn,
        actor,
        Change::new("org_unit", unit.id, "create").after(&unit),
    )
    .await?;
    Ok(unit)
}

/// Active units as (id, name).
pub async fn options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, name from org_units where archived_at is null order by lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}

/// Active units with their version, for the units page.
pub async fn listed(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String, i32)>> {
    let rows = sqlx::query!(
        "select id, name, version from org_units where archived_at is null order by lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.name, row.version))
        .collect())
}

/// Renames a unit unless it changed since `expected_version`; `Ok(false)` when it did.
pub async fn rename(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    name: &str,
) -> Result<bool, WriteError> {
    let before = sqlx::query_scalar!("select name from org_units where id = $1", id)
        .fetch_one(&mut *conn)
        .await?;
    let updated = sqlx::query!(
        "update org_units set name = $3, version = version + 1 where id = $1 and version = $2",
        id,
        expected_version,
        name.trim()
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?
    .rows_affected();
    if updated == 1 {
        audit::record(
            conn,
            actor,
            Change::new("org_unit", id, "rename")
                .before(&serde_json::json!({ "name": before }))
                .after(&serde_json::json!({ "name": name.trim() })),
        )
        .await?;
    }
    Ok(updated == 1)
}

/// Archives a unit: it leaves the pickers; processes keep showing it.
pub async fn archive(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update org_units set archived_at = now(), version = version + 1 where id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, Change::new("org_unit", id, "archive")).await
}
