//! Writing drafts: what the editor refuses, keeps and warns about.

use continuity::domain::role::Role;

use super::row_version;
use crate::support::TestApp;
use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast, complete_content, draft_form};

async fn title_of(app: &TestApp, plan: uuid::Uuid) -> String {
    sqlx::query_scalar("select title from plans where id = $1")
        .bind(plan)
        .fetch_one(&app.state.db)
        .await
        .expect("title")
}

#[tokio::test]
async fn a_bad_draft_is_refused_row_by_row_with_everything_typed_kept() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "draft").await;
    let mut form = draft_form(
        &title_of(&app, plan).await,
        &content,
        row_version(&app, plan, 1).await,
    );
    for (name, value) in form.iter_mut() {
        if *name == "step_duration" && value == "2h" {
            *value = "two hours".into();
        }
        if *name == "step_after" && value.is_empty() {
            *value = "S9".into();
        }
    }
    let response = app
        .post_form(&manager, &format!("/plans/{plan}/edit"), &form)
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("“two hours” is not a duration"), "{page}");
    assert!(page.contains("waits for “S9”, which is not a step of this plan"));
    assert!(
        page.contains("value=\"two hours\""),
        "the typed value is kept"
    );
    let stored: serde_json::Value =
        sqlx::query_scalar("select content from plan_versions where plan_id = $1")
            .bind(plan)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        stored,
        serde_json::to_value(&content).unwrap(),
        "nothing saved"
    );
}

#[tokio::test]
async fn steps_that_wait_for_each_other_are_refused_with_the_circle() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Orders", None).await;
    let cast = Cast::new(&app, None).await;
    let mut content = complete_content(&[service], &cast);
    content.steps[0].predecessors = vec!["S2".into()];
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "draft").await;
    let form = draft_form(
        &title_of(&app, plan).await,
        &content,
        row_version(&app, plan, 1).await,
    );
    let response = app
        .post_form(&manager, &format!("/plans/{plan}/edit"), &form)
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("wait for each other in a circle")
    );
}

#[tokio::test]
async fn an_owner_starts_plans_only_for_their_own_services() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let foreign = Catalogue::new(&app).service("Someone else's", None).await;
    let response = app
        .post_form(
            &owner,
            "/plans",
            &[
                ("kind", "recovery".to_string()),
                ("title", "Not mine".to_string()),
                ("service", foreign.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Choose among the listed services"), "{page}");
    assert!(page.contains("value=\"Not mine\""), "the title is kept");
}

#[tokio::test]
async fn an_owner_cannot_edit_a_plan_for_someone_elses_service() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Theirs", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "draft").await;
    assert_eq!(
        app.get(&owner, &format!("/plans/{plan}/edit"))
            .await
            .status(),
        403
    );
    let form = draft_form("Hijack", &content, row_version(&app, plan, 1).await);
    let response = app
        .post_form(&owner, &format!("/plans/{plan}/edit"), &form)
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_stale_save_gets_the_conflict_page_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Tills", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "draft").await;
    let title = title_of(&app, plan).await;
    let stale = row_version(&app, plan, 1).await;
    let first = app
        .post_form(
            &manager,
            &format!("/plans/{plan}/edit"),
            &draft_form(&title, &content, stale),
        )
        .await;
    assert_eq!(first.status(), 303);
    let mut mine = content.clone();
    mine.steps[0].action = "My late change".into();
    let second = app
        .post_form(
            &manager,
            &format!("/plans/{plan}/edit"),
            &draft_form(&title, &mine, stale),
        )
        .await;
    assert_eq!(second.status(), 409);
    assert!(second.text().await.unwrap().contains("My late change"));
}

#[tokio::test]
async fn markdown_with_a_script_renders_harmless() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Portal", None).await;
    let cast = Cast::new(&app, None).await;
    let mut content = complete_content(&[service], &cast);
    content.sections[0].body =
        "**Bold** <script>alert('owned')</script> <img src=x onerror=alert(1)>".into();
    let plan = plans::plan(&app, &content, None, "approved").await;
    for path in [
        format!("/plans/{plan}"),
        format!("/plans/{plan}/versions/1"),
        format!("/plans/{plan}/pack"),
    ] {
        let page = app.get(&manager, &path).await.text().await.unwrap();
        assert!(page.contains("<strong>Bold</strong>"), "{path}");
        assert!(!page.contains("alert("), "{path} must not carry the script");
        assert!(!page.contains("onerror"), "{path}");
    }
}

