//! The risk register's rows: a risk with what it bears on and the measures that apply, its score
//! history, and the few figures lists, heat maps and exposure need — each in one query.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::method::levels;
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::WriteError;
use crate::domain::risk::acceptance::Acceptance;
use crate::domain::risk::exposure::Bearing;
use crate::domain::risk::method::RiskMethod;
use crate::domain::risk::register::Scores;

#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub threat_id: Option<Uuid>,
    pub threat_name: Option<String>,
    pub vulnerability: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub inherent_likelihood: i16,
    pub inherent_impact: i16,
    pub residual_likelihood: Option<i16>,
    pub residual_impact: Option<i16>,
    pub inherent_level: i16,
    pub current_level: i16,
    pub above_appetite: bool,
    pub treatment: Option<String>,
    pub treatment_note: String,
    pub review_due: Option<Date>,
    pub reviewed_at: Option<OffsetDateTime>,
    pub created_by: Option<Uuid>,
    pub archived: bool,
    pub version: i32,
}

impl Risk {
    pub fn scores(&self) -> Scores {
        Scores {
            inherent_likelihood: self.inherent_likelihood as u8,
            inherent_impact: self.inherent_impact as u8,
            residual_likelihood: self.residual_likelihood.map(|value| value as u8),
            residual_impact: self.residual_impact.map(|value| value as u8),
        }
    }

    /// "R-0007": how people refer to a risk.
    pub fn reference(&self) -> String {
        reference(self.number)
    }
}

pub fn reference(number: i32) -> String {
    format!("R-{number:04}")
}

/// What a form sets on a risk.
#[derive(Debug, Clone)]
pub struct RiskFields {
    pub title: String,
    pub threat_id: Option<Uuid>,
    pub vulnerability: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub owner_id: Option<Uuid>,
    pub scores: Scores,
    pub treatment: Option<String>,
    pub treatment_note: String,
    pub review_due: Option<Date>,
    pub scope: Vec<Uuid>,
    pub measures: Vec<Uuid>,
}

/// A risk as the audit log keeps it: the row with its scope and measures.
#[derive(Serialize)]
struct Snapshot<'a> {
    risk: &'a Risk,
    scope: &'a [Uuid],
    measures: &'a [Uuid],
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Risk>> {
    sqlx::query_as!(
        Risk,
        r#"select r.id, r.number, r.title, r.threat_id, t.name as "threat_name?", r.vulnerability,
                  r.cause, r.event, r.consequence, r.owner_id, u.display_name as "owner_name?",
                  r.inherent_likelihood, r.inherent_impact, r.residual_likelihood, r.residual_impact,
                  r.inherent_level, r.current_level, r.above_appetite, r.treatment, r.treatment_note,
                  r.review_due, r.reviewed_at, r.created_by, r.archived_at is not null as "archived!",
                  r.version
           from risks r
           left join risk_threats t on t.id = r.threat_id
           left join users u on u.id = r.owner_id
           where r.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// The nodes a risk bears on.
pub async fn scope(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select node_id from risk_scope where risk_id = $1 order by node_id",
        id
    )
    .fetch_all(db)
    .await
}

/// The measures that apply to a risk.
pub async fn measures(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select measure_id from risk_measure_links where risk_id = $1 order by measure_id",
        id
    )
    .fetch_all(db)
    .await
}

