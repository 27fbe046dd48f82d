//! The contract form's input: every field as typed (so nothing is lost on a refused save), and
//! checking it into the fields a contract stores, with one message per wrong field.

use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::db::suppliers::contracts::{Contract, ContractFields};
use crate::domain::bia::method::duration_label;
use crate::domain::catalogue::is_choice;
use crate::domain::date::parse_optional_date;
use crate::domain::duration::Duration;
use crate::domain::supplier::hours::{clock, parse_clock};
use crate::domain::supplier::{REGIONAL_PRIORITIES, SUPPORT_HOURS};
use crate::web::choices;
use crate::web::form::FieldErrors;

#[derive(Deserialize, Default, Clone)]
pub struct ContractForm {
    #[serde(default)]
    pub(super) supplier_id: String,
    #[serde(default)]
    pub(super) reference: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) start_date: String,
    #[serde(default)]
    pub(super) end_date: String,
    #[serde(default)]
    pub(super) auto_renewal: Option<String>,
    #[serde(default)]
    pub(super) renewal_notice_days: String,
    #[serde(default)]
    pub(super) termination_notice_days: String,
    #[serde(default)]
    pub(super) support_hours: String,
    #[serde(default)]
    pub(super) support_day: Vec<String>,
    #[serde(default)]
    pub(super) support_from: String,
    #[serde(default)]
    pub(super) support_to: String,
    #[serde(default)]
    pub(super) response_time: String,
    #[serde(default)]
    pub(super) onsite_time: String,
    #[serde(default)]
    pub(super) guaranteed_recovery: String,
    #[serde(default)]
    pub(super) guaranteed_rpo: String,
    #[serde(default)]
    pub(super) availability: String,
    #[serde(default)]
    pub(super) regional_priority: String,
    #[serde(default)]
    pub(super) right_to_audit: Option<String>,
    #[serde(default)]
    pub(super) test_participation: Option<String>,
    #[serde(default)]
    pub(super) bcp_required: Option<String>,
    #[serde(default)]
    pub(super) bcp_evidence_received_on: String,
    #[serde(default)]
    pub(super) bcp_evidence_expires_on: String,
    #[serde(default)]
    pub(super) exit_plan: String,
    #[serde(default)]
    pub(super) owner_id: String,
    #[serde(default)]
    pub(super) next_review_on: String,
    #[serde(default)]
    pub(super) notes: String,
    #[serde(default)]
    pub(super) version: i32,
}

fn text_of_minutes(minutes: Option<i32>) -> String {
    minutes
        .and_then(|m| Duration::from_minutes(i64::from(m)))
        .map(duration_label)
        .unwrap_or_default()
}

fn text_of_date(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn checked(flag: bool) -> Option<String> {
    flag.then(|| "on".to_owned())
}

/// Checks fields one by one, collecting messages, so the form shows every problem at once.
struct Checker {
    errors: FieldErrors,
}

impl Checker {
    fn date(&mut self, field: &str, value: &str) -> Option<Date> {
        parse_optional_date(value)
            .map_err(|error| self.errors.add(field, error.to_string()))
            .ok()
            .flatten()
    }

    fn duration(&mut self, field: &str, value: &str) -> Option<i32> {
        if value.trim().is_empty() {
            return None;
        }
        match Duration::parse(value) {
            Ok(duration) => i32::try_from(duration.minutes()).ok(),
            Err(error) => {
                self.errors
                    .add(field, format!("Write a duration: {error}."));
                None
            }
        }
    }

    fn days(&mut self, field: &str, value: &str) -> Option<i32> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match value.parse::<i32>() {
            Ok(days) if (0..=3650).contains(&days) => Some(days),
            _ => {
                self.errors
                    .add(field, "Enter a number of days between 0 and 3650.");
                None
            }
        }
    }
}

