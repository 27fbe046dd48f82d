//! Planning the rows of a risk register file, as a spreadsheet register exports it: each row is a
//! risk keyed by its external id (re-importing updates the same risk), with what it bears on (by
//! external id), its owner (by email), threat and measures (by catalogue name), inherent and
//! residual scores on the current method's scales, treatment and next review.

use std::collections::{BTreeMap, HashMap};

use time::Date;
use uuid::Uuid;

use super::contracts::Resolve;
use super::plan::Snapshot;
use crate::domain::date::parse_optional_date;
use crate::domain::graph::NodeKind;
use crate::domain::risk::register::Treatment;

const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 5000;

/// A risk row as it would be written. The file states the whole risk: scope and measures are
/// replaced by what it lists; an empty review date or owner keeps a stored risk's (a new risk's
/// review follows its level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskRecord {
    pub external_id: String,
    pub title: String,
    pub threat_id: Option<Uuid>,
    pub vulnerability: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    /// Empty in the file: a stored risk keeps its owner; a new one has none yet.
    pub owner_id: Option<Uuid>,
    pub inherent: (u8, u8),
    pub residual: Option<(u8, u8)>,
    pub treatment: Option<String>,
    pub treatment_note: String,
    pub review_due: Option<Date>,
    /// Sorted, without repeats.
    pub scope: Vec<Uuid>,
    /// Sorted, without repeats.
    pub measures: Vec<Uuid>,
}

fn ids(values: &[Uuid]) -> String {
    values
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl RiskRecord {
    /// The fields compared with a stored risk, as text.
    pub fn fields(&self) -> BTreeMap<&'static str, String> {
        let optional = |value: Option<String>| value.unwrap_or_default();
        [
            ("title", self.title.clone()),
            ("threat", optional(self.threat_id.map(|id| id.to_string()))),
            ("vulnerability", self.vulnerability.clone()),
            ("cause", self.cause.clone()),
            ("event", self.event.clone()),
            ("consequence", self.consequence.clone()),
            ("owner", optional(self.owner_id.map(|id| id.to_string()))),
            (
                "inherent",
                format!("{}x{}", self.inherent.0, self.inherent.1),
            ),
            (
                "residual",
                optional(self.residual.map(|(l, i)| format!("{l}x{i}"))),
            ),
            ("treatment", optional(self.treatment.clone())),
            ("treatment_note", self.treatment_note.clone()),
            (
                "review_due",
                optional(self.review_due.map(|d| d.to_string())),
            ),
            ("bears_on", ids(&self.scope)),
            ("measures", ids(&self.measures)),
        ]
        .into_iter()
        .collect()
    }
}

/// A stored risk as an import compares it.
#[derive(Debug, Clone)]
pub struct StoredRisk {
    pub id: Uuid,
    /// An archived risk changes only by being restored, never by an import.
    pub archived: bool,
    /// What the risk bears on that a file cannot name (supplier contracts): kept on re-import.
    pub kept_scope: Vec<Uuid>,
    pub record: RiskRecord,
}

/// What risk rows are checked against, beyond the catalogue.
#[derive(Debug, Default)]
pub struct RiskSnapshot {
    /// Lower-case external id → the risk.
    pub risks: HashMap<String, StoredRisk>,
    /// Lower-case threat name → id (active threats).
    pub threats: HashMap<String, Uuid>,
    /// Lower-case measure name → id (active measures).
    pub measures: HashMap<String, Uuid>,
    /// The users who may own a risk (service owners, continuity managers, administrators).
    pub owners: std::collections::HashSet<Uuid>,
    /// The values of the current method's likelihood and impact scales.
    pub likelihoods: Vec<u8>,
    pub impacts: Vec<u8>,
}

/// The comparable fields of a stored risk against a planned record: an empty review date in
/// the file is "keep", so it does not count as a change.
pub fn stored_fields(stored: &StoredRisk, planned: &RiskRecord) -> BTreeMap<&'static str, String> {
    let mut record = stored.record.clone();
    if planned.review_due.is_none() {
        record.review_due = None;
    }
    if planned.owner_id.is_none() {
        record.owner_id = None;
    }
    record.fields()
}

fn text(cell: &dyn Fn(&str) -> String, column: &str, limit: usize) -> Result<String, String> {
    let value = cell(column);
    if value.chars().count() > limit {
        return Err(format!("{column} is longer than {limit} characters."));
    }
    Ok(value)
}

