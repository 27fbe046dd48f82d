//! The figures a recovery strategy and a strategy template share, as typed (plain strings, so
//! nothing is lost to parsing) and as checked: the option, the alternate site, the contract that
//! backs it (found by its reference, typed, never listed), the times, capacity and cost.

use serde::Deserialize;
use uuid::Uuid;

use crate::auth::contracts::ContractAccess;
use crate::db::strategies::StrategyFields;
use crate::domain::duration::Duration;
use crate::domain::posture::RecoveryOption;
use crate::web::choices::OptionView;
use crate::web::form::FieldErrors;

#[derive(Deserialize, Default, Clone)]
pub struct StrategyInput {
    #[serde(default)]
    pub recovery_option: String,
    #[serde(default)]
    pub alternate_site: String,
    #[serde(default)]
    pub contract: String,
    #[serde(default)]
    pub estimate: String,
    #[serde(default)]
    pub achievable_rpo: String,
    #[serde(default)]
    pub capacity_percent: String,
    #[serde(default)]
    pub usable_for: String,
    #[serde(default)]
    pub yearly_cost: String,
}

fn duration_text(minutes: Option<i32>) -> String {
    minutes
        .and_then(|minutes| Duration::from_minutes(i64::from(minutes)))
        .map(|duration| duration.to_string())
        .unwrap_or_default()
}

impl StrategyInput {
    pub fn from_fields(fields: &StrategyFields, contract_reference: Option<&str>) -> Self {
        Self {
            recovery_option: fields.recovery_option.clone(),
            alternate_site: fields
                .alternate_site_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            contract: contract_reference.unwrap_or_default().to_owned(),
            estimate: duration_text(fields.estimated_recovery_minutes),
            achievable_rpo: duration_text(fields.achievable_rpo_minutes),
            capacity_percent: fields
                .capacity_percent
                .map(|value| value.to_string())
                .unwrap_or_default(),
            usable_for: duration_text(fields.usable_for_minutes),
            yearly_cost: fields
                .yearly_cost
                .map(|value| value.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn options(&self) -> Vec<OptionView> {
        RecoveryOption::ALL
            .iter()
            .map(|option| OptionView {
                value: option.as_str().to_owned(),
                label: option.label().to_owned(),
                help: option.help(),
                selected: option.as_str() == self.recovery_option,
            })
            .collect()
    }
}

/// What the fields are checked against: the sites one may recover to, and the contract the
/// typed reference names (with whether the reader may name it).
pub struct Lookups {
    pub sites: Vec<(Uuid, String)>,
    pub contract: Option<(Uuid, String)>,
    pub access: ContractAccess,
}

fn optional_duration(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match Duration::parse(text) {
        Ok(duration) => i32::try_from(duration.minutes()).ok(),
        Err(error) => {
            errors.add(field, format!("{error}."));
            None
        }
    }
}

fn optional_number(text: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, ()> {
    let text: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '\'' | '_'))
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(value) if range.contains(&value) => Ok(Some(value)),
        _ => Err(()),
    }
}

/// The checked fields, or every field's error.
pub fn check(input: &StrategyInput, lookups: &Lookups, errors: &mut FieldErrors) -> StrategyFields {
    if RecoveryOption::parse(input.recovery_option.trim()).is_none() {
        errors.add("recovery_option", "Choose how the service is recovered.");
    }
    let alternate_site_id = match input.alternate_site.trim() {
        "" => None,
        text => {
            let found = lookups
                .sites
                .iter()
                .find(|(id, _)| id.to_string() == text)
                .map(|(id, _)| *id);
            if found.is_none() {
                errors.add("alternate_site", "Choose one of the sites offered.");
            }
            found
        }
    };
    let contract_id = match input.contract.trim() {
        "" => None,
        _ => match &lookups.contract {
            Some((id, _)) if lookups.access.may_read(*id) => Some(*id),
            _ => {
                errors.add(
                    "contract",
                    "No active contract you may open has this reference: type it as on the contract, e.g. EQX-DC1-7731.",
                );
                None
            }
        },
    };
    let estimated_recovery_minutes = optional_duration(&input.estimate, "estimate", errors);
    let achievable_rpo_minutes = optional_duration(&input.achievable_rpo, "achievable_rpo", errors);
    let usable_for_minutes = optional_duration(&input.usable_for, "usable_for", errors);
    let capacity_percent = optional_number(&input.capacity_percent, 0..=100).unwrap_or_else(|()| {
        errors.add(
            "capacity_percent",
            "Enter a whole percentage from 0 to 100, e.g. 60.",
        );
        None
    });
    let yearly_cost =
        optional_number(&input.yearly_cost, 0..=1_000_000_000_000).unwrap_or_else(|()| {
            errors.add(
                "yearly_cost",
                "Enter the yearly cost as a whole amount, e.g. 120000.",
            );
            None
        });
    StrategyFields {
        recovery_option: input.recovery_option.trim().to_owned(),
        alternate_site_id,
        contract_id,
        estimated_recovery_minutes,
        achievable_rpo_minutes,
        capacity_percent: capacity_percent.and_then(|value| i32::try_from(value).ok()),
        usable_for_minutes,
        yearly_cost,
    }
}