impl ContractForm {
    pub(super) fn from_contract(contract: &Contract) -> Self {
        Self {
            supplier_id: contract.supplier_id.to_string(),
            reference: contract.reference.clone(),
            title: contract.title.clone(),
            start_date: text_of_date(contract.start_date),
            end_date: text_of_date(contract.end_date),
            auto_renewal: checked(contract.auto_renewal),
            renewal_notice_days: contract
                .renewal_notice_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            termination_notice_days: contract
                .termination_notice_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            support_hours: contract.support_hours.clone(),
            support_day: contract
                .support_days
                .chars()
                .enumerate()
                .filter(|(_, flag)| *flag == '1')
                .map(|(day, _)| day.to_string())
                .collect(),
            support_from: clock(u16::try_from(contract.support_from_minute).unwrap_or(0)),
            support_to: clock(u16::try_from(contract.support_to_minute).unwrap_or(0)),
            response_time: text_of_minutes(contract.response_minutes),
            onsite_time: text_of_minutes(contract.onsite_minutes),
            guaranteed_recovery: text_of_minutes(contract.guaranteed_recovery_minutes),
            guaranteed_rpo: text_of_minutes(contract.guaranteed_rpo_minutes),
            availability: contract
                .availability_percent
                .map(|a| a.to_string())
                .unwrap_or_default(),
            regional_priority: contract.regional_priority.clone(),
            right_to_audit: checked(contract.right_to_audit),
            test_participation: checked(contract.test_participation),
            bcp_required: checked(contract.bcp_required),
            bcp_evidence_received_on: text_of_date(contract.bcp_evidence_received_on),
            bcp_evidence_expires_on: text_of_date(contract.bcp_evidence_expires_on),
            exit_plan: contract.exit_plan.clone(),
            owner_id: contract
                .owner_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            next_review_on: text_of_date(contract.next_review_on),
            notes: contract.notes.clone(),
            version: contract.version,
        }
    }

