//! Select and radio options built from the domain's closed choice sets, with the current value
//! marked, so templates only loop.

use uuid::Uuid;

use crate::domain::catalogue::Choice;

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub help: &'static str,
    pub selected: bool,
}

/// Options from a domain choice set.
pub fn from_choices(choices: &[Choice], selected: &str) -> Vec<OptionView> {
    choices
        .iter()
        .map(|choice| OptionView {
            value: choice.value.to_string(),
            label: choice.label.to_string(),
            help: choice.help,
            selected: choice.value == selected,
        })
        .collect()
}

/// Options from (id, name) rows, e.g. sites or users.
pub fn from_rows(rows: &[(Uuid, String)], selected: &str) -> Vec<OptionView> {
    rows.iter()
        .map(|(id, name)| OptionView {
            value: id.to_string(),
            label: name.clone(),
            help: "",
            selected: id.to_string() == selected,
        })
        .collect()
}

/// Options from (value, label) pairs computed by a page, e.g. the tiers present.
pub fn from_pairs(rows: &[(String, String)], selected: &str) -> Vec<OptionView> {
    rows.iter()
        .map(|(value, label)| OptionView {
            value: value.clone(),
            label: label.clone(),
            help: "",
            selected: value == selected,
        })
        .collect()
}

/// A submitted choice that is not among the offered ones.
#[derive(Debug, Clone, Copy)]
pub struct UnknownChoice;

/// Parses an optional id from a select: empty means none; anything else must be one of `rows`.
pub fn parse_optional_id(
    value: &str,
    rows: &[(Uuid, String)],
) -> Result<Option<Uuid>, UnknownChoice> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let id: Uuid = value.trim().parse().map_err(|_| UnknownChoice)?;
    rows.iter()
        .any(|(known, _)| *known == id)
        .then_some(Some(id))
        .ok_or(UnknownChoice)
}
