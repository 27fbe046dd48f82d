//! Suppliers: who they are, how important they are to us, and their escalation matrix.

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::{WriteError, classify};

/// One level of a supplier's escalation matrix: whom to call when the level before fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EscalationLevel {
    pub level: u8,
    pub name: String,
    pub role: String,
    pub phone: String,
    /// When they can be reached, e.g. "24×7" or "Mon–Fri 08:00–18:00".
    pub hours: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Supplier {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub notes: String,
    pub escalation: Vec<EscalationLevel>,
    pub archived: bool,
    pub version: i32,
}

pub struct SupplierFields {
    pub name: String,
    pub category: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub notes: String,
    pub escalation: Vec<EscalationLevel>,
}

const UNIQUE: &[(&str, &str, &str)] = &[(
    "suppliers_name_key",
    "name",
    "Another supplier already has this name.",
)];

struct Row {
    id: Uuid,
    name: String,
    category: String,
    website: String,
    email: String,
    phone: String,
    address: String,
    notes: String,
    escalation: serde_json::Value,
    archived: bool,
    version: i32,
}

impl From<Row> for Supplier {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            name: row.name,
            category: row.category,
            website: row.website,
            email: row.email,
            phone: row.phone,
            address: row.address,
            notes: row.notes,
            escalation: serde_json::from_value(row.escalation).unwrap_or_default(),
            archived: row.archived,
            version: row.version,
        }
    }
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Supplier>> {
    let row = sqlx::query_as!(
        Row,
        r#"select id, name, category, website, email, phone, address, notes, escalation,
                  archived_at is not null as "archived!", version
           from suppliers where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Supplier::from))
}

/// Active suppliers as (id, name), for choosing a contract's supplier.
pub async fn options(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, name from suppliers where archived_at is null order by lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}

fn escalation_json(fields: &SupplierFields) -> serde_json::Value {
    serde_json::to_value(&fields.escalation).unwrap_or_else(|_| serde_json::json!([]))
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &SupplierFields,
) -> Result<Supplier, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into suppliers (name, category, website, email, phone, address, notes, escalation)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        fields.name.trim(),
        fields.category,
        fields.website.trim(),
        fields.email.trim(),
        fields.phone.trim(),
        fields.address.trim(),
        fields.notes.trim(),
        escalation_json(fields),
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let supplier = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("supplier", id, "create").after(&supplier),
    )
    .await?;
    Ok(supplier)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &SupplierFields,
) -> Result<Versioned<Supplier>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update suppliers set name = $3, category = $4, website = $5, email = $6, phone = $7,
             address = $8, notes = $9, escalation = $10, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.category,
        fields.website.trim(),
        fields.email.trim(),
        fields.phone.trim(),
        fields.address.trim(),
        fields.notes.trim(),
        escalation_json(fields),
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
        Change::new("supplier", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// The supplier's history: its own changes and those of `contracts` (the ones the reader may
/// see), newest first.
pub async fn history(
    db: impl PgExecutor<'_>,
    id: Uuid,
    contracts: &[Uuid],
) -> sqlx::Result<Vec<(time::OffsetDateTime, String, String, String)>> {
    let contracts: Vec<String> = contracts.iter().map(Uuid::to_string).collect();
    let rows = sqlx::query!(
        r#"select at, actor_label, entity, action from audit_log
           where (entity = 'supplier' and entity_id = $1)
              or (entity = 'contract' and entity_id = any($2))
           order by at desc limit 50"#,
        id.to_string(),
        &contracts
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.at, row.actor_label, row.entity, row.action))
        .collect())
}

/// Archives (hides from lists, renewals and pickers, keeps history) or restores a supplier;
/// its contracts follow it in the lists through their supplier.
pub async fn set_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    archived: bool,
) -> Result<(), WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!(
        "update suppliers set archived_at = case when $2 then coalesce(archived_at, now()) end,
             version = version + 1
         where id = $1",
        id,
        archived
    )
    .execute(&mut *conn)
    .await?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let action = if archived { "archive" } else { "restore" };
    audit::record(
        conn,
        actor,
        Change::new("supplier", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}
