//! Business impact analysis through its pages: planning and opening an exercise, the owner's
//! questionnaire, submission, return, approval, overrides, conflicts and illegal moves.

use continuity::domain::bia::method::Method;
use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::bia::open_exercise;
use crate::support::catalogue::Catalogue;
use crate::support::{TestApp, location};

/// A complete questionnaire: financial reaches level 4 at the fourth bucket (24h), everything
/// else stays at 2; data loss becomes unacceptable at the third data-loss bucket.
pub(crate) fn complete_answers(version: i32) -> Vec<(String, String)> {
    let method = Method::default_method();
    let mut form = vec![("version".to_string(), version.to_string())];
    for category in &method.categories {
        for index in 0..method.time_buckets.len() {
            let level = if category.key == method.categories[0].key && index >= 3 {
                4
            } else {
                2
            };
            form.push((
                format!("impact.{}.{index}", category.key),
                level.to_string(),
            ));
        }
        form.push((
            format!("justification.{}", category.key),
            "Orders stop being taken".into(),
        ));
    }
    for index in 0..method.data_loss_buckets.len() {
        let level = if index >= 2 { 4 } else { 1 };
        form.push((format!("data_loss.{index}"), level.to_string()));
    }
    form.push(("wrt".into(), "2h".into()));
    form
}

pub(crate) async fn version_of(app: &TestApp, assessment: Uuid) -> i32 {
    sqlx::query_scalar("select version from bia_assessments where id = $1")
        .bind(assessment)
        .fetch_one(&app.state.db)
        .await
        .expect("version")
}

pub(crate) async fn status_of(app: &TestApp, assessment: Uuid) -> String {
    sqlx::query_scalar("select status from bia_assessments where id = $1")
        .bind(assessment)
        .fetch_one(&app.state.db)
        .await
        .expect("status")
}

