//! The life of a plan version as a state machine, with four-eyes approval, and when an approved
//! plan is next due for review. Every move that is allowed, and a sentence for every one that is
//! not, so the routes only ask and show the answer.
//!
//! Retirement belongs to the plan, not to a version: a retired plan keeps all its versions
//! readable, and none of them may move again. When a version is approved, the one approved before
//! it becomes `Superseded` (still readable, no longer current) rather than being retired.

use time::{Date, Month};

pub use crate::domain::workflow::Refused;

/// draft → in review → approved → superseded, with in review → draft when returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionStatus {
    /// Being edited; the only status in which the content may change.
    Draft,
    /// Submitted and frozen, waiting for a continuity manager.
    InReview,
    /// The plan's current version (at most one per plan).
    Approved,
    /// Approved once, replaced by a later approved version; kept for the record.
    Superseded,
}

/// Whether a plan is in use. See the module comment for why this is not a version status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanStatus {
    Active,
    Retired,
}

/// A move a version can be asked to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionMove {
    Submit,
    Return,
    Approve,
    /// Made by the application, not a person, when another version of the plan is approved.
    Supersede,
}

/// Who asks for a move, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Actor {
    /// Whether this person authored the version being moved.
    pub is_author: bool,
    /// Whether this person is a continuity manager.
    pub is_manager: bool,
}

impl VersionStatus {
    pub const ALL: [Self; 4] = [
        Self::Draft,
        Self::InReview,
        Self::Approved,
        Self::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::InReview => "In review",
            Self::Approved => "Approved",
            Self::Superseded => "Superseded",
        }
    }

    /// Whether the content may still change: submitting freezes a version.
    pub fn editable(self) -> bool {
        self == Self::Draft
    }

    /// Where a move takes a version in this status, whoever asks; `None` when it does not apply.
    pub fn after(self, requested: VersionMove) -> Option<Self> {
        use VersionMove::*;
        match (self, requested) {
            (Self::Draft, Submit) => Some(Self::InReview),
            (Self::InReview, Return) => Some(Self::Draft),
            (Self::InReview, Approve) => Some(Self::Approved),
            (Self::Approved, Supersede) => Some(Self::Superseded),
            _ => None,
        }
    }
}

impl PlanStatus {
    pub const ALL: [Self; 2] = [Self::Active, Self::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Retired => "retired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Retired => "Retired",
        }
    }
}

impl VersionMove {
    pub const ALL: [Self; 4] = [Self::Submit, Self::Return, Self::Approve, Self::Supersede];

    fn past_participle(self) -> &'static str {
        match self {
            Self::Submit => "submitted",
            Self::Return => "returned",
            Self::Approve => "approved",
            Self::Supersede => "superseded",
        }
    }
}

/// Where a version goes on a move, or why it may not. `comment` is the reviewer's comment and
/// matters only when returning. Checked in this order: the plan, the status, who asks.
pub fn move_version(
    plan: PlanStatus,
    from: VersionStatus,
    requested: VersionMove,
    actor: Actor,
    comment: &str,
) -> Result<VersionStatus, Refused> {
    if plan == PlanStatus::Retired {
        return Err(refused(
            "This plan is retired: its versions can be read but no longer changed.",
        ));
    }
    let Some(to) = from.after(requested) else {
        return Err(Refused(format!(
            "A version that is {} cannot be {}.",
            from.label().to_lowercase(),
            requested.past_participle()
        )));
    };
    match requested {
        VersionMove::Submit if !(actor.is_author || actor.is_manager) => Err(refused(
            "Only the author of this version or a continuity manager can submit it.",
        )),
        VersionMove::Return if !actor.is_manager => Err(refused(
            "Only a continuity manager can return a version for changes.",
        )),
        VersionMove::Return if comment.trim().is_empty() => Err(refused(
            "Say what needs to change: a version is returned with a comment.",
        )),
        VersionMove::Approve if !actor.is_manager => {
            Err(refused("Only a continuity manager can approve a version."))
        }
        VersionMove::Approve if actor.is_author => Err(refused(
            "You wrote this version, and nobody approves their own work: another continuity manager must approve it.",
        )),
        _ => Ok(to),
    }
}

/// Draft → in review, asked by the author or a manager.
pub fn submit(
    plan: PlanStatus,
    from: VersionStatus,
    actor: Actor,
) -> Result<VersionStatus, Refused> {
    move_version(plan, from, VersionMove::Submit, actor, "")
}

/// In review → draft, by a manager, with a comment saying what to change.
pub fn return_for_changes(
    plan: PlanStatus,
    from: VersionStatus,
    actor: Actor,
    comment: &str,
) -> Result<VersionStatus, Refused> {
    move_version(plan, from, VersionMove::Return, actor, comment)
}

