//! Reading a method from the configuration form: lists typed as text (`1h, 4h, 24h`), criteria
//! one per line, a blank row to add a category. Parsing problems and [`Method::validate`]'s
//! findings come back as sentences; the form keeps what was typed either way.

use super::method::{Category, Level, Method, Tier, duration_label};
use crate::domain::duration::Duration;

/// The form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct MethodForm {
    pub levels: Vec<String>,
    pub unacceptable_level: String,
    pub time_buckets: String,
    pub data_loss_buckets: String,
    /// (key, name, criteria one per line); the last row may be new and blank.
    pub categories: Vec<(String, String, String)>,
    /// (name, maximum RTO or blank, test interval in months).
    pub tiers: Vec<(String, String, String)>,
}

fn list(durations: &[Duration]) -> String {
    durations
        .iter()
        .copied()
        .map(duration_label)
        .collect::<Vec<_>>()
        .join(", ")
}

impl MethodForm {
    /// The form as a method fills it, with one blank row for a new category.
    pub fn from_method(method: &Method) -> Self {
        let mut categories: Vec<(String, String, String)> = method
            .categories
            .iter()
            .map(|category| {
                (
                    category.key.clone(),
                    category.name.clone(),
                    category.criteria.join("\n"),
                )
            })
            .collect();
        categories.push(Default::default());
        Self {
            levels: method
                .levels
                .iter()
                .map(|level| level.name.clone())
                .collect(),
            unacceptable_level: method.unacceptable_level.to_string(),
            time_buckets: list(&method.time_buckets),
            data_loss_buckets: list(&method.data_loss_buckets),
            categories,
            tiers: method
                .tiers
                .iter()
                .map(|tier| {
                    (
                        tier.name.clone(),
                        tier.rto_max.map(duration_label).unwrap_or_default(),
                        tier.test_interval_months.to_string(),
                    )
                })
                .collect(),
        }
    }

