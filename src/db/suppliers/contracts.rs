//! Contracts: what a supplier promises, its dates, and its continuity terms. Each contract is a
//! node of the dependency graph, so services and components can be "supplied by" it.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::{WriteError, classify, new_node};
use crate::domain::duration::Duration;
use crate::domain::graph::NodeKind;
use crate::domain::supplier::gaps::Terms;
use crate::domain::supplier::hours::SupportHours;
use crate::domain::supplier::renewal::ContractDates;

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub id: Uuid,
    pub supplier_id: Uuid,
    pub supplier_name: String,
    pub reference: String,
    pub title: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub auto_renewal: bool,
    pub renewal_notice_days: Option<i32>,
    pub termination_notice_days: Option<i32>,
    pub support_hours: String,
    pub support_days: String,
    pub support_from_minute: i32,
    pub support_to_minute: i32,
    pub response_minutes: Option<i32>,
    pub onsite_minutes: Option<i32>,
    pub guaranteed_recovery_minutes: Option<i32>,
    pub guaranteed_rpo_minutes: Option<i32>,
    pub availability_percent: Option<f64>,
    pub regional_priority: String,
    pub right_to_audit: bool,
    pub test_participation: bool,
    pub bcp_required: bool,
    pub bcp_evidence_received_on: Option<Date>,
    pub bcp_evidence_expires_on: Option<Date>,
    pub exit_plan: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub next_review_on: Option<Date>,
    pub notes: String,
    /// Archived itself, or through its supplier: either way it no longer counts.
    pub archived: bool,
    pub version: i32,
}

/// Everything a contract form sets.
#[derive(Debug, Clone, Default)]
pub struct ContractFields {
    pub supplier_id: Uuid,
    pub reference: String,
    pub title: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub auto_renewal: bool,
    pub renewal_notice_days: Option<i32>,
    pub termination_notice_days: Option<i32>,
    pub support_hours: String,
    pub support_days: String,
    pub support_from_minute: i32,
    pub support_to_minute: i32,
    pub response_minutes: Option<i32>,
    pub onsite_minutes: Option<i32>,
    pub guaranteed_recovery_minutes: Option<i32>,
    pub guaranteed_rpo_minutes: Option<i32>,
    pub availability_percent: Option<f64>,
    pub regional_priority: String,
    pub right_to_audit: bool,
    pub test_participation: bool,
    pub bcp_required: bool,
    pub bcp_evidence_received_on: Option<Date>,
    pub bcp_evidence_expires_on: Option<Date>,
    pub exit_plan: String,
    pub owner_id: Option<Uuid>,
    pub next_review_on: Option<Date>,
    pub notes: String,
}

impl From<&Contract> for ContractFields {
    /// The stored contract as a form would set it again.
    fn from(contract: &Contract) -> Self {
        Self {
            supplier_id: contract.supplier_id,
            reference: contract.reference.clone(),
            title: contract.title.clone(),
            start_date: contract.start_date,
            end_date: contract.end_date,
            auto_renewal: contract.auto_renewal,
            renewal_notice_days: contract.renewal_notice_days,
            termination_notice_days: contract.termination_notice_days,
            support_hours: contract.support_hours.clone(),
            support_days: contract.support_days.clone(),
            support_from_minute: contract.support_from_minute,
            support_to_minute: contract.support_to_minute,
            response_minutes: contract.response_minutes,
            onsite_minutes: contract.onsite_minutes,
            guaranteed_recovery_minutes: contract.guaranteed_recovery_minutes,
            guaranteed_rpo_minutes: contract.guaranteed_rpo_minutes,
            availability_percent: contract.availability_percent,
            regional_priority: contract.regional_priority.clone(),
            right_to_audit: contract.right_to_audit,
            test_participation: contract.test_participation,
            bcp_required: contract.bcp_required,
            bcp_evidence_received_on: contract.bcp_evidence_received_on,
            bcp_evidence_expires_on: contract.bcp_evidence_expires_on,
            exit_plan: contract.exit_plan.clone(),
            owner_id: contract.owner_id,
            next_review_on: contract.next_review_on,
            notes: contract.notes.clone(),
        }
    }
}

