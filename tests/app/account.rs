//! Every user's own account: password change (with the policy) and time zone.

use continuity::domain::role::Role;

use crate::support::{PASSWORD, TestApp, location};

#[tokio::test]
async fn a_user_changes_their_password_and_other_sessions_end() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::ServiceOwner).await;
    let other_device = app.client();
    app.sign_in(&other_device, &user.email, PASSWORD).await;
    let response = app
        .post(
            &client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "maple-thunder-quartz-88"),
                ("confirm_password", "maple-thunder-quartz-88"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    assert!(
        app.get(&client, "/account")
            .await
            .text()
            .await
            .unwrap()
            .contains("Your password has been changed")
    );
    assert_eq!(
        app.get(&other_device, "/").await.status(),
        303,
        "other session ended"
    );
    assert_eq!(
        app.get(&client, "/").await.status(),
        200,
        "this session kept"
    );
    assert_eq!(
        app.sign_in(&app.client(), &user.email, "maple-thunder-quartz-88")
            .await
            .status(),
        303
    );
    assert_eq!(app.audit_count("user", "change_password").await, 1);
}

#[tokio::test]
async fn the_password_policy_refuses_short_common_and_personal_passwords() {
    let app = TestApp::spawn().await;
    let (client, user) = app.signed_in(Role::ServiceOwner).await;
    let local_part = user.email.split('@').next().unwrap().to_string();
    for (candidate, expected) in [
        ("short", "at least 12"),
        ("password1234", "too easy to guess"),
        (local_part.as_str(), "too easy to guess"),
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
    let long = "x".repeat(129);
    let response = app
        .post(
            &client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", &long),
                ("confirm_password", &long),
            ],
        )
        .await;
    assert!(response.text().await.unwrap().contains("at most 128"));
}

#[tokio::test]
async fn a_wrong_current_password_or_mismatched_confirmation_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let response = app
        .post(
            &client,
            "/account/password",
            &[
                ("current_password", "not-my-password"),
                ("new_password", "maple-thunder-quartz-88"),
                ("confirm_password", "maple-thunder-quartz-89"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("This is not your current password."));
    assert!(page.contains("The two new passwords are not the same."));
}

#[tokio::test]
async fn dates_are_shown_in_the_chosen_time_zone() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    let bad = app
        .post(
            &client,
            "/account/preferences",
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Choose a time zone from the list")
    );
    let good = app
        .post(
            &client,
            "/account/preferences",
            &[("time_zone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(good.status(), 303);
    let page = app.get(&client, "/admin/users").await.text().await.unwrap();
    assert!(page.contains("Times shown in Asia/Tokyo"));
    let audit_csv = app.get(&client, "/audit.csv").await.text().await.unwrap();
    assert!(
        audit_csv.contains("+09:00"),
        "CSV times carry the user's offset"
    );
}
