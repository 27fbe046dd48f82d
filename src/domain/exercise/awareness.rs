//! Education and awareness: everyone holding a role (or standing in as alternate) in an
//! approved plan is expected to have read the version in force and to have practised the plan —
//! taken part in a test of it or a training session on it — within the interval of the plan's
//! strictest tier. This decides, per person and plan, whether they are current and if not why,
//! which is the register an auditor asks for.

use time::Date;

use crate::domain::plan::workflow::next_review;

/// When a person last practised a plan and how that stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Practice {
    /// Practised on the date, still within the interval (until the second date).
    Within { last: Date, until: Date },
    /// Last practised on the date; it lapsed on the second.
    Lapsed { last: Date, lapsed: Date },
    /// Never took part in a test or training of this plan.
    Never,
}

/// One person's currency in one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub acknowledged: bool,
    pub practice: Practice,
}

impl Currency {
    pub fn is_current(&self) -> bool {
        self.acknowledged && matches!(self.practice, Practice::Within { .. })
    }

    /// Why the person is not current, one sentence per reason; empty when current.
    pub fn reasons(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if !self.acknowledged {
            reasons.push("Has not acknowledged the version in force.".to_owned());
        }
        match self.practice {
            Practice::Within { .. } => {}
            Practice::Lapsed { last, lapsed } => reasons.push(format!(
                "Last took part in a test or training on {last}; that lapsed on {lapsed}."
            )),
            Practice::Never => {
                reasons.push("Has never taken part in a test or training of this plan.".to_owned())
            }
        }
        reasons
    }
}

/// Whether a person is current: `acknowledged` the version in force, and `last_practised`
/// (the later of their last test and last training of the plan) within `interval_months` of
/// `today`.
pub fn currency(
    acknowledged: bool,
    last_tested: Option<Date>,
    last_trained: Option<Date>,
    interval_months: u8,
    today: Date,
) -> Currency {
    let last = last_tested.max(last_trained);
    let practice = match last {
        None => Practice::Never,
        Some(last) => {
            let until = next_review(last, interval_months);
            if until >= today {
                Practice::Within { last, until }
            } else {
                Practice::Lapsed {
                    last,
                    lapsed: until,
                }
            }
        }
    };
    Currency {
        acknowledged,
        practice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    #[test]
    fn a_reader_who_practised_lately_is_current() {
        let current = currency(true, Some(date!(2026 - 09 - 01)), None, 6, TODAY);
        assert!(current.is_current());
        assert!(current.reasons().is_empty());
    }

    #[test]
    fn training_counts_like_a_test_and_the_later_one_counts() {
        let trained = currency(
            true,
            Some(date!(2025 - 01 - 01)),
            Some(date!(2026 - 11 - 01)),
            6,
            TODAY,
        );
        assert_eq!(
            trained.practice,
            Practice::Within {
                last: date!(2026 - 11 - 01),
                until: date!(2027 - 05 - 01)
            }
        );
    }

    #[test]
    fn each_missing_part_is_a_reason() {
        let never = currency(false, None, None, 6, TODAY);
        assert!(!never.is_current());
        assert_eq!(never.reasons().len(), 2);

        let lapsed = currency(true, Some(date!(2026 - 01 - 15)), None, 6, TODAY);
        assert!(!lapsed.is_current());
        assert_eq!(
            lapsed.reasons(),
            vec![
                "Last took part in a test or training on 2026-01-15; that lapsed on 2026-07-15."
                    .to_owned()
            ]
        );
    }

    #[test]
    fn the_last_day_of_the_interval_is_still_current() {
        let edge = currency(true, Some(date!(2026 - 06 - 03)), None, 6, TODAY);
        assert!(edge.is_current());
    }
}
