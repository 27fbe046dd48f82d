//! Archiving, restoring and deleting any catalogue node. One implementation for every kind: the
//! statements differ only in their table, which comes from a fixed list, never from input.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{components, dependencies, processes, services, sites};
use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

/// The table holding nodes of a kind (contracts come with the supplier feature).
fn table(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Site => Some("sites"),
        NodeKind::Service => Some("services"),
        NodeKind::Component => Some("components"),
        NodeKind::Process => Some("business_processes"),
        NodeKind::Contract => None,
    }
}

/// The node as its own page shows it, for the audit log's before and after.
async fn snapshot(conn: &mut PgConnection, kind: NodeKind, id: Uuid) -> sqlx::Result<Value> {
    let value = match kind {
        NodeKind::Site => serde_json::to_value(sites::find(conn, id).await?),
        NodeKind::Service => serde_json::to_value(services::find(conn, id).await?),
        NodeKind::Component => serde_json::to_value(components::find(conn, id).await?),
        NodeKind::Process => serde_json::to_value(processes::find(conn, id).await?),
        NodeKind::Contract => Ok(Value::Null),
    };
    value.map_err(|error| sqlx::Error::Decode(Box::new(error)))
}

/// Archives (hides from lists and pickers, keeps history) or restores a node.
pub async fn set_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: NodeKind,
    id: Uuid,
    archived: bool,
) -> sqlx::Result<()> {
    let table = table(kind).ok_or(sqlx::Error::RowNotFound)?;
    let before = snapshot(conn, kind, id).await?;
    let statement = format!(
        "update {table} set archived_at = case when $2 then coalesce(archived_at, now()) end, version = version + 1
         where id = $1"
    );
    sqlx::query(&statement)
        .bind(id)
        .bind(archived)
        .execute(&mut *conn)
        .await?;
    let after = snapshot(conn, kind, id).await?;
    let action = if archived { "archive" } else { "restore" };
    audit::record(
        conn,
        actor,
        Change::new(kind.as_str(), id, action)
            .before(&before)
            .after(&after),
    )
    .await
}

/// Deletes a node nothing references (the caller checks); its own dependencies go with it.
pub async fn delete(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: NodeKind,
    id: Uuid,
) -> sqlx::Result<()> {
    let table = table(kind).ok_or(sqlx::Error::RowNotFound)?;
    let before = snapshot(conn, kind, id).await?;
    dependencies::delete_all_from(conn, actor, id).await?;
    sqlx::query(&format!("delete from {table} where id = $1"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!("delete from catalogue_nodes where id = $1", id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        Change::new(kind.as_str(), id, "delete").before(&before),
    )
    .await
}