    pub(super) fn check(
        &self,
        suppliers: &[(Uuid, String)],
        owners: &[(Uuid, String)],
    ) -> Result<ContractFields, FieldErrors> {
        let mut check = Checker {
            errors: FieldErrors::default(),
        };
        let supplier_id = choices::parse_optional_id(&self.supplier_id, suppliers)
            .ok()
            .flatten();
        if supplier_id.is_none() {
            check.errors.add("supplier_id", "Choose the supplier.");
        }
        let reference = self.reference.trim();
        if reference.is_empty() || reference.chars().count() > 100 {
            check.errors.add(
                "reference",
                "Enter the contract's reference (at most 100 characters).",
            );
        }
        let start_date = check.date("start_date", &self.start_date);
        let end_date = check.date("end_date", &self.end_date);
        if let (Some(start), Some(end)) = (start_date, end_date)
            && end < start
        {
            check
                .errors
                .add("end_date", "The end date comes before the start date.");
        }
        let renewal_notice_days = check.days("renewal_notice_days", &self.renewal_notice_days);
        let termination_notice_days =
            check.days("termination_notice_days", &self.termination_notice_days);
        if !is_choice(SUPPORT_HOURS, &self.support_hours) {
            check
                .errors
                .add("support_hours", "Choose the support hours.");
        }
        let mut days = ['0'; 7];
        for day in &self.support_day {
            if let Some(flag) = day.parse::<usize>().ok().and_then(|d| days.get_mut(d)) {
                *flag = '1';
            }
        }
        let (from, to) = if self.support_hours == "custom" {
            let from = parse_clock(&self.support_from).filter(|m| *m < 24 * 60);
            let to = parse_clock(&self.support_to);
            if from.is_none() || to.is_none() {
                check.errors.add(
                    "support_from",
                    "Enter the support hours as HH:MM, e.g. 08:00 and 20:00.",
                );
            }
            if !days.contains(&'1') {
                check
                    .errors
                    .add("support_from", "Tick the days on which support is given.");
            }
            (from.unwrap_or(540), to.unwrap_or(1020))
        } else {
            (540, 1020)
        };
        let availability = match self.availability.trim() {
            "" => None,
            text => match text.trim_end_matches('%').trim().parse::<f64>() {
                Ok(value) if (0.0..=100.0).contains(&value) => Some(value),
                _ => {
                    check.errors.add(
                        "availability",
                        "Enter a percentage between 0 and 100, e.g. 99.9.",
                    );
                    None
                }
            },
        };
        if !is_choice(REGIONAL_PRIORITIES, &self.regional_priority) {
            check
                .errors
                .add("regional_priority", "Choose what the contract says.");
        }
        let received = check.date("bcp_evidence_received_on", &self.bcp_evidence_received_on);
        let expires = check.date("bcp_evidence_expires_on", &self.bcp_evidence_expires_on);
        if expires.is_some() && received.is_none() {
            check.errors.add(
                "bcp_evidence_received_on",
                "Say when the evidence was received, or clear its expiry date.",
            );
        }
        let owner_id = choices::parse_optional_id(&self.owner_id, owners).unwrap_or_else(|_| {
            check
                .errors
                .add("owner_id", "Choose one of the listed people, or nobody.");
            None
        });
        let fields = ContractFields {
            supplier_id: supplier_id.unwrap_or_default(),
            reference: reference.to_owned(),
            title: self.title.trim().to_owned(),
            start_date,
            end_date,
            auto_renewal: self.auto_renewal.is_some(),
            renewal_notice_days,
            termination_notice_days,
            support_hours: self.support_hours.clone(),
            support_days: days.iter().collect(),
            support_from_minute: i32::from(from),
            support_to_minute: i32::from(to),
            response_minutes: check.duration("response_time", &self.response_time),
            onsite_minutes: check.duration("onsite_time", &self.onsite_time),
            guaranteed_recovery_minutes: check
                .duration("guaranteed_recovery", &self.guaranteed_recovery),
            guaranteed_rpo_minutes: check.duration("guaranteed_rpo", &self.guaranteed_rpo),
            availability_percent: availability,
            regional_priority: self.regional_priority.clone(),
            right_to_audit: self.right_to_audit.is_some(),
            test_participation: self.test_participation.is_some(),
            bcp_required: self.bcp_required.is_some(),
            bcp_evidence_received_on: received,
            bcp_evidence_expires_on: expires,
            exit_plan: self.exit_plan.clone(),
            owner_id,
            next_review_on: check.date("next_review_on", &self.next_review_on),
            notes: self.notes.clone(),
        };
        for (field, value, limit) in [
            ("title", &self.title, 300),
            ("exit_plan", &self.exit_plan, 10_000),
            ("notes", &self.notes, 5000),
        ] {
            if value.chars().count() > limit {
                check
                    .errors
                    .add(field, format!("Keep this under {limit} characters."));
            }
        }
        if check.errors.is_empty() {
            Ok(fields)
        } else {
            Err(check.errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Choices = Vec<(Uuid, String)>;

    fn ids() -> (Choices, Choices) {
        (
            vec![(Uuid::from_u128(1), "NorthLink".into())],
            vec![(Uuid::from_u128(2), "Maria".into())],
        )
    }

    fn good() -> ContractForm {
        ContractForm {
            supplier_id: Uuid::from_u128(1).to_string(),
            reference: "NL-2026-01".into(),
            end_date: "2027-03-31".into(),
            termination_notice_days: "90".into(),
            support_hours: "custom".into(),
            support_day: vec!["0".into(), "6".into()],
            support_from: "20:00".into(),
            support_to: "06:00".into(),
            guaranteed_recovery: "24h".into(),
            availability: "99.9%".into(),
            regional_priority: "guaranteed".into(),
            bcp_required: Some("on".into()),
            ..ContractForm::default()
        }
    }

    #[test]
    fn a_good_form_becomes_fields() {
        let (suppliers, owners) = ids();
        let fields = good().check(&suppliers, &owners).unwrap();
        assert_eq!(fields.support_days, "1000001");
        assert_eq!(
            (fields.support_from_minute, fields.support_to_minute),
            (1200, 360)
        );
        assert_eq!(fields.guaranteed_recovery_minutes, Some(1440));
        assert_eq!(fields.availability_percent, Some(99.9));
        assert!(fields.bcp_required && !fields.auto_renewal);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let (suppliers, owners) = ids();
        let mut form = good();
        form.supplier_id = Uuid::from_u128(9).to_string();
        form.end_date = "31/03/2027".into();
        form.guaranteed_recovery = "a day".into();
        form.availability = "120".into();
        form.support_to = "25:00".into();
        let errors = form.check(&suppliers, &owners).unwrap_err();
        for field in [
            "supplier_id",
            "end_date",
            "guaranteed_recovery",
            "availability",
            "support_from",
        ] {
            assert!(errors.has(field), "{field}");
        }
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let (suppliers, owners) = ids();
        let mut form = good();
        form.start_date = "2027-04-01".into();
        assert!(form.check(&suppliers, &owners).unwrap_err().has("end_date"));
    }
}
