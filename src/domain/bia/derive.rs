//! From a service owner's answers to MTPD, RTO, RPO and tier (DESIGN.md, "What the application
//! computes", item 1), with a sentence that says why, and what a questionnaire still lacks before
//! it can be submitted.
//!
//! Choices where the rules are silent:
//! - Impact never falls as a disruption goes on, so a level is carried forward: a later bucket
//!   answered lower counts at the earlier, higher level, and each such answer is a warning. An
//!   unanswered cell stays unanswered (the chart leaves a gap); it cannot move the MTPD anyway,
//!   because the first bucket to reach the unacceptable level is always an answered one.
//! - A level outside the method's levels counts as unanswered here; `missing_answers` names it.
//! - When the very first bucket is already unacceptable there is no bucket below the MTPD, so the
//!   RTO is 0m ("immediate": the service must be kept running, e.g. mirrored). The RPO likewise.
//! - A draft derives too (the page updates as the grid fills): with nothing unacceptable yet, the
//!   MTPD lies beyond the method's horizon and the RTO is its longest bucket.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::method::{Method, Tier, duration_label};
use crate::domain::duration::Duration;

/// The owner's levels: category key → one level per time bucket (`None` = not answered yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactGrid {
    pub levels: BTreeMap<String, Vec<Option<u8>>>,
}

impl ImpactGrid {
    pub fn level(&self, category: &str, bucket: usize) -> Option<u8> {
        self.levels
            .get(category)
            .and_then(|row| row.get(bucket).copied().flatten())
    }
}

/// A row of the questionnaire: an impact category (by key), or the data-loss ratings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Row {
    Category(String),
    DataLoss,
}

/// An answer lower than one given for an earlier bucket of the same row, counted as `carried`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarryForward {
    pub row: Row,
    pub bucket_index: usize,
    pub answered: u8,
    pub carried: u8,
}

