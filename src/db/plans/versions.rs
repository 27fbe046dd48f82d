//! Plan versions: drafts that change, submitted versions that never do (the database refuses),
//! and the move from one status to the next, each guarded by the version's row version.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};

#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub number: i32,
    pub status: String,
    pub content: Value,
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub contributors: Vec<Uuid>,
    pub submitted_at: Option<OffsetDateTime>,
    pub approved_by: Option<Uuid>,
    pub approver_name: Option<String>,
    pub approved_at: Option<OffsetDateTime>,
    pub estimated_recovery_minutes: Option<i32>,
    pub version: i32,
}

/// A line in a plan's list of versions.
#[derive(Debug, Clone)]
pub struct VersionSummary {
    pub number: i32,
    pub status: String,
    pub author_name: Option<String>,
    pub approver_name: Option<String>,
    pub approved_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// Which versions to read; conditions left `None` do not apply.
#[derive(Default)]
struct Which<'a> {
    number: Option<i32>,
    before: Option<i32>,
    statuses: Option<&'a [&'a str]>,
}

/// The newest version of each plan in `plans` that matches: the one query every reader shares.
async fn newest(
    db: impl PgExecutor<'_>,
    plans: &[Uuid],
    which: Which<'_>,
) -> sqlx::Result<Vec<PlanVersion>> {
    let statuses: Option<Vec<String>> = which
        .statuses
        .map(|statuses| statuses.iter().map(|s| (*s).to_owned()).collect());
    sqlx::query_as!(
        PlanVersion,
        r#"select distinct on (v.plan_id)
                  v.id, v.plan_id, v.number, v.status, v.content, v.author_id,
                  a.display_name as "author_name?", v.contributors, v.submitted_at, v.approved_by,
                  r.display_name as "approver_name?", v.approved_at, v.estimated_recovery_minutes, v.version
           from plan_versions v
           left join users a on a.id = v.author_id
           left join users r on r.id = v.approved_by
           where v.plan_id = any($1)
             and ($2::int is null or v.number = $2)
             and ($3::int is null or v.number < $3)
             and ($4::text[] is null or v.status = any($4))
           order by v.plan_id, v.number desc"#,
        plans,
        which.number,
        which.before,
        statuses.as_deref(),
    )
    .fetch_all(db)
    .await
}

async fn one(
    conn: &mut PgConnection,
    plan_id: Uuid,
    which: Which<'_>,
) -> sqlx::Result<Option<PlanVersion>> {
    Ok(newest(conn, &[plan_id], which).await?.pop())
}

pub async fn find(
    conn: &mut PgConnection,
    plan_id: Uuid,
    number: i32,
) -> sqlx::Result<Option<PlanVersion>> {
    let which = Which {
        number: Some(number),
        ..Which::default()
    };
    one(conn, plan_id, which).await
}

/// The approved version in force.
pub async fn current(conn: &mut PgConnection, plan_id: Uuid) -> sqlx::Result<Option<PlanVersion>> {
    let which = Which {
        statuses: Some(&["approved"]),
        ..Which::default()
    };
    one(conn, plan_id, which).await
}

/// The versions in force of several plans at once (plans without one are left out).
pub async fn current_of(db: impl PgExecutor<'_>, plans: &[Uuid]) -> sqlx::Result<Vec<PlanVersion>> {
    let which = Which {
        statuses: Some(&["approved"]),
        ..Which::default()
    };
    newest(db, plans, which).await
}

/// The version being drafted or reviewed, if any.
pub async fn open(conn: &mut PgConnection, plan_id: Uuid) -> sqlx::Result<Option<PlanVersion>> {
    let which = Which {
        statuses: Some(&["draft", "in_review"]),
        ..Which::default()
    };
    one(conn, plan_id, which).await
}

/// The approved or superseded version before `number`: what a new version is compared with.
pub async fn previous_approved(
    conn: &mut PgConnection,
    plan_id: Uuid,
    number: i32,
) -> sqlx::Result<Option<PlanVersion>> {
    let which = Which {
        before: Some(number),
        statuses: Some(&["approved", "superseded"]),
        ..Which::default()
    };
    one(conn, plan_id, which).await
}

