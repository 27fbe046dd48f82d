//! A plan test as planned: its type, date, facilitator, scenario and objectives, and its scope —
//! the plans at the version in force, the services those plans cover, the suppliers and the
//! people taking part. Every write is audited with the scope it set.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::WriteError;
use crate::domain::exercise::{TestStatus, TestType};

#[derive(Debug, Clone, Serialize)]
pub struct PlanTest {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub test_type: String,
    pub status: String,
    pub test_on: Date,
    pub facilitator_id: Option<Uuid>,
    pub facilitator_name: Option<String>,
    pub scenario: String,
    /// The saved disaster scenario the test rehearses.
    pub disaster_scenario_id: Option<Uuid>,
    pub disaster_scenario_name: Option<String>,
    pub conclusion: String,
    pub created_by: Option<Uuid>,
    pub completed_label: Option<String>,
    pub completed_at: Option<OffsetDateTime>,
    pub version: i32,
}

impl PlanTest {
    /// "T-0007": how people refer to a test.
    pub fn reference(&self) -> String {
        reference(self.number)
    }

    pub fn test_type(&self) -> TestType {
        TestType::parse(&self.test_type).unwrap_or(TestType::WalkThrough)
    }

    pub fn status(&self) -> TestStatus {
        TestStatus::parse(&self.status).unwrap_or(TestStatus::Planned)
    }
}

pub fn reference(number: i32) -> String {
    format!("T-{number:04}")
}

/// What the planning form sets.
#[derive(Debug, Clone)]
pub struct TestFields {
    pub title: String,
    pub test_type: TestType,
    pub test_on: Date,
    pub facilitator_id: Option<Uuid>,
    pub scenario: String,
    pub disaster_scenario_id: Option<Uuid>,
    pub plans: Vec<Uuid>,
    pub suppliers: Vec<Uuid>,
    pub participants: Vec<Uuid>,
    pub objectives: Vec<String>,
}

