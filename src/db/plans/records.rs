//! Plans: the record that outlives its versions — kind, title, whether it is retired, when it is
//! next reviewed and whether something has flagged it for review — and its history of events.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::{WriteError, classify};

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub status: String,
    pub review_interval_months: Option<i32>,
    pub next_review_on: Option<Date>,
    pub last_reviewed_on: Option<Date>,
    pub review_required: bool,
    pub review_required_reason: String,
    pub created_by: Option<Uuid>,
    pub version: i32,
}

/// A service a plan covers, with what the plan is measured against.
#[derive(Debug, Clone)]
pub struct CoveredService {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub rto_minutes: Option<i32>,
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
}

/// One entry of a plan's history.
#[derive(Debug, Clone)]
pub struct PlanEvent {
    pub version_number: Option<i32>,
    pub action: String,
    pub comment: String,
    /// The person's name when they have an account, else what was recorded (e.g. "system").
    pub actor_label: String,
    pub at: OffsetDateTime,
}

const UNIQUE: &[(&str, &str, &str)] = &[(
    "plans_title_key",
    "title",
    "Another active plan already has this title.",
)];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as!(
        Plan,
        "select id, kind, title, status, review_interval_months, next_review_on, last_reviewed_on,
                review_required, review_required_reason, created_by, version
         from plans where id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the plan's row until the transaction ends and returns its current version, so that
/// moves on the plan and its versions (starting a version, approving, reviewing) happen one at
/// a time.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<i32> {
    sqlx::query_scalar!("select version from plans where id = $1 for update", id)
        .fetch_one(conn)
        .await
}

/// A new plan with its first draft (version 1).
pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: &str,
    title: &str,
    services: &[Uuid],
    content: &Value,
    estimate_minutes: Option<i32>,
) -> Result<Uuid, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into plans (kind, title, created_by) values ($1, $2, $3) returning id",
        kind,
        title.trim(),
        actor.user_id,
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    sqlx::query!(
        "insert into plan_versions (plan_id, number, content, author_id, contributors, estimated_recovery_minutes)
         values ($1, 1, $2, $3, case when $3::uuid is null then '{}'::uuid[] else array[$3::uuid] end, $4)",
        id,
        content,
        actor.user_id,
        estimate_minutes,
    )
    .execute(&mut *conn)
    .await?;
    set_services(conn, id, services).await?;
    record_event(conn, actor, id, Some(1), "created", "").await?;
    let plan = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(conn, actor, Change::new("plan", id, "create").after(&plan)).await?;
    Ok(id)
}

/// Renames a plan (from its draft form); refused when another active plan has the title.
pub async fn rename(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    title: &str,
) -> Result<(), WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    if before.title == title.trim() {
        return Ok(());
    }
    sqlx::query!(
        "update plans set title = $2, version = version + 1 where id = $1",
        id,
        title.trim()
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("plan", id, "rename")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}

