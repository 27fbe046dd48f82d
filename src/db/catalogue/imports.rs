//! CSV imports: the uploaded file kept between preview and confirmation, the snapshot a plan is
//! made against, and applying a plan through the ordinary (audited) write functions.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::components::{self, ComponentFields};
use super::dependencies::{self, DependencyFields};
use super::services::{self, ServiceFields};
use super::sites::{self, SiteFields};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::domain::graph::NodeKind;
use crate::domain::import::{Action, ExistingNode, PlannedRow, Record, Snapshot};

pub struct StoredImport {
    pub id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub content: String,
    pub uploaded_at: OffsetDateTime,
    pub applied_at: Option<OffsetDateTime>,
}

pub async fn save(
    conn: &mut PgConnection,
    user: Uuid,
    kind: &str,
    file_name: &str,
    content: &str,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into catalogue_imports (kind, file_name, content, uploaded_by) values ($1, $2, $3, $4) returning id",
        kind,
        file_name,
        content,
        user
    )
    .fetch_one(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StoredImport>> {
    sqlx::query_as!(
        StoredImport,
        "select id, kind, file_name, content, uploaded_at, applied_at from catalogue_imports where id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Marks an import applied; false when it already was (a second confirmation does nothing).
pub async fn mark_applied(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "update catalogue_imports set applied_at = now() where id = $1 and applied_at is null",
        id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Everything a plan compares against, in a fixed number of queries.
pub async fn snapshot(conn: &mut PgConnection) -> sqlx::Result<Snapshot> {
    let mut snapshot = Snapshot::default();
    let add = |snapshot: &mut Snapshot,
               id: Uuid,
               kind: NodeKind,
               name: String,
               external_id: Option<String>,
               fields: Vec<(&'static str, String)>| {
        snapshot.names.insert((kind, name.to_lowercase()), id);
        snapshot.names_by_id.insert(id, name.clone());
        if let Some(external_id) = external_id {
            let fields: BTreeMap<&'static str, String> = fields.into_iter().collect();
            snapshot
                .by_external_id
                .entry(external_id)
                .or_default()
                .push(ExistingNode {
                    id,
                    kind,
                    name,
                    fields,
                });
        }
    };
    for row in sqlx::query!("select id, name, kind, location, description, external_id from sites")
        .fetch_all(&mut *conn)
        .await?
    {
        let fields = vec![
            ("name", row.name.clone()),
            ("kind", row.kind),
            ("location", row.location),
            ("description", row.description),
        ];
        add(
            &mut snapshot,
            row.id,
            NodeKind::Site,
            row.name,
            row.external_id,
            fields,
        );
    }
    for row in sqlx::query!(
        "select id, name, service_type, lifecycle, owner_id, sla_reference, support_hours, description, external_id from services"
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let fields = vec![
            ("name", row.name.clone()),
            ("type", row.service_type),
            ("lifecycle", row.lifecycle),
            ("owner", row.owner_id.map(|id| id.to_string()).unwrap_or_default()),
            ("sla_reference", row.sla_reference),
            ("support_hours", row.support_hours),
            ("description", row.description),
        ];
        add(&mut snapshot, row.id, NodeKind::Service, row.name, row.external_id, fields);
    }
    for row in sqlx::query!(
        "select id, name, class, environment, site_id, description, external_id from components"
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let fields = vec![
            ("name", row.name.clone()),
            ("class", row.class),
            ("environment", row.environment),
            (
                "site",
                row.site_id.map(|id| id.to_string()).unwrap_or_default(),
            ),
            ("description", row.description),
        ];
        add(
            &mut snapshot,
            row.id,
            NodeKind::Component,
            row.name,
            row.external_id,
            fields,
        );
    }
    for row in sqlx::query!("select id, name from business_processes")
        .fetch_all(&mut *conn)
        .await?
    {
        add(
            &mut snapshot,
            row.id,
            NodeKind::Process,
            row.name,
            None,
            Vec::new(),
        );
    }
    for row in sqlx::query!("select id, email from users where active")
        .fetch_all(&mut *conn)
        .await?
    {
        snapshot.users.insert(row.email, row.id);
    }
    let (nodes, _) = dependencies::load_graph(&mut *conn).await?;
    snapshot.nodes = nodes;
    for row in sqlx::query!("select from_id, to_id, relation, redundancy, notes from dependencies")
        .fetch_all(&mut *conn)
        .await?
    {
        snapshot.edges.insert(
            (row.from_id, row.to_id),
            [row.relation, row.redundancy, row.notes],
        );
    }
    crate::db::suppliers::contract_import::load(&mut *conn, &mut snapshot).await?;
    Ok(snapshot)
}

/// How many rows an applied import created, updated, left alone and refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
}

/// Writes the rows a plan accepts, each through its audited write function.
pub async fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[PlannedRow],
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    for row in rows {
        match (&row.action, &row.record) {
            (Action::Refuse(_), _) | (_, None) => summary.refused += 1,
            (Action::Unchanged, _) => summary.unchanged += 1,
            (action, Some(record)) => {
                write(conn, actor, record, row.existing).await?;
                if *action == Action::Create {
                    summary.created += 1;
                } else {
                    summary.updated += 1;
                }
            }
        }
    }
    Ok(summary)
}

async fn write(
    conn: &mut PgConnection,
    actor: &Actor,
    record: &Record,
    existing: Option<Uuid>,
) -> anyhow::Result<()> {
    match record {
        Record::Site {
            external_id,
            name,
            kind,
            location,
            description,
        } => {
            let fields = SiteFields {
                name: name.clone(),
                kind: kind.clone(),
                location: location.clone(),
                description: description.clone(),
                external_id: external_id.clone(),
            };
            match existing.zip(existing_version(conn, existing, NodeKind::Site).await?) {
                Some((id, version)) => {
                    expect_saved(sites::update(conn, actor, id, version, &fields).await?)?
                }
                None => drop(sites::create(conn, actor, &fields).await?),
            }
        }
        Record::Service {
            external_id,
            name,
            service_type,
            lifecycle,
            owner_id,
            sla_reference,
            support_hours,
            description,
        } => {
            let fields = ServiceFields {
                name: name.clone(),
                description: description.clone(),
                owner_id: *owner_id,
                service_type: service_type.clone(),
                lifecycle: lifecycle.clone(),
                sla_reference: sla_reference.clone(),
                support_hours: support_hours.clone(),
                external_id: external_id.clone(),
            };
            match existing.zip(existing_version(conn, existing, NodeKind::Service).await?) {
                Some((id, version)) => {
                    expect_saved(services::update(conn, actor, id, version, &fields).await?)?
                }
                None => drop(services::create(conn, actor, &fields).await?),
            }
        }
        Record::Component {
            external_id,
            name,
            class,
            environment,
            site_id,
            description,
        } => {
            let fields = ComponentFields {
                name: name.clone(),
                class: class.clone(),
                environment: environment.clone(),
                site_id: *site_id,
                description: description.clone(),
                external_id: external_id.clone(),
            };
            match existing.zip(existing_version(conn, existing, NodeKind::Component).await?) {
                Some((id, version)) => {
                    expect_saved(components::update(conn, actor, id, version, &fields).await?)?
                }
                None => drop(components::create(conn, actor, &fields).await?),
            }
        }
        Record::Dependency {
            from,
            to,
            relation,
            redundancy,
            notes,
        } => {
            let fields = DependencyFields {
                relation: relation.clone(),
                redundancy: redundancy.clone(),
                notes: notes.clone(),
            };
            dependencies::upsert(conn, actor, *from, *to, &fields).await?;
        }
        Record::Contract(contract) => {
            crate::db::suppliers::contract_import::write(conn, actor, contract, existing).await?;
        }
    }
    Ok(())
}

/// The current version of the row an import updates (the plan was just made, inside the lock).
async fn existing_version(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    kind: NodeKind,
) -> sqlx::Result<Option<i32>> {
    let Some(id) = id else { return Ok(None) };
    let version = match kind {
        NodeKind::Site => sites::find(conn, id).await?.map(|row| row.version),
        NodeKind::Service => services::find(conn, id).await?.map(|row| row.version),
        NodeKind::Component => components::find(conn, id).await?.map(|row| row.version),
        _ => None,
    };
    Ok(version)
}

fn expect_saved<T>(outcome: Versioned<T>) -> anyhow::Result<()> {
    match outcome {
        Versioned::Saved(_) => Ok(()),
        Versioned::Stale(_) => anyhow::bail!("a row changed while the import was being applied"),
    }
}
