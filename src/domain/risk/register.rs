//! What the register says about one risk: its treatment, its inherent and residual scores, the
//! level that counts (residual once assessed, inherent before), and the decision it stands at.

use time::Date;

use super::acceptance::AcceptanceState;
use super::method::{RiskMethod, Scored};
use crate::domain::choice::choice_set;

choice_set! {
    /// What is done about a risk.
    Treatment {
        Reduce => "reduce", "Reduce";
        Transfer => "transfer", "Transfer";
        Avoid => "avoid", "Avoid";
        Accept => "accept", "Accept";
    }
}

/// A risk's four scores; residual ones are `None` until someone has assessed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub inherent_likelihood: u8,
    pub inherent_impact: u8,
    pub residual_likelihood: Option<u8>,
    pub residual_impact: Option<u8>,
}

impl Scores {
    pub fn inherent(&self, method: &RiskMethod) -> Option<Scored> {
        method.score(self.inherent_likelihood, self.inherent_impact)
    }

    pub fn residual(&self, method: &RiskMethod) -> Option<Scored> {
        method.score(self.residual_likelihood?, self.residual_impact?)
    }

    /// The score that counts: residual when assessed, else inherent.
    pub fn current(&self, method: &RiskMethod) -> Option<Scored> {
        self.residual(method).or_else(|| self.inherent(method))
    }

    /// Why the residual assessment looks wrong: it may not be worse than doing nothing.
    pub fn residual_warning(&self, method: &RiskMethod) -> Option<String> {
        let inherent = self.inherent(method)?;
        let residual = self.residual(method)?;
        let worse = residual.level > inherent.level
            || residual.likelihood > inherent.likelihood
            || residual.impact > inherent.impact;
        worse.then(|| {
            format!(
                "The residual score ({} × {}, {}) is worse than the inherent one ({} × {}, {}): measures should not make a risk worse. Check both assessments.",
                residual.likelihood,
                residual.impact,
                method.level_name(residual.level),
                inherent.likelihood,
                inherent.impact,
                method.level_name(inherent.level)
            )
        })
    }
}

/// Where a risk stands against the appetite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// At or below appetite: nothing to decide.
    WithinAppetite,
    /// Above appetite, and being reduced, transferred or avoided.
    BeingTreated(Treatment),
    /// Above appetite and accepted, by an approval that still stands.
    Accepted { until: Date },
    /// Above appetite with no treatment and no standing acceptance (possibly one that lapsed).
    NeedsDecision,
}

impl Decision {
    pub fn of(
        method: &RiskMethod,
        scores: &Scores,
        treatment: Option<Treatment>,
        acceptance: &AcceptanceState,
    ) -> Self {
        let above = scores
            .current(method)
            .is_none_or(|scored| method.above_appetite(scored.level));
        if !above {
            return Self::WithinAppetite;
        }
        if let AcceptanceState::Valid { until } = acceptance {
            return Self::Accepted { until: *until };
        }
        match treatment {
            Some(treatment) if treatment != Treatment::Accept => Self::BeingTreated(treatment),
            _ => Self::NeedsDecision,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::WithinAppetite => "Within appetite".to_owned(),
            Self::BeingTreated(treatment) => {
                format!("Treated: {}", treatment.label().to_lowercase())
            }
            Self::Accepted { until } => format!("Accepted until {until}"),
            Self::NeedsDecision => "Needs decision".to_owned(),
        }
    }

    pub fn badge(&self) -> &'static str {
        match self {
            Self::WithinAppetite => "badge-green",
            Self::BeingTreated(_) => "badge-blue",
            Self::Accepted { .. } => "badge-grey",
            Self::NeedsDecision => "badge-red",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn scores(il: u8, ii: u8, residual: Option<(u8, u8)>) -> Scores {
        Scores {
            inherent_likelihood: il,
            inherent_impact: ii,
            residual_likelihood: residual.map(|(l, _)| l),
            residual_impact: residual.map(|(_, i)| i),
        }
    }

    #[test]
    fn the_residual_score_counts_once_assessed() {
        let method = RiskMethod::default_method();
        let risk = scores(4, 5, Some((2, 2)));
        assert_eq!(
            method.level_name(risk.current(&method).unwrap().level),
            "Low"
        );
        let unassessed = scores(4, 5, None);
        assert_eq!(
            method.level_name(unassessed.current(&method).unwrap().level),
            "Extreme"
        );
    }

    #[test]
    fn a_residual_worse_than_inherent_warns() {
        let method = RiskMethod::default_method();
        assert!(
            scores(2, 2, Some((3, 2)))
                .residual_warning(&method)
                .is_some()
        );
        assert!(
            scores(4, 4, Some((2, 4)))
                .residual_warning(&method)
                .is_none()
        );
        assert!(scores(4, 4, None).residual_warning(&method).is_none());
    }

    #[test]
    fn only_risks_above_appetite_need_a_decision() {
        let method = RiskMethod::default_method();
        let none = AcceptanceState::None;
        assert_eq!(
            Decision::of(&method, &scores(1, 2, None), None, &none),
            Decision::WithinAppetite
        );
        assert_eq!(
            Decision::of(&method, &scores(5, 5, None), Some(Treatment::Accept), &none),
            Decision::NeedsDecision
        );
        assert_eq!(
            Decision::of(&method, &scores(5, 5, None), Some(Treatment::Reduce), &none),
            Decision::BeingTreated(Treatment::Reduce)
        );
        let valid = AcceptanceState::Valid {
            until: date!(2027 - 06 - 30),
        };
        assert_eq!(
            Decision::of(
                &method,
                &scores(5, 5, None),
                Some(Treatment::Accept),
                &valid
            ),
            Decision::Accepted {
                until: date!(2027 - 06 - 30)
            }
        );
    }
}