    /// Reads `level.N`, `unacceptable_level`, `time_buckets`, `data_loss_buckets`,
    /// `category.I.key|name|criteria` and `tier.I.name|rto_max|interval`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        };
        let count = |prefix: &str| {
            pairs
                .iter()
                .filter_map(|(key, _)| {
                    key.strip_prefix(prefix)?
                        .split('.')
                        .next()?
                        .parse::<usize>()
                        .ok()
                })
                .max()
                .map_or(0, |max| max + 1)
        };
        Self {
            levels: (1..=count("level.").max(5))
                .map(|value| get(&format!("level.{value}")))
                .take(5)
                .collect(),
            unacceptable_level: get("unacceptable_level"),
            time_buckets: get("time_buckets"),
            data_loss_buckets: get("data_loss_buckets"),
            categories: (0..count("category."))
                .map(|index| {
                    (
                        get(&format!("category.{index}.key")),
                        get(&format!("category.{index}.name")),
                        get(&format!("category.{index}.criteria")),
                    )
                })
                .collect(),
            tiers: (0..count("tier."))
                .map(|index| {
                    (
                        get(&format!("tier.{index}.name")),
                        get(&format!("tier.{index}.rto_max")),
                        get(&format!("tier.{index}.interval")),
                    )
                })
                .collect(),
        }
    }

    /// The fields as the form posts them (the inverse of [`MethodForm::from_pairs`]).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            (
                "unacceptable_level".to_string(),
                self.unacceptable_level.clone(),
            ),
            ("time_buckets".to_string(), self.time_buckets.clone()),
            (
                "data_loss_buckets".to_string(),
                self.data_loss_buckets.clone(),
            ),
        ];
        for (index, name) in self.levels.iter().enumerate() {
            pairs.push((format!("level.{}", index + 1), name.clone()));
        }
        for (index, (key, name, criteria)) in self.categories.iter().enumerate() {
            pairs.push((format!("category.{index}.key"), key.clone()));
            pairs.push((format!("category.{index}.name"), name.clone()));
            pairs.push((format!("category.{index}.criteria"), criteria.clone()));
        }
        for (index, (name, rto_max, interval)) in self.tiers.iter().enumerate() {
            pairs.push((format!("tier.{index}.name"), name.clone()));
            pairs.push((format!("tier.{index}.rto_max"), rto_max.clone()));
            pairs.push((format!("tier.{index}.interval"), interval.clone()));
        }
        pairs
    }

    /// The method the form describes, or every problem found.
    pub fn to_method(&self) -> Result<Method, Vec<String>> {
        let mut problems = Vec::new();
        let durations = |text: &str, what: &str, problems: &mut Vec<String>| -> Vec<Duration> {
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .filter_map(|item| match Duration::parse(item) {
                    Ok(duration) => Some(duration),
                    Err(error) => {
                        problems.push(format!("{what}: {error}"));
                        None
                    }
                })
                .collect()
        };
        let time_buckets = durations(&self.time_buckets, "Time buckets", &mut problems);
        let data_loss_buckets =
            durations(&self.data_loss_buckets, "Data-loss buckets", &mut problems);
        let unacceptable_level =
            self.unacceptable_level
                .trim()
                .parse::<u8>()
                .unwrap_or_else(|_| {
                    problems
                        .push("The unacceptable level must be a number between 2 and 5.".into());
                    0
                });
        let levels = self
            .levels
            .iter()
            .enumerate()
            .map(|(index, name)| Level {
                value: index as u8 + 1,
                name: name.trim().to_string(),
            })
            .collect::<Vec<_>>();
        if levels.iter().any(|level| level.name.is_empty()) {
            problems.push("Name every level.".into());
        }
        let categories = self
            .categories
            .iter()
            .filter(|(_, name, criteria)| !(name.trim().is_empty() && criteria.trim().is_empty()))
            .map(|(key, name, criteria)| Category {
                key: if key.trim().is_empty() {
                    key_from(name)
                } else {
                    key.trim().to_string()
                },
                name: name.trim().to_string(),
                criteria: criteria
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect();
        let tiers = self
            .tiers
            .iter()
            .enumerate()
            .map(|(index, (name, rto_max, interval))| Tier {
                rank: index as u8 + 1,
                name: name.trim().to_string(),
                rto_max: match rto_max.trim() {
                    "" => None,
                    typed => Duration::parse(typed)
                        .map_err(|error| problems.push(format!("{}: {error}", name.trim())))
                        .ok(),
                },
                test_interval_months: interval.trim().parse().unwrap_or_else(|_| {
                    problems.push(format!(
                        "{}: the test interval is a number of months.",
                        name.trim()
                    ));
                    0
                }),
            })
            .collect();
        let method = Method {
            categories,
            levels,
            time_buckets,
            unacceptable_level,
            data_loss_buckets,
            tiers,
        };
        if let Err(found) = method.validate() {
            problems.extend(found);
        }
        if problems.is_empty() {
            Ok(method)
        } else {
            Err(problems)
        }
    }
}

/// `Supply chain` → `supply_chain`.
fn key_from(name: &str) -> String {
    let key: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    key.split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_method_survives_the_form_unchanged() {
        let method = Method::default_method();
        let form = MethodForm::from_pairs(&MethodForm::from_method(&method).to_pairs());
        assert_eq!(form.to_method(), Ok(method));
    }

    #[test]
    fn a_new_category_gets_a_key_from_its_name() {
        let mut form = MethodForm::from_method(&Method::default_method());
        let last = form.categories.len() - 1;
        form.categories[last] = (String::new(), "Supply chain".into(), "a\nb\nc\nd\ne".into());
        let method = MethodForm::from_pairs(&form.to_pairs())
            .to_method()
            .unwrap();
        assert_eq!(
            method.categories.last().map(|c| c.key.as_str()),
            Some("supply_chain")
        );
    }

    #[test]
    fn bad_entries_are_all_reported() {
        let mut form = MethodForm::from_method(&Method::default_method());
        form.time_buckets = "1h, soon, 4h".into();
        form.unacceptable_level = "high".into();
        let problems = MethodForm::from_pairs(&form.to_pairs())
            .to_method()
            .unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("Time buckets") && p.contains("soon")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("unacceptable level")),
            "{problems:?}"
        );
    }
}