/// In review → approved, by a manager who did not author the version.
pub fn approve(
    plan: PlanStatus,
    from: VersionStatus,
    actor: Actor,
) -> Result<VersionStatus, Refused> {
    move_version(plan, from, VersionMove::Approve, actor, "")
}

/// Retires a plan, which a continuity manager may do at any time while it is active.
pub fn retire(plan: PlanStatus, actor: Actor) -> Result<PlanStatus, Refused> {
    match plan {
        PlanStatus::Retired => Err(refused("This plan is already retired.")),
        PlanStatus::Active if !actor.is_manager => {
            Err(refused("Only a continuity manager can retire a plan."))
        }
        PlanStatus::Active => Ok(PlanStatus::Retired),
    }
}

fn refused(sentence: &str) -> Refused {
    Refused(sentence.to_owned())
}

/// Months between reviews, decided by the strictest tier among the covered services (rank 1 is
/// the most critical): 1 → 6, 2 or 3 → 12, 4 and beyond, or no services → 24. A rank of 0 is
/// not a tier the method allows; it is read as the strictest rather than the loosest.
pub fn review_interval_months(tier_ranks: &[u8]) -> u8 {
    match tier_ranks.iter().copied().min() {
        Some(0 | 1) => 6,
        Some(2 | 3) => 12,
        Some(_) | None => 24,
    }
}

