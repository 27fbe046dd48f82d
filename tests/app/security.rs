//! Protections on every request: same-origin writes, security headers, body limits.

use continuity::domain::role::Role;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    let response = client
        .post(app.url("/admin/users"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "x@test.example"),
            ("display_name", "X"),
            ("role", "auditor"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        app.audit_count("user", "create").await,
        2,
        "only the fixtures' users were created"
    );
}

#[tokio::test]
async fn a_post_declared_cross_site_by_the_browser_is_refused_even_with_a_matching_origin() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let response = client
        .post(app.url("/logout"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.get(&client, "/").await.status(), 200, "still signed in");
}

#[tokio::test]
async fn a_post_without_any_origin_information_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let client = app.client_without_origin();
    let response = client
        .post(app.url("/login"))
        .form(&[("email", user.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_same_origin_post_marked_by_fetch_metadata_is_accepted() {
    let app = TestApp::spawn().await;
    let user = app.create_user(Role::Auditor).await;
    let client = app.client_without_origin();
    let response = client
        .post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", user.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for path in ["/login", "/static/app.css", "/no-such-page", "/healthz"] {
        let response = app.get(&client, path).await;
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            headers.get("referrer-policy").unwrap(),
            "same-origin",
            "{path}"
        );
        assert!(headers.get("x-request-id").is_some(), "{path}");
    }
}

#[tokio::test]
async fn pages_contain_no_inline_script() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    for path in [
        "/login",
        "/",
        "/admin/users",
        "/admin/users/new",
        "/audit",
        "/account",
        "/help",
    ] {
        let page = app.get(&client, path).await.text().await.unwrap();
        for script in page.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap_or_default();
            assert!(
                tag.contains("src="),
                "{path} has an inline script: <script{tag}>"
            );
        }
        assert!(!page.contains(" style=\""), "{path} has an inline style");
        assert!(!page.contains(" onclick="), "{path} has an inline handler");
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_a_page() {
    let app = TestApp::spawn_with(|config| config.max_body_bytes = 10_000).await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    let response = client
        .post(app.url("/admin/users"))
        .form(&[("display_name", "x".repeat(20_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("larger than this server accepts")
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_configured() {
    let app = TestApp::spawn_with(|config| config.cookie_secure = true).await;
    let user = app.create_user(Role::Auditor).await;
    let response = app.sign_in(&app.client(), &user.email, PASSWORD).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.starts_with("__Host-continuity="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
}