/// The scope as stored, for the form and the audit log.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    pub plans: Vec<Uuid>,
    pub services: Vec<Uuid>,
    pub suppliers: Vec<Uuid>,
    pub participants: Vec<Uuid>,
    pub objectives: Vec<String>,
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<PlanTest>> {
    sqlx::query_as!(
        PlanTest,
        r#"select t.id, t.number, t.title, t.test_type, t.status, t.test_on, t.facilitator_id,
                  f.name as "facilitator_name?", t.scenario, t.disaster_scenario_id,
                  d.name as "disaster_scenario_name?", t.conclusion, t.created_by,
                  c.display_name as "completed_label?", t.completed_at, t.version
           from plan_tests t
           left join people f on f.id = t.facilitator_id
           left join scenarios d on d.id = t.disaster_scenario_id
           left join users c on c.id = t.completed_by
           where t.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

async fn found(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<PlanTest> {
    find(&mut *conn, id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// The test's scope in five small queries.
pub async fn scope(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Scope> {
    let plans = sqlx::query_scalar!(
        "select plan_id from plan_test_plans where test_id = $1 order by plan_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let services = sqlx::query_scalar!(
        "select service_id from plan_test_services where test_id = $1 order by service_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let suppliers = sqlx::query_scalar!(
        "select supplier_id from plan_test_suppliers where test_id = $1 order by supplier_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let participants = sqlx::query_scalar!(
        "select person_id from plan_test_participants where test_id = $1 order by person_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let objectives = sqlx::query_scalar!(
        "select statement from plan_test_objectives where test_id = $1 order by position",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Scope {
        plans,
        services,
        suppliers,
        participants,
        objectives,
    })
}

#[derive(Serialize)]
struct Snapshot<'a> {
    test: &'a PlanTest,
    scope: &'a Scope,
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &TestFields,
) -> Result<PlanTest, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into plan_tests (title, test_type, test_on, facilitator_id, scenario,
             disaster_scenario_id, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        fields.title.trim(),
        fields.test_type.as_str(),
        fields.test_on,
        fields.facilitator_id,
        fields.scenario.trim(),
        fields.disaster_scenario_id,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    set_scope(conn, id, fields).await?;
    let after = found(conn, id).await?;
    let scope = scope(conn, id).await?;
    audit::record(
        conn,
        actor,
        Change::new("plan_test", id, "create").after(&Snapshot {
            test: &after,
            scope: &scope,
        }),
    )
    .await?;
    Ok(after)
}

/// Changes a planned test; a completed or cancelled one stays as it was.
pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &TestFields,
) -> Result<Versioned<PlanTest>, WriteError> {
    let before = found(conn, id).await?;
    let before_scope = scope(conn, id).await?;
    let updated = sqlx::query!(
        "update plan_tests set title = $3, test_type = $4, test_on = $5, facilitator_id = $6,
             scenario = $7, disaster_scenario_id = $8, version = version + 1
         where id = $1 and version = $2 and status = 'planned'",
        id,
        expected_version,
        fields.title.trim(),
        fields.test_type.as_str(),
        fields.test_on,
        fields.facilitator_id,
        fields.scenario.trim(),
        fields.disaster_scenario_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    set_scope(conn, id, fields).await?;
    let after = found(conn, id).await?;
    let after_scope = scope(conn, id).await?;
    audit::record(
        conn,
        actor,
        Change::new("plan_test", id, "update")
            .before(&Snapshot {
                test: &before,
                scope: &before_scope,
            })
            .after(&Snapshot {
                test: &after,
                scope: &after_scope,
            }),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Sets the scope, set-based: plans keep the version they were first planned at (new ones take
/// the version in force), the services follow the plans, objectives keep their recorded result
/// where the statement stays at its position.
async fn set_scope(conn: &mut PgConnection, id: Uuid, fields: &TestFields) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from plan_test_plans where test_id = $1 and plan_id <> all($2)",
        id,
        &fields.plans
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_plans (test_id, plan_id, version_id)
         select $1, v.plan_id, v.id from plan_versions v
         where v.plan_id = any($2) and v.status = 'approved'
         on conflict (test_id, plan_id) do nothing",
        id,
        &fields.plans
    )
    .execute(&mut *conn)
    .await?;
    // What was recorded for a plan no longer exercised goes with it.
    sqlx::query!(
        "delete from plan_test_step_times where test_id = $1 and plan_id <> all($2)",
        id,
        &fields.plans
    )
    .execute(&mut *conn)
    .await?;
    // The services in scope are those the exercised versions cover (not a later draft's).
    sqlx::query!(
        "delete from plan_test_services t where t.test_id = $1 and not exists (
             select 1 from plan_test_plans tp join plan_versions v on v.id = tp.version_id
             where tp.test_id = $1 and v.content -> 'services' ? t.service_id::text)",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from plan_test_findings f where f.test_id = $1 and f.automatic
             and not exists (select 1 from plan_test_services t where t.test_id = $1 and t.service_id = f.service_id)
             and not exists (select 1 from improvement_actions a where a.finding_id = f.id)",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_services (test_id, service_id)
         select distinct $1::uuid, s.id
         from plan_test_plans tp join plan_versions v on v.id = tp.version_id
         cross join lateral jsonb_array_elements_text(v.content -> 'services') covered(service_id)
         join services s on s.id = covered.service_id::uuid and s.archived_at is null
         where tp.test_id = $1
         on conflict (test_id, service_id) do nothing",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from plan_test_suppliers where test_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into plan_test_suppliers (test_id, supplier_id)
         select $1, unnest($2::uuid[]) on conflict do nothing",
        id,
        &fields.suppliers
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from plan_test_participants where test_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into plan_test_participants (test_id, person_id)
         select $1, unnest($2::uuid[]) on conflict do nothing",
        id,
        &fields.participants
    )
    .execute(&mut *conn)
    .await?;
    let count = i32::try_from(fields.objectives.len()).unwrap_or(i32::MAX);
    sqlx::query!(
        "delete from plan_test_objectives where test_id = $1 and position > $2",
        id,
        count
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_objectives (test_id, position, statement)
         select $1, position::integer, statement
         from unnest($2::text[]) with ordinality as o(statement, position)
         on conflict (test_id, position) do update set
             statement = excluded.statement,
             met = case when plan_test_objectives.statement = excluded.statement
                        then plan_test_objectives.met end,
             note = case when plan_test_objectives.statement = excluded.statement
                        then plan_test_objectives.note else '' end",
        id,
        &fields.objectives
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Completes or cancels a planned test (`to`), keeping the conclusion; a completed test counts
/// in the programme from its date.
pub async fn conclude(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &PlanTest,
    to: TestStatus,
    conclusion: &str,
    held_on: Date,
) -> sqlx::Result<Versioned<PlanTest>> {
    let updated = sqlx::query!(
        "update plan_tests set status = $3::text, conclusion = $4,
             test_on = case when $3::text = 'completed' then $5::date else test_on end,
             completed_by = case when $3::text = 'completed' then $6::uuid end,
             completed_at = case when $3::text = 'completed' then now() end,
             version = version + 1
         where id = $1 and version = $2 and status = 'planned'",
        before.id,
        before.version,
        to.as_str(),
        conclusion.trim(),
        held_on,
        actor.user_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let after = found(conn, before.id).await?;
    if updated == 0 {
        return Ok(Versioned::Stale(after));
    }
    audit::record(
        conn,
        actor,
        Change::new("plan_test", before.id, to.as_str())
            .before(before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Whether every plan the test exercises covers (in its tested version) a service `user` owns:
/// the owner who planned a test keeps changing it only while it stays theirs.
pub async fn owner_of_every_plan(
    db: impl PgExecutor<'_>,
    test: Uuid,
    user: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select not exists (
               select 1 from plan_test_plans tp join plan_versions v on v.id = tp.version_id
               where tp.test_id = $1 and not exists (
                   select 1 from services s
                   where s.owner_id = $2 and v.content -> 'services' ? s.id::text)) as "every!""#,
        test,
        user
    )
    .fetch_one(db)
    .await
}

/// Whether `user` owns a service in the test's scope: an owner records results for the test.
pub async fn covers_service_of(
    db: impl PgExecutor<'_>,
    test: Uuid,
    user: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from plan_test_services t join services s on s.id = t.service_id
                          where t.test_id = $1 and s.owner_id = $2) as "covers!""#,
        test,
        user
    )
    .fetch_one(db)
    .await
}

/// An approved operational plan a test can exercise, with the owners of the services it covers
/// (a service owner plans tests of the plans that cover one of their services).
#[derive(Debug, Clone)]
pub struct PlanChoice {
    pub id: Uuid,
    pub title: String,
    pub owners: Vec<Uuid>,
}

pub async fn plan_choices(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<PlanChoice>> {
    sqlx::query_as!(
        PlanChoice,
        r#"select p.id, p.title,
                  array(select s.owner_id from plan_versions v
                        cross join jsonb_array_elements_text(v.content -> 'services') covered(id)
                        join services s on s.id = covered.id::uuid
                        where v.plan_id = p.id and v.status = 'approved' and s.owner_id is not null)
                      as "owners!"
           from plans p
           where p.status = 'active' and p.kind <> 'policy'
             and exists (select 1 from plan_versions v where v.plan_id = p.id and v.status = 'approved')
           order by lower(p.title)"#
    )
    .fetch_all(db)
    .await
}
