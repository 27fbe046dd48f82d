//! The people directory's forms, and the demo organisation's plans.

use continuity::domain::role::Role;

use crate::support::{TestApp, location};

#[tokio::test]
async fn an_owner_adds_a_supplier_engineer_to_the_directory() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let response = app
        .post(
            &owner,
            "/people",
            &[
                ("name", "Raj Patel"),
                ("organisation", "NorthLink"),
                ("job_title", "On-call engineer"),
                ("mobile_phone", "+44 7700 900130"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&owner, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Raj Patel") && page.contains("+44 7700 900130"));
    assert_eq!(app.audit_count("person", "create").await, 1);
}

#[tokio::test]
async fn a_person_without_any_phone_is_refused_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post(
            &manager,
            "/people",
            &[
                ("name", "Hannah Weber"),
                ("email", "not-an-address"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Give at least one phone number"));
    assert!(page.contains("Enter an email address"));
    assert!(page.contains("value=\"Hannah Weber\""));
}

#[tokio::test]
async fn the_demo_has_plans_one_overdue_one_in_review_and_an_approved_policy() {
    let app = TestApp::spawn_with(|config| {
        config.demo = Some(continuity::config::DemoSettings {
            password: crate::support::PASSWORD.to_string(),
            password_is_default: false,
        });
    })
    .await;
    let client = app.client();
    let signed_in = app
        .sign_in(&client, "manager@demo.test", crate::support::PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 303);
    let list = app.get(&client, "/plans").await.text().await.unwrap();
    assert!(list.contains("ITSCM policy and scope"));
    assert!(list.contains("1 plan is overdue for review"), "{list}");
    assert!(list.contains("In review"));
    let counts: (i64, i64) = sqlx::query_as(
        "select count(*) filter (where kind = 'recovery'), count(*) filter (where kind = 'policy') from plans",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        counts,
        (9, 1),
        "a plan per mission-critical service, one for ERP finance (whose restore the demo tests) and the policy"
    );
    let home = app.get(&client, "/").await.text().await.unwrap();
    assert!(home.contains("plans overdue for review"), "{home}");
    assert!(home.contains("plan versions waiting for approval"));
    let zip = app.get(&client, "/plans/pack.zip").await;
    assert_eq!(zip.status(), 200);
}

#[tokio::test]
async fn only_a_continuity_manager_links_a_person_to_a_user_account() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let person = crate::support::plans::person(&app, "Plan lead", None).await;
    // An owner tries to make themselves the plan lead, to acknowledge in their name.
    let response = app
        .post(
            &owner,
            &format!("/people/{person}"),
            &[
                ("name", "Plan lead"),
                ("mobile_phone", "+44 7700 900999"),
                ("user_id", &owner_user.id.to_string()),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let linked: Option<uuid::Uuid> = sqlx::query_scalar("select user_id from people where id = $1")
        .bind(person)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(linked, None, "the owner's choice of account is ignored");

    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    app.post(
        &manager,
        &format!("/people/{person}"),
        &[
            ("name", "Plan lead"),
            ("mobile_phone", "+44 7700 900999"),
            ("user_id", &owner_user.id.to_string()),
            ("version", "2"),
        ],
    )
    .await;
    let linked: Option<uuid::Uuid> = sqlx::query_scalar("select user_id from people where id = $1")
        .bind(person)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(linked, Some(owner_user.id));
}

#[tokio::test]
async fn a_name_of_spaces_is_refused_with_a_message_not_a_server_error() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    for (path, form) in [
        (
            "/people",
            vec![
                ("name", "   "),
                ("mobile_phone", "+44 7700 900999"),
                ("version", "0"),
            ],
        ),
        (
            "/sites",
            vec![("name", "   "), ("kind", "data_centre"), ("version", "0")],
        ),
    ] {
        let response = app.post(&manager, path, &form).await;
        assert_eq!(response.status(), 422, "{path}");
        assert!(response.text().await.unwrap().contains("name"), "{path}");
    }
}