/// Makes `services` the plan's covered services (those of its newest version).
pub async fn set_services(
    conn: &mut PgConnection,
    plan_id: Uuid,
    services: &[Uuid],
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from plan_services where plan_id = $1 and not (service_id = any($2))",
        plan_id,
        services
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_services (plan_id, service_id) select $1, unnest($2::uuid[])
         on conflict do nothing",
        plan_id,
        services
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn covered_services(
    db: impl PgExecutor<'_>,
    plan_id: Uuid,
) -> sqlx::Result<Vec<CoveredService>> {
    sqlx::query_as!(
        CoveredService,
        "select s.id, s.name, s.owner_id, s.bia_rto_minutes as rto_minutes,
                s.bia_tier_rank as tier_rank, s.bia_tier_name as tier_name
         from plan_services ps join services s on s.id = ps.service_id
         where ps.plan_id = $1
         order by s.bia_tier_rank nulls last, lower(s.name)",
        plan_id
    )
    .fetch_all(db)
    .await
}

/// The services a given set of ids names, with their objectives (for a version's own scope).
pub async fn services_by_ids(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
) -> sqlx::Result<Vec<CoveredService>> {
    sqlx::query_as!(
        CoveredService,
        "select s.id, s.name, s.owner_id, s.bia_rto_minutes as rto_minutes,
                s.bia_tier_rank as tier_rank, s.bia_tier_name as tier_name
         from services s where s.id = any($1)
         order by s.bia_tier_rank nulls last, lower(s.name)",
        ids
    )
    .fetch_all(db)
    .await
}

/// Records an event in the plan's history (the audit log gets the full before and after).
pub async fn record_event(
    conn: &mut PgConnection,
    actor: &Actor,
    plan_id: Uuid,
    version_number: Option<i32>,
    action: &str,
    comment: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into plan_events (plan_id, version_number, action, comment, actor_id, actor_label)
         values ($1, $2, $3, $4, $5, $6)",
        plan_id,
        version_number,
        action,
        comment.trim(),
        actor.user_id,
        actor.label,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn events(db: impl PgExecutor<'_>, plan_id: Uuid) -> sqlx::Result<Vec<PlanEvent>> {
    sqlx::query_as!(
        PlanEvent,
        r#"select e.version_number, e.action, e.comment,
                  coalesce(u.display_name, e.actor_label) as "actor_label!", e.at
           from plan_events e left join users u on u.id = e.actor_id
           where e.plan_id = $1 order by e.at desc, e.id"#,
        plan_id
    )
    .fetch_all(db)
    .await
}

/// The latest "returned" event of a version: who returned it (by name), and their comment.
pub async fn last_return(
    db: impl PgExecutor<'_>,
    plan_id: Uuid,
    number: i32,
) -> sqlx::Result<Option<PlanEvent>> {
    sqlx::query_as!(
        PlanEvent,
        r#"select e.version_number, e.action, e.comment,
                  coalesce(u.display_name, e.actor_label) as "actor_label!", e.at
           from plan_events e left join users u on u.id = e.actor_id
           where e.plan_id = $1 and e.version_number = $2 and e.action = 'returned'
           order by e.at desc limit 1"#,
        plan_id,
        number
    )
    .fetch_optional(db)
    .await
}

/// What changes on the plan record when its review status changes.
pub struct ReviewUpdate<'a> {
    pub next_review_on: Option<Date>,
    pub last_reviewed_on: Option<Date>,
    pub review_required: bool,
    pub reason: &'a str,
}

/// Sets the review dates and flag, guarded by the plan's version.
pub async fn set_review(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    update: &ReviewUpdate<'_>,
    action: &str,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update plans set next_review_on = $3, last_reviewed_on = $4, review_required = $5,
             review_required_reason = $6, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        update.next_review_on,
        update.last_reviewed_on,
        update.review_required,
        update.reason.trim(),
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
        Change::new("plan", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// Sets the review interval (`None`: follow the covered services' tiers).
pub async fn set_interval(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    months: Option<i32>,
    next_review_on: Option<Date>,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update plans set review_interval_months = $3, next_review_on = $4, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        months,
        next_review_on,
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
        Change::new("plan", id, "set_interval")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// Retires a plan: its versions stay readable, none may move again.
pub async fn retire(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update plans set status = 'retired', retired_at = now(), version = version + 1
         where id = $1 and version = $2 and status = 'active'",
        id,
        expected_version,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    record_event(conn, actor, id, None, "retired", reason).await?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("plan", id, "retire")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// Every active plan with a version in force, by title: what the zip of offline copies holds.
pub async fn in_force(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Plan>> {
    sqlx::query_as!(
        Plan,
        "select id, kind, title, status, review_interval_months, next_review_on, last_reviewed_on,
                review_required, review_required_reason, created_by, version
         from plans p
         where status = 'active'
           and exists (select 1 from plan_versions v where v.plan_id = p.id and v.status = 'approved')
         order by lower(title)"
    )
    .fetch_all(db)
    .await
}

/// Flags every active plan covering `service` for review, saying why (e.g. its RTO changed).
pub async fn flag_plans_covering(
    conn: &mut PgConnection,
    actor: &Actor,
    service: Uuid,
    reason: &str,
) -> sqlx::Result<()> {
    let flagged = sqlx::query_scalar!(
        "update plans set review_required = true, review_required_reason = $2, version = version + 1
         where status = 'active' and id in (select plan_id from plan_services where service_id = $1)
         returning id",
        service,
        reason,
    )
    .fetch_all(&mut *conn)
    .await?;
    for plan in flagged {
        record_event(conn, actor, plan, None, "flagged", reason).await?;
        audit::record(
            conn,
            actor,
            Change::new("plan", plan, "flag").after(&serde_json::json!({ "reason": reason })),
        )
        .await?;
    }
    Ok(())
}

/// A plan as a service page lists it.
#[derive(Debug, Clone)]
pub struct PlanOfService {
    pub id: Uuid,
    pub title: String,
    pub current_number: Option<i32>,
    pub estimated_recovery_minutes: Option<i32>,
}

/// The active plans covering a service, with the version in force and its estimated time.
pub async fn covering(db: impl PgExecutor<'_>, service: Uuid) -> sqlx::Result<Vec<PlanOfService>> {
    sqlx::query_as!(
        PlanOfService,
        r#"select p.id, p.title, v.number as "current_number?", v.estimated_recovery_minutes
           from plans p
           join plan_services ps on ps.plan_id = p.id and ps.service_id = $1
           left join plan_versions v on v.plan_id = p.id and v.status = 'approved'
           where p.status = 'active'
           order by lower(p.title)"#,
        service
    )
    .fetch_all(db)
    .await
}
