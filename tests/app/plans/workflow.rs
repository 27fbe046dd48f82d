//! The approval workflow: submit, return with a comment, approve, four-eyes, frozen versions and
//! every illegal move refused.

use continuity::domain::role::Role;

use super::{page_after, row_version};
use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast, complete_content, draft_form, status_of};
use crate::support::{TestApp, location};

#[tokio::test]
async fn an_owner_drafts_and_submits_a_manager_returns_then_approves() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let (manager_client, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let cast = Cast::new(&app, None).await;

    let created = app
        .post_form(
            &owner_client,
            "/plans",
            &[
                ("kind", "recovery".to_string()),
                ("title", "Payroll recovery".to_string()),
                ("service", service.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let edit = location(&created);
    assert!(edit.ends_with("/edit"), "{edit}");
    let plan: uuid::Uuid = edit.split('/').nth(2).unwrap().parse().unwrap();
    assert_eq!(status_of(&app, plan, 1).await, "draft");

    let content = complete_content(&[service], &cast);
    let saved = app
        .post_form(
            &owner_client,
            &edit,
            &draft_form(
                "Payroll recovery",
                &content,
                row_version(&app, plan, 1).await,
            ),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let submit = format!("/plans/{plan}/versions/1/submit");
    let version = row_version(&app, plan, 1).await.to_string();
    app.post(&owner_client, &submit, &[("version", &version)])
        .await;
    assert_eq!(status_of(&app, plan, 1).await, "in_review");

    let version = row_version(&app, plan, 1).await.to_string();
    let returned = app
        .post(
            &manager_client,
            &format!("/plans/{plan}/versions/1/return"),
            &[("version", &version), ("comment", "Add the restore test")],
        )
        .await;
    assert_eq!(returned.status(), 303);
    assert_eq!(status_of(&app, plan, 1).await, "draft");
    let page = app
        .get(&owner_client, &format!("/plans/{plan}/versions/1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Add the restore test"),
        "the owner sees the comment"
    );

    let mut amended = content.clone();
    amended.steps[1].action = "Restore and run the restore test".into();
    app.post_form(
        &owner_client,
        &edit,
        &draft_form(
            "Payroll recovery",
            &amended,
            row_version(&app, plan, 1).await,
        ),
    )
    .await;
    let version = row_version(&app, plan, 1).await.to_string();
    app.post(&owner_client, &submit, &[("version", &version)])
        .await;
    assert_eq!(status_of(&app, plan, 1).await, "in_review");

    let version = row_version(&app, plan, 1).await.to_string();
    let approved = app
        .post(
            &manager_client,
            &format!("/plans/{plan}/versions/1/approve"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(approved.status(), 303);
    assert_eq!(status_of(&app, plan, 1).await, "approved");
    let page = page_after(&app, &manager_client, approved).await;
    assert!(page.contains("In force: version 1"), "{page}");
    assert!(page.contains("Restore and run the restore test"));
    let next_review: Option<time::Date> =
        sqlx::query_scalar("select next_review_on from plans where id = $1")
            .bind(plan)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(next_review.is_some(), "approval starts the review clock");
    assert!(app.audit_count("plan_version", "approved").await >= 1);
}

#[tokio::test]
async fn nobody_approves_their_own_work() {
    let app = TestApp::spawn().await;
    let (author_client, author) = app.signed_in(Role::ContinuityManager).await;
    let (other_client, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Billing", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(
        &app,
        &complete_content(&[service], &cast),
        Some(author.id),
        "in_review",
    )
    .await;
    let approve = format!("/plans/{plan}/versions/1/approve");

    let version = row_version(&app, plan, 1).await.to_string();
    let refused = app
        .post(&author_client, &approve, &[("version", &version)])
        .await;
    let page = page_after(&app, &author_client, refused).await;
    assert!(page.contains("nobody approves their own work"), "{page}");
    assert_eq!(status_of(&app, plan, 1).await, "in_review");

    app.post(&other_client, &approve, &[("version", &version)])
        .await;
    assert_eq!(status_of(&app, plan, 1).await, "approved");
}

#[tokio::test]
async fn a_manager_who_edited_a_draft_cannot_approve_it() {
    let app = TestApp::spawn().await;
    let (manager_client, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Ledger", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "draft").await;
    let title: String = sqlx::query_scalar("select title from plans where id = $1")
        .bind(plan)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.post_form(
        &manager_client,
        &format!("/plans/{plan}/edit"),
        &draft_form(&title, &content, row_version(&app, plan, 1).await),
    )
    .await;
    let version = row_version(&app, plan, 1).await.to_string();
    app.post(
        &manager_client,
        &format!("/plans/{plan}/versions/1/submit"),
        &[("version", &version)],
    )
    .await;
    let version = row_version(&app, plan, 1).await.to_string();
    app.post(
        &manager_client,
        &format!("/plans/{plan}/versions/1/approve"),
        &[("version", &version)],
    )
    .await;
    assert_eq!(status_of(&app, plan, 1).await, "in_review");
}

#[tokio::test]
async fn a_service_owner_cannot_approve_or_return_a_plan_even_for_their_own_service() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Stores", Some(owner.id)).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(
        &app,
        &complete_content(&[service], &cast),
        None,
        "in_review",
    )
    .await;
    let version = row_version(&app, plan, 1).await.to_string();
    for action in ["approve", "return"] {
        let response = app
            .post(
                &owner_client,
                &format!("/plans/{plan}/versions/1/{action}"),
                &[("version", &version), ("comment", "fine")],
            )
            .await;
        assert_eq!(response.status(), 403, "{action}");
    }
    assert_eq!(status_of(&app, plan, 1).await, "in_review");
}

#[tokio::test]
async fn illegal_moves_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Mail", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let cases = [
        ("draft", "approve", ""),
        ("draft", "return", "Why"),
        ("in_review", "submit", ""),
        ("in_review", "return", ""),
        ("approved", "submit", ""),
        ("approved", "return", "Why"),
        ("approved", "approve", ""),
    ];
    for (status, action, comment) in cases {
        let plan = plans::plan(&app, &content, None, status).await;
        let version = row_version(&app, plan, 1).await.to_string();
        let response = app
            .post(
                &manager,
                &format!("/plans/{plan}/versions/1/{action}"),
                &[("version", &version), ("comment", comment)],
            )
            .await;
        assert_eq!(response.status(), 303, "{action} of a {status} version");
        assert_eq!(
            status_of(&app, plan, 1).await,
            status,
            "{action} of a {status} version must change nothing"
        );
    }
}

#[tokio::test]
async fn an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Wiki", None).await;
    let cast = Cast::new(&app, None).await;
    let mut content = complete_content(&[service], &cast);
    content.steps.clear();
    content.invocation.successor = None;
    let plan = plans::plan(&app, &content, None, "draft").await;
    let version = row_version(&app, plan, 1).await.to_string();
    let response = app
        .post(
            &manager,
            &format!("/plans/{plan}/versions/1/submit"),
            &[("version", &version)],
        )
        .await;
    let page = page_after(&app, &manager, response).await;
    assert!(page.contains("Add the recovery steps."), "{page}");
    assert!(page.contains("Name a successor to the invocation authority."));
    assert_eq!(status_of(&app, plan, 1).await, "draft");
}

#[tokio::test]
async fn a_submitted_version_cannot_change() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Search", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "in_review").await;
    let mut changed = content.clone();
    changed.steps[0].action = "Something else".into();
    let response = app
        .post_form(
            &manager,
            &format!("/plans/{plan}/edit"),
            &draft_form("Whatever", &changed, row_version(&app, plan, 1).await),
        )
        .await;
    let page = page_after(&app, &manager, response).await;
    assert!(page.contains("frozen"), "{page}");
    let stored: serde_json::Value =
        sqlx::query_scalar("select content from plan_versions where plan_id = $1")
            .bind(plan)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored, serde_json::to_value(&content).unwrap());
    // The database itself refuses, whatever the application might try.
    let direct = sqlx::query("update plan_versions set content = '{}' where plan_id = $1")
        .bind(plan)
        .execute(&app.state.db)
        .await;
    assert!(
        direct.is_err(),
        "a frozen version's content must not change"
    );
}

