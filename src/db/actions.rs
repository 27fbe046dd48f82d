//! Improvement actions as stored: the action with its source, owner and progress, each move
//! of it with who made it and what they said, and the bounded lists the home page, a risk's
//! page and the posture need — each in one query.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::WriteError;
use crate::domain::action::{ActionSource, ActionState, ActionStatus, Step};

#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub source: String,
    pub risk_id: Option<Uuid>,
    pub risk_number: Option<i32>,
    pub risk_title: Option<String>,
    /// The test finding the action closes (source "finding"), and that finding's test.
    pub finding_id: Option<Uuid>,
    pub finding_number: Option<i32>,
    pub finding_test_id: Option<Uuid>,
    /// The service whose posture gap the action closes (source "gap").
    pub gap_service_id: Option<Uuid>,
    pub gap_service_name: Option<String>,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub due_on: Date,
    pub status: String,
    pub evidence: String,
    pub done_by: Option<Uuid>,
    pub done_label: Option<String>,
    pub done_at: Option<OffsetDateTime>,
    pub verified_label: Option<String>,
    pub verified_at: Option<OffsetDateTime>,
    pub verification_note: String,
    pub created_by: Option<Uuid>,
    pub archived: bool,
    pub version: i32,
}

impl Action {
    /// "A-0007": how people refer to an action.
    pub fn reference(&self) -> String {
        reference(self.number)
    }

    pub fn status(&self) -> ActionStatus {
        ActionStatus::parse(&self.status).unwrap_or(ActionStatus::Open)
    }

    pub fn source(&self) -> ActionSource {
        ActionSource::parse(&self.source).unwrap_or(ActionSource::Other)
    }

    pub fn state(&self) -> ActionState {
        ActionState {
            status: self.status(),
            owner: self.owner_id,
            done_by: self.done_by,
            archived: self.archived,
        }
    }
}

pub fn reference(number: i32) -> String {
    format!("A-{number:04}")
}

