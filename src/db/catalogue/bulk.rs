//! Set-based catalogue writes for imports: all of a file's new (or changed) sites, services or
//! components in a fixed number of statements — the graph nodes, the rows, their "hosted at"
//! edges and one audit row each — however many rows the file has. The audit rows carry the same
//! snapshots as the one-at-a-time writes in `sites`, `services` and `components`.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::blank_to_none;
use super::components::{self, Component, ComponentFields};
use super::dependencies::{self, DependencyFields, NewEdge};
use super::services::{self, ServiceFields};
use super::sites::{self, SiteFields};
use crate::db::audit::{self, Actor, Entry};
use crate::domain::graph::NodeKind;

/// Trimmed text of each row, as the one-at-a-time writes store it.
fn trimmed<T>(rows: &[T], field: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter()
        .map(|row| field(row).trim().to_string())
        .collect()
}

/// Optional unique text (external ids): blank is stored as null.
fn optional<T>(rows: &[T], field: impl Fn(&T) -> &str) -> Vec<Option<String>> {
    rows.iter()
        .map(|row| blank_to_none(field(row)).map(str::to_string))
        .collect()
}

/// Registers new graph nodes of one kind, one id per row.
async fn new_nodes(
    conn: &mut PgConnection,
    kind: NodeKind,
    count: usize,
) -> sqlx::Result<Vec<Uuid>> {
    let ids: Vec<Uuid> = (0..count).map(|_| Uuid::new_v4()).collect();
    sqlx::query!(
        "insert into catalogue_nodes (id, kind) select id, $2 from unnest($1::uuid[]) as n(id)",
        &ids,
        kind.as_str()
    )
    .execute(&mut *conn)
    .await?;
    Ok(ids)
}

/// Audit rows for rows written, matching each to its snapshot before the write (if any).
fn entries<T: serde::Serialize>(
    before: Vec<T>,
    after: Vec<T>,
    id: impl Fn(&T) -> Uuid,
) -> Vec<Entry> {
    let mut before: HashMap<Uuid, T> = before.into_iter().map(|row| (id(&row), row)).collect();
    after
        .iter()
        .map(|row| {
            let old = before.remove(&id(row));
            let action = if old.is_some() { "update" } else { "create" };
            Entry::new(id(row), action, old.as_ref(), Some(row))
        })
        .collect()
}

