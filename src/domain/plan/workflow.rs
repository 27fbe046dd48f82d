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

    pub fn is_active(self) -> bool {
        self == Self::Active
    }

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

/// Why a plan covering `service` needs a review after a new BIA result, if it does: its RTO or
/// its tier changed. A first result (nothing before) is not a change to the plan's basis.
pub fn review_reason_after_bia(
    service: &str,
    before: (Option<i32>, Option<&str>),
    after: (Option<i32>, Option<&str>),
) -> Option<String> {
    use crate::domain::bia::method::duration_label;
    use crate::domain::duration::Duration;
    let label = |minutes: Option<i32>| {
        minutes
            .and_then(|minutes| Duration::from_minutes(i64::from(minutes)))
            .map_or_else(|| "none".to_owned(), duration_label)
    };
    let (rto_before, tier_before) = before;
    let (rto_after, tier_after) = after;
    if rto_before.is_some() && rto_before != rto_after {
        Some(format!(
            "A new BIA changed the RTO of {service} from {} to {}.",
            label(rto_before),
            label(rto_after)
        ))
    } else if tier_before.is_some() && tier_before != tier_after {
        Some(format!(
            "A new BIA moved {service} from {} to {}.",
            tier_before.unwrap_or_default(),
            tier_after.unwrap_or("no tier")
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