impl CarryForward {
    /// "Financial at 8h is rated 2 (Minor), lower than earlier; it counts as 4 (Major): impact
    /// does not fall as a disruption goes on."
    pub fn message(&self, method: &Method) -> String {
        let (row, buckets) = match &self.row {
            Row::Category(key) => (
                method
                    .category(key)
                    .map_or(key.as_str(), |c| c.name.as_str()),
                &method.time_buckets,
            ),
            Row::DataLoss => ("Data loss", &method.data_loss_buckets),
        };
        let bucket = buckets.get(self.bucket_index).map_or_else(
            || format!("bucket {}", self.bucket_index + 1),
            |&b| duration_label(b),
        );
        format!(
            "{row} at {bucket} is rated {}, lower than earlier; it counts as {}: impact does not fall as a disruption goes on.",
            method.level_label(self.answered),
            method.level_label(self.carried),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    /// `None`: nothing becomes unacceptable within the method's horizon.
    pub mtpd: Option<Duration>,
    /// The largest time bucket strictly below the MTPD; 0m when the first bucket is unacceptable;
    /// the longest bucket when nothing is.
    pub rto: Duration,
    /// The same rule over the data-loss buckets.
    pub rpo: Duration,
    pub tier: Tier,
    /// Why the MTPD and RTO are what they are, in one sentence.
    pub reason: String,
    /// Why the RPO is what it is, in one sentence.
    pub rpo_reason: String,
    /// Every answer lower than an earlier one in its row, impact rows first, then data loss.
    pub warnings: Vec<CarryForward>,
    /// The grid after carrying forward, with one row per method category and one cell per bucket.
    pub effective: ImpactGrid,
    /// The data-loss ratings after carrying forward, one per data-loss bucket.
    pub effective_data_loss: Vec<Option<u8>>,
}

/// Derives MTPD, RTO, RPO and tier from the answers. Answers for categories the method does not
/// have are ignored, as are cells beyond its buckets.
pub fn derive(method: &Method, grid: &ImpactGrid, data_loss: &[Option<u8>]) -> Derivation {
    let bucket_count = method.time_buckets.len();
    let mut warnings = Vec::new();
    let mut effective = ImpactGrid::default();
    for category in &method.categories {
        let answers = grid
            .levels
            .get(&category.key)
            .map_or(&[][..], Vec::as_slice);
        let row = Row::Category(category.key.clone());
        let carried = carry_forward(method, answers, bucket_count, &row, &mut warnings);
        effective.levels.insert(category.key.clone(), carried);
    }
    let effective_data_loss = carry_forward(
        method,
        data_loss,
        method.data_loss_buckets.len(),
        &Row::DataLoss,
        &mut warnings,
    );

    let unacceptable = method.unacceptable_level;
    let first_unacceptable = (0..bucket_count).find(|&i| {
        effective
            .levels
            .values()
            .any(|row| row[i].is_some_and(|level| level >= unacceptable))
    });
    let (mtpd, rto) = match first_unacceptable {
        None => (None, method.horizon()),
        Some(0) => (Some(method.time_buckets[0]), Duration::ZERO),
        Some(i) => (Some(method.time_buckets[i]), method.time_buckets[i - 1]),
    };
    let reason = match first_unacceptable {
        Some(i) => mtpd_reason(method, &effective, i, rto),
        None if effective.levels.values().flatten().all(Option::is_none) => format!(
            "No impact levels are given yet, so until they are the RTO is the longest time bucket, {}.",
            duration_label(rto)
        ),
        None => format!(
            "No category reaches level {} within {}, so the MTPD lies beyond the method's horizon and the RTO is the longest time bucket, {}.",
            method.level_label(unacceptable),
            duration_label(rto),
            duration_label(rto)
        ),
    };

    let first_unacceptable_loss = effective_data_loss
        .iter()
        .position(|level| level.is_some_and(|level| level >= unacceptable));
    let largest_loss = method
        .data_loss_buckets
        .iter()
        .copied()
        .max()
        .unwrap_or_default();
    let (rpo, rpo_reason) = match first_unacceptable_loss {
        Some(j) => {
            let lost = duration_label(method.data_loss_buckets[j]);
            let reached = method.level_label(effective_data_loss[j].unwrap_or(unacceptable));
            match j.checked_sub(1) {
                None => (
                    Duration::ZERO,
                    format!(
                        "Losing {lost} of data already reaches level {reached}, so the RPO is 0m: no data may be lost."
                    ),
                ),
                Some(before) => {
                    let rpo = method.data_loss_buckets[before];
                    (
                        rpo,
                        format!(
                            "Losing {lost} of data reaches level {reached}, so the RPO is the amount before it, {}.",
                            duration_label(rpo)
                        ),
                    )
                }
            }
        }
        None if effective_data_loss.iter().all(Option::is_none) => (
            largest_loss,
            format!(
                "No data-loss levels are given yet, so until they are the RPO is the largest data-loss bucket, {}.",
                duration_label(largest_loss)
            ),
        ),
        None => (
            largest_loss,
            format!(
                "No data loss up to {} reaches level {}, so the RPO is the largest data-loss bucket, {}.",
                duration_label(largest_loss),
                method.level_label(unacceptable),
                duration_label(largest_loss)
            ),
        ),
    };

    Derivation {
        mtpd,
        rto,
        rpo,
        tier: method.tier_for(rto).clone(),
        reason,
        rpo_reason,
        warnings,
        effective,
        effective_data_loss,
    }
}

/// `len` cells of `answers`, each raised to the highest valid answer before it.
fn carry_forward(
    method: &Method,
    answers: &[Option<u8>],
    len: usize,
    row: &Row,
    warnings: &mut Vec<CarryForward>,
) -> Vec<Option<u8>> {
    let max_level = method.max_level();
    let mut highest: Option<u8> = None;
    (0..len)
        .map(|i| {
            let answered = answers
                .get(i)
                .copied()
                .flatten()
                .filter(|level| (1..=max_level).contains(level))?;
            match highest {
                Some(carried) if answered < carried => {
                    warnings.push(CarryForward {
                        row: row.clone(),
                        bucket_index: i,
                        answered,
                        carried,
                    });
                    Some(carried)
                }
                _ => {
                    highest = Some(answered);
                    Some(answered)
                }
            }
        })
        .collect()
}

/// "Financial reaches level 4 (Major) at 24h, so the MTPD is 24h and the RTO the bucket before
/// it, 8h." Every category at or above the unacceptable level at bucket `at` is named, in the
/// method's order, grouped by level from the highest.
fn mtpd_reason(method: &Method, effective: &ImpactGrid, at: usize, rto: Duration) -> String {
    let mut by_level: BTreeMap<u8, Vec<&str>> = BTreeMap::new();
    for category in &method.categories {
        if let Some(level) = effective
            .level(&category.key, at)
            .filter(|&level| level >= method.unacceptable_level)
        {
            by_level.entry(level).or_default().push(&category.name);
        }
    }
    let groups: Vec<String> = by_level
        .iter()
        .rev()
        .enumerate()
        .map(|(i, (&level, names))| {
            let verb = match (i, names.len()) {
                (0, 1) => "reaches ",
                (0, _) => "reach ",
                _ => "",
            };
            format!("{} {verb}level {}", join(names), method.level_label(level))
        })
        .collect();
    let bucket = duration_label(method.time_buckets[at]);
    if at == 0 {
        format!(
            "{} already at {bucket}, the first time bucket, so the MTPD is {bucket} and the RTO is 0m: recovery must be immediate, so the service has to keep running through a disruption.",
            join(&groups)
        )
    } else {
        format!(
            "{} at {bucket}, so the MTPD is {bucket} and the RTO the bucket before it, {}.",
            join(&groups),
            duration_label(rto)
        )
    }
}

/// "a", "a and b", "a, b and c".
fn join<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// What still stands between a questionnaire and submission, one line per row and problem, in
/// the order of the page: "Financial: no level for 4h and 8h", "Operational: no justification",
/// "Data loss: no level for 1h". Empty when it is complete.
pub fn missing_answers(
    method: &Method,
    grid: &ImpactGrid,
    data_loss: &[Option<u8>],
    justifications: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut missing = Vec::new();
    for category in &method.categories {
        let answers = grid
            .levels
            .get(&category.key)
            .map_or(&[][..], Vec::as_slice);
        row_problems(
            method,
            &category.name,
            answers,
            &method.time_buckets,
            &mut missing,
        );
        let justified = justifications
            .get(&category.key)
            .is_some_and(|text| !text.trim().is_empty());
        if !justified {
            missing.push(format!("{}: no justification", category.name));
        }
    }
    row_problems(
        method,
        "Data loss",
        data_loss,
        &method.data_loss_buckets,
        &mut missing,
    );
    missing
}

fn row_problems(
    method: &Method,
    name: &str,
    answers: &[Option<u8>],
    buckets: &[Duration],
    missing: &mut Vec<String>,
) {
    let max_level = method.max_level();
    let mut unanswered = Vec::new();
    let mut invalid = Vec::new();
    for (i, &bucket) in buckets.iter().enumerate() {
        match answers.get(i).copied().flatten() {
            None => unanswered.push(duration_label(bucket)),
            Some(level) if !(1..=max_level).contains(&level) => {
                invalid.push(format!("{level} at {}", duration_label(bucket)));
            }
            Some(_) => {}
        }
    }
    if !unanswered.is_empty() {
        missing.push(format!("{name}: no level for {}", join(&unanswered)));
    }
    for problem in invalid {
        missing.push(format!(
            "{name}: {problem} is not a level (choose 1 to {max_level})"
        ));
    }
}

#[cfg(test)]
mod tests;
