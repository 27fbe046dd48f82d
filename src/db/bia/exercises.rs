//! BIA exercises: a campaign over chosen services, with the method copied in at creation.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};

#[derive(Debug, Clone, Serialize)]
pub struct Exercise {
    pub id: Uuid,
    pub name: String,
    pub instructions: String,
    pub due_date: Option<Date>,
    pub status: String,
    #[serde(skip)]
    pub method: Value,
    pub opened_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    pub version: i32,
}

pub struct NewExercise<'a> {
    pub name: &'a str,
    pub instructions: &'a str,
    pub due_date: Option<Date>,
    pub method: Value,
    pub services: &'a [Uuid],
}

/// Every exercise's id and name, newest first, for filters.
pub async fn names(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!("select id, name from bia_exercises order by created_at desc")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Exercise>> {
    sqlx::query_as!(
        Exercise,
        "select id, name, instructions, due_date, status, method, opened_at, closed_at, version
         from bia_exercises where id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: NewExercise<'_>,
) -> sqlx::Result<Exercise> {
    let id = sqlx::query_scalar!(
        "insert into bia_exercises (name, instructions, due_date, method, created_by) values ($1, $2, $3, $4, $5)
         returning id",
        new.name.trim(),
        new.instructions.trim(),
        new.due_date,
        new.method,
        actor.user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into bia_exercise_services (exercise_id, service_id) select $1, unnest($2::uuid[])",
        id,
        new.services
    )
    .execute(&mut *conn)
    .await?;
    let exercise = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("bia_exercise", id, "create")
            .after(&serde_json::json!({ "exercise": &exercise, "services": new.services })),
    )
    .await?;
    Ok(exercise)
}

/// The services in an exercise's scope as (id, name, owner id).
pub async fn scope(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Vec<(Uuid, String, Option<Uuid>)>> {
    let rows = sqlx::query!(
        "select s.id, s.name, s.owner_id from bia_exercise_services x join services s on s.id = x.service_id
         where x.exercise_id = $1 order by lower(s.name)",
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.name, row.owner_id))
        .collect())
}

/// Moves the exercise to `to` (the caller checked the move is allowed), guarded by its version.
pub async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    version: i32,
    to: &str,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update bia_exercises set status = $3, version = version + 1,
             opened_at = case when $3 = 'open' then now() else opened_at end,
             closed_at = case when $3 = 'closed' then now() else closed_at end
         where id = $1 and version = $2",
        id,
        version,
        to
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("bia_exercise", id, "change_status")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// Creates one assessment per service in scope, assigned to the service's owner.
pub async fn create_assessments(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
) -> sqlx::Result<u64> {
    let created = sqlx::query!(
        "insert into bia_assessments (exercise_id, service_id, assignee_id)
         select x.exercise_id, s.id, s.owner_id
         from bia_exercise_services x join services s on s.id = x.service_id
         where x.exercise_id = $1
         on conflict (exercise_id, service_id) do nothing",
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    audit::record(
        conn,
        actor,
        Change::new("bia_exercise", id, "create_assessments")
            .after(&serde_json::json!({ "assessments": created })),
    )
    .await?;
    Ok(created)
}
