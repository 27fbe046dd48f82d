//! The contracts part of a CSV import: what exists (suppliers by name, contracts by reference
//! with what they supply), and writing an accepted row through the audited contract functions.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::contracts::{self, ContractFields};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::dependencies::{self, DependencyFields};
use crate::domain::import::Snapshot;
use crate::domain::import::contracts::{ContractRecord, StoredContract};

/// Adds suppliers and contracts to an import snapshot, in three queries.
pub async fn load(conn: &mut PgConnection, snapshot: &mut Snapshot) -> sqlx::Result<()> {
    for row in sqlx::query!("select id, name from suppliers where archived_at is null")
        .fetch_all(&mut *conn)
        .await?
    {
        snapshot.suppliers.insert(row.name.to_lowercase(), row.id);
    }
    let mut linked: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in sqlx::query!(
        "select d.from_id, d.to_id from dependencies d join contracts c on c.id = d.to_id"
    )
    .fetch_all(&mut *conn)
    .await?
    {
        linked.entry(row.to_id).or_default().push(row.from_id);
    }
    let ids: Vec<Uuid> = sqlx::query_scalar!("select id from contracts where archived_at is null")
        .fetch_all(&mut *conn)
        .await?;
    for contract in contracts::by_ids(&mut *conn, &ids).await? {
        let record = ContractRecord {
            reference: contract.reference.clone(),
            supplier_id: contract.supplier_id,
            title: contract.title.clone(),
            start_date: contract.start_date,
            end_date: contract.end_date,
            auto_renewal: contract.auto_renewal,
            renewal_notice_days: contract.renewal_notice_days,
            termination_notice_days: contract.termination_notice_days,
            support_hours: contract.support_hours.clone(),
            guaranteed_recovery_minutes: contract.guaranteed_recovery_minutes,
            guaranteed_rpo_minutes: contract.guaranteed_rpo_minutes,
            bcp_required: contract.bcp_required,
            evidence_received_on: contract.bcp_evidence_received_on,
            evidence_expires_on: contract.bcp_evidence_expires_on,
            next_review_on: contract.next_review_on,
            supplied: Vec::new(),
        };
        snapshot.contracts.insert(
            contract.reference.to_lowercase(),
            StoredContract {
                id: contract.id,
                record,
                linked: linked.remove(&contract.id).unwrap_or_default(),
            },
        );
    }
    Ok(())
}

/// Creates or updates the contract of a row, keeping stored values the file does not carry,
/// then links what it supplies.
pub async fn write(
    conn: &mut PgConnection,
    actor: &Actor,
    record: &ContractRecord,
    existing: Option<Uuid>,
) -> anyhow::Result<()> {
    let current = match existing {
        Some(id) => contracts::find(conn, id).await?,
        None => None,
    };
    let mut fields = match &current {
        Some(contract) => ContractFields::from(contract),
        None => ContractFields {
            support_hours: "business".into(),
            support_days: "1111100".into(),
            support_from_minute: 540,
            support_to_minute: 1020,
            regional_priority: "unspecified".into(),
            ..ContractFields::default()
        },
    };
    fields.supplier_id = record.supplier_id;
    fields.reference = record.reference.clone();
    fields.title = record.title.clone();
    fields.start_date = record.start_date;
    fields.end_date = record.end_date;
    fields.auto_renewal = record.auto_renewal;
    fields.renewal_notice_days = record.renewal_notice_days;
    fields.termination_notice_days = record.termination_notice_days;
    if !record.support_hours.is_empty() {
        fields.support_hours = record.support_hours.clone();
    }
    fields.guaranteed_recovery_minutes = record.guaranteed_recovery_minutes;
    fields.guaranteed_rpo_minutes = record.guaranteed_rpo_minutes;
    fields.bcp_required = record.bcp_required;
    fields.bcp_evidence_received_on = record.evidence_received_on;
    fields.bcp_evidence_expires_on = record.evidence_expires_on;
    fields.next_review_on = record.next_review_on;
    let id = match current {
        Some(contract) => {
            match contracts::update(conn, actor, contract.id, contract.version, &fields).await? {
                Versioned::Saved(saved) => saved.id,
                Versioned::Stale(_) => {
                    anyhow::bail!("contract {} changed during the import", contract.reference)
                }
            }
        }
        None => contracts::create(conn, actor, &fields).await?.id,
    };
    for from in &record.supplied {
        dependencies::upsert(
            conn,
            actor,
            *from,
            id,
            &DependencyFields {
                relation: "supplied_by".into(),
                redundancy: "none".into(),
                notes: String::new(),
            },
        )
        .await?;
    }
    Ok(())
}
