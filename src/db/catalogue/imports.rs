//! CSV imports: the uploaded file kept between preview and confirmation, the snapshot a plan is
//! made against, and applying a plan: set-based and audited (see `bulk`), so that a file at the
//! documented limits imports well inside the request timeout.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::bulk;
use super::components::ComponentFields;
use super::dependencies::{self, DependencyFields, NewEdge};
use super::services::ServiceFields;
use super::sites::SiteFields;
use crate::db::audit::Actor;
use crate::domain::graph::NodeKind;
use crate::domain::import::{Action, ExistingNode, ImportKind, PlannedRow, Record, Snapshot};

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
pub async fn snapshot(conn: &mut PgConnection, kind: ImportKind) -> sqlx::Result<Snapshot> {
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
    if kind == ImportKind::Risks {
        snapshot.risks = crate::db::risks::import::load(&mut *conn).await?;
    }
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

/// Writes the rows a plan accepts: the catalogue's kinds set-based (a fixed number of
/// statements per kind, audit rows included, so the graph revision moves a few times per
/// import, not once per row), contracts each through their audited write function.
pub async fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[PlannedRow],
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let mut batch = Batch::default();
    // Read once, on the first risk row, and held for share until the import commits.
    let mut risk_method = None;
    for row in rows {
        match (&row.action, &row.record) {
            (Action::Refuse(_), _) | (_, None) => summary.refused += 1,
            (Action::Unchanged, _) => summary.unchanged += 1,
            (action, Some(record)) => {
                let existing = if *action == Action::Create {
                    summary.created += 1;
                    None
                } else {
                    summary.updated += 1;
                    row.existing
                };
                if let Record::Contract(contract) = record {
                    crate::db::suppliers::contract_import::write(conn, actor, contract, existing)
                        .await?;
                } else if let Record::Risk(risk) = record {
                    let method = match &risk_method {
                        Some(method) => method,
                        None => risk_method
                            .insert(crate::db::risks::method::current_for_share(&mut *conn).await?),
                    };
                    if !crate::db::risks::import::write(conn, actor, method, risk, existing).await?
                    {
                        // Archived between the plan and the write: left as it is.
                        summary.updated -= 1;
                        summary.refused += 1;
                    }
                } else {
                    batch.add(record, existing);
                }
            }
        }
    }
    batch.write(conn, actor).await?;
    Ok(summary)
}

/// The accepted catalogue rows of one import, grouped by what writes them.
#[derive(Default)]
struct Batch {
    new_sites: Vec<SiteFields>,
    changed_sites: Vec<(Uuid, SiteFields)>,
    new_services: Vec<ServiceFields>,
    changed_services: Vec<(Uuid, ServiceFields)>,
    new_components: Vec<ComponentFields>,
    changed_components: Vec<(Uuid, ComponentFields)>,
    edges: Vec<NewEdge>,
}

impl Batch {
    fn add(&mut self, record: &Record, existing: Option<Uuid>) {
        match record.clone() {
            Record::Site {
                external_id,
                name,
                kind,
                location,
                description,
            } => {
                let fields = SiteFields {
                    name,
                    kind,
                    location,
                    description,
                    external_id,
                };
                match existing {
                    Some(id) => self.changed_sites.push((id, fields)),
                    None => self.new_sites.push(fields),
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
                    name,
                    description,
                    owner_id,
                    service_type,
                    lifecycle,
                    sla_reference,
                    support_hours,
                    external_id,
                };
                match existing {
                    Some(id) => self.changed_services.push((id, fields)),
                    None => self.new_services.push(fields),
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
                    name,
                    class,
                    environment,
                    site_id,
                    description,
                    external_id,
                };
                match existing {
                    Some(id) => self.changed_components.push((id, fields)),
                    None => self.new_components.push(fields),
                }
            }
            Record::Dependency {
                from,
                to,
                relation,
                redundancy,
                notes,
            } => self.edges.push(NewEdge {
                from_id: from,
                to_id: to,
                fields: DependencyFields {
                    relation,
                    redundancy,
                    notes,
                },
            }),
            Record::Contract(_) | Record::Risk(_) => {}
        }
    }

    async fn write(self, conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
        bulk::update_sites(conn, actor, &self.changed_sites).await?;
        bulk::create_sites(conn, actor, &self.new_sites).await?;
        bulk::update_services(conn, actor, &self.changed_services).await?;
        bulk::create_services(conn, actor, &self.new_services).await?;
        bulk::update_components(conn, actor, &self.changed_components).await?;
        bulk::create_components(conn, actor, &self.new_components).await?;
        dependencies::upsert_many(conn, actor, self.edges).await
    }
}
