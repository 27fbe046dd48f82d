//! The risk method a continuity manager keeps at `/risks/method`: the likelihood and impact
//! scales (each level with a name and what it means), the level of every cell of the matrix
//! (stored, so any cell can be set, not computed from a formula), the level names and colours,
//! how often a risk of each level is reviewed, and the appetite: the level above which a risk
//! must be treated or formally accepted.

use serde::{Deserialize, Serialize};

/// One step of the likelihood or impact scale, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleStep {
    pub value: u8,
    pub name: String,
    /// What the step means, e.g. "once in 3 to 10 years".
    pub meaning: String,
}

/// A risk level (a band of the matrix), from the least to the most severe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskLevel {
    pub name: String,
    /// `#rrggbb`, used for the matrix cells and the level badges.
    pub colour: String,
    /// How many months after a review the next one is due for a risk of this level.
    pub review_months: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskMethod {
    pub likelihood: Vec<ScaleStep>,
    pub impact: Vec<ScaleStep>,
    pub levels: Vec<RiskLevel>,
    /// `cells[likelihood - 1][impact - 1]` is the index into `levels` of that cell.
    pub cells: Vec<Vec<u8>>,
    /// Index into `levels`: a risk whose level is above this one needs treatment or acceptance.
    pub appetite: u8,
}

/// The most scale steps and levels a method may have (the matrix stays readable on a phone).
pub const MAX_STEPS: usize = 7;

/// A level reached by a score, with how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub likelihood: u8,
    pub impact: u8,
    /// Index into the method's levels.
    pub level: u8,
}

impl RiskMethod {
    /// 5 × 5, with the bands of the product's design: likelihood × impact 1–4 low, 5–9
    /// moderate, 10–16 high, 17–25 extreme; appetite moderate.
    pub fn default_method() -> Self {
        let step = |value: u8, name: &str, meaning: &str| ScaleStep {
            value,
            name: name.to_owned(),
            meaning: meaning.to_owned(),
        };
        let level = |name: &str, colour: &str, review_months: u8| RiskLevel {
            name: name.to_owned(),
            colour: colour.to_owned(),
            review_months,
        };
        let band = |score: u8| match score {
            0..=4 => 0,
            5..=9 => 1,
            10..=16 => 2,
            _ => 3,
        };
        Self {
            likelihood: vec![
                step(
                    1,
                    "Rare",
                    "Less than once in 30 years; not known to have happened here.",
                ),
                step(2, "Unlikely", "Once in 10 to 30 years."),
                step(3, "Possible", "Once in 3 to 10 years."),
                step(4, "Likely", "Once in 1 to 3 years."),
                step(5, "Almost certain", "More than once a year."),
            ],
            impact: vec![
                step(
                    1,
                    "Negligible",
                    "No service outside its objectives; absorbed by normal operations.",
                ),
                step(
                    2,
                    "Minor",
                    "A non-essential service down, or a short disruption within RTO.",
                ),
                step(
                    3,
                    "Moderate",
                    "An essential service down beyond its RTO, or a business-critical one within it.",
                ),
                step(
                    4,
                    "Major",
                    "A business-critical service down beyond its RTO, or data loss beyond its RPO.",
                ),
                step(
                    5,
                    "Severe",
                    "Mission-critical services down beyond their MTPD: harm the business cannot accept.",
                ),
            ],
            levels: vec![
                level("Low", "#7fb069", 12),
                level("Moderate", "#e6c229", 12),
                level("High", "#f17105", 6),
                level("Extreme", "#d11149", 3),
            ],
            cells: (1..=5u8)
                .map(|likelihood| (1..=5u8).map(|impact| band(likelihood * impact)).collect())
                .collect(),
            appetite: 1,
        }
    }

    /// The cell's level for a likelihood and an impact, or `None` when either is off the scale.
    pub fn score(&self, likelihood: u8, impact: u8) -> Option<Scored> {
        let level = *self
            .cells
            .get(usize::from(likelihood).checked_sub(1)?)?
            .get(usize::from(impact).checked_sub(1)?)?;
        (usize::from(level) < self.levels.len()).then_some(Scored {
            likelihood,
            impact,
            level,
        })
    }

    pub fn level(&self, index: u8) -> Option<&RiskLevel> {
        self.levels.get(usize::from(index))
    }

    pub fn level_name(&self, index: u8) -> &str {
        self.level(index).map_or("?", |level| level.name.as_str())
    }

    pub fn appetite_name(&self) -> &str {
        self.level_name(self.appetite)
    }

    pub fn above_appetite(&self, level: u8) -> bool {
        level > self.appetite
    }

    fn step_name(steps: &[ScaleStep], value: u8) -> &str {
        steps
            .iter()
            .find(|step| step.value == value)
            .map_or("?", |step| step.name.as_str())
    }

    pub fn likelihood_name(&self, value: u8) -> &str {
        Self::step_name(&self.likelihood, value)
    }

