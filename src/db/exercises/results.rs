//! What a test measured and found: the exercised plans at their tested version, each service's
//! achieved recovery time, data loss and result, the step times, the objectives met or not, who
//! the call tree reached, and the findings with the actions they became. Saving a recording
//! writes all of it set-based in one transaction, recomputes every service's result and keeps a
//! "not met" result's finding in step.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};

/// An exercised plan at the version tested.
#[derive(Debug, Clone)]
pub struct ExercisedPlanRow {
    pub plan_id: Uuid,
    pub title: String,
    pub version_number: i32,
    pub content: serde_json::Value,
}

pub async fn plans(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<ExercisedPlanRow>> {
    sqlx::query_as!(
        ExercisedPlanRow,
        "select p.id as plan_id, p.title, v.number as version_number, v.content
         from plan_test_plans t join plans p on p.id = t.plan_id
         join plan_versions v on v.id = t.version_id
         where t.test_id = $1 order by lower(p.title)",
        test
    )
    .fetch_all(db)
    .await
}

/// A service in scope with its requirement today and what the test recorded for it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    pub service_id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub achieved_minutes: Option<i32>,
    pub achieved_from_steps: bool,
    pub data_lost_minutes: Option<i32>,
    pub result: Option<String>,
    pub overrun: String,
    pub note: String,
    pub recorded_label: Option<String>,
    pub recorded_at: Option<OffsetDateTime>,
}

