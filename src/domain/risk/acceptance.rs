//! When an acceptance of a risk above appetite stands as evidence: proposed with a justification
//! and an expiry at most 12 months ahead, approved by a continuity manager who did not propose
//! it, and only for as long as the risk stays as it was accepted. A later change of its scores,
//! of what it bears on, or of its measures — or the expiry date passing — lapses it, and the risk
//! needs a decision again.

use time::Date;
use uuid::Uuid;

use super::register::Scores;

/// The longest an acceptance may run.
pub const MAX_MONTHS: u8 = 12;

/// What of a risk an acceptance is given for — its scores, the level they reach (which a method
/// change can move), its scope and its measures: a change to any of it lapses the acceptance.
pub fn fingerprint(scores: &Scores, level: u8, scope: &[Uuid], measures: &[Uuid]) -> String {
    let mut scope = scope.to_vec();
    scope.sort_unstable();
    let mut measures = measures.to_vec();
    measures.sort_unstable();
    let score = |value: Option<u8>| value.map_or_else(|| "-".to_owned(), |value| value.to_string());
    let ids = |ids: &[Uuid]| {
        ids.iter()
            .map(|id| id.simple().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{}x{}/{}x{}/L{level}/{}/{}",
        scores.inherent_likelihood,
        scores.inherent_impact,
        score(scores.residual_likelihood),
        score(scores.residual_impact),
        ids(&scope),
        ids(&measures)
    )
}

/// The latest acceptance of a risk as stored.
#[derive(Debug, Clone)]
pub struct Acceptance {
    pub proposed_by: Option<Uuid>,
    pub expires_on: Date,
    /// `None` while proposed; `Some(true)` approved, `Some(false)` rejected.
    pub approved: Option<bool>,
    /// The risk's [`fingerprint`] when it was proposed.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lapse {
    Expired,
    /// The scores, scope or measures changed after the acceptance.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptanceState {
    None,
    /// Proposed, waiting for a continuity manager who did not propose it.
    Proposed {
        until: Date,
    },
    Valid {
        until: Date,
    },
    Rejected,
    Lapsed(Lapse),
}

impl AcceptanceState {
    /// Where the latest acceptance stands today, for a risk whose fingerprint is `current`.
    pub fn of(latest: Option<&Acceptance>, current: &str, today: Date) -> Self {
        let Some(acceptance) = latest else {
            return Self::None;
        };
        if acceptance.approved == Some(false) {
            return Self::Rejected;
        }
        if acceptance.fingerprint != current {
            return Self::Lapsed(Lapse::Changed);
        }
        if acceptance.expires_on < today {
            return Self::Lapsed(Lapse::Expired);
        }
        match acceptance.approved {
            Some(_) => Self::Valid {
                until: acceptance.expires_on,
            },
            None => Self::Proposed {
                until: acceptance.expires_on,
            },
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::None => "Not accepted".to_owned(),
            Self::Proposed { until } => {
                format!("Acceptance until {until} proposed, waiting for approval")
            }
            Self::Valid { until } => format!("Accepted until {until}"),
            Self::Rejected => "Acceptance rejected".to_owned(),
            Self::Lapsed(Lapse::Expired) => "Acceptance lapsed: it expired".to_owned(),
            Self::Lapsed(Lapse::Changed) => {
                "Acceptance lapsed: the risk changed after it was accepted".to_owned()
            }
        }
    }
}

/// The latest date an acceptance proposed on `today` may run to.
pub fn latest_expiry(today: Date) -> Date {
    crate::domain::plan::workflow::next_review(today, MAX_MONTHS)
}

/// What is wrong with a proposed expiry, as a sentence.
pub fn check_expiry(expires_on: Date, today: Date) -> Result<(), String> {
    if expires_on <= today {
        return Err("The acceptance must expire after today.".to_owned());
    }
    let latest = latest_expiry(today);
    if expires_on > latest {
        return Err(format!(
            "An acceptance runs {MAX_MONTHS} months at most: choose {latest} or earlier, and review the risk again then."
        ));
    }
    Ok(())
}

/// Four eyes: the person deciding may not be the one who proposed.
pub fn may_decide(acceptance: &Acceptance, decider: Uuid) -> bool {
    acceptance.approved.is_none() && acceptance.proposed_by != Some(decider)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn scores() -> Scores {
        Scores {
            inherent_likelihood: 4,
            inherent_impact: 5,
            residual_likelihood: Some(3),
            residual_impact: Some(5),
        }
    }

    fn approved(fingerprint: String) -> Acceptance {
        Acceptance {
            proposed_by: Some(Uuid::from_u128(1)),
            expires_on: date!(2027 - 06 - 30),
            approved: Some(true),
            fingerprint,
        }
    }

    #[test]
    fn the_fingerprint_ignores_order_but_not_content() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            fingerprint(&scores(), 2, &[a, b], &[]),
            fingerprint(&scores(), 2, &[b, a], &[])
        );
        assert_ne!(
            fingerprint(&scores(), 2, &[a], &[]),
            fingerprint(&scores(), 2, &[a], &[b])
        );
        assert_ne!(
            fingerprint(&scores(), 2, &[a], &[]),
            fingerprint(&scores(), 3, &[a], &[]),
            "a method change that moves the level lapses it too"
        );
        let mut changed = scores();
        changed.residual_likelihood = Some(2);
        assert_ne!(
            fingerprint(&scores(), 2, &[a], &[]),
            fingerprint(&changed, 2, &[a], &[])
        );
    }

    #[test]
    fn an_acceptance_lapses_on_expiry_and_on_change() {
        let now = fingerprint(&scores(), 2, &[], &[]);
        let acceptance = approved(now.clone());
        assert_eq!(
            AcceptanceState::of(Some(&acceptance), &now, date!(2027 - 06 - 30)),
            AcceptanceState::Valid {
                until: date!(2027 - 06 - 30)
            }
        );
        assert_eq!(
            AcceptanceState::of(Some(&acceptance), &now, date!(2027 - 07 - 01)),
            AcceptanceState::Lapsed(Lapse::Expired)
        );
        assert_eq!(
            AcceptanceState::of(Some(&acceptance), "other", date!(2027 - 01 - 01)),
            AcceptanceState::Lapsed(Lapse::Changed)
        );
        assert_eq!(
            AcceptanceState::of(None, &now, date!(2027 - 01 - 01)),
            AcceptanceState::None
        );
    }

    #[test]
    fn an_expiry_runs_twelve_months_at_most() {
        let today = date!(2026 - 12 - 03);
        assert_eq!(latest_expiry(today), date!(2027 - 12 - 03));
        assert_eq!(latest_expiry(date!(2028 - 02 - 29)), date!(2029 - 02 - 28));
        assert!(check_expiry(date!(2027 - 12 - 03), today).is_ok());
        assert!(check_expiry(date!(2027 - 12 - 04), today).is_err());
        assert!(check_expiry(today, today).is_err());
    }

    #[test]
    fn the_proposer_may_not_approve() {
        let acceptance = Acceptance {
            approved: None,
            ..approved(String::new())
        };
        assert!(!may_decide(&acceptance, Uuid::from_u128(1)));
        assert!(may_decide(&acceptance, Uuid::from_u128(2)));
        assert!(
            !may_decide(&approved(String::new()), Uuid::from_u128(2)),
            "decided once"
        );
    }
}