    pub fn impact_name(&self, value: u8) -> &str {
        Self::step_name(&self.impact, value)
    }

    /// How a level was reached, in words: "likelihood 4 Likely × impact 5 Severe → cell level
    /// Extreme, above appetite Moderate".
    pub fn explain(&self, scored: &Scored) -> String {
        let relation = if self.above_appetite(scored.level) {
            "above"
        } else {
            "within"
        };
        format!(
            "likelihood {} {} × impact {} {} → cell level {}, {relation} appetite {}",
            scored.likelihood,
            self.likelihood_name(scored.likelihood),
            scored.impact,
            self.impact_name(scored.impact),
            self.level_name(scored.level),
            self.appetite_name(),
        )
    }

    /// Months until the next review of a risk at this level (12 when the level is unknown).
    pub fn review_months(&self, level: u8) -> u8 {
        self.level(level).map_or(12, |level| level.review_months)
    }

    /// What a manager's edit gets wrong, in sentences; `Ok` when the method can be used.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        check_scale("likelihood", &self.likelihood, &mut problems);
        check_scale("impact", &self.impact, &mut problems);
        if !(2..=MAX_STEPS).contains(&self.levels.len()) {
            problems.push(format!("Define 2 to {MAX_STEPS} risk levels."));
        }
        for (index, level) in self.levels.iter().enumerate() {
            if level.name.trim().is_empty() {
                problems.push(format!("Name risk level {}.", index + 1));
            }
            if !is_colour(&level.colour) {
                problems.push(format!(
                    "Give level “{}” a colour as #rrggbb, e.g. #d11149.",
                    level.name
                ));
            }
            if !(1..=36).contains(&level.review_months) {
                problems.push(format!(
                    "Review risks at level “{}” every 1 to 36 months.",
                    level.name
                ));
            }
        }
        let shaped = self.cells.len() == self.likelihood.len()
            && self.cells.iter().all(|row| row.len() == self.impact.len());
        if !shaped {
            problems.push("Give every cell of the matrix a level.".to_owned());
        } else if self
            .cells
            .iter()
            .flatten()
            .any(|&level| usize::from(level) >= self.levels.len())
        {
            problems.push("Every cell's level must be one of the defined levels.".to_owned());
        }
        if usize::from(self.appetite) >= self.levels.len() {
            problems.push("Choose the appetite among the defined levels.".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn check_scale(which: &str, steps: &[ScaleStep], problems: &mut Vec<String>) {
    if !(2..=MAX_STEPS).contains(&steps.len()) {
        problems.push(format!("The {which} scale needs 2 to {MAX_STEPS} steps."));
    }
    let numbered = steps
        .iter()
        .enumerate()
        .all(|(index, step)| usize::from(step.value) == index + 1);
    if !numbered {
        problems.push(format!("Number the {which} steps 1, 2, 3 … in order."));
    }
    for step in steps {
        if step.name.trim().is_empty() {
            problems.push(format!("Name {which} step {}.", step.value));
        }
    }
}

fn is_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_bands_follow_the_design() {
        let method = RiskMethod::default_method();
        assert!(method.validate().is_ok());
        let level = |l, i| method.score(l, i).unwrap().level;
        assert_eq!(method.level_name(level(1, 4)), "Low");
        assert_eq!(method.level_name(level(1, 5)), "Moderate");
        assert_eq!(method.level_name(level(3, 3)), "Moderate");
        assert_eq!(method.level_name(level(2, 5)), "High");
        assert_eq!(method.level_name(level(4, 4)), "High");
        assert_eq!(method.level_name(level(4, 5)), "Extreme");
    }

    #[test]
    fn a_score_explains_how_its_level_was_reached() {
        let method = RiskMethod::default_method();
        let scored = method.score(4, 5).unwrap();
        assert_eq!(
            method.explain(&scored),
            "likelihood 4 Likely × impact 5 Severe → cell level Extreme, above appetite Moderate"
        );
        let low = method.score(1, 1).unwrap();
        assert!(method.explain(&low).ends_with("within appetite Moderate"));
    }

    #[test]
    fn scores_off_the_scale_have_no_level() {
        let method = RiskMethod::default_method();
        assert!(method.score(0, 3).is_none());
        assert!(method.score(3, 6).is_none());
        assert!(method.score(6, 1).is_none());
    }

    #[test]
    fn any_cell_can_be_set() {
        let mut method = RiskMethod::default_method();
        method.cells[0][0] = 3;
        assert_eq!(method.score(1, 1).unwrap().level, 3);
        assert!(method.validate().is_ok());
    }

    #[test]
    fn a_broken_method_says_what_to_fix() {
        let mut method = RiskMethod::default_method();
        method.cells[2].pop();
        method.levels[1].colour = "yellow".into();
        method.appetite = 9;
        let problems = method.validate().unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