async fn snapshot(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<serde_json::Value> {
    let risk = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let scope = scope(&mut *conn, id).await?;
    let measures = measures(&mut *conn, id).await?;
    serde_json::to_value(Snapshot {
        risk: &risk,
        scope: &scope,
        measures: &measures,
    })
    .map_err(|error| sqlx::Error::Decode(Box::new(error)))
}

async fn set_links(conn: &mut PgConnection, id: Uuid, fields: &RiskFields) -> sqlx::Result<()> {
    replace_links(conn, "risk_scope", "node_id", id, &fields.scope).await?;
    replace_links(
        conn,
        "risk_measure_links",
        "measure_id",
        id,
        &fields.measures,
    )
    .await
}

/// Makes the rows of `table` (a `(risk_id, column)` link table) for `risk` exactly `ids`.
/// `table` and `column` are this module's constants, never input.
async fn replace_links(
    conn: &mut PgConnection,
    table: &str,
    column: &str,
    risk: Uuid,
    ids: &[Uuid],
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "delete from {table} where risk_id = $1 and {column} <> all($2)"
    ))
    .bind(risk)
    .bind(ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "insert into {table} (risk_id, {column}) select $1, unnest($2::uuid[]) on conflict do nothing"
    ))
    .bind(risk)
    .bind(ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn record_scores(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    id: Uuid,
    scores: &Scores,
    note: &str,
) -> sqlx::Result<()> {
    let (_, current, _) = levels(method, scores);
    sqlx::query!(
        "insert into risk_score_history (risk_id, by_user, by_label, inherent_likelihood, inherent_impact,
             residual_likelihood, residual_impact, level_name, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        actor.user_id,
        actor.label,
        i16::from(scores.inherent_likelihood),
        i16::from(scores.inherent_impact),
        scores.residual_likelihood.map(i16::from),
        scores.residual_impact.map(i16::from),
        method.level_name(current as u8),
        note
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    fields: &RiskFields,
) -> Result<Risk, WriteError> {
    let (inherent, current, above) = levels(method, &fields.scores);
    let id = sqlx::query_scalar!(
        "insert into risks (title, threat_id, vulnerability, cause, event, consequence, owner_id,
             inherent_likelihood, inherent_impact, residual_likelihood, residual_impact,
             inherent_level, current_level, above_appetite, treatment, treatment_note, review_due, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         returning id",
        fields.title.trim(),
        fields.threat_id,
        fields.vulnerability.trim(),
        fields.cause.trim(),
        fields.event.trim(),
        fields.consequence.trim(),
        fields.owner_id,
        i16::from(fields.scores.inherent_likelihood),
        i16::from(fields.scores.inherent_impact),
        fields.scores.residual_likelihood.map(i16::from),
        fields.scores.residual_impact.map(i16::from),
        inherent,
        current,
        above,
        fields.treatment,
        fields.treatment_note.trim(),
        fields.review_due,
        actor.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    set_links(conn, id, fields).await?;
    record_scores(conn, actor, method, id, &fields.scores, "First assessment").await?;
    let after = snapshot(conn, id).await?;
    audit::record(conn, actor, Change::new("risk", id, "create").after(&after)).await?;
    Ok(find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    id: Uuid,
    expected_version: i32,
    fields: &RiskFields,
) -> Result<Versioned<Risk>, WriteError> {
    let current = find(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let before = snapshot(conn, id).await?;
    let (inherent, level, above) = levels(method, &fields.scores);
    let updated = sqlx::query!(
        "update risks set title = $3, threat_id = $4, vulnerability = $5, cause = $6, event = $7,
             consequence = $8, owner_id = $9, inherent_likelihood = $10, inherent_impact = $11,
             residual_likelihood = $12, residual_impact = $13, inherent_level = $14, current_level = $15,
             above_appetite = $16, treatment = $17, treatment_note = $18, review_due = $19,
             version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.title.trim(),
        fields.threat_id,
        fields.vulnerability.trim(),
        fields.cause.trim(),
        fields.event.trim(),
        fields.consequence.trim(),
        fields.owner_id,
        i16::from(fields.scores.inherent_likelihood),
        i16::from(fields.scores.inherent_impact),
        fields.scores.residual_likelihood.map(i16::from),
        fields.scores.residual_impact.map(i16::from),
        inherent,
        level,
        above,
        fields.treatment,
        fields.treatment_note.trim(),
        fields.review_due
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(current));
    }
    set_links(conn, id, fields).await?;
    if current.scores() != fields.scores {
        record_scores(conn, actor, method, id, &fields.scores, "Scores changed").await?;
    }
    let after = snapshot(conn, id).await?;
    audit::record(
        conn,
        actor,
        Change::new("risk", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(
        find(&mut *conn, id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?,
    ))
}

/// "Reviewed, no change": the review is recorded and the next one set; the scores stay.
pub async fn reviewed(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    risk: &Risk,
    next_review: Date,
) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "update risks set reviewed_at = now(), review_due = $3, version = version + 1
         where id = $1 and version = $2",
        risk.id,
        risk.version,
        next_review
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    record_scores(
        conn,
        actor,
        method,
        risk.id,
        &risk.scores(),
        "Reviewed, no change",
    )
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("risk", risk.id, "review")
            .before(&serde_json::json!({ "review_due": risk.review_due }))
            .after(&serde_json::json!({ "review_due": next_review })),
    )
    .await?;
    Ok(true)
}

/// Archives or restores a risk; false (and nothing written) when it is in that state already, so
/// a form sent twice leaves one audit row.
pub async fn set_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    archived: bool,
) -> sqlx::Result<bool> {
    let before = snapshot(conn, id).await?;
    if !crate::db::toggle_archived(conn, "risks", id, archived).await? {
        return Ok(false);
    }
    let after = snapshot(conn, id).await?;
    let action = if archived { "archive" } else { "restore" };
    audit::record(
        conn,
        actor,
        Change::new("risk", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(true)
}

pub struct ScoreChange {
    pub at: OffsetDateTime,
    pub by: String,
    pub inherent: String,
    pub residual: String,
    pub level: String,
    pub note: String,
}

/// The latest scorings of a risk, newest first.
pub async fn history(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<ScoreChange>> {
    let rows = sqlx::query!(
        "select at, by_label, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact,
                level_name, note
         from risk_score_history where risk_id = $1 order by at desc, id desc limit 50",
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ScoreChange {
            at: row.at,
            by: row.by_label,
            inherent: format!("{} × {}", row.inherent_likelihood, row.inherent_impact),
            residual: match (row.residual_likelihood, row.residual_impact) {
                (Some(l), Some(i)) => format!("{l} × {i}"),
                _ => "—".to_owned(),
            },
            level: row.level_name,
            note: row.note,
        })
        .collect())
}

/// Every active risk on every node it bears on, at its current level: what exposure is
/// computed from.
pub async fn bearings(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Bearing>> {
    let rows = sqlx::query!(
        "select r.id, s.node_id, r.current_level from risks r join risk_scope s on s.risk_id = r.id
         where r.archived_at is null"
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Bearing {
            risk: row.id,
            node: row.node_id,
            level: row.current_level.clamp(0, i16::from(u8::MAX)) as u8,
        })
        .collect())
}

/// The active risks bearing on any of `nodes` (what one service needs), at their current level.
pub async fn bearings_on(db: impl PgExecutor<'_>, nodes: &[Uuid]) -> sqlx::Result<Vec<Bearing>> {
    let rows = sqlx::query!(
        "select r.id, s.node_id, r.current_level from risk_scope s join risks r on r.id = s.risk_id
         where s.node_id = any($1) and r.archived_at is null",
        nodes
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Bearing {
            risk: row.id,
            node: row.node_id,
            level: row.current_level.clamp(0, i16::from(u8::MAX)) as u8,
        })
        .collect())
}

/// Short facts about some risks, for lists of exposures.
pub struct RiskLine {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub current_level: i16,
}

pub async fn lines(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<RiskLine>> {
    sqlx::query_as!(
        RiskLine,
        "select id, number, title, current_level from risks where id = any($1)",
        ids
    )
    .fetch_all(db)
    .await
}

/// Risks per cell of the matrix: `(likelihood, impact, count)`, by inherent scores, or by
/// residual ones (risks without a residual assessment left out).
pub async fn heat(db: impl PgExecutor<'_>, residual: bool) -> sqlx::Result<Vec<(i16, i16, i64)>> {
    let rows = sqlx::query!(
        r#"select (case when $1 then residual_likelihood else inherent_likelihood end) as "likelihood!",
                  (case when $1 then residual_impact else inherent_impact end) as "impact!",
                  count(*) as "count!"
           from risks
           where archived_at is null and (not $1 or residual_likelihood is not null)
           group by 1, 2"#,
        residual
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.likelihood, row.impact, row.count))
        .collect())
}

/// What the decision of an above-appetite risk depends on, for counting those needing one.
pub struct DecisionInput {
    pub scores: Scores,
    /// The level stored with the risk (what its acceptance's fingerprint holds).
    pub level: u8,
    pub treatment: Option<String>,
    pub scope: Vec<Uuid>,
    pub measures: Vec<Uuid>,
    pub acceptance: Option<Acceptance>,
}

/// Every active risk above appetite with what its decision depends on, in one query.
pub async fn decision_inputs(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<DecisionInput>> {
    let rows = sqlx::query!(
        r#"select r.inherent_likelihood, r.inherent_impact, r.residual_likelihood, r.residual_impact,
                  r.current_level, r.treatment,
                  array(select s.node_id from risk_scope s where s.risk_id = r.id) as "scope!",
                  array(select m.measure_id from risk_measure_links m where m.risk_id = r.id) as "measures!",
                  a.proposed_by as "proposed_by?", a.expires_on as "expires_on?", a.approved as "approved?",
                  a.fingerprint as "fingerprint?"
           from risks r
           left join lateral (select * from risk_acceptances x where x.risk_id = r.id
                              order by x.proposed_at desc, x.id limit 1) a on true
           where r.archived_at is null and r.above_appetite"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| DecisionInput {
            scores: Scores {
                inherent_likelihood: row.inherent_likelihood as u8,
                inherent_impact: row.inherent_impact as u8,
                residual_likelihood: row.residual_likelihood.map(|value| value as u8),
                residual_impact: row.residual_impact.map(|value| value as u8),
            },
            level: row.current_level.clamp(0, i16::from(u8::MAX)) as u8,
            treatment: row.treatment,
            scope: row.scope,
            measures: row.measures,
            acceptance: row
                .expires_on
                .zip(row.fingerprint)
                .map(|(expires_on, fingerprint)| Acceptance {
                    proposed_by: row.proposed_by,
                    expires_on,
                    approved: row.approved,
                    fingerprint,
                }),
        })
        .collect())
}

pub async fn reviews_overdue(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from risks where archived_at is null and review_due < current_date"#
    )
    .fetch_one(db)
    .await
}

/// Active mission-critical services (tier rank 1) as (id, name), by name.
pub async fn mission_critical_services(
    db: impl PgExecutor<'_>,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, name from services where archived_at is null and bia_tier_rank = 1 order by lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}

/// Moves whenever anything the home page's risk figures are computed from may have changed.
pub async fn figures_fingerprint(db: impl PgExecutor<'_>) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select concat_ws('/',
               (select revision from graph_revision where id = 1),
               (select max(updated_at) from risks),
               (select max(proposed_at) from risk_acceptances),
               (select max(decided_at) from risk_acceptances),
               (select version from risk_method where id = 1),
               (select max(updated_at) from services),
               current_date) as "fingerprint!""#
    )
    .fetch_one(db)
    .await
}

/// A risk owner's risks due for review within `by` (or overdue), soonest first.
pub struct DueRisk {
    pub id: Uuid,
    pub number: i32,
    pub title: String,
    pub review_due: Option<Date>,
}

pub async fn due_for_review(
    db: impl PgExecutor<'_>,
    owner: Uuid,
    by: Date,
    limit: i64,
) -> sqlx::Result<Vec<DueRisk>> {
    sqlx::query_as!(
        DueRisk,
        "select id, number, title, review_due from risks
         where archived_at is null and owner_id = $1 and review_due <= $2
         order by review_due, number limit $3",
        owner,
        by,
        limit
    )
    .fetch_all(db)
    .await
}
