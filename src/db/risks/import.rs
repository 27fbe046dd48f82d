//! The risk register part of a CSV import: what exists (risks by external id with their scope
//! and measures, the catalogues by name, the method's scales), and writing an accepted row
//! through the audited risk functions — so an imported risk is levelled, its score history kept
//! and an acceptance lapsed exactly as when it is edited on its page.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{catalogues, method, records};
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::domain::import::risks::{RiskRecord, RiskSnapshot, StoredRisk};
use crate::domain::plan::workflow::next_review;
use crate::domain::risk::method::RiskMethod;
use crate::domain::risk::register::Scores;

/// Everything risk rows are planned against, in a fixed number of queries.
pub async fn load(conn: &mut PgConnection) -> sqlx::Result<RiskSnapshot> {
    let (method, _) = method::current(&mut *conn).await?;
    let mut snapshot = RiskSnapshot {
        likelihoods: method.likelihood.iter().map(|step| step.value).collect(),
        impacts: method.impact.iter().map(|step| step.value).collect(),
        ..RiskSnapshot::default()
    };
    for threat in catalogues::threats(&mut *conn, false).await? {
        snapshot
            .threats
            .insert(threat.name.to_lowercase(), threat.id);
    }
    for measure in catalogues::measures(&mut *conn, false).await? {
        snapshot
            .measures
            .insert(measure.name.to_lowercase(), measure.id);
    }
    let rows = sqlx::query!(
        r#"select r.id, r.external_id as "external_id!", r.title, r.threat_id, r.vulnerability, r.cause,
                  r.event, r.consequence, r.owner_id, r.inherent_likelihood, r.inherent_impact,
                  r.residual_likelihood, r.residual_impact, r.treatment, r.treatment_note, r.review_due,
                  array(select s.node_id from risk_scope s where s.risk_id = r.id order by s.node_id) as "scope!",
                  array(select m.measure_id from risk_measure_links m where m.risk_id = r.id
                        order by m.measure_id) as "measures!",
                  r.archived_at is not null as "archived!",
                  array(select s.node_id from risk_scope s join catalogue_nodes n on n.id = s.node_id
                        where s.risk_id = r.id and n.kind = 'contract') as "kept_scope!"
           from risks r where r.external_id is not null"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let score = |value: i16| value.clamp(0, i16::from(u8::MAX)) as u8;
    let mut risks = HashMap::with_capacity(rows.len());
    for row in rows {
        let record = RiskRecord {
            external_id: row.external_id.clone(),
            title: row.title,
            threat_id: row.threat_id,
            vulnerability: row.vulnerability,
            cause: row.cause,
            event: row.event,
            consequence: row.consequence,
            owner_id: row.owner_id,
            inherent: (score(row.inherent_likelihood), score(row.inherent_impact)),
            residual: row
                .residual_likelihood
                .zip(row.residual_impact)
                .map(|(l, i)| (score(l), score(i))),
            treatment: row.treatment,
            treatment_note: row.treatment_note,
            review_due: row.review_due,
            scope: row.scope,
            measures: row.measures,
        };
        risks.insert(
            row.external_id.to_lowercase(),
            StoredRisk {
                id: row.id,
                archived: row.archived,
                kept_scope: row.kept_scope,
                record,
            },
        );
    }
    snapshot.risks = risks;
    snapshot.owners = crate::db::users::owner_options(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    Ok(snapshot)
}

/// Creates or updates the risk of a row; `false` when the stored risk was archived meanwhile
/// (it is left as it is). An empty review date keeps a stored risk's date unless the level
/// changed (then, as on the form, it follows the new level); a new risk's follows its level. A
/// new risk without an owner belongs to whoever imports it. `method` is read once per import,
/// held for share (see [`method::current_for_share`]).
pub async fn write(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    record: &RiskRecord,
    existing: Option<Uuid>,
) -> anyhow::Result<bool> {
    let scores = Scores {
        inherent_likelihood: record.inherent.0,
        inherent_impact: record.inherent.1,
        residual_likelihood: record.residual.map(|(l, _)| l),
        residual_impact: record.residual.map(|(_, i)| i),
    };
    let current = match existing {
        Some(id) => {
            // Locked, so that an edit on the risk's page cannot slip in before the update.
            sqlx::query!("select id from risks where id = $1 for update", id)
                .fetch_optional(&mut *conn)
                .await?;
            records::find(&mut *conn, id).await?
        }
        None => None,
    };
    if current.as_ref().is_some_and(|risk| risk.archived) {
        return Ok(false);
    }
    let level = scores.current(method).map_or(0, |scored| scored.level);
    let review_due = record
        .review_due
        .or_else(|| {
            current
                .as_ref()
                .filter(|risk| risk.current_level == i16::from(level))
                .and_then(|risk| risk.review_due)
        })
        .unwrap_or_else(|| {
            next_review(
                OffsetDateTime::now_utc().date(),
                method.review_months(level),
            )
        });
    let fields = records::RiskFields {
        title: record.title.clone(),
        threat_id: record.threat_id,
        vulnerability: record.vulnerability.clone(),
        cause: record.cause.clone(),
        event: record.event.clone(),
        consequence: record.consequence.clone(),
        owner_id: record
            .owner_id
            .or_else(|| current.as_ref().and_then(|risk| risk.owner_id))
            .or(actor.user_id),
        scores,
        treatment: record.treatment.clone(),
        treatment_note: record.treatment_note.clone(),
        review_due: Some(review_due),
        scope: record.scope.clone(),
        measures: record.measures.clone(),
    };
    let id = match current {
        Some(risk) => {
            match records::update(conn, actor, method, risk.id, risk.version, &fields).await? {
                Versioned::Saved(risk) => risk.id,
                Versioned::Stale(_) => anyhow::bail!("risk {} changed during the import", risk.id),
            }
        }
        None => records::create(conn, actor, method, &fields).await?.id,
    };
    let named = sqlx::query!(
        "update risks set external_id = $2 where id = $1 and external_id is distinct from $2",
        id,
        record.external_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if named > 0 {
        audit::record(
            conn,
            actor,
            Change::new("risk", id, "import")
                .after(&serde_json::json!({ "external_id": record.external_id })),
        )
        .await?;
    }
    Ok(true)
}