#[tokio::test]
async fn a_manager_plans_and_opens_an_exercise_with_one_questionnaire_per_service() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", Some(owner.id)).await;
    let email = catalogue.service("Email", None).await;
    let response = app
        .post_form(
            &manager,
            "/bia",
            &[
                ("name", "BIA 2027".to_string()),
                ("due_date", "2027-03-31".to_string()),
                ("service", payroll.to_string()),
                ("service", email.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let exercise = location(&response);
    let page = app.get(&manager, &exercise).await.text().await.unwrap();
    assert!(page.contains("planned with 2 services"));
    let version: i32 = sqlx::query_scalar("select version from bia_exercises")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let opened = app
        .post(
            &manager,
            &format!("{exercise}/advance"),
            &[("version", &version.to_string())],
        )
        .await;
    assert_eq!(opened.status(), 303);
    let page = app.get(&manager, &exercise).await.text().await.unwrap();
    assert!(page.contains("2 questionnaires are waiting"));
    assert!(page.contains("Not started"));
    let home = app.get(&owner_client, "/").await.text().await.unwrap();
    assert!(home.contains("BIA questionnaires to answer") && home.contains("Payroll"));
}

#[tokio::test]
async fn a_refused_exercise_form_explains_itself() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post(&manager, "/bia", &[("name", ""), ("due_date", "next week")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Name the exercise"));
    assert!(page.contains("Enter the due date as a date"));
    assert!(page.contains("Choose at least one service"));
}

#[tokio::test]
async fn an_owner_saves_a_partial_draft_and_finds_every_answer_again() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    let method = Method::default_method();
    let key = &method.categories[1].key;
    let form = [
        ("version", "1".to_string()),
        (&*format!("impact.{key}.0"), "3".to_string()),
        (
            &*format!("justification.{key}"),
            "Warehouses stop".to_string(),
        ),
        ("mbco_percent", "40".to_string()),
        ("wrt", "4h".to_string()),
    ];
    let saved = app.post_form(&client, &path, &form).await;
    assert_eq!(saved.status(), 303);
    let page = app.get(&client, &path).await.text().await.unwrap();
    assert!(page.contains("Draft saved"));
    assert!(page.contains(&format!("id=\"impact.{key}.0\"")));
    assert!(
        page.contains("<option value=\"3\" selected"),
        "the level is kept"
    );
    assert!(
        page.contains("Warehouses stop")
            && page.contains("value=\"40\"")
            && page.contains("value=\"4h\"")
    );
}

#[tokio::test]
async fn submitting_an_incomplete_questionnaire_keeps_the_answers_and_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    let mut form = complete_answers(1);
    form.retain(|(name, _)| !name.ends_with(".1") || !name.starts_with("impact."));
    let response = app
        .post_form(&client, &format!("{path}/submit"), &form)
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Still missing"));
    assert!(page.contains("no level for 4h"), "names the exact bucket");
    assert_eq!(status_of(&app, assessments[0]).await, "draft");
    assert!(
        version_of(&app, assessments[0]).await > 1,
        "the answers were saved anyway"
    );
}

#[tokio::test]
async fn submit_return_resubmit_approve_gives_the_service_its_rto_and_tier() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);

    assert_eq!(
        app.post_form(
            &owner_client,
            &format!("{path}/submit"),
            &complete_answers(1)
        )
        .await
        .status(),
        303
    );
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");
    // An owner cannot approve.
    let version = version_of(&app, assessments[0]).await.to_string();
    assert_eq!(
        app.post(
            &owner_client,
            &format!("{path}/approve"),
            &[("version", &version)]
        )
        .await
        .status(),
        403
    );

    let returned = app
        .post(
            &manager,
            &format!("{path}/return"),
            &[
                ("comment", "Check the data loss ratings"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(returned.status(), 303);
    let page = app.get(&owner_client, &path).await.text().await.unwrap();
    assert!(
        page.contains("Check the data loss ratings"),
        "the owner sees the comment"
    );

    let version = version_of(&app, assessments[0]).await;
    assert_eq!(
        app.post_form(
            &owner_client,
            &format!("{path}/submit"),
            &complete_answers(version)
        )
        .await
        .status(),
        303
    );
    let page = app.get(&manager, &path).await.text().await.unwrap();
    assert!(
        page.contains("24h") && page.contains("8h"),
        "MTPD 24h, RTO 8h derived: {page}"
    );
    let version = version_of(&app, assessments[0]).await.to_string();
    let approved = app
        .post(
            &manager,
            &format!("{path}/approve"),
            &[("rto", "8h"), ("rpo", "15m"), ("version", &version)],
        )
        .await;
    assert_eq!(approved.status(), 303);
    assert_eq!(status_of(&app, assessments[0]).await, "approved");
    let (rto, tier): (Option<i32>, Option<String>) =
        sqlx::query_as("select bia_rto_minutes, bia_tier_name from services where id = $1")
            .bind(service)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rto, Some(8 * 60));
    assert_eq!(tier.as_deref(), Some("Business critical"));
    let service_page = app
        .get(&manager, &format!("/services/{service}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(service_page.contains("Business critical") && service_page.contains("8h"));
}

#[tokio::test]
async fn an_override_cannot_put_the_rto_beyond_the_mtpd_and_needs_a_reason() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    app.post_form(&manager, &format!("{path}/submit"), &complete_answers(1))
        .await;
    let version = version_of(&app, assessments[0]).await.to_string();
    let too_long = app
        .post(
            &manager,
            &format!("{path}/approve"),
            &[
                ("rto", "3d"),
                ("rpo", "15m"),
                ("justification", "budget"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(too_long.status(), 422);
    assert!(
        too_long
            .text()
            .await
            .unwrap()
            .contains("cannot be longer than the MTPD")
    );
    let no_reason = app
        .post(
            &manager,
            &format!("{path}/approve"),
            &[("rto", "4h"), ("rpo", "15m"), ("version", &version)],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(status_of(&app, assessments[0]).await, "submitted");
    let overridden = app
        .post(
            &manager,
            &format!("{path}/approve"),
            &[
                ("rto", "4h"),
                ("rpo", "15m"),
                ("justification", "Regulator expects 4h"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(overridden.status(), 303);
    let tier: Option<String> =
        sqlx::query_scalar("select bia_tier_name from services where id = $1")
            .bind(service)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(tier.as_deref(), Some("Mission critical"));
}

#[tokio::test]
async fn illegal_moves_are_refused() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    // A draft cannot be approved or returned.
    app.post(
        &manager,
        &format!("{path}/approve"),
        &[("rto", "8h"), ("rpo", "1h"), ("version", "1")],
    )
    .await;
    let page = app.get(&manager, &path).await.text().await.unwrap();
    assert!(page.contains("A draft assessment cannot be approved."));
    app.post(
        &manager,
        &format!("{path}/return"),
        &[("comment", "x"), ("version", "1")],
    )
    .await;
    assert_eq!(status_of(&app, assessments[0]).await, "draft");
}

#[tokio::test]
async fn an_owner_sees_and_answers_only_their_own_questionnaires() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Email", Some(other.id)).await;
    let (exercise, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    assert_eq!(app.get(&client, &path).await.status(), 403);
    assert_eq!(
        app.post_form(&client, &path, &complete_answers(1))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&client, &format!("/bia/{exercise}")).await.status(),
        403
    );
}

#[tokio::test]
async fn two_people_saving_the_same_questionnaire_get_a_conflict_not_a_silent_overwrite() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    assert_eq!(
        app.post_form(&manager, &path, &[("version", "1"), ("wrt", "1h")])
            .await
            .status(),
        303
    );
    let stale = app
        .post_form(&owner_client, &path, &[("version", "1"), ("wrt", "6h")])
        .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("Someone else saved first"));
    assert!(
        page.contains("name=\"wrt\" value=\"6h\""),
        "the owner's answers are kept for resubmission"
    );
}

#[tokio::test]
async fn the_preview_explains_the_derivation_without_saving() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (_, assessments) = open_exercise(&app, &[service]).await;
    let response = app
        .post_form(
            &manager,
            &format!("/bia/assessments/{}/preview", assessments[0]),
            &complete_answers(1),
        )
        .await;
    assert_eq!(response.status(), 200);
    let panel = response.text().await.unwrap();
    assert!(panel.contains("id=\"derived\"") && panel.contains("<svg"));
    assert!(!panel.contains("<html"), "a fragment for htmx");
    assert_eq!(version_of(&app, assessments[0]).await, 1, "nothing saved");
}

#[tokio::test]
async fn the_results_export_lists_each_service() {
    let app = TestApp::spawn().await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (exercise, _) = open_exercise(&app, &[service]).await;
    let csv = app
        .get(&auditor, &format!("/bia/{exercise}/results.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("Payroll") && csv.contains("Not started"));
}

#[tokio::test]
async fn the_printable_report_groups_services_by_tier() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (exercise, assessments) = open_exercise(&app, &[service]).await;
    app.post_form(
        &manager,
        &format!("/bia/assessments/{}/submit", assessments[0]),
        &complete_answers(1),
    )
    .await;
    let report = app
        .get(&manager, &format!("/bia/{exercise}/report"))
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("Services per tier") && report.contains("<svg"));
    let business_critical = report
        .split("<h2>Business critical")
        .nth(1)
        .expect("a section for the tier");
    assert!(business_critical.contains("Payroll") && business_critical.contains("derived"));
}

#[tokio::test]
async fn a_manager_changes_the_method_and_only_new_exercises_use_it() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (old_exercise, _) = open_exercise(&app, &[service]).await;
    let page = app.get(&manager, "/bia/method").await.text().await.unwrap();
    assert!(page.contains("1h, 4h, 8h, 24h, 72h, 1w, 2w, 30d"));
    let mut form =
        continuity::domain::bia::method_form::MethodForm::from_method(&Method::default_method());
    form.unacceptable_level = "3".into();
    let mut form = form.to_pairs();
    form.push(("version".into(), "0".into()));
    let bad = app
        .post(
            &manager,
            "/bia/method",
            &[("unacceptable_level", "9"), ("version", "0")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let saved = app.post_form(&manager, "/bia/method", &form).await;
    assert_eq!(
        saved.status(),
        303,
        "{}",
        app.get(&manager, "/bia/method").await.text().await.unwrap()
    );
    let old: i64 = sqlx::query_scalar(
        "select (method->>'unacceptable_level')::bigint from bia_exercises where id = $1",
    )
    .bind(old_exercise)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(old, 4, "the running exercise keeps its method");
    app.post_form(
        &manager,
        "/bia",
        &[
            ("name", "BIA next".to_string()),
            ("service", service.to_string()),
        ],
    )
    .await;
    let new: i64 = sqlx::query_scalar(
        "select (method->>'unacceptable_level')::bigint from bia_exercises where name = 'BIA next'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(new, 3);
}

#[tokio::test]
async fn an_exercise_is_approved_only_when_every_assessment_is() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let (exercise, _) = open_exercise(&app, &[service]).await;
    let advance = |version: &'static str| {
        let manager = manager.clone();
        let path = format!("/bia/{exercise}/advance");
        let app = &app;
        // Moving to review with the questionnaire unanswered needs the manager's confirmation.
        async move {
            app.post(&manager, &path, &[("version", version), ("confirm", "yes")])
                .await
        }
    };
    advance("2").await;
    let status: String = sqlx::query_scalar("select status from bia_exercises")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "in_review");
    let refused = advance("3").await;
    let page = app
        .get(&manager, &location(&refused))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("1 assessment still waits for approval"),
        "{page}"
    );
    let status: String = sqlx::query_scalar("select status from bia_exercises")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "in_review");
}

#[tokio::test]
async fn the_home_page_shows_the_posture() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", None).await;
    catalogue.service("Email", None).await;
    sqlx::query(
        "update services set bia_tier_rank = 1, bia_tier_name = 'Mission critical' where id = $1",
    )
    .bind(payroll)
    .execute(&app.state.db)
    .await
    .unwrap();
    open_exercise(&app, &[payroll]).await;
    let home = app.get(&manager, "/").await.text().await.unwrap();
    let posture = home
        .split("<h2>Posture</h2>")
        .nth(1)
        .expect("a posture section");
    assert!(
        posture
            .contains("<span class=\"stat-value\">2</span><span class=\"stat-label\">IT services")
    );
    assert!(posture.contains(
        "<span class=\"stat-value\">1</span><span class=\"stat-label\">mission critical"
    ));
    assert!(posture.contains(
        "<span class=\"stat-value\">1</span><span class=\"stat-label\">without an approved BIA"
    ));
    assert!(posture.contains("<span class=\"stat-value\">1</span><span class=\"stat-label\">BIA questionnaires still to answer"));
}
