//! Tests of the parent module.

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

#[test]
fn a_shorter_rto_from_a_new_bia_is_a_reason_to_review() {
    assert_eq!(
        review_reason_after_bia(
            "Payroll",
            (Some(480), Some("Essential")),
            (Some(240), Some("Essential"))
        ),
        Some("A new BIA changed the RTO of Payroll from 8h to 4h.".to_owned())
    );
    assert_eq!(
        review_reason_after_bia(
            "Payroll",
            (Some(480), Some("Essential")),
            (Some(480), Some("Business critical"))
        ),
        Some("A new BIA moved Payroll from Essential to Business critical.".to_owned())
    );
}

#[test]
fn a_first_or_unchanged_bia_result_is_no_reason_to_review() {
    assert_eq!(
        review_reason_after_bia("Payroll", (None, None), (Some(240), Some("Essential"))),
        None
    );
    assert_eq!(
        review_reason_after_bia(
            "Payroll",
            (Some(240), Some("Essential")),
            (Some(240), Some("Essential"))
        ),
        None
    );
}
