//! The BIA method: impact categories with a criterion per level, the time buckets an owner rates,
//! the level from which impact is unacceptable, data-loss buckets and criticality tiers.
//!
//! A continuity manager configures it and every exercise keeps its own copy (as JSON), so results
//! stay reproducible when the method changes later. That is also why nothing here refuses to load
//! an old method: `validate` is for the manager's edits, and the computations stay total (no
//! panics) on a method that would not pass it today.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::domain::duration::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// Rows of the impact grid, in the order they are shown.
    pub categories: Vec<Category>,
    /// Numbered 1, 2, … from the least to the most severe.
    pub levels: Vec<Level>,
    /// Columns of the impact grid: time since the disruption began, ascending.
    pub time_buckets: Vec<Duration>,
    /// From this level on, impact is unacceptable: the first bucket reaching it is the MTPD.
    pub unacceptable_level: u8,
    /// Amounts of data lost (as time of work), ascending; the RPO is chosen from these.
    pub data_loss_buckets: Vec<Duration>,
    /// From the most critical (rank 1) to the least; the last has no maximum RTO.
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable identifier, used in form field names and in stored answers.
    pub key: String,
    pub name: String,
    /// One sentence per level, in level order: what that level means for this category.
    pub criteria: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub value: u8,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// 1 = most critical.
    pub rank: u8,
    pub name: String,
    /// The longest RTO that still falls in this tier; `None` = no maximum (the last tier).
    pub rto_max: Option<Duration>,
    /// How often a service of this tier must be tested.
    pub test_interval_months: u8,
}

/// Returned by `tier_for` on a method without any tier, which only an invalid method can be.
/// Rank 0 sorts before every real tier, so it cannot hide a service among the least critical.
static NO_TIER: Tier = Tier {
    rank: 0,
    name: String::new(),
    rto_max: None,
    test_interval_months: 0,
};

const MINUTES_PER_HOUR: i64 = 60;
const MINUTES_PER_DAY: i64 = 24 * MINUTES_PER_HOUR;
const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;

/// A duration as a BIA grid shows it: whole hours up to 72h (`24h`, `72h`, as people say them
/// in a BIA), then whole weeks (`2w`) or days (`30d`), otherwise as `Duration` shows it.
///
/// A month is `30d`, not `1m`: `m` already means minutes, and the data-loss buckets (`15m`) sit
/// on the same page. Every label parses back to the same duration.
pub fn duration_label(duration: Duration) -> String {
    let minutes = duration.minutes();
    if minutes > 0 && minutes % MINUTES_PER_HOUR == 0 && minutes <= 72 * MINUTES_PER_HOUR {
        format!("{}h", minutes / MINUTES_PER_HOUR)
    } else if minutes > 0 && minutes % MINUTES_PER_WEEK == 0 {
        format!("{}w", minutes / MINUTES_PER_WEEK)
    } else if minutes > 0 && minutes % MINUTES_PER_DAY == 0 {
        format!("{}d", minutes / MINUTES_PER_DAY)
    } else {
        duration.to_string()
    }
}

/// Labels for durations that one sentence compares, all in the same unit so that a reader can
/// compare them at a glance ("72h … 73h at worst", not "72h … 3d 1h"): hours (and minutes) when
/// every one is at most two weeks, days when every one is whole days, otherwise each its own
/// [`duration_label`].
pub fn duration_labels_alike<const N: usize>(durations: [Duration; N]) -> [String; N] {
    let minutes = durations.map(|duration| duration.minutes());
    let all = |test: &dyn Fn(i64) -> bool| minutes.iter().all(|&value| test(value));
    if all(&|value| value <= 14 * MINUTES_PER_DAY) {
        // Hours, with minutes where a value has them: "62h 30m", never "2d 14h 30m".
        minutes.map(
            |value| match (value / MINUTES_PER_HOUR, value % MINUTES_PER_HOUR) {
                (0, 0) => "0h".to_owned(),
                (0, rest) => format!("{rest}m"),
                (hours, 0) => format!("{hours}h"),
                (hours, rest) => format!("{hours}h {rest}m"),
            },
        )
    } else if all(&|value| value % MINUTES_PER_DAY == 0) {
        minutes.map(|value| format!("{}d", value / MINUTES_PER_DAY))
    } else {
        durations.map(duration_label)
    }
}