#[tokio::test]
async fn a_plan_that_takes_longer_than_an_rto_says_so() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Checkout", None).await;
    sqlx::query("update services set bia_rto_minutes = 120 where id = $1")
        .bind(service)
        .execute(&app.state.db)
        .await
        .unwrap();
    let cast = Cast::new(&app, None).await;
    // Steps of 1h then 2h: 3h in all, against an RTO of 2h.
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Estimated recovery time: 3h"), "{page}");
    assert!(page.contains("The plan needs 3h but Checkout"), "{page}");
    assert!(page.contains("<svg"), "the timeline is drawn");
}

#[tokio::test]
async fn a_new_version_shows_what_changed_step_by_step() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Warehouse", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "approved").await;
    let started = app
        .post(&manager, &format!("/plans/{plan}/revise"), &[])
        .await;
    assert_eq!(started.status(), 303);
    let mut changed = content.clone();
    changed.steps[1].duration = continuity::domain::duration::Duration::hours(5);
    changed.sections[0].body = "Everything.\nAnd the warehouse robots.".into();
    let saved = app
        .post_form(
            &manager,
            &format!("/plans/{plan}/edit"),
            &draft_form(
                &title_of(&app, plan).await,
                &changed,
                row_version(&app, plan, 2).await,
            ),
        )
        .await;
    assert_eq!(saved.status(), 303);
    let page = app
        .get(&manager, &format!("/plans/{plan}/versions/2"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Changes since version 1"), "{page}");
    assert!(
        page.contains(
            "<span class=\"removed\">− S2 · Recovery · Do S2 · Recovery lead · 2h · after S1</span>"
        ),
        "{page}"
    );
    assert!(page.contains(
        "<span class=\"added\">+ S2 · Recovery · Do S2 · Recovery lead · 5h · after S1</span>"
    ));
    assert!(page.contains("<span class=\"added\">+ And the warehouse robots.</span>"));
    assert!(
        !page.contains("<h3>Roles</h3>"),
        "unchanged parts are not listed"
    );
}

#[tokio::test]
async fn a_service_a_plan_covers_cannot_be_deleted_and_its_page_lists_the_plan() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Scanner", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let title = title_of(&app, plan).await;
    let page = app
        .get(&manager, &format!("/services/{service}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&title), "the service page lists its plans");
    assert!(page.contains("v1 in force, recovers in 3h"), "{page}");
    let response = app
        .post(&manager, &format!("/services/{service}/delete"), &[])
        .await;
    let page = super::page_after(&app, &manager, response).await;
    assert!(page.contains(&format!("{title} (plan)")), "{page}");
    let still: i64 = sqlx::query_scalar("select count(*) from services where id = $1")
        .bind(service)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(still, 1);
}

#[tokio::test]
async fn a_form_left_open_on_an_earlier_draft_does_not_overwrite_a_later_one() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Stale draft", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    let plan = plans::plan(&app, &content, None, "approved").await;
    plans::next_version(&app, plan, "draft").await;
    // A form opened on version 1's draft long ago, with the same row version as version 2's.
    let mut form = draft_form(
        &title_of(&app, plan).await,
        &content,
        row_version(&app, plan, 2).await,
    );
    form.push(("number", "1".into()));
    let response = app
        .post_form(&manager, &format!("/plans/{plan}/edit"), &form)
        .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You were editing an earlier version")
    );
}
