//! Planning the rows of a contracts file: each row is a contract keyed by its reference, with its
//! supplier (by name), dates, notice periods, support hours, guaranteed recovery time and RPO,
//! continuity evidence, and the services or components supplied under it (by external id).

use std::collections::BTreeMap;

use time::Date;
use uuid::Uuid;

use super::plan::Snapshot;
use crate::domain::date::parse_optional_date;
use crate::domain::duration::Duration;
use crate::domain::graph::NodeKind;

/// A contract row as it would be written. On update, what the import format has no column for
/// (response times, availability, exit plan, …) keeps its stored value, and so do support hours
/// left empty; the other columns are written as given, an empty cell clearing the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRecord {
    pub reference: String,
    pub supplier_id: Uuid,
    pub title: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub auto_renewal: bool,
    pub renewal_notice_days: Option<i32>,
    pub termination_notice_days: Option<i32>,
    /// `24x7` or `business`; empty when the file does not say, which keeps a stored contract's
    /// hours (a custom calendar cannot be written in a file) and means business hours for a new one.
    pub support_hours: String,
    pub guaranteed_recovery_minutes: Option<i32>,
    pub guaranteed_rpo_minutes: Option<i32>,
    pub bcp_required: bool,
    pub evidence_received_on: Option<Date>,
    pub evidence_expires_on: Option<Date>,
    pub next_review_on: Option<Date>,
    /// Services and components supplied under the contract (new links only; none are removed).
    pub supplied: Vec<Uuid>,
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

impl ContractRecord {
    /// The fields compared with a stored contract, as text (see [`stored_fields`]).
    pub fn fields(&self) -> BTreeMap<&'static str, String> {
        let mut supplied: Vec<String> = self.supplied.iter().map(Uuid::to_string).collect();
        supplied.sort();
        [
            ("supplier", self.supplier_id.to_string()),
            ("title", self.title.clone()),
            ("start_date", text(self.start_date)),
            ("end_date", text(self.end_date)),
            ("auto_renewal", self.auto_renewal.to_string()),
            ("renewal_notice_days", text(self.renewal_notice_days)),
            (
                "termination_notice_days",
                text(self.termination_notice_days),
            ),
            ("support_hours", self.support_hours.clone()),
            (
                "guaranteed_recovery",
                text(self.guaranteed_recovery_minutes),
            ),
            ("guaranteed_rpo", text(self.guaranteed_rpo_minutes)),
            ("bcp_required", self.bcp_required.to_string()),
            ("evidence_received_on", text(self.evidence_received_on)),
            ("evidence_expires_on", text(self.evidence_expires_on)),
            ("next_review_on", text(self.next_review_on)),
            ("supplied", supplied.join(" ")),
        ]
        .into_iter()
        .collect()
    }
}

/// A stored contract as an import compares it.
#[derive(Debug, Clone)]
pub struct StoredContract {
    pub id: Uuid,
    pub record: ContractRecord,
    /// Everything already supplied under it.
    pub linked: Vec<Uuid>,
}

/// The comparable fields of a stored contract against a planned record.
pub fn stored_fields(
    stored: &StoredContract,
    planned: &ContractRecord,
) -> BTreeMap<&'static str, String> {
    let mut record = stored.record.clone();
    if planned.support_hours.is_empty() {
        record.support_hours.clear();
    }
    record.supplied = planned
        .supplied
        .iter()
        .filter(|id| stored.linked.contains(id))
        .copied()
        .collect();
    record.fields()
}

fn date(column: &str, value: &str) -> Result<Option<Date>, String> {
    parse_optional_date(value).map_err(|error| format!("{column} “{value}” is not a date: {error}"))
}

fn days(column: &str, value: &str) -> Result<Option<i32>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i32>()
        .ok()
        .filter(|days| (0..=3650).contains(days))
        .map(Some)
        .ok_or_else(|| format!("{column} “{value}” is not a number of days."))
}

fn minutes(column: &str, value: &str) -> Result<Option<i32>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    Duration::parse(value)
        .map(|duration| i32::try_from(duration.minutes()).ok())
        .map_err(|error| format!("{column}: {error}."))
}

fn yes_no(column: &str, value: &str) -> Result<bool, String> {
    match value.to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Ok(false),
        "yes" | "y" | "true" | "1" => Ok(true),
        _ => Err(format!("{column} “{value}” must be yes or no.")),
    }
}

/// Finds the one node of the given kinds with an external id, or says why not.
pub type Resolve<'a> = &'a dyn Fn(&str, &[NodeKind]) -> Result<Uuid, String>;

/// One row, read through `cell`, resolved against the snapshot: the record, or why not.
pub fn record(
    cell: &dyn Fn(&str) -> String,
    snapshot: &Snapshot,
    resolve: Resolve<'_>,
) -> Result<ContractRecord, String> {
    let reference = cell("reference");
    let supplier_name = cell("supplier");
    let supplier_id = *snapshot
        .suppliers
        .get(&supplier_name.to_lowercase())
        .ok_or_else(|| format!("No supplier is named {supplier_name}: create it first."))?;
    let support = match cell("support_hours")
        .to_lowercase()
        .replace(['×', ' '], "x")
        .as_str()
    {
        "" => "",
        "business" | "business_hours" | "businessxhours" => "business",
        "24x7" => "24x7",
        other => return Err(format!("Support hours “{other}” must be 24x7 or business.")),
    };
    let title = cell("title");
    if title.chars().count() > 300 {
        return Err("The title is longer than 300 characters.".into());
    }
    let start_date = date("start_date", &cell("start_date"))?;
    let end_date = date("end_date", &cell("end_date"))?;
    if let (Some(start), Some(end)) = (start_date, end_date)
        && end < start
    {
        return Err("The end date comes before the start date.".into());
    }
    let mut supplied = Vec::new();
    for external_id in cell("supplies")
        .split(';')
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        let id = resolve(external_id, &[NodeKind::Service, NodeKind::Component])?;
        if !supplied.contains(&id) {
            supplied.push(id);
        }
    }
    Ok(ContractRecord {
        reference,
        supplier_id,
        title,
        start_date,
        end_date,
        auto_renewal: yes_no("auto_renewal", &cell("auto_renewal"))?,
        renewal_notice_days: days("renewal_notice_days", &cell("renewal_notice_days"))?,
        termination_notice_days: days("termination_notice_days", &cell("termination_notice_days"))?,
        support_hours: support.into(),
        guaranteed_recovery_minutes: minutes("guaranteed_recovery", &cell("guaranteed_recovery"))?,
        guaranteed_rpo_minutes: minutes("guaranteed_rpo", &cell("guaranteed_rpo"))?,
        bcp_required: yes_no("bcp_required", &cell("bcp_required"))?,
        evidence_received_on: date("evidence_received_on", &cell("evidence_received_on"))?,
        evidence_expires_on: date("evidence_expires_on", &cell("evidence_expires_on"))?,
        next_review_on: date("next_review_on", &cell("next_review_on"))?,
        supplied,
    })
}

/// The existing contract with this reference, as the planner compares it.
pub fn existing<'a>(snapshot: &'a Snapshot, reference: &str) -> Option<&'a StoredContract> {
    snapshot.contracts.get(&reference.to_lowercase())
}
