//! Training sessions, and what the awareness register is worked out from: the role holders of
//! every approved plan (in its current version), who acknowledged that version, and when each
//! person last took part in a test or a training session of each plan — four queries in all.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};

/// An approved plan whose role holders must stay current.
#[derive(Debug, Clone)]
pub struct AwarePlan {
    pub plan_id: Uuid,
    pub title: String,
    pub version_id: Uuid,
    pub version_number: i32,
    pub content: serde_json::Value,
    pub tier_ranks: Vec<i32>,
}

pub async fn plans(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<AwarePlan>> {
    sqlx::query_as!(
        AwarePlan,
        r#"select p.id as plan_id, p.title, v.id as version_id, v.number as version_number, v.content,
                  array(select s.bia_tier_rank
                        from jsonb_array_elements_text(v.content -> 'services') covered(id)
                        join services s on s.id = covered.id::uuid
                        where s.bia_tier_rank is not null and s.archived_at is null)
                      as "tier_ranks!"
           from plans p join plan_versions v on v.plan_id = p.id and v.status = 'approved'
           where p.status = 'active' and p.kind <> 'policy'
           order by lower(p.title)"#
    )
    .fetch_all(db)
    .await
}

/// Everything about who practised what, keyed for the register.
#[derive(Debug, Default)]
pub struct Practice {
    /// (version, person) pairs acknowledged.
    pub acknowledged: Vec<(Uuid, Uuid)>,
    /// (plan, person) → the last completed test they took part in.
    pub last_tested: HashMap<(Uuid, Uuid), Date>,
    /// (plan, person) → the last training session they attended.
    pub last_trained: HashMap<(Uuid, Uuid), Date>,
    pub names: HashMap<Uuid, String>,
}

pub async fn practice(
    conn: &mut PgConnection,
    versions: &[Uuid],
    people: &[Uuid],
) -> sqlx::Result<Practice> {
    let acknowledged = sqlx::query!(
        "select version_id, person_id from plan_acknowledgements where version_id = any($1)",
        versions
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.version_id, row.person_id))
    .collect();
    let last_tested = sqlx::query!(
        r#"select tp.plan_id, pp.person_id, max(t.test_on) as "last!"
           from plan_test_participants pp
           join plan_tests t on t.id = pp.test_id and t.status = 'completed'
           join plan_test_plans tp on tp.test_id = t.id
           -- Someone a call-tree test could not reach did not take part.
           where not exists (select 1 from plan_test_calls c
                             where c.test_id = t.id and c.person_id = pp.person_id and not c.reached)
           group by tp.plan_id, pp.person_id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| ((row.plan_id, row.person_id), row.last))
    .collect();
    let last_trained = sqlx::query!(
        r#"select s.plan_id, a.person_id, max(s.held_on) as "last!"
           from training_attendees a join training_sessions s on s.id = a.session_id
           group by s.plan_id, a.person_id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| ((row.plan_id, row.person_id), row.last))
    .collect();
    let names = sqlx::query!("select id, name from people where id = any($1)", people)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| (row.id, row.name))
        .collect();
    Ok(Practice {
        acknowledged,
        last_tested,
        last_trained,
        names,
    })
}

/// What the training form records.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingFields {
    pub topic: String,
    pub plan_id: Uuid,
    pub held_on: Date,
    pub trainer: String,
    pub notes: String,
    pub attendees: Vec<Uuid>,
}

pub async fn create_training(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &TrainingFields,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into training_sessions (topic, plan_id, held_on, trainer, notes, created_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
        fields.topic.trim(),
        fields.plan_id,
        fields.held_on,
        fields.trainer.trim(),
        fields.notes.trim(),
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into training_attendees (session_id, person_id)
         select $1, unnest($2::uuid[]) on conflict do nothing",
        id,
        &fields.attendees
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("training_session", id, "create").after(fields),
    )
    .await?;
    Ok(id)
}

/// A training session as listed.
#[derive(Debug, Clone)]
pub struct TrainingLine {
    pub id: Uuid,
    pub topic: String,
    pub plan_id: Uuid,
    pub plan_title: String,
    pub held_on: Date,
    pub trainer: String,
    pub attendees: i64,
    pub created_at: OffsetDateTime,
}

/// The latest sessions, newest first.
pub async fn recent_training(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<TrainingLine>> {
    sqlx::query_as!(
        TrainingLine,
        r#"select s.id, s.topic, s.plan_id, p.title as plan_title, s.held_on, s.trainer,
                  (select count(*) from training_attendees a where a.session_id = s.id) as "attendees!",
                  s.created_at
           from training_sessions s join plans p on p.id = s.plan_id
           order by s.held_on desc, s.created_at desc limit $1"#,
        limit
    )
    .fetch_all(db)
    .await
}
