//! The test programme's arithmetic: how often something must be tested (the interval of the
//! strictest tier it serves), when its next test is due, and how it stands today — never tested,
//! overdue, due soon, planned in time, or current. Pure, so the programme, the plan page and the
//! service page agree.

use time::Date;

use crate::domain::bia::method::Tier;
use crate::domain::plan::workflow::next_review;

/// How far ahead a due date counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

/// Months between tests for something serving services of `ranks` (1 = most critical): the
/// interval of the strictest of those tiers in `tiers`; with no tiered service, the loosest
/// tier's interval (or 24 months without any tier).
pub fn interval_months(tiers: &[Tier], ranks: &[u8]) -> u8 {
    let loosest = tiers
        .iter()
        .max_by_key(|tier| tier.rank)
        .map_or(24, |tier| tier.test_interval_months);
    ranks
        .iter()
        .filter_map(|rank| tiers.iter().find(|tier| tier.rank == *rank))
        .min_by_key(|tier| tier.rank)
        .map_or(loosest, |tier| tier.test_interval_months)
        .max(1)
}

/// Where something stands in the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Its due date has passed without a test.
    Overdue,
    /// Never tested at all.
    NeverTested,
    /// Due within [`DUE_SOON_DAYS`] and no test planned before then.
    DueSoon,
    /// A test is planned on or before the due date.
    Planned,
    /// Tested within its interval.
    Current,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::NeverTested => "never",
            Self::DueSoon => "soon",
            Self::Planned => "planned",
            Self::Current => "current",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|standing| standing.as_str() == value)
    }

    pub const ALL: [Self; 5] = [
        Self::Overdue,
        Self::NeverTested,
        Self::DueSoon,
        Self::Planned,
        Self::Current,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Overdue => "Overdue",
            Self::NeverTested => "Never tested",
            Self::DueSoon => "Due soon",
            Self::Planned => "Test planned",
            Self::Current => "Current",
        }
    }

    /// Whether it needs someone's attention (shown in red or amber).
    pub fn needs_attention(self) -> bool {
        matches!(self, Self::Overdue | Self::NeverTested | Self::DueSoon)
    }
}

/// When the next test is due and how that stands `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// `None` when never tested: due now.
    pub next_due: Option<Date>,
    pub standing: Standing,
}

/// The next test is due `interval_months` after the last completed one. A test planned on or
/// before that date (and not in the past) keeps it in time; one planned for a never-tested plan
/// still leaves it never tested, since nothing is proven until it is held.
pub fn due(
    last_tested: Option<Date>,
    interval_months: u8,
    next_planned: Option<Date>,
    today: Date,
) -> Due {
    let Some(last) = last_tested else {
        return Due {
            next_due: None,
            standing: Standing::NeverTested,
        };
    };
    let next_due = next_review(last, interval_months);
    let planned_in_time =
        next_planned.is_some_and(|planned| planned >= today && planned <= next_due);
    let standing = if next_due < today {
        Standing::Overdue
    } else if planned_in_time {
        Standing::Planned
    } else if (next_due - today).whole_days() <= DUE_SOON_DAYS {
        Standing::DueSoon
    } else {
        Standing::Current
    };
    Due {
        next_due: Some(next_due),
        standing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bia::method::Method;
    use time::macros::date;

    #[test]
    fn the_strictest_tier_sets_the_interval() {
        let tiers = Method::default_method().tiers;
        assert_eq!(interval_months(&tiers, &[3, 1]), 6);
        assert_eq!(interval_months(&tiers, &[2]), 12);
        assert_eq!(interval_months(&tiers, &[]), 24, "no tier: the loosest");
        assert_eq!(
            interval_months(&tiers, &[9]),
            24,
            "an unknown rank: the loosest"
        );
        assert_eq!(interval_months(&[], &[1]), 24);
    }

    #[test]
    fn due_dates_follow_the_last_test() {
        let today = date!(2026 - 12 - 03);
        let current = due(Some(date!(2026 - 09 - 01)), 6, None, today);
        assert_eq!(current.next_due, Some(date!(2027 - 03 - 01)));
        assert_eq!(current.standing, Standing::Current);

        let overdue = due(Some(date!(2026 - 05 - 31)), 6, None, today);
        assert_eq!(overdue.next_due, Some(date!(2026 - 11 - 30)));
        assert_eq!(overdue.standing, Standing::Overdue);

        let soon = due(Some(date!(2026 - 06 - 20)), 6, None, today);
        assert_eq!(soon.standing, Standing::DueSoon);
        let planned = due(
            Some(date!(2026 - 06 - 20)),
            6,
            Some(date!(2026 - 12 - 15)),
            today,
        );
        assert_eq!(planned.standing, Standing::Planned);
        let too_late = due(
            Some(date!(2026 - 06 - 20)),
            6,
            Some(date!(2027 - 01 - 15)),
            today,
        );
        assert_eq!(
            too_late.standing,
            Standing::DueSoon,
            "planned after it falls due"
        );
    }

    #[test]
    fn never_tested_stays_never_tested_until_a_test_is_held() {
        let today = date!(2026 - 12 - 03);
        let never = due(None, 6, Some(date!(2026 - 12 - 10)), today);
        assert_eq!(never.standing, Standing::NeverTested);
        assert_eq!(never.next_due, None);
    }

    #[test]
    fn an_overdue_test_stays_overdue_even_when_one_is_planned() {
        let today = date!(2026 - 12 - 03);
        let late = due(
            Some(date!(2026 - 01 - 10)),
            6,
            Some(date!(2026 - 12 - 20)),
            today,
        );
        assert_eq!(late.standing, Standing::Overdue);
    }
}
