//! Passwords: a password set by someone else must be replaced before anything else, the policy
//! applies wherever a password is chosen, and wrong current passwords are throttled.

use continuity::config::{DEFAULT_DEMO_PASSWORD, DemoSettings};
use continuity::domain::role::Role;

use crate::support::{ADMIN_EMAIL, PASSWORD, TestApp, location};

const CHOSEN: &str = "amber-falcon-meadow-47";

/// An administrator creates Jane; she signs in with the password they chose for her.
async fn jane_with_a_password_set_for_her(app: &TestApp) -> reqwest::Client {
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let created = app
        .post(
            &admin,
            "/admin/users",
            &[
                ("email", "jane.doe@test.example"),
                ("display_name", "Jane Doe"),
                ("role", "continuity_manager"),
                ("password", "orchard-violet-compass-12"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let jane = app.client();
    let signed_in = app
        .sign_in(&jane, "jane.doe@test.example", "orchard-violet-compass-12")
        .await;
    assert_eq!(signed_in.status(), 303);
    jane
}

#[tokio::test]
async fn until_she_chooses_her_own_password_pages_lead_to_the_password_change() {
    let app = TestApp::spawn().await;
    let jane = jane_with_a_password_set_for_her(&app).await;
    for page in ["/", "/services", "/audit", "/admin/users", "/help"] {
        let response = app.get(&jane, page).await;
        assert_eq!(response.status(), 303, "{page}");
        assert_eq!(location(&response), "/account#password", "{page}");
    }
    let account = app.get(&jane, "/account").await;
    assert_eq!(account.status(), 200);
    let text = account.text().await.unwrap();
    assert!(text.contains("Your password was set by someone else"));
    assert!(text.contains("until you do, every other page is closed"));
}

#[tokio::test]
async fn until_she_chooses_her_own_password_writes_are_refused() {
    let app = TestApp::spawn().await;
    let jane = jane_with_a_password_set_for_her(&app).await;
    let write = app
        .post(
            &jane,
            "/account/preferences",
            &[("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(write.status(), 403);
    assert!(
        write
            .text()
            .await
            .unwrap()
            .contains("Choose your own password first")
    );
    let service = app
        .post(
            &jane,
            "/services",
            &[("name", "Sneaked in"), ("type", "business")],
        )
        .await;
    assert_eq!(service.status(), 403);
    let htmx = jane
        .get(app.url("/services"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(htmx.headers()["hx-redirect"], "/account#password");
}

#[tokio::test]
async fn once_she_has_chosen_her_own_password_everything_opens() {
    let app = TestApp::spawn().await;
    let jane = jane_with_a_password_set_for_her(&app).await;
    let changed = app
        .post(
            &jane,
            "/account/password",
            &[
                ("current_password", "orchard-violet-compass-12"),
                ("new_password", CHOSEN),
                ("confirm_password", CHOSEN),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(app.get(&jane, "/services").await.status(), 200);
    let home = app.get(&jane, "/").await.text().await.unwrap();
    assert!(!home.contains("Your password was set by someone else"));
}

#[tokio::test]
async fn she_can_still_sign_out_before_choosing() {
    let app = TestApp::spawn().await;
    let jane = jane_with_a_password_set_for_her(&app).await;
    let out = app.post(&jane, "/logout", &[]).await;
    assert_eq!(location(&out), "/login?signed_out=1");
}

#[tokio::test]
async fn passwords_made_of_her_name_a_common_pattern_or_the_demo_password_are_refused() {
    let app = TestApp::spawn().await;
    let jane = app
        .create_user_with(Role::ServiceOwner, "jane.doe@test.example", "Jane Doe")
        .await;
    let client = app.client();
    app.sign_in(&client, &jane.email, PASSWORD).await;
    for (candidate, expected) in [
        ("janedoe12345", "contains your name"),
        ("Jane.Doe2026", "contains your name"),
        ("Summer2026!!", "too easy to guess"),
        (DEFAULT_DEMO_PASSWORD, "demonstration password"),
    ] {
        let response = app
            .post(
                &client,
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", candidate),
                    ("confirm_password", candidate),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{candidate}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains(expected),
            "{candidate}: expected {expected:?}"
        );
    }
}

#[tokio::test]
async fn an_administrator_cannot_set_a_name_based_or_demo_password_either() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let created = app
        .post(
            &admin,
            "/admin/users",
            &[
                ("email", "owen.price@test.example"),
                ("display_name", "Owen Price"),
                ("role", "auditor"),
                ("password", "OwenPrice2026!"),
            ],
        )
        .await;
    assert_eq!(created.status(), 422);
    assert!(created.text().await.unwrap().contains("contains your name"));
    let owner = app.create_user(Role::ServiceOwner).await;
    let reset = app
        .post(
            &admin,
            &format!("/admin/users/{}/password", owner.id),
            &[("new_password", DEFAULT_DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reset.status(), 422);
    assert!(
        reset
            .text()
            .await
            .unwrap()
            .contains("demonstration password")
    );
}

#[tokio::test]
async fn the_demo_password_as_admin_password_is_replaced_by_a_generated_one() {
    let app = TestApp::spawn_with(|config| {
        config.admin_password = Some(DEFAULT_DEMO_PASSWORD.to_string());
    })
    .await;
    assert_eq!(
        app.sign_in(&app.client(), ADMIN_EMAIL, DEFAULT_DEMO_PASSWORD)
            .await
            .status(),
        422
    );
    let must_change: bool =
        sqlx::query_scalar("select password_must_change from users where email = $1")
            .bind(ADMIN_EMAIL)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(must_change, "the generated password must be replaced");
}

#[tokio::test]
async fn the_demo_still_signs_in_with_the_demo_password() {
    let app = TestApp::spawn_with(|config| {
        config.demo = Some(DemoSettings {
            password: DEFAULT_DEMO_PASSWORD.to_string(),
            password_is_default: true,
        });
    })
    .await;
    let email = continuity::demo::ACCOUNTS[0].email;
    let client = app.client();
    assert_eq!(
        app.sign_in(&client, email, DEFAULT_DEMO_PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(app.get(&client, "/").await.status(), 200);
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_like_sign_ins() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let change = |current: &'static str| {
        client
            .post(app.url("/account/password"))
            .form(&[
                ("current_password", current),
                ("new_password", CHOSEN),
                ("confirm_password", CHOSEN),
            ])
            .send()
    };
    for attempt in 1..=3 {
        assert_eq!(
            change("a-wrong-guess").await.unwrap().status(),
            422,
            "attempt {attempt}"
        );
    }
    let waiting = change(PASSWORD).await.unwrap();
    assert_eq!(waiting.status(), 429);
    assert!(waiting.headers().contains_key("retry-after"));
    assert!(
        waiting
            .text()
            .await
            .unwrap()
            .contains("Too many wrong current passwords")
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(change(PASSWORD).await.unwrap().status(), 303);
}