/// The date `months` after `approved_on`, on the same day of the month or, when that month is
/// shorter, on its last day (31 August + 6 months is 28 or 29 February).
pub fn next_review(approved_on: Date, months: u8) -> Date {
    let counted = i64::from(approved_on.year()) * 12
        + i64::from(u8::from(approved_on.month()) - 1)
        + i64::from(months);
    let Ok(year) = i32::try_from(counted.div_euclid(12)) else {
        return Date::MAX;
    };
    let month = Month::January.nth_next(u8::try_from(counted.rem_euclid(12)).unwrap_or(0));
    let day = approved_on.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const AUTHOR: Actor = Actor {
        is_author: true,
        is_manager: false,
    };
    const MANAGER: Actor = Actor {
        is_author: false,
        is_manager: true,
    };
    const MANAGER_AUTHOR: Actor = Actor {
        is_author: true,
        is_manager: true,
    };
    const BYSTANDER: Actor = Actor {
        is_author: false,
        is_manager: false,
    };
    const ACTIVE: PlanStatus = PlanStatus::Active;

    fn sentence(result: Result<impl std::fmt::Debug, Refused>) -> String {
        match result {
            Ok(value) => panic!("expected a refusal, got {value:?}"),
            Err(refused) => refused.to_string(),
        }
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in VersionStatus::ALL {
            assert_eq!(VersionStatus::parse(status.as_str()), Some(status));
        }
        for status in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(VersionStatus::parse("retired"), None);
        assert_eq!(VersionStatus::InReview.label(), "In review");
    }

    #[test]
    fn an_owner_drafts_submits_is_returned_resubmits_and_a_manager_approves() {
        let status = submit(ACTIVE, VersionStatus::Draft, AUTHOR).unwrap();
        assert_eq!(status, VersionStatus::InReview);
        let status = return_for_changes(ACTIVE, status, MANAGER, "Add the DNS step").unwrap();
        assert_eq!(status, VersionStatus::Draft);
        let status = submit(ACTIVE, status, AUTHOR).unwrap();
        let status = approve(ACTIVE, status, MANAGER).unwrap();
        assert_eq!(status, VersionStatus::Approved);
        assert_eq!(
            move_version(ACTIVE, status, VersionMove::Supersede, BYSTANDER, ""),
            Ok(VersionStatus::Superseded)
        );
    }

    #[test]
    fn every_illegal_move_is_refused_even_to_a_manager() {
        let legal = [
            (VersionStatus::Draft, VersionMove::Submit),
            (VersionStatus::InReview, VersionMove::Return),
            (VersionStatus::InReview, VersionMove::Approve),
            (VersionStatus::Approved, VersionMove::Supersede),
        ];
        for from in VersionStatus::ALL {
            for requested in VersionMove::ALL {
                let result = move_version(ACTIVE, from, requested, MANAGER, "Because");
                assert_eq!(
                    result.is_ok(),
                    legal.contains(&(from, requested)),
                    "{from:?} {requested:?}"
                );
            }
        }
        assert_eq!(
            sentence(approve(ACTIVE, VersionStatus::Draft, MANAGER)),
            "A version that is draft cannot be approved."
        );
        assert_eq!(
            sentence(submit(ACTIVE, VersionStatus::InReview, AUTHOR)),
            "A version that is in review cannot be submitted."
        );
    }

    #[test]
    fn a_submitted_version_cannot_change() {
        assert!(VersionStatus::Draft.editable());
        for status in [
            VersionStatus::InReview,
            VersionStatus::Approved,
            VersionStatus::Superseded,
        ] {
            assert!(!status.editable(), "{status:?}");
        }
    }

    #[test]
    fn nobody_approves_their_own_work() {
        let refusal = sentence(approve(ACTIVE, VersionStatus::InReview, MANAGER_AUTHOR));
        assert!(
            refusal.contains("nobody approves their own work"),
            "{refusal}"
        );
        assert_eq!(
            approve(ACTIVE, VersionStatus::InReview, MANAGER),
            Ok(VersionStatus::Approved)
        );
    }

    #[test]
    fn service_owner_cannot_approve_a_plan() {
        for actor in [AUTHOR, BYSTANDER] {
            assert_eq!(
                sentence(approve(ACTIVE, VersionStatus::InReview, actor)),
                "Only a continuity manager can approve a version."
            );
        }
    }

    #[test]
    fn only_the_author_or_a_manager_submits() {
        assert!(submit(ACTIVE, VersionStatus::Draft, AUTHOR).is_ok());
        assert!(submit(ACTIVE, VersionStatus::Draft, MANAGER).is_ok());
        assert_eq!(
            sentence(submit(ACTIVE, VersionStatus::Draft, BYSTANDER)),
            "Only the author of this version or a continuity manager can submit it."
        );
    }

    #[test]
    fn returning_needs_a_manager_and_a_comment() {
        assert_eq!(
            sentence(return_for_changes(
                ACTIVE,
                VersionStatus::InReview,
                AUTHOR,
                "Fix it"
            )),
            "Only a continuity manager can return a version for changes."
        );
        assert_eq!(
            sentence(return_for_changes(
                ACTIVE,
                VersionStatus::InReview,
                MANAGER,
                "  \n"
            )),
            "Say what needs to change: a version is returned with a comment."
        );
        assert_eq!(
            return_for_changes(ACTIVE, VersionStatus::InReview, MANAGER_AUTHOR, "Fix it"),
            Ok(VersionStatus::Draft)
        );
    }

    #[test]
    fn a_retired_plan_refuses_every_move() {
        for from in VersionStatus::ALL {
            for requested in VersionMove::ALL {
                assert_eq!(
                    sentence(move_version(
                        PlanStatus::Retired,
                        from,
                        requested,
                        MANAGER,
                        "Because"
                    )),
                    "This plan is retired: its versions can be read but no longer changed."
                );
            }
        }
    }

    #[test]
    fn only_a_manager_retires_an_active_plan_once() {
        assert_eq!(retire(ACTIVE, MANAGER), Ok(PlanStatus::Retired));
        assert_eq!(
            sentence(retire(ACTIVE, AUTHOR)),
            "Only a continuity manager can retire a plan."
        );
        assert_eq!(
            sentence(retire(PlanStatus::Retired, MANAGER)),
            "This plan is already retired."
        );
    }

    #[test]
    fn the_strictest_tier_sets_the_review_interval() {
        assert_eq!(review_interval_months(&[3, 1, 4]), 6);
        assert_eq!(review_interval_months(&[2]), 12);
        assert_eq!(review_interval_months(&[3, 4]), 12);
        assert_eq!(review_interval_months(&[4]), 24);
        assert_eq!(review_interval_months(&[7]), 24);
        assert_eq!(review_interval_months(&[]), 24);
        assert_eq!(review_interval_months(&[0]), 6);
    }

    #[test]
    fn the_next_review_keeps_the_day_or_falls_back_to_the_month_end() {
        assert_eq!(next_review(date!(2025 - 03 - 15), 6), date!(2025 - 09 - 15));
        assert_eq!(next_review(date!(2025 - 08 - 31), 6), date!(2026 - 02 - 28));
        assert_eq!(next_review(date!(2023 - 08 - 31), 6), date!(2024 - 02 - 29));
        assert_eq!(
            next_review(date!(2025 - 12 - 01), 12),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            next_review(date!(2025 - 11 - 30), 24),
            date!(2027 - 11 - 30)
        );
        assert_eq!(next_review(date!(2025 - 01 - 31), 1), date!(2025 - 02 - 28));
        assert_eq!(next_review(date!(2025 - 05 - 05), 0), date!(2025 - 05 - 05));
        assert_eq!(next_review(Date::MAX, 12), Date::MAX);
    }
}
