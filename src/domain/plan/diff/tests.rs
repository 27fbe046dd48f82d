//! Tests of the parent module.

use super::*;
use crate::domain::duration::Duration;
use crate::domain::plan::content::{Role, Section};
use crate::domain::plan::steps::{Phase, Step};

fn step(id: &str, hours: i64, after: &[&str]) -> Step {
    Step {
        id: id.to_owned(),
        phase: Phase::Recovery,
        action: format!("Do {id}"),
        role: "Lead".to_owned(),
        duration: Duration::hours(hours),
        predecessors: after.iter().map(|&p| p.to_owned()).collect(),
    }
}

fn changed<'a>(parts: &'a [DiffPart], heading: &str) -> &'a DiffPart {
    parts.iter().find(|part| part.heading == heading).unwrap()
}

fn names() -> (HashMap<Uuid, String>, HashMap<Uuid, String>) {
    (
        HashMap::from([
            (Uuid::from_u128(1), "Ada".to_owned()),
            (Uuid::from_u128(2), "Grace".to_owned()),
        ]),
        HashMap::from([(Uuid::from_u128(9), "Payroll".to_owned())]),
    )
}

#[test]
fn identical_versions_have_no_changed_part() {
    let (people, services) = names();
    let content = PlanContent {
        steps: vec![step("S1", 1, &[])],
        ..PlanContent::default()
    };
    let parts = compare(
        &content,
        &content,
        &Names {
            people: &people,
            services: &services,
        },
    );
    assert!(parts.iter().all(|part| !part.changed));
}

#[test]
fn a_changed_step_shows_as_one_line_removed_and_one_added() {
    let (people, services) = names();
    let before = PlanContent {
        steps: vec![step("S1", 1, &[]), step("S2", 2, &["S1"])],
        ..PlanContent::default()
    };
    let mut after = before.clone();
    after.steps[1].duration = Duration::hours(3);
    let parts = compare(
        &before,
        &after,
        &Names {
            people: &people,
            services: &services,
        },
    );
    let steps = changed(&parts, "Recovery steps");
    assert!(steps.changed);
    let moved: Vec<(LineChange, &str)> = steps
        .lines
        .iter()
        .filter(|line| line.change != LineChange::Same)
        .map(|line| (line.change, line.text.as_str()))
        .collect();
    assert_eq!(
        moved,
        vec![
            (
                LineChange::Removed,
                "S2 · Recovery · Do S2 · Lead · 2h · after S1"
            ),
            (
                LineChange::Added,
                "S2 · Recovery · Do S2 · Lead · 3h · after S1"
            ),
        ]
    );
    assert!(!changed(&parts, "Roles").changed);
}

#[test]
fn sections_are_compared_by_title_and_people_by_name() {
    let (people, services) = names();
    let before = PlanContent {
        services: vec![Uuid::from_u128(9)],
        sections: vec![Section {
            title: "Scope".into(),
            body: "One\nTwo".into(),
        }],
        roles: vec![Role {
            name: "Lead".into(),
            duties: String::new(),
            person: Some(Uuid::from_u128(1)),
            alternate: None,
        }],
        ..PlanContent::default()
    };
    let mut after = before.clone();
    after.sections[0].body = "One\nTwo\nThree".into();
    after.sections.push(Section {
        title: "Return".into(),
        body: "Fail back".into(),
    });
    after.roles[0].alternate = Some(Uuid::from_u128(2));
    let parts = compare(
        &before,
        &after,
        &Names {
            people: &people,
            services: &services,
        },
    );
    let scope = changed(&parts, "Section: Scope");
    assert_eq!(
        scope
            .lines
            .iter()
            .filter(|l| l.change == LineChange::Added)
            .count(),
        1,
        "only the new line is added: {scope:?}"
    );
    assert!(changed(&parts, "Section: Return").changed);
    let roles = changed(&parts, "Roles");
    assert!(
        roles
            .lines
            .iter()
            .any(|l| l.change == LineChange::Added && l.text == "Lead: Ada, alternate Grace")
    );
    assert!(!changed(&parts, "Services covered").changed);
}
