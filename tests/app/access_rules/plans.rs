//! Owners read every plan's approved and superseded versions, but drafts and versions in review
//! only of plans over their own services: another owner's unfinished work is not theirs to read.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast};
use crate::support::{TestApp, TestUser};

const UNFINISHED: &str = "Unfinished thoughts on failover";

/// A plan over a service of `owner` whose version 1 is in `status`, its scope section holding
/// the words [`UNFINISHED`].
async fn plan_of(app: &TestApp, owner: &TestUser, status: &str) -> Uuid {
    let service = Catalogue::new(app).service("Ledger", Some(owner.id)).await;
    let cast = Cast::new(app, None).await;
    let mut content = plans::complete_content(&[service], &cast);
    content.sections[0].body = UNFINISHED.into();
    plans::plan(app, &content, None, status).await
}

#[tokio::test]
async fn an_owner_reads_another_owners_approved_versions_but_not_the_one_in_review() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let author = app.create_user(Role::ServiceOwner).await;
    let authors_client = app.client();
    app.sign_in(&authors_client, &author.email, &author.password)
        .await;
    let plan = plan_of(&app, &author, "approved").await;
    plans::next_version(&app, plan, "in_review").await;

    let in_review = format!("/plans/{plan}/versions/2");
    assert_eq!(app.get(&owner, &in_review).await.status(), 403);
    assert_eq!(
        app.get(&owner, &format!("/plans/{plan}/versions/1"))
            .await
            .status(),
        200
    );
    assert_eq!(app.get(&auditor, &in_review).await.status(), 200);
    assert_eq!(app.get(&authors_client, &in_review).await.status(), 200);

    let page = app.text(&owner, &format!("/plans/{plan}")).await;
    assert!(page.contains(UNFINISHED), "the approved version is shown");
    assert!(
        !page.contains(&in_review),
        "no link to the version in review: {page}"
    );
    let authors_page = app.text(&authors_client, &format!("/plans/{plan}")).await;
    assert!(authors_page.contains(&in_review));
}

#[tokio::test]
async fn an_owner_does_not_see_another_owners_first_draft() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let author = app.create_user(Role::ServiceOwner).await;
    let plan = plan_of(&app, &author, "draft").await;

    let response = app.get(&owner, &format!("/plans/{plan}")).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("Fixture plan"),
        "the plan's page itself is open: {page}"
    );
    assert!(!page.contains(UNFINISHED), "{page}");
    assert!(!page.contains(&format!("/plans/{plan}/versions/1")));
    assert_eq!(
        app.get(&owner, &format!("/plans/{plan}/versions/1"))
            .await
            .status(),
        403
    );
    let managers_page = app.text(&manager, &format!("/plans/{plan}")).await;
    assert!(managers_page.contains(UNFINISHED));
}
