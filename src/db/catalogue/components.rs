//! Components (configuration items): applications, databases, servers, networks … each at a site.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{WriteError, blank_to_none, classify, new_node};
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub id: Uuid,
    pub name: String,
    pub class: String,
    pub environment: String,
    pub site_id: Option<Uuid>,
    pub site_name: Option<String>,
    pub description: String,
    pub external_id: Option<String>,
    pub archived: bool,
    pub version: i32,
}

pub struct ComponentFields {
    pub name: String,
    pub class: String,
    pub environment: String,
    pub site_id: Option<Uuid>,
    pub description: String,
    pub external_id: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[
    (
        "components_name_key",
        "name",
        "Another component already has this name.",
    ),
    (
        "components_external_id_key",
        "external_id",
        "Another component already has this external id.",
    ),
];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Component>> {
    Ok(find_many(conn, &[id]).await?.pop())
}

/// The components with these ids (in no particular order), in one query.
pub async fn find_many(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Component>> {
    sqlx::query_as!(
        Component,
        r#"select c.id, c.name, c.class, c.environment, c.site_id, s.name as "site_name?", c.description,
                  c.external_id, c.archived_at is not null as "archived!", c.version
           from components c left join sites s on s.id = c.site_id
           where c.id = any($1)"#,
        ids
    )
    .fetch_all(conn)
    .await
}

pub async fn id_by_external_id(
    conn: &mut PgConnection,
    external_id: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from components where external_id = $1",
        external_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ComponentFields,
) -> Result<Component, WriteError> {
    let id = new_node(conn, NodeKind::Component).await?;
    sqlx::query!(
        "insert into components (id, name, class, environment, site_id, description, external_id)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        fields.name.trim(),
        fields.class,
        fields.environment,
        fields.site_id,
        fields.description.trim(),
        blank_to_none(&fields.external_id),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let component = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("component", id, "create").after(&component),
    )
    .await?;
    super::dependencies::sync_hosting_site(conn, actor, id, None, component.site_id).await?;
    Ok(component)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ComponentFields,
) -> Result<Versioned<Component>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update components set name = $3, class = $4, environment = $5, site_id = $6, description = $7,
             external_id = $8, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.class,
        fields.environment,
        fields.site_id,
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
        Change::new("component", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    super::dependencies::sync_hosting_site(conn, actor, id, before.site_id, after.site_id).await?;
    Ok(Versioned::Saved(after))
}

/// Active components as (id, name).
pub async fn options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, name from components where archived_at is null order by lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}
