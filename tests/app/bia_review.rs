//! The BIA review without surprises: moving to review asks for confirmation while questionnaires
//! are outstanding and can be undone, answers freeze in review, every count leads to the
//! questionnaires it counts, refusals stand next to their field, and RTO + WRT beyond the MTPD
//! warns before anyone decides.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::bia::{complete_answers, status_of, version_of};
use crate::support::bia::open_exercise;
use crate::support::catalogue::Catalogue;
use crate::support::{TestApp, location};

async fn exercise_status(app: &TestApp, exercise: Uuid) -> (String, i32) {
    sqlx::query_as("select status, version from bia_exercises where id = $1")
        .bind(exercise)
        .fetch_one(&app.state.db)
        .await
        .expect("exercise")
}

async fn followed(app: &TestApp, client: &reqwest::Client, response: reqwest::Response) -> String {
    app.get(client, &location(&response))
        .await
        .text()
        .await
        .expect("page")
}

/// A continuity manager, a service owner (both signed in) and the owner's service "Payroll".
async fn manager_owner_and_service(app: &TestApp) -> (reqwest::Client, reqwest::Client, Uuid) {
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(app).service("Payroll", Some(owner.id)).await;
    (manager, owner_client, service)
}

/// Moves the exercise to review, confirming whatever is still outstanding.
async fn move_to_review(app: &TestApp, manager: &reqwest::Client, exercise: Uuid) {
    let (_, version) = exercise_status(app, exercise).await;
    let moved = app
        .post(
            manager,
            &format!("/bia/{exercise}/advance"),
            &[("version", &version.to_string()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(moved.status(), 303);
}

/// Submits the complete answers to the questionnaire at `path` as `client`.
async fn submit(app: &TestApp, client: &reqwest::Client, path: &str) {
    app.post_form(client, &format!("{path}/submit"), &complete_answers(1))
        .await;
}

/// A manager's approval of `assessment` with these fields, at its current version.
async fn approve(
    app: &TestApp,
    manager: &reqwest::Client,
    assessment: Uuid,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let version = version_of(app, assessment).await.to_string();
    let mut form = fields.to_vec();
    form.push(("version", &version));
    app.post(
        manager,
        &format!("/bia/assessments/{assessment}/approve"),
        &form,
    )
    .await
}

#[tokio::test]
async fn moving_to_review_with_questionnaires_outstanding_needs_confirmation_and_can_be_undone() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let services = [
        catalogue.service("Payroll", Some(owner.id)).await,
        catalogue.service("Billing", Some(owner.id)).await,
    ];
    let (exercise, assessments) = open_exercise(&app, &services).await;
    let page = app
        .get(&manager, &format!("/bia/{exercise}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2 not started"),
        "the confirmation says what is outstanding"
    );

    let (_, version) = exercise_status(&app, exercise).await;
    let advance = format!("/bia/{exercise}/advance");
    let unconfirmed = app
        .post(&manager, &advance, &[("version", &version.to_string())])
        .await;
    let page = followed(&app, &manager, unconfirmed).await;
    assert!(
        page.contains("Not moved to review: 2 not started"),
        "{page}"
    );
    assert_eq!(exercise_status(&app, exercise).await.0, "open");

    let confirmed = app
        .post(
            &manager,
            &advance,
            &[("version", &version.to_string()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(exercise_status(&app, exercise).await.0, "in_review");

    // In review the owner's unanswered questionnaire is frozen.
    let path = format!("/bia/assessments/{}", assessments[0]);
    let page = app.get(&owner_client, &path).await.text().await.unwrap();
    assert!(page.contains("this questionnaire is frozen"), "{page}");
    let submitted = app
        .post_form(
            &owner_client,
            &format!("{path}/submit"),
            &complete_answers(1),
        )
        .await;
    let page = followed(&app, &owner_client, submitted).await;
    assert!(page.contains("answers are frozen"), "{page}");
    assert_eq!(
        status_of(&app, assessments[0]).await,
        "draft",
        "not submitted"
    );

    // The manager takes the exercise back to open; the owner can answer again.
    let (_, version) = exercise_status(&app, exercise).await;
    let reopened = app
        .post(
            &manager,
            &format!("/bia/{exercise}/reopen"),
            &[("version", &version.to_string())],
        )
        .await;
    let page = followed(&app, &manager, reopened).await;
    assert!(page.contains("open again"), "{page}");
    assert_eq!(exercise_status(&app, exercise).await.0, "open");
    let submitted = app
        .post_form(
            &owner_client,
            &format!("{path}/submit"),
            &complete_answers(1),
        )
        .await;
    assert_eq!(submitted.status(), 303);
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");
    assert!(
        app.audit_count("bia_exercise", "change_status").await >= 2,
        "both moves are audited"
    );
}

#[tokio::test]
async fn each_progress_count_opens_exactly_the_questionnaires_it_counts() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", Some(owner.id)).await;
    let billing = catalogue.service("Billing", None).await;
    let (exercise, assessments) = open_exercise(&app, &[payroll, billing]).await;
    app.post_form(
        &owner_client,
        &format!("/bia/assessments/{}/submit", assessments[0]),
        &complete_answers(1),
    )
    .await;
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");

    let submitted = app
        .get(
            &manager,
            &format!("/bia/assessments?exercise={exercise}&state=submitted"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(submitted.contains(&format!("/bia/assessments/{}", assessments[0])));
    assert!(!submitted.contains(&format!("/bia/assessments/{}\"", assessments[1])));
    let not_started = app
        .get(
            &manager,
            &format!("/bia/assessments?exercise={exercise}&state=not_started"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(not_started.contains(&format!("/bia/assessments/{}\"", assessments[1])));
    assert!(!not_started.contains(&format!("/bia/assessments/{}\"", assessments[0])));

    // The owner's list holds only the questionnaires assigned to them.
    let own = app
        .get(&owner_client, "/bia/assessments")
        .await
        .text()
        .await
        .unwrap();
    assert!(own.contains(&format!("/bia/assessments/{}\"", assessments[0])));
    assert!(!own.contains(&format!("/bia/assessments/{}\"", assessments[1])));

    // The home page's tiles lead to the same lists.
    let home = app.get(&manager, "/").await.text().await.unwrap();
    assert!(
        home.contains("/bia/assessments?current=true&amp;work=review"),
        "{home}"
    );
}

#[tokio::test]
async fn a_refused_override_stands_next_to_its_field_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    submit(&app, &manager, &path).await;
    let refused = approve(
        &app,
        &manager,
        assessments[0],
        &[("rto", "3d"), ("rpo", "15m"), ("justification", "budget")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let field = page
        .find("id=\"rto-error\"")
        .expect("the refusal beside the RTO");
    assert!(page[field..].contains("cannot be longer than the MTPD"));
    assert!(page.contains("value=\"3d\"") && page.contains("value=\"budget\""));
    assert!(!page.contains("Still missing"), "not in the owner's box");
}

#[tokio::test]
async fn rto_plus_wrt_beyond_the_mtpd_warns_in_the_preview_and_on_the_review() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    // The grid reaches the unacceptable level at 24h: MTPD 24h, RTO 8h; 8h + 17h > 24h.
    let mut answers = complete_answers(1);
    for (name, value) in answers.iter_mut() {
        if name == "wrt" {
            *value = "17h".into();
        }
    }
    let preview = app
        .post_form(&manager, &format!("{path}/preview"), &answers)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        preview.contains("plus the work recovery time (17h) is 25h, longer than the MTPD (24h)"),
        "{preview}"
    );
    app.post_form(&manager, &format!("{path}/submit"), &answers)
        .await;
    let review = app.get(&manager, &path).await.text().await.unwrap();
    let form = review.find("id=\"review\"").expect("the review forms");
    assert!(
        review[form..].contains("longer than the MTPD (24h)"),
        "in view of the decision"
    );
}

#[tokio::test]
async fn an_owner_starts_from_last_years_answers_which_are_saved_only_when_she_saves() {
    let app = TestApp::spawn().await;
    let (manager, owner_client, service) = manager_owner_and_service(&app).await;
    // Last year: answered, submitted and approved.
    let (_, last_year) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", last_year[0]);
    submit(&app, &owner_client, &path).await;
    let approved = approve(
        &app,
        &manager,
        last_year[0],
        &[
            ("rto", "8h"),
            ("rpo", "1h"),
            ("justification", "Agreed with the business"),
        ],
    )
    .await;
    assert_eq!(approved.status(), 303);
    assert_eq!(status_of(&app, last_year[0]).await, "approved");

    // This year: the grid starts blank, with the offer to start from last year's answers.
    let (_, this_year) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", this_year[0]);
    let blank = app.get(&owner_client, &path).await.text().await.unwrap();
    assert!(blank.contains("Start from last year's answers"), "{blank}");
    assert!(
        blank.contains(">4 Major</option>"),
        "level names in the choices"
    );
    let filled = app
        .get(&owner_client, &format!("{path}?start=previous"))
        .await
        .text()
        .await
        .unwrap();
    assert!(filled.contains("Last year's answers are filled in below"));
    assert!(
        filled.contains("value=\"4\" selected"),
        "last year's levels"
    );
    assert!(
        filled.contains("Orders stop being taken"),
        "and justifications"
    );
    assert_eq!(version_of(&app, this_year[0]).await, 1, "nothing saved yet");
}

#[tokio::test]
async fn in_review_a_manager_hands_a_frozen_draft_back_and_its_owner_finishes_it() {
    let app = TestApp::spawn().await;
    let (manager, owner_client, service) = manager_owner_and_service(&app).await;
    let (exercise, assessments) = open_exercise(&app, &[service]).await;
    move_to_review(&app, &manager, exercise).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    let page = app.get(&manager, &path).await.text().await.unwrap();
    assert!(page.contains("Hand it back to its owner"), "{page}");
    assert!(
        !app.get(&owner_client, "/")
            .await
            .text()
            .await
            .unwrap()
            .contains("Payroll"),
        "a frozen draft is not the owner's work"
    );
    let version = version_of(&app, assessments[0]).await.to_string();
    app.post(
        &manager,
        &format!("{path}/return"),
        &[("version", &version), ("comment", "Please finish the grid")],
    )
    .await;
    assert_eq!(status_of(&app, assessments[0]).await, "returned");
    let submitted = app
        .post_form(
            &owner_client,
            &format!("{path}/submit"),
            &complete_answers(version_of(&app, assessments[0]).await),
        )
        .await;
    assert_eq!(submitted.status(), 303);
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");
}

#[tokio::test]
async fn an_override_that_breaks_the_recovery_budget_is_approved_only_with_the_warning_seen() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    // MTPD 24h and WRT 2h: an overridden RTO of 23h fits the MTPD but not with the WRT.
    submit(&app, &manager, &path).await;
    let version = version_of(&app, assessments[0]).await.to_string();
    let fields = [
        ("rto", "23h"),
        ("rpo", "15m"),
        ("justification", "Contract terms"),
        ("version", version.as_str()),
    ];
    let first = app
        .post(&manager, &format!("{path}/approve"), &fields)
        .await;
    assert_eq!(first.status(), 422);
    let page = first.text().await.unwrap();
    assert!(page.contains("Approve again to confirm"), "{page}");
    assert!(page.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "yes"));
    let second = app
        .post(&manager, &format!("{path}/approve"), &confirmed)
        .await;
    assert_eq!(second.status(), 303);
    assert_eq!(status_of(&app, assessments[0]).await, "approved");
}
