//! Sites: offices, data centres, alternate sites and cloud regions.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{WriteError, blank_to_none, classify, new_node};
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub location: String,
    pub description: String,
    pub external_id: Option<String>,
    pub archived: bool,
    pub version: i32,
}

pub struct SiteFields {
    pub name: String,
    pub kind: String,
    pub location: String,
    pub description: String,
    pub external_id: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[
    (
        "sites_name_key",
        "name",
        "Another site already has this name.",
    ),
    (
        "sites_external_id_key",
        "external_id",
        "Another site already has this external id.",
    ),
];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Site>> {
    Ok(find_many(conn, &[id]).await?.pop())
}

/// The sites with these ids (in no particular order), in one query.
pub async fn find_many(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Site>> {
    sqlx::query_as!(
        Site,
        r#"select id, name, kind, location, description, external_id,
                  archived_at is not null as "archived!", version
           from sites where id = any($1)"#,
        ids
    )
    .fetch_all(conn)
    .await
}

pub async fn id_by_external_id(
    conn: &mut PgConnection,
    external_id: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from sites where external_id = $1", external_id)
        .fetch_optional(conn)
        .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &SiteFields,
) -> Result<Site, WriteError> {
    let id = new_node(conn, NodeKind::Site).await?;
    sqlx::query!(
        "insert into sites (id, name, kind, location, description, external_id) values ($1, $2, $3, $4, $5, $6)",
        id,
        fields.name.trim(),
        fields.kind,
        fields.location.trim(),
        fields.description.trim(),
        blank_to_none(&fields.external_id),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let site = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(conn, actor, Change::new("site", id, "create").after(&site)).await?;
    Ok(site)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &SiteFields,
) -> Result<Versioned<Site>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update sites set name = $3, kind = $4, location = $5, description = $6, external_id = $7,
             version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.kind,
        fields.location.trim(),
        fields.description.trim(),
        blank_to_none(&fields.external_id),
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
        Change::new("site", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Active sites as (id, name), for choosing where a component runs.
pub async fn options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows =
        sqlx::query!("select id, name from sites where archived_at is null order by lower(name)")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}
