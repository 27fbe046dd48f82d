//! The append-only audit log: who changed what, when, from what to what.

use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// Who is acting: a signed-in user, or the system itself (start-up, demo loader).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub label: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_string(),
            request_id: None,
        }
    }
}

/// One change to record; `before` and `after` are snapshots of the entity (or `None`).
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Change<'a> {
    pub fn new(entity: &'a str, entity_id: impl ToString, action: &'a str) -> Self {
        Self {
            entity,
            entity_id: entity_id.to_string(),
            action,
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, snapshot: &impl Serialize) -> Self {
        self.before = serde_json::to_value(snapshot).ok();
        self
    }

    pub fn after(mut self, snapshot: &impl Serialize) -> Self {
        self.after = serde_json::to_value(snapshot).ok();
        self
    }
}

/// Writes one audit row; call it on the same connection (transaction) as the change itself.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    change: Change<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, actor_label, entity, entity_id, action, before, after, request_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        actor.user_id,
        actor.label,
        change.entity,
        change.entity_id,
        change.action,
        change.before,
        change.after,
        actor.request_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One row of a set-based write, for [`record_many`].
pub struct Entry {
    pub entity_id: String,
    pub action: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Entry {
    pub fn new(
        entity_id: impl ToString,
        action: &'static str,
        before: Option<&impl Serialize>,
        after: Option<&impl Serialize>,
    ) -> Self {
        Self {
            entity_id: entity_id.to_string(),
            action,
            before: before.and_then(|value| serde_json::to_value(value).ok()),
            after: after.and_then(|value| serde_json::to_value(value).ok()),
        }
    }
}

/// Writes the audit rows of a set-based write (an import) in one statement, whatever their
/// number; call it on the same transaction as the write.
pub async fn record_many(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    entries: Vec<Entry>,
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(entries.len());
    let mut actions = Vec::with_capacity(entries.len());
    let mut befores = Vec::with_capacity(entries.len());
    let mut afters = Vec::with_capacity(entries.len());
    for entry in entries {
        ids.push(entry.entity_id);
        actions.push(entry.action.to_string());
        befores.push(entry.before);
        afters.push(entry.after);
    }
    sqlx::query!(
        "insert into audit_log (actor_id, actor_label, entity, entity_id, action, before, after, request_id)
         select $1, $2, $3, e.entity_id, e.action, e.before, e.after, $4
         from unnest($5::text[], $6::text[], $7::jsonb[], $8::jsonb[]) with ordinality
              as e(entity_id, action, before, after, n)
         order by e.n",
        actor.user_id,
        actor.label,
        entity,
        actor.request_id,
        &ids,
        &actions,
        &befores as &[Option<Value>],
        &afters as &[Option<Value>],
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The distinct entity kinds and actions seen so far, for the audit page's filters: read from
/// the small table the log's insert trigger keeps, never from the log itself.
pub async fn filter_choices(
    db: impl sqlx::PgExecutor<'_>,
) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let row = sqlx::query!(
        r#"select array(select value from audit_log_terms where field = 'entity' order by 1) as "entities!",
                  array(select value from audit_log_terms where field = 'action' order by 1) as "actions!""#
    )
    .fetch_one(db)
    .await?;
    Ok((row.entities, row.actions))
}
