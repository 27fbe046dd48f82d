//! BIA assessments: one service's questionnaire in one exercise, its answers, what they derive,
//! and what a continuity manager approved.

use futures_util::{Stream, TryStreamExt};
use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_name: String,
    pub exercise_status: String,
    #[serde(skip)]
    pub method: Value,
    pub service_id: Uuid,
    pub service_name: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub status: String,
    pub answers: Value,
    pub last_saved_at: Option<OffsetDateTime>,
    pub derived_mtpd_minutes: Option<i32>,
    pub derived_rto_minutes: Option<i32>,
    pub derived_rpo_minutes: Option<i32>,
    pub derived_tier_rank: Option<i32>,
    pub return_comment: String,
    pub submitted_at: Option<OffsetDateTime>,
    pub reminded_at: Option<OffsetDateTime>,
    pub approved_at: Option<OffsetDateTime>,
    pub approved_mtpd_minutes: Option<i32>,
    pub approved_rto_minutes: Option<i32>,
    pub approved_rpo_minutes: Option<i32>,
    pub approved_tier_rank: Option<i32>,
    pub approved_tier_name: Option<String>,
    pub override_justification: String,
    pub version: i32,
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Assessment>> {
    sqlx::query_as!(
        Assessment,
        r#"select a.id, a.exercise_id, x.name as exercise_name, x.status as exercise_status, x.method,
                  a.service_id, s.name as service_name, a.assignee_id, u.display_name as "assignee_name?",
                  a.status, a.answers, a.last_saved_at, a.derived_mtpd_minutes, a.derived_rto_minutes,
                  a.derived_rpo_minutes, a.derived_tier_rank, a.return_comment, a.submitted_at, a.reminded_at,
                  a.approved_at, a.approved_mtpd_minutes, a.approved_rto_minutes, a.approved_rpo_minutes,
                  a.approved_tier_rank, a.approved_tier_name, a.override_justification, a.version
           from bia_assessments a
           join bia_exercises x on x.id = a.exercise_id
           join services s on s.id = a.service_id
           left join users u on u.id = a.assignee_id
           where a.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// One line of an exercise's progress table.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    pub id: Uuid,
    pub service_id: Uuid,
    pub service_name: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub status: String,
    pub last_saved_at: Option<OffsetDateTime>,
    pub reminded_at: Option<OffsetDateTime>,
    pub derived_rto_minutes: Option<i32>,
    pub derived_mtpd_minutes: Option<i32>,
    pub derived_rpo_minutes: Option<i32>,
    pub derived_tier_rank: Option<i32>,
    pub approved_rto_minutes: Option<i32>,
    pub approved_tier_name: Option<String>,
}

/// Every assessment of an exercise (one query).
pub async fn for_exercise<'e>(
    db: impl PgExecutor<'e> + 'e,
    exercise: Uuid,
) -> sqlx::Result<Vec<ProgressRow>> {
    stream_for_exercise(db, exercise).try_collect().await
}

/// The same rows as [`for_exercise`], one at a time, for an export that streams them.
pub fn stream_for_exercise<'e>(
    db: impl PgExecutor<'e> + 'e,
    exercise: Uuid,
) -> impl Stream<Item = sqlx::Result<ProgressRow>> + Send + 'e {
    sqlx::query_as!(
        ProgressRow,
        r#"select a.id, a.service_id, s.name as service_name, a.assignee_id, u.display_name as "assignee_name?",
                  a.status, a.last_saved_at, a.reminded_at, a.derived_rto_minutes, a.derived_mtpd_minutes,
                  a.derived_rpo_minutes, a.derived_tier_rank, a.approved_rto_minutes, a.approved_tier_name
           from bia_assessments a
           join services s on s.id = a.service_id
           left join users u on u.id = a.assignee_id
           where a.exercise_id = $1
           order by lower(s.name)"#,
        exercise
    )
    .fetch(db)
}