impl Method {
    /// The method a new installation starts with: six categories, five levels, unacceptable from
    /// level 4 (Major), buckets from 1h to 30d, and four tiers.
    pub fn default_method() -> Self {
        let category = |key: &str, name: &str, criteria: [&str; 5]| Category {
            key: key.to_owned(),
            name: name.to_owned(),
            criteria: criteria.iter().map(|&c| c.to_owned()).collect(),
        };
        let level = |value: u8, name: &str| Level {
            value,
            name: name.to_owned(),
        };
        let tier =
            |rank: u8, name: &str, rto_max: Option<Duration>, test_interval_months: u8| Tier {
                rank,
                name: name.to_owned(),
                rto_max,
                test_interval_months,
            };
        let minutes = |m: i64| Duration::from_minutes(m).unwrap_or_default();
        Self {
            categories: vec![
                category(
                    "financial",
                    "Financial",
                    [
                        "Less than €10k lost or spent on recovery",
                        "€10k–€100k lost or spent on recovery",
                        "€100k–€1m lost or spent on recovery",
                        "€1m–€10m lost or spent on recovery",
                        "More than €10m lost, or the organisation's viability in doubt",
                    ],
                ),
                category(
                    "operational",
                    "Operational",
                    [
                        "Minor inconvenience; work carries on normally",
                        "Some work delayed; the backlog is cleared within a day",
                        "Important activities delayed; the backlog takes days to clear",
                        "Critical activities stop in part of the organisation",
                        "The organisation cannot carry out its core activities",
                    ],
                ),
                category(
                    "reputational",
                    "Reputational",
                    [
                        "No attention outside the organisation",
                        "A few complaints or local attention, soon forgotten",
                        "Regional or trade press coverage; stakeholders ask questions",
                        "National media coverage; key stakeholders lose confidence",
                        "Sustained national or international coverage; lasting damage to the brand",
                    ],
                ),
                category(
                    "legal",
                    "Legal and regulatory",
                    [
                        "No breach of law, regulation or contract",
                        "A minor contractual breach, settled informally",
                        "A breach reported to a regulator, or contractual penalties",
                        "A regulatory investigation, significant fines or litigation",
                        "Loss of a licence to operate, or criminal liability for directors",
                    ],
                ),
                category(
                    "customer",
                    "Customer",
                    [
                        "No customer notices",
                        "A few customers inconvenienced",
                        "Many customers inconvenienced, or some unable to get a service they need",
                        "Many customers unable to get a service they depend on; customers start to leave",
                        "Widespread harm to customers, or large-scale loss of customers",
                    ],
                ),
                category(
                    "health_safety",
                    "Health and safety",
                    [
                        "No injury",
                        "Minor injury needing first aid",
                        "Injury needing medical treatment",
                        "Serious injury or lasting harm to health",
                        "Loss of life",
                    ],
                ),
            ],
            levels: vec![
                level(1, "Minimal"),
                level(2, "Minor"),
                level(3, "Moderate"),
                level(4, "Major"),
                level(5, "Severe"),
            ],
            time_buckets: vec![
                Duration::hours(1),
                Duration::hours(4),
                Duration::hours(8),
                Duration::hours(24),
                Duration::hours(72),
                Duration::days(7),
                Duration::days(14),
                Duration::days(30),
            ],
            unacceptable_level: 4,
            data_loss_buckets: vec![
                Duration::ZERO,
                minutes(15),
                Duration::hours(1),
                Duration::hours(4),
                Duration::hours(24),
                Duration::days(7),
            ],
            tiers: vec![
                tier(1, "Mission critical", Some(Duration::hours(4)), 6),
                tier(2, "Business critical", Some(Duration::hours(24)), 12),
                tier(3, "Essential", Some(Duration::days(7)), 12),
                tier(4, "Non-essential", None, 24),
            ],
        }
    }

    /// Every problem with the method, in words a continuity manager can act on.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        self.check_levels(&mut problems);
        self.check_categories(&mut problems);
        check_ascending("time bucket", &self.time_buckets, false, &mut problems);
        check_ascending(
            "data-loss bucket",
            &self.data_loss_buckets,
            true,
            &mut problems,
        );
        self.check_tiers(&mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn check_levels(&self, problems: &mut Vec<String>) {
        if self.levels.len() < 2 {
            problems.push("Define at least two impact levels.".to_owned());
        }
        let numbered = self
            .levels
            .iter()
            .enumerate()
            .all(|(i, level)| usize::from(level.value) == i + 1);
        if !numbered {
            problems.push("Number the impact levels 1, 2, 3 … in order, without gaps.".to_owned());
        }
        for level in &self.levels {
            if level.name.trim().is_empty() {
                problems.push(format!("Impact level {} needs a name.", level.value));
            }
        }
        let max = self.max_level();
        if self.unacceptable_level < 2 || self.unacceptable_level > max {
            problems.push(format!(
                "The unacceptable level must be one of the levels from 2 to {max}; it is {}.",
                self.unacceptable_level
            ));
        }
    }

    fn check_categories(&self, problems: &mut Vec<String>) {
        if self.categories.is_empty() {
            problems.push("Add at least one impact category.".to_owned());
        }
        let mut keys = BTreeSet::new();
        for (i, category) in self.categories.iter().enumerate() {
            let name = if category.name.trim().is_empty() {
                problems.push(format!("Impact category {} needs a name.", i + 1));
                format!("Impact category {}", i + 1)
            } else {
                format!("“{}”", category.name)
            };
            let key_ok = !category.key.is_empty()
                && category
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                problems.push(format!(
                    "{name} needs a key of lower-case letters, digits and underscores, such as “financial”."
                ));
            } else if !keys.insert(category.key.as_str()) {
                problems.push(format!(
                    "Two categories use the key “{}”; each needs its own.",
                    category.key
                ));
            }
            if category.criteria.len() != self.levels.len() {
                problems.push(format!(
                    "{name} needs one criterion per level ({}); it has {}.",
                    self.levels.len(),
                    category.criteria.len()
                ));
            }
            for (level, criterion) in category.criteria.iter().enumerate() {
                if criterion.trim().is_empty() {
                    problems.push(format!(
                        "{name} needs a criterion for level {}: what that level means.",
                        level + 1
                    ));
                }
            }
        }
    }