pub async fn list(db: impl PgExecutor<'_>, plan_id: Uuid) -> sqlx::Result<Vec<VersionSummary>> {
    sqlx::query_as!(
        VersionSummary,
        r#"select v.number, v.status, a.display_name as "author_name?", r.display_name as "approver_name?",
                  v.approved_at, v.updated_at
           from plan_versions v
           left join users a on a.id = v.author_id
           left join users r on r.id = v.approved_by
           where v.plan_id = $1 order by v.number desc"#,
        plan_id
    )
    .fetch_all(db)
    .await
}

/// Saves a draft's content; stale when someone saved in between, and refused by the database
/// when the version is no longer a draft.
pub async fn save_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    draft: &PlanVersion,
    expected_version: i32,
    content: &Value,
    estimate_minutes: Option<i32>,
) -> sqlx::Result<Versioned<PlanVersion>> {
    let (id, plan_id, number) = (draft.id, draft.plan_id, draft.number);
    let before = find(conn, plan_id, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update plan_versions set content = $3, estimated_recovery_minutes = $4, version = version + 1,
             contributors = case when $5::uuid is null or $5 = any(contributors) then contributors
                                 else array_append(contributors, $5) end
         where id = $1 and version = $2 and status = 'draft'",
        id,
        expected_version,
        content,
        estimate_minutes,
        actor.user_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(conn, plan_id, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("plan_version", id, "save")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// Moves a version to `status` (the caller checked the move is allowed). Approving stamps the
/// approver and date and supersedes the version approved before, in the same transaction.
pub async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    version: &PlanVersion,
    expected_version: i32,
    status: &str,
) -> sqlx::Result<bool> {
    // The one version in force gives way first (a unique index allows one approved version).
    let superseded = if status == "approved" {
        sqlx::query!(
            "update plan_versions set status = 'superseded', version = version + 1
             where plan_id = $1 and status = 'approved'
             returning id, number",
            version.plan_id
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let updated = sqlx::query!(
        "update plan_versions set status = $3, version = version + 1,
             submitted_at = case when $3 = 'in_review' then now() else submitted_at end,
             approved_by = case when $3 = 'approved' then $4 else approved_by end,
             approved_at = case when $3 = 'approved' then now() else approved_at end
         where id = $1 and version = $2",
        version.id,
        expected_version,
        status,
        actor.user_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    for previous in superseded {
        audit::record(
            conn,
            actor,
            Change::new("plan_version", previous.id, "superseded")
                .before(&serde_json::json!({ "number": previous.number, "status": "approved" }))
                .after(&serde_json::json!({ "number": previous.number, "status": "superseded" })),
        )
        .await?;
    }
    audit::record(
        conn,
        actor,
        Change::new("plan_version", version.id, status)
            .before(&serde_json::json!({ "number": version.number, "status": version.status }))
            .after(&serde_json::json!({ "number": version.number, "status": status })),
    )
    .await?;
    Ok(true)
}

/// Starts the next version as a draft copied from `content` (normally the current version).
pub async fn start_next(
    conn: &mut PgConnection,
    actor: &Actor,
    plan_id: Uuid,
    content: &Value,
    estimate_minutes: Option<i32>,
) -> sqlx::Result<i32> {
    let number = sqlx::query_scalar!(
        r#"insert into plan_versions (plan_id, number, content, author_id, estimated_recovery_minutes, contributors)
           select $1, coalesce(max(number), 0) + 1, $2, $3, $4,
                  case when $3::uuid is null then '{}'::uuid[] else array[$3::uuid] end
           from plan_versions where plan_id = $1
           returning number"#,
        plan_id,
        content,
        actor.user_id,
        estimate_minutes,
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("plan_version", plan_id, "start")
            .after(&serde_json::json!({ "plan": plan_id, "number": number })),
    )
    .await?;
    Ok(number)
}
