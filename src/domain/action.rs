//! Improvement actions: what someone must do to close a weakness found in a risk's treatment (and
//! later a test finding, a gap or a change), and the rules of its progress — open → in progress →
//! done → verified, where only someone other than the person who marked it done may verify it,
//! and a verifier who is not convinced sends it back.

use time::Date;
use uuid::Uuid;

use super::choice::choice_set;

choice_set! {
    /// How far an action has got.
    ActionStatus {
        Open => "open", "Open";
        InProgress => "in_progress", "In progress";
        Done => "done", "Done, waiting for verification";
        Verified => "verified", "Verified";
    }
}

choice_set! {
    /// What an action comes from.
    ActionSource {
        Risk => "risk", "Risk treatment";
        Finding => "finding", "Test finding";
        Gap => "gap", "Posture gap";
        Change => "change", "Change";
        Other => "other", "Other";
    }
}

choice_set! {
    /// A move along the action's life, as the buttons on its page offer them.
    Step {
        Start => "start", "Start work";
        MarkDone => "done", "Mark as done";
        Verify => "verify", "Verify";
        SendBack => "send_back", "Not verified: send back";
    }
}

impl ActionStatus {
    /// Still waiting for its owner's work (what "overdue" and "my actions" count).
    pub fn is_outstanding(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }

    pub fn badge(self) -> &'static str {
        match self {
            Self::Open => "badge-amber",
            Self::InProgress => "badge-blue",
            Self::Done => "badge-grey",
            Self::Verified => "badge-green",
        }
    }
}

/// Who asks to move an action, and what they are.
#[derive(Debug, Clone, Copy)]
pub struct Mover {
    pub user: Uuid,
    pub manages_continuity: bool,
}

/// The facts of an action that decide who may move it.
#[derive(Debug, Clone, Copy)]
pub struct ActionState {
    pub status: ActionStatus,
    pub owner: Uuid,
    /// Who marked it done (while it is done or verified).
    pub done_by: Option<Uuid>,
    pub archived: bool,
}

/// Where `step` takes an action, or why it may not be taken by `mover` now. `text` is the
/// evidence (marking done) or the note (verifying, sending back): each step that needs one says so.
pub fn take(
    step: Step,
    action: &ActionState,
    mover: Mover,
    text: &str,
) -> Result<ActionStatus, &'static str> {
    if action.archived {
        return Err("This action is archived: restore it to work on it.");
    }
    let acts_on_it = mover.manages_continuity || mover.user == action.owner;
    match step {
        Step::Start | Step::MarkDone if !acts_on_it => {
            Err("Only the action's owner or a continuity manager works on it.")
        }
        Step::Start if action.status != ActionStatus::Open => {
            Err("Only an open action can be started.")
        }
        Step::Start => Ok(ActionStatus::InProgress),
        Step::MarkDone if !action.status.is_outstanding() => {
            Err("Only an open or started action can be marked as done.")
        }
        Step::MarkDone if text.trim().is_empty() => Err(
            "Say what was done and where the evidence is, e.g. “UPS replaced, test report in DOC-118”.",
        ),
        Step::MarkDone => Ok(ActionStatus::Done),
        Step::Verify | Step::SendBack if !mover.manages_continuity => {
            Err("A continuity manager verifies actions.")
        }
        Step::Verify | Step::SendBack if action.status != ActionStatus::Done => {
            Err("Only an action marked as done can be verified or sent back.")
        }
        Step::Verify | Step::SendBack
            if action.done_by == Some(mover.user) || action.owner == mover.user =>
        {
            Err(
                "Someone other than the action's owner and the person who marked it done verifies it (four eyes).",
            )
        }
        Step::Verify | Step::SendBack if text.trim().is_empty() => {
            Err("Say how you checked the evidence, or what is still missing.")
        }
        Step::Verify => Ok(ActionStatus::Verified),
        Step::SendBack => Ok(ActionStatus::InProgress),
    }
}

/// The steps `mover` may take on an action now (the buttons its page shows).
pub fn steps_open_to(action: &ActionState, mover: Mover) -> Vec<Step> {
    Step::ALL
        .iter()
        .copied()
        .filter(|step| take(*step, action, mover, "checked").is_ok())
        .collect()
}

/// An outstanding action whose due date has passed.
pub fn is_overdue(status: ActionStatus, due_on: Date, today: Date) -> bool {
    status.is_outstanding() && due_on < today
}