const UNIQUE: &[(&str, &str, &str)] = &[(
    "contracts_reference_key",
    "reference",
    "Another contract already has this reference.",
)];

fn minutes(value: Option<i32>) -> Option<Duration> {
    value.and_then(|minutes| Duration::from_minutes(i64::from(minutes)))
}

impl Contract {
    /// The support calendar as the gap rules read it.
    pub fn support(&self) -> SupportHours {
        match self.support_hours.as_str() {
            "24x7" => SupportHours::AroundTheClock,
            "business" => SupportHours::business_hours(),
            _ => {
                let mut days = [false; 7];
                for (day, flag) in days.iter_mut().zip(self.support_days.chars()) {
                    *day = flag == '1';
                }
                SupportHours::Weekly {
                    days,
                    from_minute: u16::try_from(self.support_from_minute).unwrap_or(0),
                    to_minute: u16::try_from(self.support_to_minute).unwrap_or(0),
                }
            }
        }
    }

    pub fn terms(&self) -> Terms {
        Terms {
            guaranteed_recovery: minutes(self.guaranteed_recovery_minutes),
            guaranteed_rpo: minutes(self.guaranteed_rpo_minutes),
            support: self.support(),
            bcp_required: self.bcp_required,
            evidence_received_on: self.bcp_evidence_received_on,
            evidence_expires_on: self.bcp_evidence_expires_on,
        }
    }

    /// The notice that matters: to stop an automatic renewal, or to terminate.
    pub fn dates(&self) -> ContractDates {
        ContractDates {
            end: self.end_date,
            notice_days: if self.auto_renewal {
                self.renewal_notice_days.or(self.termination_notice_days)
            } else {
                self.termination_notice_days
            },
            next_review: self.next_review_on,
        }
    }

    /// How people name it: the supplier and the reference.
    pub fn label(&self) -> String {
        format!("{} · {}", self.supplier_name, self.reference)
    }
}

/// Which contracts to read (all conditions given must hold).
#[derive(Default)]
struct Filter<'a> {
    ids: Option<&'a [Uuid]>,
    supplier: Option<Uuid>,
    /// Active contracts whose notice date (which is never after the end) falls by this date, or
    /// whose review is overdue.
    due_by: Option<Date>,
}

/// The one query every reader shares, so a contract always reads the same.
async fn select(db: impl PgExecutor<'_>, filter: Filter<'_>) -> sqlx::Result<Vec<Contract>> {
    sqlx::query_as!(
        Contract,
        r#"select c.id, c.supplier_id, s.name as supplier_name, c.reference, c.title, c.start_date,
                  c.end_date, c.auto_renewal, c.renewal_notice_days, c.termination_notice_days,
                  c.support_hours, c.support_days, c.support_from_minute, c.support_to_minute,
                  c.response_minutes, c.onsite_minutes, c.guaranteed_recovery_minutes,
                  c.guaranteed_rpo_minutes, c.availability_percent, c.regional_priority,
                  c.right_to_audit, c.test_participation, c.bcp_required, c.bcp_evidence_received_on,
                  c.bcp_evidence_expires_on, c.exit_plan, c.owner_id, u.display_name as "owner_name?",
                  c.next_review_on, c.notes,
                  (c.archived_at is not null or s.archived_at is not null) as "archived!", c.version
           from contracts c
           join suppliers s on s.id = c.supplier_id
           left join users u on u.id = c.owner_id
           where ($1::uuid[] is null or c.id = any($1))
             and ($2::uuid is null or c.supplier_id = $2)
             and ($3::date is null or (c.archived_at is null and s.archived_at is null
                  and (c.end_date - coalesce(case when c.auto_renewal
                                                  then coalesce(c.renewal_notice_days, c.termination_notice_days)
                                                  else c.termination_notice_days end, 0) <= $3
                       or c.next_review_on < current_date)))
           order by lower(s.name), lower(c.reference)"#,
        filter.ids,
        filter.supplier,
        filter.due_by,
    )
    .fetch_all(db)
    .await
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Contract>> {
    Ok(select(
        conn,
        Filter {
            ids: Some(&[id]),
            ..Filter::default()
        },
    )
    .await?
    .pop())
}

pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Contract>> {
    select(
        db,
        Filter {
            ids: Some(ids),
            ..Filter::default()
        },
    )
    .await
}

pub async fn of_supplier(db: impl PgExecutor<'_>, supplier: Uuid) -> sqlx::Result<Vec<Contract>> {
    select(
        db,
        Filter {
            supplier: Some(supplier),
            ..Filter::default()
        },
    )
    .await
}

/// Every contract, archived ones included (they carry no gaps): what the gap list assesses.
pub async fn all(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Contract>> {
    select(db, Filter::default()).await
}

/// Active contracts whose supplier's continuity evidence has expired, for the home page.
/// A cheap fingerprint of everything a contract's gaps depend on — the graph, the contracts,
/// their suppliers, the services' objectives, and the day — read through indexes, so that the
/// practice-wide gap figures are recomputed only when it moves.
pub async fn gap_inputs_fingerprint(db: impl PgExecutor<'_>) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select concat_ws('/',
               (select revision from graph_revision where id = 1),
               (select max(updated_at) from contracts), (select count(*) from contracts),
               (select max(updated_at) from suppliers), (select count(*) from suppliers),
               (select max(updated_at) from services),
               current_date) as "fingerprint!""#
    )
    .fetch_one(db)
    .await
}