/// The first `limit` assessments of an exercise that most need someone: submitted (waiting for
/// review) first, then returned, not started, drafts, and approved last.
pub async fn needing_attention(
    db: impl PgExecutor<'_>,
    exercise: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<ProgressRow>> {
    sqlx::query_as!(
        ProgressRow,
        r#"select a.id, a.service_id, s.name as service_name, a.assignee_id, u.display_name as "assignee_name?",
                  a.status, a.last_saved_at, a.reminded_at, a.derived_rto_minutes, a.derived_mtpd_minutes,
                  a.derived_rpo_minutes, a.derived_tier_rank, a.approved_rto_minutes, a.approved_tier_name
           from bia_assessments a
           join services s on s.id = a.service_id
           left join users u on u.id = a.assignee_id
           where a.exercise_id = $1
           order by case a.status when 'submitted' then 0 when 'returned' then 1
                                  when 'draft' then (case when a.last_saved_at is null then 2 else 3 end)
                                  else 4 end,
                    lower(s.name)
           limit $2"#,
        exercise,
        limit
    )
    .fetch_all(db)
    .await
}

/// The assessments assigned to `user`: the rows an owner may list.
pub async fn ids_assigned_to(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select id from bia_assessments where assignee_id = $1",
        user
    )
    .fetch_all(db)
    .await
}

/// How many assessments of an exercise are in each state (see
/// `routes::bia::assessment_list::STATE_SQL`): one row per state present.
pub async fn state_counts(
    db: impl PgExecutor<'_>,
    exercise: Uuid,
) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"select case when status = 'draft' and last_saved_at is null then 'not_started'
                       else status end as "state!",
                  count(*) as "count!"
           from bia_assessments where exercise_id = $1 group by 1"#,
        exercise
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.state, row.count)).collect())
}

/// An assessment waiting for its assignee, with its exercise.
#[derive(Debug, Clone)]
pub struct OpenAssessment {
    pub id: Uuid,
    pub service_name: String,
    pub exercise_name: String,
    pub status: String,
    pub due_date: Option<time::Date>,
    pub return_comment: String,
}

/// The assessments a user still has to answer: returned ones, and drafts of open exercises (a
/// draft is frozen while its exercise is in review).
pub async fn open_for(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<OpenAssessment>> {
    sqlx::query_as!(
        OpenAssessment,
        "select a.id, s.name as service_name, x.name as exercise_name, a.status, x.due_date, a.return_comment
         from bia_assessments a
         join bia_exercises x on x.id = a.exercise_id
         join services s on s.id = a.service_id
         where a.assignee_id = $1
           and (a.status = 'returned' or (a.status = 'draft' and x.status = 'open'))
         order by x.due_date nulls last, lower(s.name)",
        user
    )
    .fetch_all(db)
    .await
}

/// The derived objectives stored next to the answers (minutes; tier rank).
#[derive(Debug, Clone, Copy, Default)]
pub struct Derived {
    pub mtpd_minutes: Option<i32>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub tier_rank: Option<i32>,
}

/// Saves the answers unless someone saved since `expected_version` was loaded.
pub async fn save_answers(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    answers: &Value,
    derived: Derived,
) -> sqlx::Result<Versioned<Assessment>> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update bia_assessments set answers = $3, last_saved_at = now(), derived_mtpd_minutes = $4,
             derived_rto_minutes = $5, derived_rpo_minutes = $6, derived_tier_rank = $7, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        answers,
        derived.mtpd_minutes,
        derived.rto_minutes,
        derived.rpo_minutes,
        derived.tier_rank,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("bia_assessment", id, "save")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Moves an assessment to a new status (the caller checked the move), with a comment on return.
pub async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    status: &str,
    return_comment: &str,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update bia_assessments set status = $3, version = version + 1,
             submitted_at = case when $3 = 'submitted' then now() else submitted_at end,
             return_comment = case when $3 = 'returned' then $4 else return_comment end
         where id = $1 and version = $2",
        id,
        expected_version,
        status,
        return_comment,
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
        Change::new("bia_assessment", id, status)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// What a manager approves: the objectives the service will carry.
pub struct Approval<'a> {
    pub mtpd_minutes: Option<i32>,
    pub rto_minutes: i32,
    pub rpo_minutes: i32,
    pub tier_rank: i32,
    pub tier_name: &'a str,
    pub override_justification: &'a str,
}

