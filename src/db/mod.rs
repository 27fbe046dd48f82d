//! Queries, each a small function over an executor or connection so callers can compose them in
//! one transaction. Every write function also records its audit row (see [`audit`]).

pub mod actions;
pub mod audit;
pub mod bia;
pub mod catalogue;
pub mod exercises;
pub mod known_devices;
pub mod login_failures;
pub mod plans;
pub mod posture;
pub mod recovery;
pub mod risks;
pub mod scenarios;
pub mod serving_role;
pub mod sessions;
pub mod setup;
pub mod strategies;
pub mod suppliers;
pub mod users;

/// Archives or restores row `id` of `table` — one of the callers' own table names, never input —
/// and says whether anything changed: archiving twice changes (and so audits) once. The caller
/// records the audit row with its own before and after.
pub async fn toggle_archived(
    conn: &mut sqlx::PgConnection,
    table: &'static str,
    id: uuid::Uuid,
    archived: bool,
) -> sqlx::Result<bool> {
    let statement = format!(
        "update {table} set archived_at = case when $2 then now() end, version = version + 1
         where id = $1 and (archived_at is not null) <> $2"
    );
    let changed = sqlx::query(&statement)
        .bind(id)
        .bind(archived)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// The outcome of an update guarded by a version number (optimistic concurrency).
pub enum Versioned<T> {
    Saved(T),
    /// Someone saved first; here is what is stored now.
    Stale(T),
}
