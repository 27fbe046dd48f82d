//! Business processes: what the organisation does, the reason IT services matter.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{WriteError, classify, new_node};
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Serialize)]
pub struct Process {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    pub peak_periods: String,
    pub archived: bool,
    pub version: i32,
}

pub struct ProcessFields {
    pub name: String,
    pub description: String,
    pub owner_id: Option<Uuid>,
    pub org_unit_id: Option<Uuid>,
    pub peak_periods: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[(
    "business_processes_name_key",
    "name",
    "Another process already has this name.",
)];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Process>> {
    sqlx::query_as!(
        Process,
        r#"select p.id, p.name, p.description, p.owner_id, u.display_name as "owner_name?", p.org_unit_id,
                  o.name as "org_unit_name?", p.peak_periods, p.archived_at is not null as "archived!", p.version
           from business_processes p
           left join users u on u.id = p.owner_id
           left join org_units o on o.id = p.org_unit_id
           where p.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ProcessFields,
) -> Result<Process, WriteError> {
    let id = new_node(conn, NodeKind::Process).await?;
    sqlx::query!(
        "insert into business_processes (id, name, description, owner_id, org_unit_id, peak_periods)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        fields.name.trim(),
        fields.description.trim(),
        fields.owner_id,
        fields.org_unit_id,
        fields.peak_periods.trim(),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let process = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("process", id, "create").after(&process),
    )
    .await?;
    Ok(process)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ProcessFields,
) -> Result<Versioned<Process>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update business_processes set name = $3, description = $4, owner_id = $5, org_unit_id = $6,
             peak_periods = $7, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.description.trim(),
        fields.owner_id,
        fields.org_unit_id,
        fields.peak_periods.trim(),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("process", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}