#[tokio::test]
async fn approving_a_new_version_supersedes_the_old_one_which_stays_readable() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Intranet", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    plans::next_version(&app, plan, "in_review").await;
    let version = row_version(&app, plan, 2).await.to_string();
    app.post(
        &manager,
        &format!("/plans/{plan}/versions/2/approve"),
        &[("version", &version)],
    )
    .await;
    assert_eq!(status_of(&app, plan, 2).await, "approved");
    assert_eq!(status_of(&app, plan, 1).await, "superseded");
    let old = app
        .get(&manager, &format!("/plans/{plan}/versions/1"))
        .await;
    assert_eq!(old.status(), 200);
    assert!(old.text().await.unwrap().contains("Superseded"));
}

#[tokio::test]
async fn the_version_a_new_approval_supersedes_gets_its_own_audit_row() {
    let app = TestApp::spawn().await;
    let (manager, approver) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Intranet", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    plans::next_version(&app, plan, "in_review").await;
    let version = row_version(&app, plan, 2).await.to_string();
    let approved = app
        .post(
            &manager,
            &format!("/plans/{plan}/versions/2/approve"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(approved.status(), 303);
    assert_eq!(status_of(&app, plan, 1).await, "superseded");

    let rows: Vec<(Option<uuid::Uuid>, serde_json::Value, serde_json::Value)> = sqlx::query_as(
        "select a.actor_id, a.before, a.after from audit_log a
         join plan_versions v on v.id::text = a.entity_id
         where a.entity = 'plan_version' and a.action = 'superseded'
           and v.plan_id = $1 and v.number = 1",
    )
    .bind(plan)
    .fetch_all(&app.state.db)
    .await
    .expect("audit rows");
    assert_eq!(rows.len(), 1, "one row for the superseded version");
    let (actor, before, after) = &rows[0];
    assert_eq!(*actor, Some(approver.id), "the approver superseded it");
    assert_eq!(before["status"], "approved");
    assert_eq!(after["status"], "superseded");
}

#[tokio::test]
async fn a_retired_plan_is_read_only() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Fax", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let version = super::plan_version(&app, plan).await.to_string();
    let retired = app
        .post(
            &manager,
            &format!("/plans/{plan}/retire"),
            &[("version", &version), ("comment", "Fax is gone")],
        )
        .await;
    assert_eq!(retired.status(), 303);
    let revise = app
        .post(&manager, &format!("/plans/{plan}/revise"), &[])
        .await;
    let page = page_after(&app, &manager, revise).await;
    assert!(page.contains("retired"), "{page}");
    let versions: i64 = sqlx::query_scalar("select count(*) from plan_versions where plan_id = $1")
        .bind(plan)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(versions, 1);
}