pub async fn services(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<ServiceRow>> {
    sqlx::query_as!(
        ServiceRow,
        r#"select t.service_id, s.name, s.owner_id, o.display_name as "owner_name?",
                  s.bia_tier_rank as tier_rank, s.bia_tier_name as tier_name,
                  coalesce(t.rto_minutes, s.bia_rto_minutes) as rto_minutes,
                  coalesce(t.rpo_minutes, s.bia_rpo_minutes) as rpo_minutes,
                  t.achieved_minutes, t.achieved_from_steps, t.data_lost_minutes, t.result,
                  t.overrun, t.note, r.display_name as "recorded_label?", t.recorded_at
           from plan_test_services t join services s on s.id = t.service_id
           left join users o on o.id = s.owner_id
           left join users r on r.id = t.recorded_by
           where t.test_id = $1 order by s.bia_tier_rank nulls last, lower(s.name)"#,
        test
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct StepTimeRow {
    pub plan_id: Uuid,
    pub step_key: String,
    pub started_at: Option<PrimitiveDateTime>,
    pub ended_at: Option<PrimitiveDateTime>,
    pub actual_minutes: i32,
    pub deviation: String,
}

/// Whether anything that measures recovery is recorded for the test yet: a step time, or a
/// service's recovery time or data loss.
pub async fn measured_anything(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from plan_test_step_times where test_id = $1)
               or exists (select 1 from plan_test_services
                          where test_id = $1
                            and (achieved_minutes is not null or data_lost_minutes is not null))
               as "measured!""#,
        test
    )
    .fetch_one(db)
    .await
}

pub async fn step_times(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<StepTimeRow>> {
    sqlx::query_as!(
        StepTimeRow,
        "select plan_id, step_key, started_at, ended_at, actual_minutes, deviation
         from plan_test_step_times where test_id = $1",
        test
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRow {
    pub position: i32,
    pub statement: String,
    pub met: Option<bool>,
    pub note: String,
}

pub async fn objectives(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<ObjectiveRow>> {
    sqlx::query_as!(
        ObjectiveRow,
        "select position, statement, met, note from plan_test_objectives
         where test_id = $1 order by position",
        test
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct CallRow {
    pub person_id: Uuid,
    pub reached: bool,
    pub minutes: Option<i32>,
    pub note: String,
}

pub async fn calls(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<CallRow>> {
    sqlx::query_as!(
        CallRow,
        "select person_id, reached, minutes, note from plan_test_calls where test_id = $1",
        test
    )
    .fetch_all(db)
    .await
}

/// A person or supplier taking part, by name.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

pub async fn participants(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        "select p.id, p.name from plan_test_participants t join people p on p.id = t.person_id
         where t.test_id = $1 order by lower(p.name)",
        test
    )
    .fetch_all(db)
    .await
}

pub async fn suppliers(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        "select s.id, s.name from plan_test_suppliers t join suppliers s on s.id = t.supplier_id
         where t.test_id = $1 order by lower(s.name)",
        test
    )
    .fetch_all(db)
    .await
}

/// The names of people (the call tree's callees), in one query.
pub async fn people_named(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(Named, "select id, name from people where id = any($1)", ids)
        .fetch_all(db)
        .await
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub id: Uuid,
    pub number: i32,
    pub test_id: Uuid,
    pub severity: String,
    pub description: String,
    pub service_id: Option<Uuid>,
    pub service_name: Option<String>,
    pub service_owner_id: Option<Uuid>,
    pub automatic: bool,
    pub created_label: Option<String>,
    pub created_at: OffsetDateTime,
    pub action_id: Option<Uuid>,
    pub action_number: Option<i32>,
    pub action_status: Option<String>,
    pub action_due_on: Option<time::Date>,
}

impl FindingRow {
    /// "F-0003".
    pub fn reference(&self) -> String {
        format!("F-{:04}", self.number)
    }
}

pub async fn findings(db: impl PgExecutor<'_>, test: Uuid) -> sqlx::Result<Vec<FindingRow>> {
    sqlx::query_as!(
        FindingRow,
        r#"select f.id, f.number, f.test_id, f.severity, f.description, f.service_id,
                  s.name as "service_name?", s.owner_id as "service_owner_id?", f.automatic,
                  u.display_name as "created_label?", f.created_at,
                  a.id as "action_id?", a.number as "action_number?", a.status as "action_status?",
                  a.due_on as "action_due_on?"
           from plan_test_findings f
           left join services s on s.id = f.service_id
           left join users u on u.id = f.created_by
           left join improvement_actions a on a.finding_id = f.id
           where f.test_id = $1
           order by case f.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end,
                    f.number"#,
        test
    )
    .fetch_all(db)
    .await
}

pub async fn finding(
    db: impl PgExecutor<'_>,
    test: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<FindingRow>> {
    sqlx::query_as!(
        FindingRow,
        r#"select f.id, f.number, f.test_id, f.severity, f.description, f.service_id,
                  s.name as "service_name?", s.owner_id as "service_owner_id?", f.automatic,
                  u.display_name as "created_label?", f.created_at,
                  a.id as "action_id?", a.number as "action_number?", a.status as "action_status?",
                  a.due_on as "action_due_on?"
           from plan_test_findings f
           left join services s on s.id = f.service_id
           left join users u on u.id = f.created_by
           left join improvement_actions a on a.finding_id = f.id
           where f.test_id = $1 and f.id = $2"#,
        test,
        id
    )
    .fetch_optional(db)
    .await
}

/// One step's time as recorded (a blank entry removes what was recorded).
#[derive(Debug, Clone, Serialize)]
pub struct StepEntry {
    pub plan_id: Uuid,
    pub key: String,
    pub time: Option<(Option<PrimitiveDateTime>, Option<PrimitiveDateTime>, i32)>,
    pub deviation: String,
}

/// What a service's row will hold after the save: the typed figures and the result computed.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceEntry {
    pub service_id: Uuid,
    pub achieved_minutes: Option<i32>,
    pub achieved_from_steps: bool,
    pub data_lost_minutes: Option<i32>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub result: Option<String>,
    pub overrun: String,
    pub note: String,
    /// Whether this recorder entered it now (and so becomes its recorder).
    pub entered: bool,
    /// The finding a "not met" result records: severity and description.
    pub finding: Option<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveEntry {
    pub position: i32,
    pub met: Option<bool>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallEntry {
    pub person_id: Uuid,
    /// `None`: not recorded (removes what was).
    pub reached: Option<bool>,
    pub minutes: Option<i32>,
    pub note: String,
}

/// Everything one save of the recording form writes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recording {
    pub steps: Vec<StepEntry>,
    pub services: Vec<ServiceEntry>,
    pub objectives: Vec<ObjectiveEntry>,
    pub calls: Vec<CallEntry>,
}

/// Writes `recording` if the test is still at `expected_version` (and not cancelled); `false`
/// when someone else saved first. A fixed number of statements whatever the test's size; the
/// audit row keeps the services' results as they were (`before`) and as recorded, and each
/// finding a result records or withdraws by itself has its own audit row.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    test: Uuid,
    expected_version: i32,
    before: &[ServiceRow],
    recording: &Recording,
) -> sqlx::Result<bool> {
    let claimed = sqlx::query!(
        "update plan_tests set version = version + 1
         where id = $1 and version = $2 and status <> 'cancelled'",
        test,
        expected_version
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    write_steps(conn, test, &recording.steps).await?;
    write_services(conn, actor, test, &recording.services).await?;
    write_objectives(conn, test, &recording.objectives).await?;
    write_calls(conn, test, &recording.calls).await?;
    audit::record(
        conn,
        actor,
        Change::new("plan_test", test, "record")
            .before(&before)
            .after(recording),
    )
    .await?;
    Ok(true)
}

async fn write_steps(conn: &mut PgConnection, test: Uuid, steps: &[StepEntry]) -> sqlx::Result<()> {
    let (cleared, recorded): (Vec<&StepEntry>, Vec<&StepEntry>) =
        steps.iter().partition(|step| step.time.is_none());
    let cleared_plans: Vec<Uuid> = cleared.iter().map(|step| step.plan_id).collect();
    let cleared_keys: Vec<String> = cleared.iter().map(|step| step.key.clone()).collect();
    sqlx::query!(
        "delete from plan_test_step_times t using unnest($2::uuid[], $3::text[]) as c(plan_id, step_key)
         where t.test_id = $1 and t.plan_id = c.plan_id and t.step_key = c.step_key",
        test,
        &cleared_plans,
        &cleared_keys
    )
    .execute(&mut *conn)
    .await?;
    let plan_ids: Vec<Uuid> = recorded.iter().map(|step| step.plan_id).collect();
    let keys: Vec<String> = recorded.iter().map(|step| step.key.clone()).collect();
    let started: Vec<Option<PrimitiveDateTime>> = recorded
        .iter()
        .map(|step| step.time.and_then(|t| t.0))
        .collect();
    let ended: Vec<Option<PrimitiveDateTime>> = recorded
        .iter()
        .map(|step| step.time.and_then(|t| t.1))
        .collect();
    let minutes: Vec<i32> = recorded
        .iter()
        .map(|step| step.time.map_or(0, |t| t.2))
        .collect();
    let deviations: Vec<String> = recorded.iter().map(|step| step.deviation.clone()).collect();
    sqlx::query!(
        r#"insert into plan_test_step_times (test_id, plan_id, step_key, started_at, ended_at, actual_minutes, deviation)
           select $1, r.plan_id, r.step_key, r.started_at, r.ended_at, r.actual_minutes, r.deviation
           from unnest($2::uuid[], $3::text[], $4::timestamp[], $5::timestamp[], $6::integer[], $7::text[])
                as r(plan_id, step_key, started_at, ended_at, actual_minutes, deviation)
           on conflict (test_id, plan_id, step_key) do update set
               started_at = excluded.started_at, ended_at = excluded.ended_at,
               actual_minutes = excluded.actual_minutes, deviation = excluded.deviation"#,
        test,
        &plan_ids,
        &keys,
        &started as &[Option<PrimitiveDateTime>],
        &ended as &[Option<PrimitiveDateTime>],
        &minutes,
        &deviations
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn write_services(
    conn: &mut PgConnection,
    actor: &Actor,
    test: Uuid,
    services: &[ServiceEntry],
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = services.iter().map(|s| s.service_id).collect();
    let achieved: Vec<Option<i32>> = services.iter().map(|s| s.achieved_minutes).collect();
    let from_steps: Vec<bool> = services.iter().map(|s| s.achieved_from_steps).collect();
    let lost: Vec<Option<i32>> = services.iter().map(|s| s.data_lost_minutes).collect();
    let rto: Vec<Option<i32>> = services.iter().map(|s| s.rto_minutes).collect();
    let rpo: Vec<Option<i32>> = services.iter().map(|s| s.rpo_minutes).collect();
    let result: Vec<Option<String>> = services.iter().map(|s| s.result.clone()).collect();
    let overrun: Vec<String> = services.iter().map(|s| s.overrun.clone()).collect();
    let note: Vec<String> = services.iter().map(|s| s.note.clone()).collect();
    let entered: Vec<bool> = services.iter().map(|s| s.entered).collect();
    sqlx::query!(
        r#"update plan_test_services t set
               achieved_minutes = r.achieved, achieved_from_steps = r.from_steps,
               data_lost_minutes = r.lost, rto_minutes = r.rto, rpo_minutes = r.rpo,
               result = r.result, overrun = r.overrun, note = r.note,
               recorded_by = case when r.entered then $12 else t.recorded_by end,
               recorded_at = case when r.entered then now() else t.recorded_at end
           from unnest($2::uuid[], $3::integer[], $4::boolean[], $5::integer[], $6::integer[],
                       $7::integer[], $8::text[], $9::text[], $10::text[], $11::boolean[])
                as r(service_id, achieved, from_steps, lost, rto, rpo, result, overrun, note, entered)
           where t.test_id = $1 and t.service_id = r.service_id"#,
        test,
        &ids,
        &achieved as &[Option<i32>],
        &from_steps,
        &lost as &[Option<i32>],
        &rto as &[Option<i32>],
        &rpo as &[Option<i32>],
        &result as &[Option<String>],
        &overrun,
        &note,
        &entered,
        actor.user_id
    )
    .execute(&mut *conn)
    .await?;
    // A "not met" result records its finding by itself; one that no longer applies goes unless
    // an action was already made of it. Only the services recomputed here are touched.
    let failing: Vec<&ServiceEntry> = services.iter().filter(|s| s.finding.is_some()).collect();
    let failing_ids: Vec<Uuid> = failing.iter().map(|s| s.service_id).collect();
    let severities: Vec<String> = failing
        .iter()
        .map(|s| s.finding.as_ref().map_or_else(String::new, |f| f.0.clone()))
        .collect();
    let descriptions: Vec<String> = failing
        .iter()
        .map(|s| s.finding.as_ref().map_or_else(String::new, |f| f.1.clone()))
        .collect();
    let withdrawn = sqlx::query!(
        "delete from plan_test_findings f
         where f.test_id = $1 and f.automatic
           and f.service_id = any($3) and f.service_id <> all($2)
           and not exists (select 1 from improvement_actions a where a.finding_id = f.id)
         returning f.id, f.severity, f.description, f.service_id",
        test,
        &failing_ids,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let recorded = sqlx::query!(
        r#"insert into plan_test_findings (test_id, service_id, severity, description, automatic, created_by)
           select $1, r.service_id, r.severity, r.description, true, $5
           from unnest($2::uuid[], $3::text[], $4::text[]) as r(service_id, severity, description)
           on conflict (test_id, service_id) where automatic do update set
               description = excluded.description, severity = excluded.severity
           where (plan_test_findings.description, plan_test_findings.severity)
                 is distinct from (excluded.description, excluded.severity)
           returning id, severity, description, service_id, (xmax = 0) as "inserted!""#,
        test,
        &failing_ids,
        &severities,
        &descriptions,
        actor.user_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = Vec::with_capacity(withdrawn.len() + recorded.len());
    for row in withdrawn {
        let gone = serde_json::json!({
            "test_id": test, "service_id": row.service_id, "severity": row.severity,
            "description": row.description, "automatic": true,
        });
        entries.push(audit::Entry::new(
            row.id,
            "delete",
            Some(&gone),
            None::<&()>,
        ));
    }
    for row in recorded {
        let now = serde_json::json!({
            "test_id": test, "service_id": row.service_id, "severity": row.severity,
            "description": row.description, "automatic": true,
        });
        let action = if row.inserted { "create" } else { "update" };
        entries.push(audit::Entry::new(row.id, action, None::<&()>, Some(&now)));
    }
    audit::record_many(conn, actor, "plan_test_finding", entries).await?;
    Ok(())
}

async fn write_objectives(
    conn: &mut PgConnection,
    test: Uuid,
    objectives: &[ObjectiveEntry],
) -> sqlx::Result<()> {
    let positions: Vec<i32> = objectives.iter().map(|o| o.position).collect();
    let met: Vec<Option<bool>> = objectives.iter().map(|o| o.met).collect();
    let notes: Vec<String> = objectives.iter().map(|o| o.note.clone()).collect();
    sqlx::query!(
        "update plan_test_objectives o set met = r.met, note = r.note
         from unnest($2::integer[], $3::boolean[], $4::text[]) as r(position, met, note)
         where o.test_id = $1 and o.position = r.position",
        test,
        &positions,
        &met as &[Option<bool>],
        &notes
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn write_calls(conn: &mut PgConnection, test: Uuid, calls: &[CallEntry]) -> sqlx::Result<()> {
    let cleared: Vec<Uuid> = calls
        .iter()
        .filter(|c| c.reached.is_none())
        .map(|c| c.person_id)
        .collect();
    sqlx::query!(
        "delete from plan_test_calls where test_id = $1 and person_id = any($2)",
        test,
        &cleared
    )
    .execute(&mut *conn)
    .await?;
    let made: Vec<&CallEntry> = calls.iter().filter(|c| c.reached.is_some()).collect();
    let people: Vec<Uuid> = made.iter().map(|c| c.person_id).collect();
    let reached: Vec<bool> = made.iter().map(|c| c.reached == Some(true)).collect();
    let minutes: Vec<Option<i32>> = made.iter().map(|c| c.minutes).collect();
    let notes: Vec<String> = made.iter().map(|c| c.note.clone()).collect();
    sqlx::query!(
        "insert into plan_test_calls (test_id, person_id, reached, minutes, note)
         select $1, r.person_id, r.reached, r.minutes, r.note
         from unnest($2::uuid[], $3::boolean[], $4::integer[], $5::text[]) as r(person_id, reached, minutes, note)
         on conflict (test_id, person_id) do update set
             reached = excluded.reached, minutes = excluded.minutes, note = excluded.note",
        test,
        &people,
        &reached,
        &minutes as &[Option<i32>],
        &notes
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a finding someone wrote.
pub async fn add_finding(
    conn: &mut PgConnection,
    actor: &Actor,
    test: Uuid,
    severity: &str,
    description: &str,
    service: Option<Uuid>,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into plan_test_findings (test_id, severity, description, service_id, created_by)
         values ($1, $2, $3, $4, $5) returning id",
        test,
        severity,
        description.trim(),
        service,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("plan_test_finding", id, "create").after(&serde_json::json!({
            "test_id": test, "severity": severity, "description": description.trim(),
            "service_id": service,
        })),
    )
    .await?;
    Ok(id)
}