    fn check_tiers(&self, problems: &mut Vec<String>) {
        let Some(last) = self.tiers.last() else {
            problems.push("Define at least one tier.".to_owned());
            return;
        };
        let ranked = self
            .tiers
            .iter()
            .enumerate()
            .all(|(i, tier)| usize::from(tier.rank) == i + 1);
        if !ranked {
            problems.push(
                "Rank the tiers 1, 2, 3 … from the most critical, in order, without gaps."
                    .to_owned(),
            );
        }
        for tier in &self.tiers {
            if tier.name.trim().is_empty() {
                problems.push(format!("Tier {} needs a name.", tier.rank));
            }
            if tier.test_interval_months == 0 {
                problems.push(format!(
                    "Tier {} needs a test interval of at least one month.",
                    tier.rank
                ));
            }
        }
        let bounded = &self.tiers[..self.tiers.len() - 1];
        if last.rto_max.is_some() {
            problems.push(
                "The last tier must have no maximum RTO, so that every service falls in a tier."
                    .to_owned(),
            );
        }
        let mut previous: Option<Duration> = None;
        for tier in bounded {
            match tier.rto_max {
                None => problems.push(format!(
                    "Only the last tier can have no maximum RTO; give tier {} one.",
                    tier.rank
                )),
                Some(max) => {
                    if let Some(before) = previous.filter(|&before| max <= before) {
                        problems.push(format!(
                            "Each tier's maximum RTO must be longer than the one before: tier {} allows {}, after {}.",
                            tier.rank,
                            duration_label(max),
                            duration_label(before)
                        ));
                    }
                    previous = Some(max);
                }
            }
        }
    }

    /// The highest level (5 in the default method).
    pub fn max_level(&self) -> u8 {
        self.levels.iter().map(|l| l.value).max().unwrap_or(0)
    }

    pub fn level(&self, value: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.value == value)
    }

    /// `4 (Major)`, or just `4` for a level the method does not name.
    pub fn level_label(&self, value: u8) -> String {
        match self.level(value) {
            Some(level) => format!("{value} ({})", level.name),
            None => value.to_string(),
        }
    }

    pub fn category(&self, key: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.key == key)
    }

    /// The longest time bucket: the RTO when nothing ever becomes unacceptable.
    pub fn horizon(&self) -> Duration {
        self.time_buckets.iter().copied().max().unwrap_or_default()
    }

    /// The tier with the smallest `rto_max` ≥ `rto`; the open-ended tier when none is that long.
    pub fn tier_for(&self, rto: Duration) -> &Tier {
        let bounded = self
            .tiers
            .iter()
            .filter(|tier| tier.rto_max.is_some_and(|max| rto <= max))
            .min_by_key(|tier| tier.rto_max);
        bounded
            .or_else(|| self.tiers.iter().find(|tier| tier.rto_max.is_none()))
            // Only a method that fails `validate` gets here: the least critical tier it has.
            .or_else(|| self.tiers.iter().max_by_key(|tier| tier.rto_max))
            .unwrap_or(&NO_TIER)
    }
}

/// Strictly ascending (no repeats), not empty, and (unless `zero_allowed`) longer than zero.
fn check_ascending(
    what: &str,
    buckets: &[Duration],
    zero_allowed: bool,
    problems: &mut Vec<String>,
) {
    if buckets.is_empty() {
        problems.push(format!("Define at least one {what}."));
    }
    if !zero_allowed && buckets.contains(&Duration::ZERO) {
        problems.push(format!("A {what} must be longer than 0m."));
    }
    for pair in buckets.windows(2) {
        if pair[1] <= pair[0] {
            problems.push(format!(
                "Put the {what}s in ascending order without repeats: {} comes after {}.",
                duration_label(pair[1]),
                duration_label(pair[0])
            ));
        }
    }
}

#[cfg(test)]
mod tests;