pub async fn expired_evidence_count(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from contracts c join suppliers s on s.id = c.supplier_id
           where c.archived_at is null and s.archived_at is null
             and c.bcp_evidence_expires_on < current_date"#
    )
    .fetch_one(db)
    .await
}

/// Active contracts whose notice date falls by `by` (their end may come later), or whose review
/// is overdue: the renewal list's candidates. Keep the notice rule in step with
/// [`Contract::dates`].
pub async fn due_by(db: impl PgExecutor<'_>, by: Date) -> sqlx::Result<Vec<Contract>> {
    select(
        db,
        Filter {
            due_by: Some(by),
            ..Filter::default()
        },
    )
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ContractFields,
) -> Result<Contract, WriteError> {
    let id = new_node(conn, NodeKind::Contract).await?;
    sqlx::query!(
        "insert into contracts (id, supplier_id, reference, title, start_date, end_date, auto_renewal,
             renewal_notice_days, termination_notice_days, support_hours, support_days,
             support_from_minute, support_to_minute, response_minutes, onsite_minutes,
             guaranteed_recovery_minutes, guaranteed_rpo_minutes, availability_percent,
             regional_priority, right_to_audit, test_participation, bcp_required,
             bcp_evidence_received_on, bcp_evidence_expires_on, exit_plan, owner_id, next_review_on, notes)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                 $20, $21, $22, $23, $24, $25, $26, $27, $28)",
        id,
        fields.supplier_id,
        fields.reference.trim(),
        fields.title.trim(),
        fields.start_date,
        fields.end_date,
        fields.auto_renewal,
        fields.renewal_notice_days,
        fields.termination_notice_days,
        fields.support_hours,
        fields.support_days,
        fields.support_from_minute,
        fields.support_to_minute,
        fields.response_minutes,
        fields.onsite_minutes,
        fields.guaranteed_recovery_minutes,
        fields.guaranteed_rpo_minutes,
        fields.availability_percent,
        fields.regional_priority,
        fields.right_to_audit,
        fields.test_participation,
        fields.bcp_required,
        fields.bcp_evidence_received_on,
        fields.bcp_evidence_expires_on,
        fields.exit_plan.trim(),
        fields.owner_id,
        fields.next_review_on,
        fields.notes.trim(),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let contract = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("contract", id, "create").after(&contract),
    )
    .await?;
    Ok(contract)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ContractFields,
) -> Result<Versioned<Contract>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update contracts set supplier_id = $3, reference = $4, title = $5, start_date = $6,
             end_date = $7, auto_renewal = $8, renewal_notice_days = $9, termination_notice_days = $10,
             support_hours = $11, support_days = $12, support_from_minute = $13, support_to_minute = $14,
             response_minutes = $15, onsite_minutes = $16, guaranteed_recovery_minutes = $17,
             guaranteed_rpo_minutes = $18, availability_percent = $19, regional_priority = $20,
             right_to_audit = $21, test_participation = $22, bcp_required = $23,
             bcp_evidence_received_on = $24, bcp_evidence_expires_on = $25, exit_plan = $26,
             owner_id = $27, next_review_on = $28, notes = $29, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.supplier_id,
        fields.reference.trim(),
        fields.title.trim(),
        fields.start_date,
        fields.end_date,
        fields.auto_renewal,
        fields.renewal_notice_days,
        fields.termination_notice_days,
        fields.support_hours,
        fields.support_days,
        fields.support_from_minute,
        fields.support_to_minute,
        fields.response_minutes,
        fields.onsite_minutes,
        fields.guaranteed_recovery_minutes,
        fields.guaranteed_rpo_minutes,
        fields.availability_percent,
        fields.regional_priority,
        fields.right_to_audit,
        fields.test_participation,
        fields.bcp_required,
        fields.bcp_evidence_received_on,
        fields.bcp_evidence_expires_on,
        fields.exit_plan.trim(),
        fields.owner_id,
        fields.next_review_on,
        fields.notes.trim(),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("contract", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// The suppliers of the given contracts, each once.
pub async fn suppliers_of(db: impl PgExecutor<'_>, contracts: &[Uuid]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select distinct supplier_id from contracts where id = any($1)",
        contracts
    )
    .fetch_all(db)
    .await
}

