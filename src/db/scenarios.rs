//! Saved disaster scenarios: a name and the sites, components and contracts it loses. What they
//! do is computed each time they are opened, against the estate as it is then.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::audit::{self, Actor, Change};
use super::catalogue::{WriteError, classify};

#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub lost: Vec<Uuid>,
    pub archived: bool,
}

/// The active scenarios by name (a practice keeps a handful; bounded all the same).
pub async fn active(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Scenario>> {
    sqlx::query_as!(
        Scenario,
        r#"select id, name, description, lost, archived_at is not null as "archived!"
           from scenarios where archived_at is null order by lower(name) limit 200"#
    )
    .fetch_all(db)
    .await
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Scenario>> {
    sqlx::query_as!(
        Scenario,
        r#"select id, name, description, lost, archived_at is not null as "archived!"
           from scenarios where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    name: &str,
    description: &str,
    lost: &[Uuid],
) -> Result<Scenario, WriteError> {
    let scenario = sqlx::query_as!(
        Scenario,
        r#"insert into scenarios (name, description, lost, created_by) values ($1, $2, $3, $4)
           returning id, name, description, lost, archived_at is not null as "archived!""#,
        name,
        description,
        lost,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| {
        classify(
            error,
            &[(
                "scenarios_name_key",
                "name",
                "Another scenario has this name: choose another.",
            )],
        )
    })?;
    audit::record(
        conn,
        actor,
        Change::new("scenario", scenario.id, "create").after(&scenario),
    )
    .await?;
    Ok(scenario)
}

/// Archives a scenario; false when it was archived already (nothing changes or is audited).
pub async fn archive(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> sqlx::Result<bool> {
    let changed = sqlx::query!(
        "update scenarios set archived_at = now(), version = version + 1
         where id = $1 and archived_at is null",
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if changed {
        audit::record(conn, actor, Change::new("scenario", id, "archive")).await?;
    }
    Ok(changed)
}

pub struct InvokedPlan {
    pub id: Uuid,
    pub title: String,
    pub services: i64,
}

/// The active plans with an approved version covering any of `services`: those a disaster
/// taking them down invokes, the most services first.
pub async fn plans_covering(
    db: impl PgExecutor<'_>,
    services: &[Uuid],
) -> sqlx::Result<Vec<InvokedPlan>> {
    sqlx::query_as!(
        InvokedPlan,
        r#"select p.id, p.title, count(*) as "services!"
           from plan_services ps join plans p on p.id = ps.plan_id and p.status = 'active'
           where ps.service_id = any($1)
             and exists (select 1 from plan_versions v where v.plan_id = p.id and v.status = 'approved')
           group by p.id, p.title
           order by count(*) desc, lower(p.title)
           limit 100"#,
        services
    )
    .fetch_all(db)
    .await
}

/// A plan test that rehearses a saved scenario.
pub struct Rehearsal {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub status: String,
    pub test_on: time::Date,
}

/// The latest tests rehearsing scenario `id`, newest first (at most `limit`).
pub async fn rehearsals(
    db: impl PgExecutor<'_>,
    id: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<Rehearsal>> {
    sqlx::query_as!(
        Rehearsal,
        "select id, number, title, status, test_on from plan_tests
         where disaster_scenario_id = $1 order by test_on desc, number desc limit $2",
        id,
        limit
    )
    .fetch_all(db)
    .await
}
