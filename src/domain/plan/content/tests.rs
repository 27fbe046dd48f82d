//! Tests of the parent module.

use super::*;
use crate::domain::duration::Duration;
use crate::domain::plan::steps::Phase;

fn person(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn complete() -> PlanContent {
    PlanContent {
        services: vec![person(100)],
        sections: PlanKind::Recovery.starting_sections(),
        invocation: Invocation {
            criteria: "The data centre is lost for more than an hour.".to_owned(),
            authority: Some(person(1)),
            successor: Some(person(2)),
        },
        roles: vec![Role {
            name: "Recovery lead".to_owned(),
            duties: "Runs the recovery".to_owned(),
            person: Some(person(3)),
            alternate: Some(person(4)),
        }],
        call_tree: vec![Call {
            caller: person(1),
            callee: person(3),
            if_unreachable: "Call the alternate".to_owned(),
        }],
        steps: vec![Step {
            id: "S1".to_owned(),
            phase: Phase::Recovery,
            action: "Restore the database".to_owned(),
            role: "Recovery lead".to_owned(),
            duration: Duration::hours(2),
            predecessors: Vec::new(),
        }],
    }
}

#[test]
fn kinds_round_trip_through_their_names() {
    for kind in PlanKind::ALL {
        assert_eq!(PlanKind::parse(kind.as_str()), Some(kind));
        assert!(!kind.starting_sections().is_empty());
    }
    assert_eq!(PlanKind::parse("ITSCM"), None);
}

#[test]
fn a_complete_recovery_plan_misses_nothing() {
    assert!(
        complete()
            .missing_for_submission(PlanKind::Recovery)
            .is_empty()
    );
}

#[test]
fn a_new_plan_lists_everything_still_to_write() {
    let missing =
        PlanContent::starting(PlanKind::Itscm, Vec::new()).missing_for_submission(PlanKind::Itscm);
    for expected in [
        "Choose the services the plan covers.",
        "Name the invocation authority.",
        "Add at least one role.",
        "Build the call tree: who calls whom.",
        "Add the recovery steps.",
    ] {
        assert!(
            missing.iter().any(|m| m == expected),
            "{expected} in {missing:?}"
        );
    }
}

#[test]
fn a_policy_needs_only_its_prose() {
    let policy = PlanContent::starting(PlanKind::Policy, Vec::new());
    assert!(policy.missing_for_submission(PlanKind::Policy).is_empty());
    let empty = PlanContent::default();
    assert_eq!(
        empty.missing_for_submission(PlanKind::Policy),
        vec!["Write at least one section.".to_owned()]
    );
}

#[test]
fn a_role_without_an_alternate_is_named_in_what_is_missing() {
    let mut content = complete();
    content.roles[0].alternate = None;
    assert_eq!(
        content.missing_for_submission(PlanKind::Recovery),
        vec!["Name an alternate for the role “Recovery lead”.".to_owned()]
    );
}

#[test]
fn people_are_listed_once_in_order_of_appearance() {
    let content = complete();
    assert_eq!(
        content.people(),
        vec![person(1), person(2), person(3), person(4)]
    );
    assert_eq!(content.role_holders(), vec![person(3), person(4)]);
}

#[test]
fn content_survives_a_round_trip_through_json() {
    let content = complete();
    let json = serde_json::to_value(&content).unwrap();
    assert_eq!(
        serde_json::from_value::<PlanContent>(json).unwrap(),
        content
    );
    // Older or partial JSON still reads, with the missing parts empty.
    let partial: PlanContent = serde_json::from_str(r#"{"sections":[]}"#).unwrap();
    assert_eq!(partial, PlanContent::default());
}