/// Objectives of services, by id, for the gap rules.
#[derive(Debug, Clone)]
pub struct ServiceObjectives {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
}

pub async fn service_objectives(
    db: impl PgExecutor<'_>,
    ids: &[Uuid],
) -> sqlx::Result<Vec<ServiceObjectives>> {
    sqlx::query_as!(
        ServiceObjectives,
        "select id, name, owner_id, bia_rto_minutes as rto_minutes, bia_rpo_minutes as rpo_minutes,
                bia_tier_rank as tier_rank, bia_tier_name as tier_name
         from services where id = any($1) and archived_at is null
         order by bia_tier_rank nulls last, lower(name)",
        ids
    )
    .fetch_all(db)
    .await
}

/// The audit trail of one contract, newest first: (when, who, what).
pub async fn history(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Vec<(time::OffsetDateTime, String, String)>> {
    // Its own changes, and the services and components linked to it or unlinked from it.
    let rows = sqlx::query!(
        r#"select at as "at!", actor_label as "actor_label!", action as "action!" from (
             select at, actor_label, action from audit_log
              where entity = 'contract' and entity_id = $1
             union all
             select a.at, a.actor_label,
                    case a.action when 'create' then 'linked ' when 'delete' then 'unlinked '
                                  when 'confirm' then 'confirmed the link of '
                                  else 'changed the link of ' end
                    || coalesce(e.name, 'an entry no longer in the catalogue')
               from audit_log a
               left join catalogue_entries e
                 on e.id::text = coalesce(a.after, a.before) ->> 'from_id'
              where a.entity = 'dependency' and coalesce(a.after, a.before) ->> 'to_id' = $1
           ) history order by at desc limit 50"#,
        id.to_string()
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.at, row.actor_label, row.action))
        .collect())
}

/// Archives (an ended or replaced contract: out of lists, renewals and gaps, history kept) or
/// restores a contract.
pub async fn set_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    archived: bool,
) -> Result<(), WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query!(
        "update contracts set archived_at = case when $2 then coalesce(archived_at, now()) end,
             version = version + 1
         where id = $1",
        id,
        archived
    )
    .execute(&mut *conn)
    .await
    // References are unique among active contracts only: restoring may meet a newer namesake.
    .map_err(|error| classify(error, UNIQUE))?;
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let action = if archived { "archive" } else { "restore" };
    audit::record(
        conn,
        actor,
        Change::new("contract", id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(())
}
