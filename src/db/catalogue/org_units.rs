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
