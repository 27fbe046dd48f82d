//! Tests of the parent module.

use super::*;

fn ids(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn directory() -> Vec<(Uuid, String)> {
    (1..=4).map(|n| (ids(n), format!("Person {n}"))).collect()
}

fn services() -> Vec<(Uuid, String)> {
    vec![(ids(100), "Payroll".to_owned())]
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|&v| v.to_owned()).collect()
}

fn good() -> DraftForm {
    DraftForm {
        title: "Payroll recovery".into(),
        service: vec![ids(100).to_string()],
        pick: String::new(),
        find: String::new(),
        section_title: strings(&["Scope", ""]),
        section_body: strings(&["Payroll only", ""]),
        criteria: "Data centre lost".into(),
        authority: ids(1).to_string(),
        successor: ids(2).to_string(),
        role_name: strings(&["Recovery lead", ""]),
        role_duties: strings(&["Runs it", ""]),
        role_person: vec![ids(3).to_string(), String::new()],
        role_alternate: vec![ids(4).to_string(), String::new()],
        call_caller: vec![ids(1).to_string(), String::new()],
        call_callee: vec![ids(3).to_string(), String::new()],
        call_fallback: strings(&["Call the alternate", ""]),
        step_key: strings(&["S1", "S2", "S3"]),
        step_phase: strings(&["activation", "recovery", "recovery"]),
        step_action: strings(&["Invoke", "Restore", ""]),
        step_role: strings(&["Recovery lead", "Recovery lead", ""]),
        step_duration: strings(&["30m", "4h", ""]),
        step_after: strings(&["", "S1", ""]),
        number: Some(1),
        version: 1,
    }
}

#[test]
fn a_good_form_becomes_content_and_blank_rows_are_dropped() {
    let content = good().check(&services(), &directory()).unwrap();
    assert_eq!(content.sections.len(), 1);
    assert_eq!(content.roles.len(), 1);
    assert_eq!(content.call_tree.len(), 1);
    assert_eq!(content.steps.len(), 2);
    assert_eq!(content.steps[1].predecessors, vec!["S1".to_owned()]);
    assert_eq!(content.steps[1].duration, Duration::hours(4));
}

#[test]
fn content_round_trips_through_the_form() {
    let content = good().check(&services(), &directory()).unwrap();
    let again = DraftForm::from_content("Payroll recovery", &content, 1, 1)
        .check(&services(), &directory())
        .unwrap();
    assert_eq!(again, content);
}

#[test]
fn a_bad_duration_and_an_unknown_role_are_reported_on_their_rows() {
    let mut form = good();
    form.step_duration[1] = "four hours".into();
    form.step_role[0] = "Nobody".into();
    let (errors, rows) = form.check(&services(), &directory()).unwrap_err();
    assert!(rows["step.0"].contains("no role called “Nobody”"));
    assert!(rows["step.1"].starts_with("Duration:"));
    assert_eq!(errors.len(), 2);
}

#[test]
fn steps_waiting_for_each_other_are_refused_with_the_circle() {
    let mut form = good();
    form.step_after[0] = "S2".into();
    let (_, rows) = form.check(&services(), &directory()).unwrap_err();
    assert!(
        rows["steps"].contains("S1 → S2 → S1") || rows["steps"].contains("S2 → S1 → S2"),
        "{rows:?}"
    );
}

#[test]
fn someone_outside_the_directory_or_a_foreign_service_is_refused() {
    let mut form = good();
    form.authority = ids(99).to_string();
    form.service = vec![ids(98).to_string()];
    let (errors, _) = form.check(&services(), &directory()).unwrap_err();
    assert!(errors.has("authority"));
    assert!(errors.has("service"));
}

#[test]
fn blank_step_rows_get_fresh_keys() {
    let rows = good().step_rows(&RowErrors::new());
    let keys: Vec<&str> = rows.iter().map(|row| row.values.key.as_str()).collect();
    assert_eq!(keys, vec!["S1", "S2", "S3", "S4", "S5"]);
}
