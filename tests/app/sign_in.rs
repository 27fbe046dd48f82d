//! Signing in and out: passwords, session rotation, timeouts, deactivation, redirects.

use continuity::domain::role::Role;

use crate::support::{PASSWORD, TestApp, bare_client, location, session_cookie};

#[tokio::test]
async fn signing_in_redirects_home_and_shows_the_user() {
    let app = TestApp::spawn().await;
    let user = app
        .create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let client = app.client();
    let response = app.sign_in(&client, &user.email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let home = app.get(&client, "/").await.text().await.unwrap();
    assert!(home.contains("Maria Lopez"));
    assert!(home.contains("Continuity manager"));
}

#[tokio::test]
async fn email_is_matched_case_insensitively() {
    let app = TestApp::spawn().await;
    let user = app
        .create_user_with(Role::Auditor, "aisha@test.example", "Aisha")
        .await;
    let client = app.client();
    assert_eq!(
        app.sign_in(&client, "  AISHA@Test.Example ", &user.password)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message_and_the_email_kept() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    let client = app.client();
    let response = app
        .sign_in(&client, &user.email, "not-the-password-at-all")
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("The email or the password is not right"));
    assert!(page.contains(&format!("value=\"{}\"", user.email)));
    assert_eq!(
        app.get(&client, "/").await.status(),
        303,
        "still signed out"
    );
    assert_eq!(app.audit_count("session", "sign_in_failed").await, 1);
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_answer_as_a_wrong_password() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let response = app.sign_in(&client, "nobody@test.example", PASSWORD).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The email or the password is not right")
    );
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_id() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let first = app.sign_in(&app.client(), &user.email, PASSWORD).await;
    let first_cookie = session_cookie(&first);

    // A browser carrying the first cookie signs in again: it gets a new id, the old one dies.
    let raw = bare_client();
    let second = raw
        .post(app.url("/login"))
        .header("origin", &app.address)
        .header("cookie", &first_cookie)
        .form(&[("email", user.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 303);
    let second_cookie = session_cookie(&second);
    assert_ne!(first_cookie, second_cookie);
    let with_old = app.get_with_cookie("/", &first_cookie).await;
    assert_eq!(with_old.status(), 303, "the old session id no longer works");
    let with_new = app.get_with_cookie("/", &second_cookie).await;
    assert_eq!(with_new.status(), 200);
}

#[tokio::test]
async fn a_made_up_session_cookie_is_not_accepted() {
    let app = TestApp::spawn().await;
    let made_up = format!("continuity_session={}", "0".repeat(64));
    let response = app.get_with_cookie("/", &made_up).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let client = app.client();
    let response = app.sign_in(&client, &user.email, PASSWORD).await;
    let cookie = session_cookie(&response);
    let out = app.post(&client, "/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/login?signed_out=1");
    // Replaying the old cookie does not bring the session back.
    let replay = app.get_with_cookie("/", &cookie).await;
    assert_eq!(replay.status(), 303);
    assert_eq!(app.audit_count("session", "sign_out").await, 1);
}

#[tokio::test]
async fn logging_out_with_a_get_request_is_not_possible() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    assert_eq!(app.get(&client, "/logout").await.status(), 405);
    assert_eq!(app.get(&client, "/").await.status(), 200, "still signed in");
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::Auditor).await;
    sqlx::query(
        "update sessions set last_seen_at = now() - interval '61 minutes' where user_id = $1",
    )
    .bind(user.id)
    .execute(&app.state.db)
    .await
    .unwrap();
    assert_eq!(app.get(&client, "/").await.status(), 303);
}

#[tokio::test]
async fn a_session_expires_after_the_absolute_timeout_however_active() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::Auditor).await;
    sqlx::query("update sessions set created_at = now() - interval '13 hours' where user_id = $1")
        .bind(user.id)
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(app.get(&client, "/").await.status(), 303);
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_and_loses_open_sessions() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let (victim_client, victim) = app.signed_in(Role::ServiceOwner).await;
    let response = app
        .post(
            &admin,
            &format!("/admin/users/{}/deactivate", victim.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.get(&victim_client, "/").await.status(),
        303,
        "open session ended"
    );
    let again = app.sign_in(&app.client(), &victim.email, PASSWORD).await;
    assert_eq!(again.status(), 403);
    assert!(again.text().await.unwrap().contains("deactivated"));
}

#[tokio::test]
async fn sign_in_returns_to_the_page_that_was_asked_for() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let client = app.client();
    let asked = app.get(&client, "/audit?q=x").await;
    assert_eq!(location(&asked), "/login?next=/audit%3Fq%3Dx");
    let login_page = app
        .get(&client, "/login?next=/audit%3Fq%3Dx")
        .await
        .text()
        .await
        .unwrap();
    assert!(login_page.contains("name=\"next\" value=\"/audit?q=x\""));
    let response = app
        .post(
            &client,
            "/login",
            &[
                ("email", &user.email),
                ("password", PASSWORD),
                ("next", "/audit?q=x"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/audit?q=x");
}

#[tokio::test]
async fn sign_in_never_redirects_off_site() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    for next in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
    ] {
        let client = app.client();
        let response = app
            .post(
                &client,
                "/login",
                &[
                    ("email", &user.email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/", "next={next}");
    }
}