pub async fn create_sites(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[SiteFields],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids = new_nodes(conn, NodeKind::Site, rows.len()).await?;
    sqlx::query!(
        "insert into sites (id, name, kind, location, description, external_id)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])",
        &ids,
        &trimmed(rows, |row| &row.name),
        &rows.iter().map(|row| row.kind.clone()).collect::<Vec<_>>(),
        &trimmed(rows, |row| &row.location),
        &trimmed(rows, |row| &row.description),
        &optional(rows, |row| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = sites::find_many(conn, &ids).await?;
    audit::record_many(
        conn,
        actor,
        "site",
        entries(Vec::new(), after, |row| row.id),
    )
    .await
}

pub async fn update_sites(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[(Uuid, SiteFields)],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let before = sites::find_many(conn, &ids).await?;
    sqlx::query!(
        "update sites s set name = u.name, kind = u.kind, location = u.location,
             description = u.description, external_id = u.external_id, version = s.version + 1
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
              as u(id, name, kind, location, description, external_id)
         where s.id = u.id",
        &ids,
        &trimmed(rows, |(_, row)| &row.name),
        &rows
            .iter()
            .map(|(_, row)| row.kind.clone())
            .collect::<Vec<_>>(),
        &trimmed(rows, |(_, row)| &row.location),
        &trimmed(rows, |(_, row)| &row.description),
        &optional(rows, |(_, row)| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = sites::find_many(conn, &ids).await?;
    audit::record_many(conn, actor, "site", entries(before, after, |row| row.id)).await
}

pub async fn create_services(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[ServiceFields],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids = new_nodes(conn, NodeKind::Service, rows.len()).await?;
    sqlx::query!(
        "insert into services (id, name, description, owner_id, service_type, lifecycle, sla_reference,
                               support_hours, external_id)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $9::text[])",
        &ids,
        &trimmed(rows, |row| &row.name),
        &trimmed(rows, |row| &row.description),
        &rows.iter().map(|row| row.owner_id).collect::<Vec<_>>() as &[Option<Uuid>],
        &rows.iter().map(|row| row.service_type.clone()).collect::<Vec<_>>(),
        &rows.iter().map(|row| row.lifecycle.clone()).collect::<Vec<_>>(),
        &trimmed(rows, |row| &row.sla_reference),
        &trimmed(rows, |row| &row.support_hours),
        &optional(rows, |row| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = services::find_many(conn, &ids).await?;
    audit::record_many(
        conn,
        actor,
        "service",
        entries(Vec::new(), after, |row| row.id),
    )
    .await
}

pub async fn update_services(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[(Uuid, ServiceFields)],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let before = services::find_many(conn, &ids).await?;
    sqlx::query!(
        "update services s set name = u.name, description = u.description, owner_id = u.owner_id,
             service_type = u.service_type, lifecycle = u.lifecycle, sla_reference = u.sla_reference,
             support_hours = u.support_hours, external_id = u.external_id, version = s.version + 1
         from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[])
              as u(id, name, description, owner_id, service_type, lifecycle, sla_reference,
                   support_hours, external_id)
         where s.id = u.id",
        &ids,
        &trimmed(rows, |(_, row)| &row.name),
        &trimmed(rows, |(_, row)| &row.description),
        &rows.iter().map(|(_, row)| row.owner_id).collect::<Vec<_>>() as &[Option<Uuid>],
        &rows.iter().map(|(_, row)| row.service_type.clone()).collect::<Vec<_>>(),
        &rows.iter().map(|(_, row)| row.lifecycle.clone()).collect::<Vec<_>>(),
        &trimmed(rows, |(_, row)| &row.sla_reference),
        &trimmed(rows, |(_, row)| &row.support_hours),
        &optional(rows, |(_, row)| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = services::find_many(conn, &ids).await?;
    audit::record_many(conn, actor, "service", entries(before, after, |row| row.id)).await
}

/// The "hosted at" edge every component with a site has (as `sync_hosting_site` keeps it).
fn hosting_edge(component: &Component) -> Option<NewEdge> {
    Some(NewEdge {
        from_id: component.id,
        to_id: component.site_id?,
        fields: DependencyFields {
            relation: "hosted_at".into(),
            redundancy: "none".into(),
            notes: String::new(),
        },
    })
}

pub async fn create_components(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[ComponentFields],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids = new_nodes(conn, NodeKind::Component, rows.len()).await?;
    sqlx::query!(
        "insert into components (id, name, class, environment, site_id, description, external_id)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                              $7::text[])",
        &ids,
        &trimmed(rows, |row| &row.name),
        &rows.iter().map(|row| row.class.clone()).collect::<Vec<_>>(),
        &rows.iter().map(|row| row.environment.clone()).collect::<Vec<_>>(),
        &rows.iter().map(|row| row.site_id).collect::<Vec<_>>() as &[Option<Uuid>],
        &trimmed(rows, |row| &row.description),
        &optional(rows, |row| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = components::find_many(conn, &ids).await?;
    let hosting = after.iter().filter_map(hosting_edge).collect();
    audit::record_many(
        conn,
        actor,
        "component",
        entries(Vec::new(), after, |row| row.id),
    )
    .await?;
    dependencies::upsert_many(conn, actor, hosting).await
}

pub async fn update_components(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[(Uuid, ComponentFields)],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let before = components::find_many(conn, &ids).await?;
    sqlx::query!(
        "update components c set name = u.name, class = u.class, environment = u.environment,
             site_id = u.site_id, description = u.description, external_id = u.external_id,
             version = c.version + 1
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                     $7::text[])
              as u(id, name, class, environment, site_id, description, external_id)
         where c.id = u.id",
        &ids,
        &trimmed(rows, |(_, row)| &row.name),
        &rows
            .iter()
            .map(|(_, row)| row.class.clone())
            .collect::<Vec<_>>(),
        &rows
            .iter()
            .map(|(_, row)| row.environment.clone())
            .collect::<Vec<_>>(),
        &rows.iter().map(|(_, row)| row.site_id).collect::<Vec<_>>() as &[Option<Uuid>],
        &trimmed(rows, |(_, row)| &row.description),
        &optional(rows, |(_, row)| &row.external_id) as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let after = components::find_many(conn, &ids).await?;
    // A component that moved leaves its old site's edge and gains the new one.
    let old_sites: HashMap<Uuid, Option<Uuid>> =
        before.iter().map(|row| (row.id, row.site_id)).collect();
    let moved: Vec<&Component> = after
        .iter()
        .filter(|row| old_sites.get(&row.id).copied().flatten() != row.site_id)
        .collect();
    let left: Vec<(Uuid, Uuid)> = moved
        .iter()
        .filter_map(|row| Some((row.id, old_sites.get(&row.id).copied().flatten()?)))
        .collect();
    let hosting = moved.iter().filter_map(|row| hosting_edge(row)).collect();
    audit::record_many(
        conn,
        actor,
        "component",
        entries(before, after, |row| row.id),
    )
    .await?;
    dependencies::delete_pairs(conn, actor, &left).await?;
    dependencies::upsert_many(conn, actor, hosting).await
}