/// Days until the due date (negative when overdue), as lists say it: "due in 3 days",
/// "due today", "5 days overdue".
pub fn due_phrase(due_on: Date, today: Date) -> String {
    let days = (due_on - today).whole_days();
    match days {
        0 => "due today".to_owned(),
        1 => "due tomorrow".to_owned(),
        -1 => "1 day overdue".to_owned(),
        days if days < 0 => format!("{} days overdue", -days),
        days => format!("due in {days} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const OWNER: Uuid = Uuid::from_u128(1);
    const MANAGER: Uuid = Uuid::from_u128(2);
    const SECOND_MANAGER: Uuid = Uuid::from_u128(3);
    const STRANGER: Uuid = Uuid::from_u128(4);

    fn action(status: ActionStatus, done_by: Option<Uuid>) -> ActionState {
        ActionState {
            status,
            owner: OWNER,
            done_by,
            archived: false,
        }
    }

    fn owner() -> Mover {
        Mover {
            user: OWNER,
            manages_continuity: false,
        }
    }

    fn manager(user: Uuid) -> Mover {
        Mover {
            user,
            manages_continuity: true,
        }
    }

    #[test]
    fn the_owner_starts_and_finishes_with_evidence() {
        let open = action(ActionStatus::Open, None);
        assert_eq!(
            take(Step::Start, &open, owner(), ""),
            Ok(ActionStatus::InProgress)
        );
        let started = action(ActionStatus::InProgress, None);
        assert!(take(Step::MarkDone, &started, owner(), "  ").is_err());
        assert_eq!(
            take(Step::MarkDone, &started, owner(), "Report DOC-1"),
            Ok(ActionStatus::Done)
        );
        // Straight from open to done is allowed: small actions are done in one go.
        assert_eq!(
            take(Step::MarkDone, &open, owner(), "Done"),
            Ok(ActionStatus::Done)
        );
    }

    #[test]
    fn someone_else_may_not_work_on_it() {
        let stranger = Mover {
            user: STRANGER,
            manages_continuity: false,
        };
        let open = action(ActionStatus::Open, None);
        assert!(take(Step::Start, &open, stranger, "").is_err());
        assert!(take(Step::MarkDone, &open, stranger, "x").is_err());
        assert!(steps_open_to(&open, stranger).is_empty());
    }

    #[test]
    fn verification_takes_a_second_manager_and_a_note() {
        let done_by_manager = action(ActionStatus::Done, Some(MANAGER));
        assert!(take(Step::Verify, &done_by_manager, manager(MANAGER), "ok").is_err());
        assert!(take(Step::Verify, &done_by_manager, manager(SECOND_MANAGER), "").is_err());
        assert_eq!(
            take(
                Step::Verify,
                &done_by_manager,
                manager(SECOND_MANAGER),
                "Read the report"
            ),
            Ok(ActionStatus::Verified)
        );
        let done_by_owner = action(ActionStatus::Done, Some(OWNER));
        assert!(take(Step::Verify, &done_by_owner, owner(), "mine").is_err());
        assert_eq!(
            take(
                Step::SendBack,
                &done_by_owner,
                manager(MANAGER),
                "No report attached"
            ),
            Ok(ActionStatus::InProgress)
        );
    }

    #[test]
    fn nothing_moves_a_verified_or_archived_action() {
        let verified = action(ActionStatus::Verified, Some(OWNER));
        assert!(steps_open_to(&verified, manager(MANAGER)).is_empty());
        let mut archived = action(ActionStatus::Open, None);
        archived.archived = true;
        assert!(steps_open_to(&archived, manager(MANAGER)).is_empty());
    }

    #[test]
    fn the_buttons_follow_the_rules() {
        let done = action(ActionStatus::Done, Some(OWNER));
        assert_eq!(
            steps_open_to(&done, manager(MANAGER)),
            vec![Step::Verify, Step::SendBack]
        );
        assert!(steps_open_to(&done, owner()).is_empty());
        assert_eq!(
            steps_open_to(&action(ActionStatus::Open, None), owner()),
            vec![Step::Start, Step::MarkDone]
        );
    }

    #[test]
    fn overdue_counts_only_outstanding_work() {
        let today = date!(2026 - 12 - 03);
        assert!(is_overdue(ActionStatus::Open, date!(2026 - 12 - 02), today));
        assert!(!is_overdue(ActionStatus::Open, today, today));
        assert!(!is_overdue(
            ActionStatus::Done,
            date!(2026 - 11 - 01),
            today
        ));
        assert_eq!(due_phrase(date!(2026 - 11 - 28), today), "5 days overdue");
        assert_eq!(due_phrase(today, today), "due today");
        assert_eq!(due_phrase(date!(2026 - 12 - 13), today), "due in 10 days");
    }
}
