//! Acceptances of risks above appetite: proposed with a justification and an expiry, decided
//! once by a continuity manager who did not propose them (the table refuses any later change).

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::domain::risk::acceptance::Acceptance;

#[derive(Debug, Clone, Serialize)]
pub struct AcceptanceRow {
    pub id: Uuid,
    pub risk_id: Uuid,
    pub proposed_by: Option<Uuid>,
    pub proposed_label: String,
    pub proposed_at: OffsetDateTime,
    pub justification: String,
    pub expires_on: Date,
    pub fingerprint: String,
    pub approved: Option<bool>,
    pub decided_label: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: String,
}

impl AcceptanceRow {
    pub fn facts(&self) -> Acceptance {
        Acceptance {
            proposed_by: self.proposed_by,
            expires_on: self.expires_on,
            approved: self.approved,
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// The latest acceptance of a risk, if any.
pub async fn latest(db: impl PgExecutor<'_>, risk: Uuid) -> sqlx::Result<Option<AcceptanceRow>> {
    sqlx::query_as!(
        AcceptanceRow,
        "select id, risk_id, proposed_by, proposed_label, proposed_at, justification, expires_on,
                fingerprint, approved, decided_label, decided_at, decision_note
         from risk_acceptances where risk_id = $1 order by proposed_at desc, id limit 1",
        risk
    )
    .fetch_optional(db)
    .await
}

pub struct Proposal<'a> {
    pub risk: Uuid,
    pub justification: &'a str,
    pub expires_on: Date,
    pub fingerprint: &'a str,
    /// The risk's assessment as proposed, kept with the acceptance.
    pub snapshot: serde_json::Value,
}

pub async fn propose(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal: Proposal<'_>,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into risk_acceptances (risk_id, proposed_by, proposed_label, justification, expires_on,
             fingerprint, snapshot)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        proposal.risk,
        actor.user_id,
        actor.label,
        proposal.justification.trim(),
        proposal.expires_on,
        proposal.fingerprint,
        proposal.snapshot
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("risk_acceptance", id, "propose").after(&serde_json::json!({
            "risk": proposal.risk,
            "justification": proposal.justification.trim(),
            "expires_on": proposal.expires_on,
        })),
    )
    .await?;
    Ok(id)
}

/// Approves or rejects a proposal, unless it was decided already or `actor` proposed it; false
/// then.
pub async fn decide(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    approved: bool,
    note: &str,
) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "update risk_acceptances set approved = $2, decided_by = $3, decided_label = $4,
             decided_at = now(), decision_note = $5
         where id = $1 and approved is null and proposed_by is distinct from $3",
        id,
        approved,
        actor.user_id,
        actor.label,
        note.trim()
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    let action = if approved { "approve" } else { "reject" };
    audit::record(
        conn,
        actor,
        Change::new("risk_acceptance", id, action)
            .after(&serde_json::json!({ "approved": approved, "note": note.trim() })),
    )
    .await?;
    Ok(true)
}

/// Closes a proposal that can no longer be decided (it expired, or the risk changed after it was
/// proposed), so that the risk can be proposed for acceptance again. Recorded as not approved,
/// decided by nobody, with the reason.
pub async fn close_lapsed(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update risk_acceptances set approved = false, decided_label = 'Continuity', decided_at = now(),
             decision_note = $2
         where id = $1 and approved is null",
        id,
        reason
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("risk_acceptance", id, "lapse").after(&serde_json::json!({ "note": reason })),
    )
    .await
}

/// A proposal waiting for a decision, for a manager's home page.
pub struct Waiting {
    pub risk_id: Uuid,
    pub number: i32,
    pub title: String,
    pub proposed_label: String,
}

/// Proposals that `reader` may decide (not their own), oldest first, at most `limit`.
pub async fn waiting_for(
    db: impl PgExecutor<'_>,
    reader: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<Waiting>> {
    sqlx::query_as!(
        Waiting,
        "select r.id as risk_id, r.number, r.title, a.proposed_label
         from risk_acceptances a join risks r on r.id = a.risk_id
         where a.approved is null and a.proposed_by is distinct from $1 and r.archived_at is null
           and a.expires_on >= current_date
         order by a.proposed_at limit $2",
        reader,
        limit
    )
    .fetch_all(db)
    .await
}
