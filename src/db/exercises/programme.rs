//! The test programme as read: every approved operational plan and every critical service with
//! its last completed test and the next one planned, each list in one query; the year's tests
//! for the calendar; and the latest test of one plan or measured recovery of one service, for
//! their pages.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Services of this tier rank or stricter (1 mission critical, 2 business critical) are in the
/// programme by themselves, whether or not a plan covers them.
pub const CRITICAL_RANK: i32 = 2;

/// An approved plan with its last completed test.
#[derive(Debug, Clone)]
pub struct PlanLine {
    pub plan_id: Uuid,
    pub title: String,
    pub kind: String,
    pub tier_ranks: Vec<i32>,
    pub last_test_id: Option<Uuid>,
    pub last_number: Option<i32>,
    pub last_type: Option<String>,
    pub last_on: Option<Date>,
    /// The worst result, in that test, among the services the exercised version covers.
    pub last_result: Option<String>,
    pub next_planned: Option<Date>,
    /// A newer version approved, or a covered service edited, since the last test.
    pub changed_since: bool,
}

pub async fn plans(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<PlanLine>> {
    sqlx::query_as!(
        PlanLine,
        r#"select p.id as plan_id, p.title, p.kind,
                  array(select s.bia_tier_rank
                        from jsonb_array_elements_text(v.content -> 'services') covered(id)
                        join services s on s.id = covered.id::uuid
                        where s.bia_tier_rank is not null and s.archived_at is null)
                      as "tier_ranks!",
                  last.id as "last_test_id?", last.number as "last_number?",
                  last.test_type as "last_type?", last.test_on as "last_on?",
                  (select ts.result from plan_test_services ts
                   join plan_versions exercised on exercised.id = last.version_id
                   where ts.test_id = last.id and ts.result is not null
                     and exercised.content -> 'services' @> jsonb_build_array(ts.service_id)
                   order by case ts.result when 'not_met' then 0 when 'met_with_issues' then 1 else 2 end
                   limit 1) as "last_result?",
                  (select min(t.test_on) from plan_test_plans tp join plan_tests t on t.id = tp.test_id
                   where tp.plan_id = p.id and t.status = 'planned' and t.test_on >= current_date)
                      as "next_planned?",
                  coalesce(last.version_id <> v.id or exists (
                      select 1 from services s
                      where s.id = any(array(select (jsonb_array_elements_text(v.content -> 'services'))::uuid))
                        and s.updated_at > last.completed_at), false) as "changed_since!"
           from plans p
           join plan_versions v on v.plan_id = p.id and v.status = 'approved'
           left join lateral (
               select t.id, t.number, t.test_type, t.test_on, t.completed_at, tp.version_id
               from plan_test_plans tp join plan_tests t on t.id = tp.test_id
               where tp.plan_id = p.id and t.status = 'completed'
               order by t.test_on desc, t.completed_at desc limit 1) last on true
           where p.status = 'active' and p.kind <> 'policy'
           order by lower(p.title)"#
    )
    .fetch_all(db)
    .await
}

/// A critical service with its last completed test that recovered something (a tabletop or a
/// call-tree test proves nothing about the service's recovery).
#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub service_id: Uuid,
    pub name: String,
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
    pub rto_minutes: Option<i32>,
    pub owner_name: Option<String>,
    pub last_test_id: Option<Uuid>,
    pub last_number: Option<i32>,
    pub last_type: Option<String>,
    pub last_on: Option<Date>,
    pub last_result: Option<String>,
    pub last_achieved: Option<i32>,
    pub next_planned: Option<Date>,
}

pub async fn critical_services(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<ServiceLine>> {
    // Set-based: the last measuring test and the next planned one per service in one pass each,
    // not a subquery per service (there may be thousands of critical services).
    sqlx::query_as!(
        ServiceLine,
        r#"with last as (
               select distinct on (ts.service_id) ts.service_id, t.id, t.number, t.test_type, t.test_on,
                      ts.result, ts.achieved_minutes
               from plan_test_services ts join plan_tests t on t.id = ts.test_id
               where t.status = 'completed'
                 and t.test_type in ('component_restore', 'functional', 'simulation', 'full_failover')
               order by ts.service_id, t.test_on desc, t.completed_at desc),
           next as (
               select ts.service_id, min(t.test_on) as test_on
               from plan_test_services ts join plan_tests t on t.id = ts.test_id
               where t.status = 'planned' and t.test_on >= current_date
               group by ts.service_id)
           select s.id as service_id, s.name, s.bia_tier_rank as tier_rank, s.bia_tier_name as tier_name,
                  s.bia_rto_minutes as rto_minutes, o.display_name as "owner_name?",
                  last.id as "last_test_id?", last.number as "last_number?",
                  last.test_type as "last_type?", last.test_on as "last_on?",
                  last.result as "last_result?", last.achieved_minutes as "last_achieved?",
                  next.test_on as "next_planned?"
           from services s
           left join users o on o.id = s.owner_id
           left join last on last.service_id = s.id
           left join next on next.service_id = s.id
           where s.archived_at is null and s.bia_tier_rank <= $1
           order by s.bia_tier_rank, lower(s.name)"#,
        CRITICAL_RANK
    )
    .fetch_all(db)
    .await
}

/// A test on the year's calendar.
#[derive(Debug, Clone)]
pub struct CalendarTest {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub test_type: String,
    pub status: String,
    pub test_on: Date,
}

