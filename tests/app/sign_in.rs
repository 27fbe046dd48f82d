//! Signing in and out: passwords, growing delays, known browsers, session rotation, timeouts
//! (and no write per page view), deactivation, redirects.

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
async fn after_three_failures_a_strangers_browser_must_wait_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    let client = app.client();
    for attempt in 1..=3 {
        let status = app
            .sign_in(&client, &user.email, "wrong-password-attempt")
            .await
            .status();
        assert_eq!(status, 422, "attempt {attempt}");
    }
    let right = app.sign_in(&client, &user.email, PASSWORD).await;
    assert_eq!(
        right.status(),
        429,
        "the right password waits too, or the delay would tell it apart"
    );
    assert_eq!(
        right
            .headers()
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap(),
        "1"
    );
    let page = right.text().await.unwrap();
    assert!(page.contains("try again in 1 second"), "{page}");
    assert!(page.contains("an administrator can also lift the wait"));
    // Another account from the same address is not slowed.
    let other = app.create_user(Role::Auditor).await;
    assert_eq!(
        app.sign_in(&app.client(), &other.email, PASSWORD)
            .await
            .status(),
        303
    );
    // Once the delay has passed, the right password works.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(
        app.sign_in(&client, &user.email, PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn each_further_failure_doubles_the_wait_up_to_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    let key = format!("email:{}", user.email);
    sqlx::query("insert into login_failures (throttle_key, failures, last_failure_at) values ($1, 7, now())")
        .bind(&key)
        .execute(&app.state.db)
        .await
        .unwrap();
    let wrong = app
        .sign_in(&app.client(), &user.email, "still-not-it")
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("the next one can be made in 32 seconds"),
        "the eighth failure waits 2^5 seconds"
    );
    let waiting = app.sign_in(&app.client(), &user.email, PASSWORD).await;
    assert_eq!(waiting.status(), 429);
    let retry: i64 = waiting.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((30..=32).contains(&retry), "{retry}");

    sqlx::query(
        "update login_failures set failures = 40, locked_until = null where throttle_key = $1",
    )
    .bind(&key)
    .execute(&app.state.db)
    .await
    .unwrap();
    app.sign_in(&app.client(), &user.email, "still-not-it")
        .await;
    let capped = app.sign_in(&app.client(), &user.email, PASSWORD).await;
    let retry: i64 = capped.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (895..=900).contains(&retry),
        "capped at 15 minutes: {retry}"
    );
}

#[tokio::test]
async fn strangers_failing_on_purpose_do_not_keep_the_owner_out_of_a_browser_used_before() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Administrator).await;
    let own = app.client();
    assert_eq!(app.sign_in(&own, &user.email, PASSWORD).await.status(), 303);
    assert_eq!(app.post(&own, "/logout", &[]).await.status(), 303);

    let stranger = app.client();
    for _ in 0..6 {
        app.sign_in(&stranger, &user.email, "guessing-the-admin")
            .await;
    }
    assert_eq!(
        app.sign_in(&stranger, &user.email, PASSWORD).await.status(),
        429,
        "a new browser waits"
    );
    assert_eq!(
        app.sign_in(&own, &user.email, PASSWORD).await.status(),
        303,
        "the browser that signed in before is not kept out"
    );
}

#[tokio::test]
async fn a_known_browser_that_guesses_is_slowed_on_its_own() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    let known = app.client();
    app.sign_in(&known, &user.email, PASSWORD).await;
    app.post(&known, "/logout", &[]).await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in(&known, &user.email, "a-wrong-guess")
                .await
                .status(),
            422
        );
    }
    assert_eq!(
        app.sign_in(&known, &user.email, PASSWORD).await.status(),
        429
    );
    assert_eq!(
        app.sign_in(&app.client(), &user.email, PASSWORD)
            .await
            .status(),
        303,
        "the account itself was not slowed by the known browser's failures"
    );
}

#[tokio::test]
async fn attempts_sent_at_once_are_counted_before_they_are_checked() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let url = app.url("/login");
        let origin = app.address.clone();
        let email = user.email.clone();
        attempts.spawn(async move {
            bare_client()
                .post(url)
                .header("origin", origin)
                .form(&[("email", email.as_str()), ("password", "parallel-guess")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses.iter().filter(|status| **status == 422).count();
    let refused = statuses.iter().filter(|status| **status == 429).count();
    assert_eq!((checked, refused), (3, 7), "{statuses:?}");
}

#[tokio::test]
async fn an_administrator_lifts_the_delay_on_an_account() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let user = app.create_user(Role::ServiceOwner).await;
    sqlx::query("insert into login_failures (throttle_key, failures, last_failure_at, locked_until) values ($1, 12, now(), now() + interval '15 minutes')")
        .bind(format!("email:{}", user.email))
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        app.sign_in(&app.client(), &user.email, PASSWORD)
            .await
            .status(),
        429
    );
    let page = app
        .get(&admin, &format!("/admin/users/{}", user.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("12 failed sign-in attempts"), "{page}");
    assert!(page.contains("Lift the sign-in delay"));
    let lifted = app
        .post(
            &admin,
            &format!("/admin/users/{}/sign-in-delay", user.id),
            &[],
        )
        .await;
    assert_eq!(lifted.status(), 303);
    assert_eq!(app.audit_count("user", "sign_in_delay_lifted").await, 1);
    assert_eq!(
        app.sign_in(&app.client(), &user.email, PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn a_lock_ends_when_its_time_has_passed() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::ServiceOwner).await;
    sqlx::query("insert into login_failures (throttle_key, failures, first_failure_at, locked_until) values ($1, 5, now() - interval '20 minutes', now() - interval '1 minute')")
        .bind(format!("email:{}", user.email))
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        app.sign_in(&app.client(), &user.email, PASSWORD)
            .await
            .status(),
        303
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

#[tokio::test]
async fn a_page_view_reads_the_session_without_writing_it() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::Auditor).await;
    let row = || {
        sqlx::query_as::<_, (String, time::OffsetDateTime)>(
            "select xmin::text, last_seen_at from sessions where user_id = $1",
        )
        .bind(user.id)
        .fetch_one(&app.state.db)
    };
    let before = row().await.unwrap();
    assert_eq!(app.get(&client, "/").await.status(), 200);
    assert_eq!(app.get(&client, "/services").await.status(), 200);
    assert_eq!(
        row().await.unwrap(),
        before,
        "the session row was not written"
    );
}

#[tokio::test]
async fn a_session_last_marked_over_a_minute_ago_is_marked_seen_again() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::Auditor).await;
    sqlx::query(
        "update sessions set last_seen_at = now() - interval '59 minutes' where user_id = $1",
    )
    .bind(user.id)
    .execute(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        app.get(&client, "/").await.status(),
        200,
        "idle for less than the timeout"
    );
    let recent: bool = sqlx::query_scalar(
        "select last_seen_at > now() - interval '10 seconds' from sessions where user_id = $1",
    )
    .bind(user.id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(recent, "last_seen_at moved to now");
}

#[tokio::test]
async fn a_flash_is_shown_once_then_cleared() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::Auditor).await;
    let saved = app
        .post(
            &client,
            "/account/preferences",
            &[("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let first = app.get(&client, "/account").await.text().await.unwrap();
    assert!(first.contains("Dates are now shown in Europe/Paris time."));
    let second = app.get(&client, "/account").await.text().await.unwrap();
    assert!(!second.contains("Dates are now shown"));
    let left: Option<String> =
        sqlx::query_scalar("select flash_kind from sessions where user_id = $1")
            .bind(user.id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(left, None);
}
