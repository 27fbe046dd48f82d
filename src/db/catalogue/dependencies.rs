//! Dependency edges: "from needs to", with the kind of relation and any redundancy, and whether
//! a continuity manager vouches for the edge (only confirmed edges carry rights, see
//! `auth::contracts`).

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Serialize)]
pub struct Dependency {
    pub id: Uuid,
    pub from_id: Uuid,
    pub to_id: Uuid,
    pub relation: String,
    pub redundancy: String,
    pub notes: String,
    /// Made, edited or confirmed by a continuity manager (or an import a manager ran).
    pub confirmed: bool,
}

pub struct DependencyFields {
    pub relation: String,
    pub redundancy: String,
    pub notes: String,
}

/// Serialises changes to the graph, so that two edges added at once cannot close a cycle
/// that neither would close alone.
const GRAPH_LOCK: i64 = 0x636f_6e74_0003;

pub async fn lock_graph(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock($1)", GRAPH_LOCK)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every node with its kind and every edge: the whole graph, in two queries.
pub async fn load_graph(
    conn: &mut PgConnection,
) -> sqlx::Result<(Vec<(Uuid, NodeKind)>, Vec<(Uuid, Uuid)>)> {
    let nodes = sqlx::query!("select id, kind from catalogue_nodes")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|row| Some((row.id, NodeKind::parse(&row.kind)?)))
        .collect();
    let edges = sqlx::query!("select from_id, to_id from dependencies")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| (row.from_id, row.to_id))
        .collect();
    Ok((nodes, edges))
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Dependency>> {
    sqlx::query_as!(
        Dependency,
        "select id, from_id, to_id, relation, redundancy, notes, confirmed from dependencies where id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// The direct dependencies touching a node, both directions.
pub async fn touching(db: impl PgExecutor<'_>, node: Uuid) -> sqlx::Result<Vec<Dependency>> {
    sqlx::query_as!(
        Dependency,
        "select id, from_id, to_id, relation, redundancy, notes, confirmed from dependencies
         where from_id = $1 or to_id = $1",
        node
    )
    .fetch_all(db)
    .await
}

/// Adds an edge, or updates relation/redundancy/notes when it exists (imports re-run safely),
/// vouched for by the actor: for continuity managers, imports and the demo estate.
pub async fn upsert(
    conn: &mut PgConnection,
    actor: &Actor,
    from_id: Uuid,
    to_id: Uuid,
    fields: &DependencyFields,
) -> sqlx::Result<Dependency> {
    save(conn, actor, from_id, to_id, fields, true).await
}

/// Adds or edits an edge as a service owner does: a new edge waits for a manager's
/// confirmation, and an edit keeps whatever confirmation the edge had.
pub async fn upsert_unconfirmed(
    conn: &mut PgConnection,
    actor: &Actor,
    from_id: Uuid,
    to_id: Uuid,
    fields: &DependencyFields,
) -> sqlx::Result<Dependency> {
    save(conn, actor, from_id, to_id, fields, false).await
}

async fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    from_id: Uuid,
    to_id: Uuid,
    fields: &DependencyFields,
    vouched: bool,
) -> sqlx::Result<Dependency> {
    let existing = sqlx::query_as!(
        Dependency,
        "select id, from_id, to_id, relation, redundancy, notes, confirmed from dependencies where from_id = $1 and to_id = $2",
        from_id,
        to_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let saved = sqlx::query_as!(
        Dependency,
        "insert into dependencies (from_id, to_id, relation, redundancy, notes, confirmed)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (from_id, to_id) do update set relation = excluded.relation,
             redundancy = excluded.redundancy, notes = excluded.notes,
             confirmed = dependencies.confirmed or excluded.confirmed,
             version = dependencies.version + 1
         returning id, from_id, to_id, relation, redundancy, notes, confirmed",
        from_id,
        to_id,
        fields.relation,
        fields.redundancy,
        fields.notes.trim(),
        vouched,
    )
    .fetch_one(&mut *conn)
    .await?;
    let change = match &existing {
        Some(before) => Change::new("dependency", saved.id, "update").before(before),
        None => Change::new("dependency", saved.id, "create"),
    };
    audit::record(conn, actor, change.after(&saved)).await?;
    Ok(saved)
}

/// A continuity manager vouches for an edge an owner made. `false` when there was nothing to
/// confirm (gone, or confirmed already); nothing is written then.
pub async fn confirm(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> sqlx::Result<bool> {
    let confirmed = sqlx::query_as!(
        Dependency,
        "update dependencies set confirmed = true, version = version + 1
         where id = $1 and not confirmed
         returning id, from_id, to_id, relation, redundancy, notes, confirmed",
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(after) = confirmed else {
        return Ok(false);
    };
    let before = Dependency {
        confirmed: false,
        ..after.clone()
    };
    audit::record(
        conn,
        actor,
        Change::new("dependency", id, "confirm")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

pub async fn delete(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> sqlx::Result<()> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!("delete from dependencies where id = $1", id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        Change::new("dependency", id, "delete").before(&before),
    )
    .await
}

/// Removes a node's own dependencies (before the node itself is deleted), each audited.
pub async fn delete_all_from(
    conn: &mut PgConnection,
    actor: &Actor,
    node: Uuid,
) -> sqlx::Result<()> {
    let removed = sqlx::query_as!(
        Dependency,
        "delete from dependencies where from_id = $1 returning id, from_id, to_id, relation, redundancy, notes, confirmed",
        node
    )
    .fetch_all(&mut *conn)
    .await?;
    for edge in removed {
        audit::record(
            conn,
            actor,
            Change::new("dependency", edge.id, "delete").before(&edge),
        )
        .await?;
    }
    Ok(())
}

/// The graph's revision counter (moves on every change to nodes or edges).
pub async fn graph_revision(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!("select revision from graph_revision where id = 1")
        .fetch_one(db)
        .await
}

/// Edges among a set of nodes, with their details (for drawing a neighbourhood).
pub async fn among(db: impl PgExecutor<'_>, nodes: &[Uuid]) -> sqlx::Result<Vec<Dependency>> {
    sqlx::query_as!(
        Dependency,
        "select id, from_id, to_id, relation, redundancy, notes, confirmed from dependencies
         where from_id = any($1) and to_id = any($1)",
        nodes
    )
    .fetch_all(db)
    .await
}

/// Keeps the "hosted at" edge of a component in step with its site field.
pub async fn sync_hosting_site(
    conn: &mut PgConnection,
    actor: &Actor,
    component: Uuid,
    old_site: Option<Uuid>,
    new_site: Option<Uuid>,
) -> sqlx::Result<()> {
    if old_site == new_site {
        return Ok(());
    }
    if let Some(old) = old_site {
        let edge = sqlx::query_scalar!(
            "select id from dependencies where from_id = $1 and to_id = $2",
            component,
            old
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(edge) = edge {
            delete(conn, actor, edge).await?;
        }
    }
    if let Some(new) = new_site {
        let fields = DependencyFields {
            relation: "hosted_at".into(),
            redundancy: "none".into(),
            notes: String::new(),
        };
        upsert(conn, actor, component, new, &fields).await?;
    }
    Ok(())
}