/// The year's tests (not cancelled), at most `limit`.
pub async fn year(
    db: impl PgExecutor<'_>,
    year: i32,
    limit: i64,
) -> sqlx::Result<Vec<CalendarTest>> {
    sqlx::query_as!(
        CalendarTest,
        "select id, number, title, test_type, status, test_on from plan_tests
         where test_on >= make_date($1, 1, 1) and test_on < make_date($1 + 1, 1, 1)
           and status <> 'cancelled'
         order by test_on, number limit $2",
        year,
        limit
    )
    .fetch_all(db)
    .await
}

/// The latest completed test of a plan, for the plan's page.
#[derive(Debug, Clone)]
pub struct LastTest {
    pub id: Uuid,
    pub number: i32,
    pub test_type: String,
    pub test_on: Date,
    pub result: Option<String>,
    pub achieved_minutes: Option<i32>,
    pub rto_minutes: Option<i32>,
    /// The service's tier today (for a service's latest measurement).
    pub tier_rank: Option<i32>,
    pub completed_at: Option<OffsetDateTime>,
}

pub async fn last_of_plan(db: impl PgExecutor<'_>, plan: Uuid) -> sqlx::Result<Option<LastTest>> {
    sqlx::query_as!(
        LastTest,
        r#"select t.id, t.number, t.test_type, t.test_on,
                  (select ts.result from plan_test_services ts
                   join plan_versions exercised on exercised.id = tp.version_id
                   where ts.test_id = t.id and ts.result is not null
                     and exercised.content -> 'services' @> jsonb_build_array(ts.service_id)
                   order by case ts.result when 'not_met' then 0 when 'met_with_issues' then 1 else 2 end
                   limit 1) as "result?",
                  null::integer as "achieved_minutes?", null::integer as "rto_minutes?",
                  null::integer as "tier_rank?", t.completed_at
           from plan_test_plans tp join plan_tests t on t.id = tp.test_id
           where tp.plan_id = $1 and t.status = 'completed'
           order by t.test_on desc, t.completed_at desc limit 1"#,
        plan
    )
    .fetch_optional(db)
    .await
}

/// The latest completed test that measured the service's recovery, for the service's page.
pub async fn last_measured(
    db: impl PgExecutor<'_>,
    service: Uuid,
) -> sqlx::Result<Option<LastTest>> {
    sqlx::query_as!(
        LastTest,
        r#"select t.id, t.number, t.test_type, t.test_on, ts.result as "result?",
                  ts.achieved_minutes as "achieved_minutes?", ts.rto_minutes as "rto_minutes?",
                  s.bia_tier_rank as "tier_rank?", t.completed_at
           from plan_test_services ts join plan_tests t on t.id = ts.test_id
           join services s on s.id = ts.service_id
           where ts.service_id = $1 and t.status = 'completed' and ts.achieved_minutes is not null
             and t.test_type in ('component_restore', 'functional', 'simulation', 'full_failover')
           order by t.test_on desc, t.completed_at desc limit 1"#,
        service
    )
    .fetch_optional(db)
    .await
}

/// The next planned test of a plan, if any.
pub async fn next_of_plan(db: impl PgExecutor<'_>, plan: Uuid) -> sqlx::Result<Option<Date>> {
    sqlx::query_scalar!(
        r#"select min(t.test_on) as "next?" from plan_test_plans tp join plan_tests t on t.id = tp.test_id
           where tp.plan_id = $1 and t.status = 'planned' and t.test_on >= current_date"#,
        plan
    )
    .fetch_one(db)
    .await
}

/// A test waiting for someone, for their home page.
#[derive(Debug, Clone)]
pub struct ToRecord {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub test_on: Date,
}

/// What the home page lists, in one statement: the planned tests within 30 days (or past) in
/// which `user` records results (a covered service is theirs), soonest first; and, for a manager
/// (`manages`), the planned tests whose date has passed without being completed or cancelled,
/// oldest first.
pub async fn waiting_for(
    db: impl PgExecutor<'_>,
    user: Uuid,
    manages: bool,
    limit: i64,
) -> sqlx::Result<(Vec<ToRecord>, Vec<ToRecord>)> {
    let rows = sqlx::query!(
        r#"(select 'record' as "kind!", t.id, t.number, t.title, t.test_on from plan_tests t
            where t.status = 'planned' and t.test_on <= current_date + 30
              and exists (select 1 from plan_test_services ts join services s on s.id = ts.service_id
                          where ts.test_id = t.id and s.owner_id = $1)
            order by t.test_on, t.number limit $3)
           union all
           (select 'conclude', t.id, t.number, t.title, t.test_on from plan_tests t
            where $2 and t.status = 'planned' and t.test_on < current_date
            order by t.test_on, t.number limit $3)"#,
        user,
        manages,
        limit
    )
    .fetch_all(db)
    .await?;
    let (mut record, mut conclude) = (Vec::new(), Vec::new());
    for row in rows {
        let line = ToRecord {
            id: row.id.unwrap_or_default(),
            number: row.number.unwrap_or_default(),
            title: row.title.unwrap_or_default(),
            test_on: row.test_on.unwrap_or(Date::MIN),
        };
        if row.kind == "record" {
            record.push(line);
        } else {
            conclude.push(line);
        }
    }
    Ok((record, conclude))
}
