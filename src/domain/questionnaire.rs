//! A BIA questionnaire's answers as the owner gives them: parsed from the submitted form (every
//! field kept as typed, so nothing is lost) and stored as JSON with the assessment.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything an owner answers. Levels are 1–5; `None` is "not answered yet".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answers {
    /// Category key → level per time bucket.
    pub impacts: BTreeMap<String, Vec<Option<u8>>>,
    /// Category key → why those levels.
    pub justifications: BTreeMap<String, String>,
    /// Level per data-loss bucket.
    pub data_loss: Vec<Option<u8>>,
    /// Minimum business continuity objective, in percent of normal capacity (as typed).
    pub mbco_percent: String,
    /// Work recovery time (as typed, e.g. `4h`).
    pub wrt: String,
    pub workaround: String,
    /// How long the workaround can last (as typed).
    pub workaround_duration: String,
    pub peak_periods: String,
    /// Dependencies from the catalogue the owner confirmed.
    pub confirmed_dependencies: Vec<Uuid>,
    /// Dependencies the catalogue lacks, in the owner's words.
    pub missing_dependencies: String,
    /// The owner's own view of RTO and RPO, if they have one (as typed).
    pub stated_rto: String,
    pub stated_rpo: String,
}

/// Longest free text kept per field.
const MAX_TEXT: usize = 5000;

fn level(value: &str) -> Option<u8> {
    value
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|level| (1..=5).contains(level))
}

fn text(value: &str) -> String {
    value.chars().take(MAX_TEXT).collect()
}

impl Answers {
    /// Reads the questionnaire form: `impact.<category>.<bucket>`, `justification.<category>`,
    /// `data_loss.<bucket>`, `confirmed` (repeated), and the plain fields.
    pub fn from_form(
        pairs: &[(String, String)],
        categories: &[String],
        buckets: usize,
        data_loss_buckets: usize,
    ) -> Self {
        let mut answers = Answers {
            impacts: categories
                .iter()
                .map(|key| (key.clone(), vec![None; buckets]))
                .collect(),
            data_loss: vec![None; data_loss_buckets],
            ..Answers::default()
        };
        for (name, value) in pairs {
            let mut parts = name.splitn(3, '.');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("impact"), Some(category), Some(index)) => {
                    if let (Some(row), Ok(index)) =
                        (answers.impacts.get_mut(category), index.parse::<usize>())
                        && let Some(cell) = row.get_mut(index)
                    {
                        *cell = level(value);
                    }
                }
                (Some("justification"), Some(category), None)
                    if categories.iter().any(|key| key == category) =>
                {
                    answers
                        .justifications
                        .insert(category.to_string(), text(value));
                }
                (Some("data_loss"), Some(index), None) => {
                    if let Some(cell) = index
                        .parse::<usize>()
                        .ok()
                        .and_then(|index| answers.data_loss.get_mut(index))
                    {
                        *cell = level(value);
                    }
                }
                (Some("confirmed"), None, None) => {
                    if let Ok(id) = value.parse() {
                        answers.confirmed_dependencies.push(id);
                    }
                }
                (Some("mbco_percent"), None, None) => answers.mbco_percent = text(value),
                (Some("wrt"), None, None) => answers.wrt = text(value),
                (Some("workaround"), None, None) => answers.workaround = text(value),
                (Some("workaround_duration"), None, None) => {
                    answers.workaround_duration = text(value)
                }
                (Some("peak_periods"), None, None) => answers.peak_periods = text(value),
                (Some("missing_dependencies"), None, None) => {
                    answers.missing_dependencies = text(value)
                }
                (Some("stated_rto"), None, None) => answers.stated_rto = text(value),
                (Some("stated_rpo"), None, None) => answers.stated_rpo = text(value),
                _ => {}
            }
        }
        answers
    }

    /// Reads stored answers, shaped to the method (missing rows and cells become unanswered).
    pub fn from_json(
        value: &serde_json::Value,
        categories: &[String],
        buckets: usize,
        data_loss_buckets: usize,
    ) -> Self {
        let mut answers: Answers = serde_json::from_value(value.clone()).unwrap_or_default();
        for key in categories {
            let row = answers.impacts.entry(key.clone()).or_default();
            row.resize(buckets, None);
        }
        answers.impacts.retain(|key, _| categories.contains(key));
        answers.data_loss.resize(data_loss_buckets, None);
        answers
    }

    /// Whether anything at all has been answered.
    pub fn is_started(&self) -> bool {
        self.impacts.values().flatten().any(Option::is_some)
            || self.data_loss.iter().any(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_fills_the_grid_and_keeps_what_was_typed() {
        let categories = vec!["financial".to_string(), "operational".to_string()];
        let form = pairs(&[
            ("impact.financial.0", "2"),
            ("impact.financial.2", "4"),
            ("impact.operational.1", "9"),
            ("impact.unknown.0", "5"),
            ("justification.financial", "Orders stop"),
            ("data_loss.1", "3"),
            ("wrt", "4 hours-ish"),
        ]);
        let answers = Answers::from_form(&form, &categories, 3, 2);
        assert_eq!(answers.impacts["financial"], vec![Some(2), None, Some(4)]);
        assert_eq!(
            answers.impacts["operational"],
            vec![None, None, None],
            "9 is not a level"
        );
        assert!(!answers.impacts.contains_key("unknown"));
        assert_eq!(answers.justifications["financial"], "Orders stop");
        assert_eq!(answers.data_loss, vec![None, Some(3)]);
        assert_eq!(answers.wrt, "4 hours-ish");
        assert!(answers.is_started());
    }

    #[test]
    fn stored_answers_round_trip_and_take_the_methods_shape() {
        let categories = vec!["financial".to_string()];
        let mut answers = Answers::default();
        answers.impacts.insert("financial".into(), vec![Some(1)]);
        answers.impacts.insert("retired".into(), vec![Some(5)]);
        let json = serde_json::to_value(&answers).unwrap();
        let back = Answers::from_json(&json, &categories, 3, 2);
        assert_eq!(back.impacts["financial"], vec![Some(1), None, None]);
        assert!(!back.impacts.contains_key("retired"));
        assert_eq!(back.data_loss, vec![None, None]);
        assert!(!Answers::from_json(&serde_json::json!({}), &categories, 3, 2).is_started());
    }
}
