//! Failed sign-ins slow a stranger's browser down with delays that double (per account and per
//! address, counted in the database before the password is checked), never shut the owner out
//! of a browser they used before, and can be lifted by an administrator.

use continuity::domain::role::Role;

use crate::support::{PASSWORD, TestApp, bare_client};

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
async fn an_account_remembers_only_its_twenty_most_recent_browsers() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    for _ in 0..21 {
        assert_eq!(
            app.sign_in(&app.client(), &user.email, PASSWORD)
                .await
                .status(),
            303
        );
    }
    let known: i64 = sqlx::query_scalar("select count(*) from known_devices where user_id = $1")
        .bind(user.id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(known, 20);
}
