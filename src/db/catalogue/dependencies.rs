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
    let (nodes, edges, _) = load_graph_with_redundancy(conn).await?;
    Ok((nodes, edges))
}

/// The graph's nodes and edges, and the edges that have redundancy ("redundancy exists").
pub async fn load_graph_with_redundancy(
    conn: &mut PgConnection,
) -> sqlx::Result<(Vec<(Uuid, NodeKind)>, Vec<(Uuid, Uuid)>, Vec<(Uuid, Uuid)>)> {
    let nodes = sqlx::query!("select id, kind from catalogue_nodes")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|row| Some((row.id, NodeKind::parse(&row.kind)?)))
        .collect();
    let rows = sqlx::query!(
        r#"select from_id, to_id, redundancy <> 'none' as "redundant!" from dependencies"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let redundant = rows
        .iter()
        .filter(|row| row.redundant)
        .map(|row| (row.from_id, row.to_id))
        .collect();
    let edges = rows
        .into_iter()
        .map(|row| (row.from_id, row.to_id))
        .collect();
    Ok((nodes, edges, redundant))
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

/// One edge of a set-based upsert.
pub struct NewEdge {
    pub from_id: Uuid,
    pub to_id: Uuid,
    pub fields: DependencyFields,
}

/// Adds or updates many edges at once, vouched for (an import a manager runs): a fixed number
/// of statements however many edges, each edge audited. Of two edges between the same pair the
/// later wins.
pub async fn upsert_many(
    conn: &mut PgConnection,
    actor: &Actor,
    edges: Vec<NewEdge>,
) -> sqlx::Result<()> {
    let mut latest: std::collections::HashMap<(Uuid, Uuid), usize> = Default::default();
    for (index, edge) in edges.iter().enumerate() {
        latest.insert((edge.from_id, edge.to_id), index);
    }
    let edges: Vec<NewEdge> = edges
        .into_iter()
        .enumerate()
        .filter(|(index, edge)| latest.get(&(edge.from_id, edge.to_id)) == Some(index))
        .map(|(_, edge)| edge)
        .collect();
    if edges.is_empty() {
        return Ok(());
    }
    let from: Vec<Uuid> = edges.iter().map(|edge| edge.from_id).collect();
    let to: Vec<Uuid> = edges.iter().map(|edge| edge.to_id).collect();
    let relation: Vec<String> = edges.iter().map(|e| e.fields.relation.clone()).collect();
    let redundancy: Vec<String> = edges.iter().map(|e| e.fields.redundancy.clone()).collect();
    let notes: Vec<String> = edges
        .iter()
        .map(|e| e.fields.notes.trim().to_string())
        .collect();
    let before: std::collections::HashMap<Uuid, Dependency> = sqlx::query_as!(
        Dependency,
        "select d.id, d.from_id, d.to_id, d.relation, d.redundancy, d.notes, d.confirmed
         from dependencies d join unnest($1::uuid[], $2::uuid[]) as k(from_id, to_id)
              on d.from_id = k.from_id and d.to_id = k.to_id",
        &from,
        &to,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|edge| (edge.id, edge))
    .collect();
    let saved = sqlx::query_as!(
        Dependency,
        "insert into dependencies (from_id, to_id, relation, redundancy, notes, confirmed)
         select from_id, to_id, relation, redundancy, notes, true
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
              as e(from_id, to_id, relation, redundancy, notes)
         on conflict (from_id, to_id) do update set relation = excluded.relation,
             redundancy = excluded.redundancy, notes = excluded.notes, confirmed = true,
             version = dependencies.version + 1
         returning id, from_id, to_id, relation, redundancy, notes, confirmed",
        &from,
        &to,
        &relation,
        &redundancy,
        &notes,
    )
    .fetch_all(&mut *conn)
    .await?;
    let entries = saved
        .iter()
        .map(|after| {
            let before = before.get(&after.id);
            let action = if before.is_some() { "update" } else { "create" };
            audit::Entry::new(after.id, action, before, Some(after))
        })
        .collect();
    audit::record_many(conn, actor, "dependency", entries).await
}

/// Removes the edges between these (from, to) pairs that exist, each audited, in a fixed
/// number of statements.
pub async fn delete_pairs(
    conn: &mut PgConnection,
    actor: &Actor,
    pairs: &[(Uuid, Uuid)],
) -> sqlx::Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let (from, to): (Vec<Uuid>, Vec<Uuid>) = pairs.iter().copied().unzip();
    let removed = sqlx::query_as!(
        Dependency,
        "delete from dependencies d using unnest($1::uuid[], $2::uuid[]) as k(from_id, to_id)
         where d.from_id = k.from_id and d.to_id = k.to_id
         returning d.id, d.from_id, d.to_id, d.relation, d.redundancy, d.notes, d.confirmed",
        &from,
        &to,
    )
    .fetch_all(&mut *conn)
    .await?;
    let entries = removed
        .iter()
        .map(|edge| audit::Entry::new(edge.id, "delete", Some(edge), None::<&Dependency>))
        .collect();
    audit::record_many(conn, actor, "dependency", entries).await
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