/// What the form sets on an action. The source is set when the action is created.
#[derive(Debug, Clone)]
pub struct ActionFields {
    pub title: String,
    pub description: String,
    pub source: ActionSource,
    pub risk_id: Option<Uuid>,
    pub finding_id: Option<Uuid>,
    pub gap_service_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub due_on: Date,
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Action>> {
    sqlx::query_as!(
        Action,
        r#"select a.id, a.number, a.title, a.description, a.source, a.risk_id,
                  r.number as "risk_number?", r.title as "risk_title?", a.finding_id,
                  f.number as "finding_number?", f.test_id as "finding_test_id?",
                  a.gap_service_id, g.name as "gap_service_name?", a.owner_id,
                  o.display_name as owner_name, a.due_on, a.status, a.evidence, a.done_by,
                  d.display_name as "done_label?", a.done_at, v.display_name as "verified_label?",
                  a.verified_at, a.verification_note, a.created_by,
                  a.archived_at is not null as "archived!", a.version
           from improvement_actions a
           join users o on o.id = a.owner_id
           left join risks r on r.id = a.risk_id
           left join plan_test_findings f on f.id = a.finding_id
           left join services g on g.id = a.gap_service_id
           left join users d on d.id = a.done_by
           left join users v on v.id = a.verified_by
           where a.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

async fn found(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Action> {
    find(&mut *conn, id).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ActionFields,
) -> Result<Action, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into improvement_actions (title, description, source, risk_id, finding_id, gap_service_id,
             owner_id, due_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        fields.title.trim(),
        fields.description.trim(),
        fields.source.as_str(),
        fields.risk_id,
        fields.finding_id,
        fields.gap_service_id,
        fields.owner_id,
        fields.due_on,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("improvement_actions_finding_key") => {
            WriteError::Duplicate {
                field: "finding",
                message: "This finding is already an action.".to_owned(),
            }
        }
        _ => WriteError::Database(error),
    })?;
    let after = found(conn, id).await?;
    audit::record(
        conn,
        actor,
        Change::new("improvement_action", id, "create").after(&after),
    )
    .await?;
    Ok(after)
}

/// Changes what the action asks of whom by when; its source and progress stay.
pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ActionFields,
) -> Result<Versioned<Action>, WriteError> {
    let before = found(conn, id).await?;
    let updated = sqlx::query!(
        "update improvement_actions set title = $3, description = $4, owner_id = $5, due_on = $6,
             version = version + 1
         where id = $1 and version = $2 and archived_at is null and status in ('open', 'in_progress')",
        id,
        expected_version,
        fields.title.trim(),
        fields.description.trim(),
        fields.owner_id,
        fields.due_on
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = found(conn, id).await?;
    audit::record(
        conn,
        actor,
        Change::new("improvement_action", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Moves an action to `to` by `step` (already checked against the rules), keeping `text` as the
/// evidence (marking done) or the verifier's note, and the move in the action's story.
pub async fn take_step(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Action,
    step: Step,
    to: ActionStatus,
    text: &str,
) -> sqlx::Result<Versioned<Action>> {
    let text = text.trim();
    let updated = sqlx::query!(
        "update improvement_actions set status = $3,
             evidence = case when $4 = 'done' then $5 else evidence end,
             done_by = case when $4 = 'done' then $6 when $4 = 'send_back' then null else done_by end,
             done_at = case when $4 = 'done' then now() when $4 = 'send_back' then null else done_at end,
             verified_by = case when $4 = 'verify' then $6 end,
             verified_at = case when $4 = 'verify' then now() end,
             verification_note = case when $4 in ('verify', 'send_back') then $5 else verification_note end,
             version = version + 1
         where id = $1 and version = $2 and status = $7 and archived_at is null",
        before.id,
        before.version,
        to.as_str(),
        step.as_str(),
        text,
        actor.user_id,
        before.status
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(found(conn, before.id).await?));
    }
    sqlx::query!(
        "insert into improvement_action_steps (action_id, by_user, by_label, from_status, to_status, note)
         values ($1, $2, $3, $4, $5, $6)",
        before.id,
        actor.user_id,
        actor.label,
        before.status,
        to.as_str(),
        text
    )
    .execute(&mut *conn)
    .await?;
    let after = found(conn, before.id).await?;
    audit::record(
        conn,
        actor,
        Change::new("improvement_action", before.id, step.as_str())
            .before(before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Archives (cancels) or restores an action; `false` when it already was so.
pub async fn set_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    archived: bool,
) -> sqlx::Result<bool> {
    let before = found(conn, id).await?;
    if !crate::db::toggle_archived(conn, "improvement_actions", id, archived).await? {
        return Ok(false);
    }
    let after = found(conn, id).await?;
    let action = if archived { "archive" } else { "restore" };
    audit::record(
        conn,
        actor,
        Change::new("improvement_action", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

/// One move in an action's story.
pub struct StepRow {
    pub at: OffsetDateTime,
    pub by_label: String,
    pub from_status: String,
    pub to_status: String,
    pub note: String,
}

/// The latest moves of an action, newest first.
pub async fn story(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<StepRow>> {
    sqlx::query_as!(
        StepRow,
        "select at, by_label, from_status, to_status, note from improvement_action_steps
         where action_id = $1 order by at desc, id desc limit 50",
        id
    )
    .fetch_all(db)
    .await
}

/// An action as lists of work show it; `total` is how many the whole list holds.
pub struct ActionLine {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub status: String,
    pub due_on: Date,
    pub owner_name: String,
    pub total: i64,
}

impl ActionLine {
    pub fn reference(&self) -> String {
        reference(self.number)
    }

    pub fn status_label(&self) -> &'static str {
        ActionStatus::parse(&self.status).map_or("", |status| status.label())
    }

    pub fn status_badge(&self) -> &'static str {
        ActionStatus::parse(&self.status).map_or("badge-none", |status| status.badge())
    }

    pub fn is_overdue(&self, today: &Date) -> bool {
        ActionStatus::parse(&self.status)
            .is_some_and(|status| crate::domain::action::is_overdue(status, self.due_on, *today))
    }

    /// Whether the list this line heads holds more than the `shown` lines.
    pub fn more_than(&self, shown: usize) -> bool {
        self.total > shown as i64
    }

    pub fn due_phrase(&self, today: &Date) -> String {
        crate::domain::action::due_phrase(self.due_on, *today)
    }
}

/// A risk's active actions, outstanding first and soonest due first.
pub async fn for_risk(
    db: impl PgExecutor<'_>,
    risk: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<ActionLine>> {
    sqlx::query_as!(
        ActionLine,
        r#"select a.id, a.number, a.title, a.status, a.due_on, o.display_name as owner_name,
                  count(*) over () as "total!"
           from improvement_actions a join users o on o.id = a.owner_id
           where a.risk_id = $1 and a.archived_at is null
           order by a.status in ('done', 'verified'), a.due_on, a.number
           limit $2"#,
        risk,
        limit
    )
    .fetch_all(db)
    .await
}

/// What `owner` still has to do, soonest due (most overdue) first.
pub async fn outstanding_for(
    db: impl PgExecutor<'_>,
    owner: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<ActionLine>> {
    sqlx::query_as!(
        ActionLine,
        r#"select a.id, a.number, a.title, a.status, a.due_on, o.display_name as owner_name,
                  count(*) over () as "total!"
           from improvement_actions a join users o on o.id = a.owner_id
           where a.owner_id = $1 and a.archived_at is null and a.status in ('open', 'in_progress')
           order by a.due_on, a.number
           limit $2"#,
        owner,
        limit
    )
    .fetch_all(db)
    .await
}

/// Actions marked as done that `verifier` may verify (not those they marked done themselves),
/// oldest first.
pub async fn to_verify_by(
    db: impl PgExecutor<'_>,
    verifier: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<ActionLine>> {
    sqlx::query_as!(
        ActionLine,
        r#"select a.id, a.number, a.title, a.status, a.due_on, o.display_name as owner_name,
                  count(*) over () as "total!"
           from improvement_actions a join users o on o.id = a.owner_id
           where a.archived_at is null and a.status = 'done' and a.done_by is distinct from $1
             and a.owner_id <> $1
           order by a.done_at, a.number
           limit $2"#,
        verifier,
        limit
    )
    .fetch_all(db)
    .await
}

/// Outstanding actions past their due date, across the practice.
pub async fn overdue_count(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from improvement_actions
           where archived_at is null and status in ('open', 'in_progress') and due_on < current_date"#
    )
    .fetch_one(db)
    .await
}