/// Approves an assessment and gives its service the approved objectives and tier.
pub async fn approve(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    approval: Approval<'_>,
) -> sqlx::Result<bool> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update bia_assessments set status = 'approved', approved_at = now(), approved_by = $3,
             approved_mtpd_minutes = $4, approved_rto_minutes = $5, approved_rpo_minutes = $6,
             approved_tier_rank = $7, approved_tier_name = $8, override_justification = $9, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        actor.user_id,
        approval.mtpd_minutes,
        approval.rto_minutes,
        approval.rpo_minutes,
        approval.tier_rank,
        approval.tier_name,
        approval.override_justification.trim(),
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    let previous = sqlx::query!(
        "select name, bia_rto_minutes, bia_tier_name from services where id = $1",
        before.service_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(reason) = crate::domain::plan::workflow::review_reason_after_bia(
        &previous.name,
        (previous.bia_rto_minutes, previous.bia_tier_name.as_deref()),
        (Some(approval.rto_minutes), Some(approval.tier_name)),
    ) {
        crate::db::plans::records::flag_plans_covering(conn, actor, before.service_id, &reason)
            .await?;
    }
    sqlx::query!(
        "update services set bia_mtpd_minutes = $2, bia_rto_minutes = $3, bia_rpo_minutes = $4, bia_tier_rank = $5,
             bia_tier_name = $6, bia_assessment_id = $7, bia_approved_at = now()
         where id = $1",
        before.service_id,
        approval.mtpd_minutes,
        approval.rto_minutes,
        approval.rpo_minutes,
        approval.tier_rank,
        approval.tier_name,
        id,
    )
    .execute(&mut *conn)
    .await?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("bia_assessment", id, "approve")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

pub async fn reassign(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    assignee: Uuid,
) -> sqlx::Result<()> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!(
        "update bia_assessments set assignee_id = $2, version = version + 1 where id = $1",
        id,
        assignee
    )
    .execute(&mut *conn)
    .await?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("bia_assessment", id, "reassign")
            .before(&before)
            .after(&after),
    )
    .await
}

/// Records that the assignee was reminded (shown on the exercise page).
pub async fn remind(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update bia_assessments set reminded_at = now() where id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, Change::new("bia_assessment", id, "remind")).await
}

/// The approved result of the same service in the latest earlier exercise, for comparison.
pub async fn previous_approved(
    db: impl PgExecutor<'_>,
    service: Uuid,
    current: Uuid,
) -> sqlx::Result<Option<PreviousResult>> {
    sqlx::query_as!(
        PreviousResult,
        "select x.name as exercise_name, a.approved_at, a.approved_mtpd_minutes, a.approved_rto_minutes,
                a.approved_rpo_minutes, a.approved_tier_name
         from bia_assessments a join bia_exercises x on x.id = a.exercise_id
         where a.service_id = $1 and a.id <> $2 and a.status = 'approved'
         order by a.approved_at desc
         limit 1",
        service,
        current
    )
    .fetch_optional(db)
    .await
}

/// The answers of the service's latest approved assessment other than `current`, to start a
/// new questionnaire from.
pub async fn previous_answers(
    db: impl PgExecutor<'_>,
    service: Uuid,
    current: Uuid,
) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        "select a.answers from bia_assessments a
         where a.service_id = $1 and a.id <> $2 and a.status = 'approved'
         order by a.approved_at desc
         limit 1",
        service,
        current
    )
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone)]
pub struct PreviousResult {
    pub exercise_name: String,
    pub approved_at: Option<OffsetDateTime>,
    pub approved_mtpd_minutes: Option<i32>,
    pub approved_rto_minutes: Option<i32>,
    pub approved_rpo_minutes: Option<i32>,
    pub approved_tier_name: Option<String>,
}