fn score(column: &str, value: &str, scale: &[u8]) -> Result<Option<u8>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<u8>()
        .ok()
        .filter(|value| scale.contains(value))
        .map(Some)
        .ok_or_else(|| {
            let allowed = scale
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            format!("{column} “{value}” is not on the method's scale ({allowed}).")
        })
}

/// The names in a `;`-separated cell, looked up in `names` (lower case); unknown ones refused.
fn named(cell: &str, names: &HashMap<String, Uuid>, what: &str) -> Result<Vec<Uuid>, String> {
    let mut found = Vec::new();
    for name in cell
        .split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let id = names
            .get(&name.to_lowercase())
            .ok_or_else(|| format!("No {what} is named {name} in the catalogue."))?;
        found.push(*id);
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// One row, read through `cell`, resolved against the snapshot: the record, or why not.
pub fn record(
    cell: &dyn Fn(&str) -> String,
    snapshot: &Snapshot,
    resolve: Resolve<'_>,
) -> Result<RiskRecord, String> {
    let risks = &snapshot.risks;
    let title = text(cell, "title", MAX_TITLE)?;
    if title.is_empty() {
        return Err("The title is empty.".into());
    }
    let threat_name = cell("threat");
    let threat_id = if threat_name.is_empty() {
        None
    } else {
        Some(
            *risks
                .threats
                .get(&threat_name.to_lowercase())
                .ok_or_else(|| format!("No threat is named {threat_name} in the catalogue."))?,
        )
    };
    let email = cell("owner_email").to_lowercase();
    let owner_id = if email.is_empty() {
        None
    } else {
        Some(
            *snapshot
                .users
                .get(&email)
                .ok_or_else(|| format!("No user has the email {email}."))?,
        )
    };
    if let Some(owner) = owner_id
        && !risks.owners.contains(&owner)
    {
        return Err(format!(
            "{email} cannot own a risk: owners are service owners, continuity managers or administrators."
        ));
    }
    let inherent = match (
        score(
            "inherent_likelihood",
            &cell("inherent_likelihood"),
            &risks.likelihoods,
        )?,
        score("inherent_impact", &cell("inherent_impact"), &risks.impacts)?,
    ) {
        (Some(likelihood), Some(impact)) => (likelihood, impact),
        _ => return Err("inherent_likelihood and inherent_impact are both needed.".into()),
    };
    let residual = match (
        score(
            "residual_likelihood",
            &cell("residual_likelihood"),
            &risks.likelihoods,
        )?,
        score("residual_impact", &cell("residual_impact"), &risks.impacts)?,
    ) {
        (Some(likelihood), Some(impact)) => Some((likelihood, impact)),
        (None, None) => None,
        _ => {
            return Err("Give both residual_likelihood and residual_impact, or neither.".into());
        }
    };
    let treatment = match cell("treatment").to_lowercase().as_str() {
        "" => None,
        value => Some(
            Treatment::ALL
                .iter()
                .find(|treatment| {
                    treatment.as_str() == value || treatment.label().to_lowercase() == value
                })
                .ok_or_else(|| {
                    format!("Treatment “{value}” is not one of reduce, transfer, avoid or accept.")
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let review_due = parse_optional_date(&cell("review_due"))
        .map_err(|error| format!("review_due “{}” is not a date: {error}", cell("review_due")))?;
    let mut scope = Vec::new();
    for external_id in cell("bears_on")
        .split(';')
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        scope.push(resolve(
            external_id,
            &[NodeKind::Service, NodeKind::Component, NodeKind::Site],
        )?);
    }
    scope.sort_unstable();
    scope.dedup();
    if scope.is_empty() {
        return Err(
            "bears_on is empty: name the services, components or sites it bears on by external id."
                .into(),
        );
    }
    Ok(RiskRecord {
        external_id: cell("external_id"),
        title,
        threat_id,
        vulnerability: text(cell, "vulnerability", MAX_TEXT)?,
        cause: text(cell, "cause", MAX_TEXT)?,
        event: text(cell, "event", MAX_TEXT)?,
        consequence: text(cell, "consequence", MAX_TEXT)?,
        owner_id,
        inherent,
        residual,
        treatment,
        treatment_note: text(cell, "treatment_note", MAX_TEXT)?,
        review_due,
        scope,
        measures: named(&cell("measures"), &risks.measures, "measure")?,
    })
}

/// The existing risk with this external id, as the planner compares it.
pub fn existing<'a>(snapshot: &'a Snapshot, external_id: &str) -> Option<&'a StoredRisk> {
    snapshot.risks.risks.get(&external_id.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> (Snapshot, Uuid, Uuid, Uuid) {
        let owner = Uuid::from_u128(1);
        let threat = Uuid::from_u128(2);
        let measure = Uuid::from_u128(3);
        let mut snapshot = Snapshot::default();
        snapshot.users.insert("ann@example.com".into(), owner);
        snapshot.risks.owners.insert(owner);
        snapshot.risks.threats.insert("ransomware".into(), threat);
        snapshot
            .risks
            .measures
            .insert("off-site backups".into(), measure);
        snapshot.risks.likelihoods = vec![1, 2, 3, 4, 5];
        snapshot.risks.impacts = vec![1, 2, 3, 4, 5];
        (snapshot, owner, threat, measure)
    }

    fn row(pairs: &[(&str, &str)]) -> impl Fn(&str) -> String {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        move |column: &str| map.get(column).cloned().unwrap_or_default()
    }

    const NODE: Uuid = Uuid::from_u128(9);

    fn resolve(external_id: &str, _: &[NodeKind]) -> Result<Uuid, String> {
        if external_id == "SVC-ERP" {
            Ok(NODE)
        } else {
            Err(format!("Nothing has the external id {external_id}."))
        }
    }

    #[test]
    fn a_full_row_becomes_a_risk_with_names_resolved() {
        let (snapshot, owner, threat, measure) = snapshot();
        let cell = row(&[
            ("external_id", "RISK-7"),
            ("title", "Ransomware encrypts the ERP"),
            ("threat", "Ransomware"),
            ("owner_email", "ANN@example.com"),
            ("inherent_likelihood", "3"),
            ("inherent_impact", "5"),
            ("residual_likelihood", "2"),
            ("residual_impact", "5"),
            ("treatment", "Reduce"),
            ("measures", "Off-site backups; off-site backups"),
            ("bears_on", "SVC-ERP"),
            ("review_due", "2027-03-01"),
        ]);
        let record = record(&cell, &snapshot, &resolve).expect("a valid row");
        assert_eq!(record.threat_id, Some(threat));
        assert_eq!(record.owner_id, Some(owner));
        assert_eq!(record.residual, Some((2, 5)));
        assert_eq!(record.treatment.as_deref(), Some("reduce"));
        assert_eq!(record.measures, vec![measure]);
        assert_eq!(record.scope, vec![NODE]);
    }

    #[test]
    fn a_bad_row_says_which_cell_is_wrong() {
        let (snapshot, ..) = snapshot();
        let base = [
            ("external_id", "RISK-7"),
            ("title", "T"),
            ("owner_email", "ann@example.com"),
            ("inherent_likelihood", "3"),
            ("inherent_impact", "5"),
            ("bears_on", "SVC-ERP"),
        ];
        let with = |key: &str, value: &str| {
            let mut pairs: Vec<(&str, &str)> =
                base.iter().copied().filter(|(k, _)| *k != key).collect();
            let owned_key: &str = key;
            pairs.push((owned_key, value));
            record(&row(&pairs), &snapshot, &resolve).unwrap_err()
        };
        assert!(with("inherent_impact", "9").contains("not on the method's scale"));
        assert!(with("residual_impact", "2").contains("both residual"));
        assert!(with("threat", "Meteor").contains("No threat is named Meteor"));
        assert!(with("measures", "Prayer").contains("No measure is named Prayer"));
        assert!(with("owner_email", "bob@example.com").contains("No user"));
        assert!(with("bears_on", "SVC-NONE").contains("SVC-NONE"));
        assert!(with("bears_on", " ; ").contains("bears_on is empty"));
        assert!(with("treatment", "pray").contains("not one of"));
        assert!(with("review_due", "soon").contains("not a date"));
    }

    #[test]
    fn an_empty_review_date_keeps_the_stored_one() {
        let (snapshot, ..) = snapshot();
        let cell = row(&[
            ("external_id", "RISK-7"),
            ("title", "T"),
            ("owner_email", "ann@example.com"),
            ("inherent_likelihood", "3"),
            ("inherent_impact", "5"),
            ("bears_on", "SVC-ERP"),
        ]);
        let planned = record(&cell, &snapshot, &resolve).expect("valid");
        let mut stored_record = planned.clone();
        stored_record.review_due = Date::from_calendar_date(2027, time::Month::May, 1).ok();
        let stored = StoredRisk {
            id: Uuid::from_u128(5),
            archived: false,
            kept_scope: Vec::new(),
            record: stored_record,
        };
        assert_eq!(stored_fields(&stored, &planned), planned.fields());
    }
}
