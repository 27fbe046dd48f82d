//! Administering users: create, validate, edit with version check, deactivate, reset password.

use continuity::domain::role::Role;

use crate::support::{PASSWORD, TestApp, location};

#[tokio::test]
async fn an_administrator_creates_a_user_who_must_change_the_password() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let response = app
        .post(
            &admin,
            "/admin/users",
            &[
                ("email", " Owen.Price@Example.com "),
                ("display_name", "Owen Price"),
                ("role", "service_owner"),
                ("password", "orchard-violet-compass-12"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/admin/users/"));
    let page = app
        .get(&admin, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Owen Price"));
    assert!(
        page.contains("can now sign in as owen.price@example.com"),
        "flash shown"
    );
    let again = app
        .get(&admin, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !again.contains("can now sign in as"),
        "a flash is shown once"
    );
    assert_eq!(app.audit_count("user", "create").await, 3);

    let owner = app.client();
    assert_eq!(
        app.sign_in(
            &owner,
            "owen.price@example.com",
            "orchard-violet-compass-12"
        )
        .await
        .status(),
        303
    );
    // Until they choose their own password, pages lead to the password change.
    let home = app.get(&owner, "/").await;
    assert_eq!(location(&home), "/account#password");
    let account = app.get(&owner, "/account").await.text().await.unwrap();
    assert!(account.contains("Choose your own password"));
}

#[tokio::test]
async fn a_refused_new_user_form_keeps_the_input_and_explains_each_field() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let response = app
        .post(
            &admin,
            "/admin/users",
            &[
                ("email", "not-an-email"),
                ("display_name", "Kept <Name>"),
                ("role", "root"),
                ("password", "password1234"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("value=\"not-an-email\""));
    assert!(
        page.contains("value=\"Kept &#60;Name&#62;\"")
            || page.contains("value=\"Kept &lt;Name&gt;\""),
        "input kept and escaped"
    );
    assert!(
        page.contains("Enter the person&#39;s email address")
            || page.contains("Enter the person's email address")
    );
    assert!(page.contains("Choose one of the four roles."));
    assert!(page.contains("too easy to guess"));
    assert_eq!(
        app.audit_count("user", "create").await,
        2,
        "nothing written"
    );
}

#[tokio::test]
async fn a_second_user_with_the_same_email_is_refused() {
    let app = TestApp::spawn().await;
    let (admin, existing) = app.signed_in(Role::Administrator).await;
    let response = app
        .post(
            &admin,
            "/admin/users",
            &[
                ("email", &existing.email.to_uppercase()),
                ("display_name", "Twin"),
                ("role", "auditor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("A user with this email already exists.")
    );
}

#[tokio::test]
async fn changing_a_role_is_audited_with_before_and_after() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let subject = app.create_user(Role::ServiceOwner).await;
    let response = app
        .post(
            &admin,
            &format!("/admin/users/{}", subject.id),
            &[
                ("display_name", "Renamed Person"),
                ("role", "auditor"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (before, after): (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "select before, after from audit_log where entity = 'user' and action = 'update' and entity_id = $1",
    )
    .bind(subject.id.to_string())
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(before["role"], "service_owner");
    assert_eq!(after["role"], "auditor");
    assert_eq!(after["display_name"], "Renamed Person");
    assert_eq!(after["version"], 2);
}

#[tokio::test]
async fn a_stale_edit_gets_the_conflict_page_and_overwrites_nothing() {
    let app = TestApp::spawn().await;
    let (first_admin, _) = app.signed_in(Role::Administrator).await;
    let (second_admin, _) = app.signed_in(Role::Administrator).await;
    let subject = app.create_user(Role::ServiceOwner).await;
    let path = format!("/admin/users/{}", subject.id);
    // Both load version 1; the first saves.
    let saved = app
        .post(
            &first_admin,
            &path,
            &[
                ("display_name", "First Edit"),
                ("role", "service_owner"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    // The second saves on top of version 1.
    let stale = app
        .post(
            &second_admin,
            &path,
            &[
                ("display_name", "Second Edit"),
                ("role", "auditor"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("Someone else saved first"));
    assert!(
        page.contains("Second Edit") && page.contains("First Edit"),
        "both versions side by side"
    );
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "resubmits against the current version"
    );
    let stored: String = sqlx::query_scalar("select display_name from users where id = $1")
        .bind(subject.id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, "First Edit");
    // Choosing to keep theirs, deliberately, succeeds.
    let keep = app
        .post(
            &second_admin,
            &path,
            &[
                ("display_name", "Second Edit"),
                ("role", "auditor"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(keep.status(), 303);
}

#[tokio::test]
async fn administrators_cannot_deactivate_themselves_or_change_their_own_role() {
    let app = TestApp::spawn().await;
    let (admin, me) = app.signed_in(Role::Administrator).await;
    let response = app
        .post(&admin, &format!("/admin/users/{}/deactivate", me.id), &[])
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&admin, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("You cannot deactivate your own account."));
    let demote = app
        .post(
            &admin,
            &format!("/admin/users/{}", me.id),
            &[
                ("display_name", "Me"),
                ("role", "auditor"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(demote.status(), 422);
    assert!(
        demote
            .text()
            .await
            .unwrap()
            .contains("You cannot change your own role")
    );
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_requires_a_new_password() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let weak = app
        .post(
            &admin,
            &format!("/admin/users/{}/password", owner.id),
            &[("new_password", "123456789012")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let response = app
        .post(
            &admin,
            &format!("/admin/users/{}/password", owner.id),
            &[("new_password", "granite-pelican-sunrise-5")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.get(&owner_client, "/").await.status(),
        303,
        "sessions ended"
    );
    let fresh = app.client();
    assert_eq!(
        app.sign_in(&fresh, &owner.email, "granite-pelican-sunrise-5")
            .await
            .status(),
        303
    );
    assert_eq!(
        location(&app.get(&fresh, "/").await),
        "/account#password",
        "pages lead to the password change until they choose their own"
    );
    assert!(
        app.get(&fresh, "/account")
            .await
            .text()
            .await
            .unwrap()
            .contains("Choose your own password")
    );
    assert_eq!(app.audit_count("user", "reset_password").await, 1);
}

#[tokio::test]
async fn an_unknown_or_malformed_user_id_is_a_friendly_404() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    for path in [
        "/admin/users/not-a-uuid",
        "/admin/users/00000000-0000-0000-0000-000000000000",
    ] {
        let response = app.get(&admin, path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("There is nothing at this address")
        );
    }
}
