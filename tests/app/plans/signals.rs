//! What waits for someone reaches them: a returned draft, a version to approve, a review due and
//! a plan to acknowledge show on the home page of the person who must act, and the return
//! comment shows by name at the top of the plan, the version and the editor.

use continuity::domain::role::Role;

use super::row_version;
use crate::support::TestApp;
use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast, complete_content};

#[tokio::test]
async fn a_returned_plan_reaches_its_owner_on_the_home_page_with_the_comment_by_name() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let manager = app
        .create_user_with(
            Role::ContinuityManager,
            "maria.lopez@test.example",
            "Maria Lopez",
        )
        .await;
    let manager_client = app.client();
    app.sign_in(&manager_client, &manager.email, &manager.password)
        .await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(
        &app,
        &complete_content(&[service], &cast),
        Some(owner.id),
        "in_review",
    )
    .await;

    let home = app.text(&manager_client, "/").await;
    assert!(
        home.contains("Plan versions waiting for your approval"),
        "{home}"
    );
    assert!(home.contains(&format!("/plans/{plan}/versions/1")));

    let version = row_version(&app, plan, 1).await.to_string();
    let returned = app
        .post(
            &manager_client,
            &format!("/plans/{plan}/versions/1/return"),
            &[("version", &version), ("comment", "Add the restore test")],
        )
        .await;
    assert_eq!(returned.status(), 303);

    let home = app.text(&owner_client, "/").await;
    assert!(home.contains("Plans returned to you for changes"), "{home}");
    assert!(home.contains(&format!("/plans/{plan}/edit")));
    assert!(home.contains("Maria Lopez: Add the restore test"), "{home}");
    for page in [
        format!("/plans/{plan}"),
        format!("/plans/{plan}/versions/1"),
        format!("/plans/{plan}/edit"),
    ] {
        let shown = app.text(&owner_client, &page).await;
        assert!(
            shown.contains("Returned by Maria Lopez on") && shown.contains("Add the restore test"),
            "{page} shows who returned it and why"
        );
    }
    let home = app.text(&manager_client, "/").await;
    assert!(
        !home.contains("waiting for your approval"),
        "nothing left to approve"
    );
}

#[tokio::test]
async fn a_person_named_in_a_plan_in_force_is_asked_to_read_it_until_they_acknowledge() {
    let app = TestApp::spawn().await;
    let (client, reader) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let cast = Cast::new(&app, Some(reader.id)).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;

    let home = app.text(&client, "/").await;
    assert!(
        home.contains("Plans naming you to read and acknowledge"),
        "{home}"
    );
    assert!(home.contains(&format!("/plans/{plan}#acknowledgements")));
    let acknowledged = app
        .post(&client, &format!("/plans/{plan}/acknowledge"), &[])
        .await;
    assert_eq!(acknowledged.status(), 303);
    let home = app.text(&client, "/").await;
    assert!(
        !home.contains("Plans naming you to read"),
        "acknowledged: {home}"
    );
}

#[tokio::test]
async fn an_owner_sees_their_plans_due_for_review_and_not_other_owners() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let cast = Cast::new(&app, None).await;
    let mine = plans::plan(
        &app,
        &complete_content(&[catalogue.service("Payroll", Some(owner.id)).await], &cast),
        None,
        "approved",
    )
    .await;
    let theirs = plans::plan(
        &app,
        &complete_content(&[catalogue.service("Billing", Some(other.id)).await], &cast),
        None,
        "approved",
    )
    .await;
    sqlx::query("update plans set next_review_on = current_date - 3")
        .execute(&app.state.db)
        .await
        .expect("overdue");

    let home = app.text(&client, "/").await;
    assert!(home.contains("Plans due for review"), "{home}");
    assert!(home.contains(&format!("/plans/{mine}\"")));
    assert!(!home.contains(&format!("/plans/{theirs}\"")));
}
