//! Health check, readiness and error pages: never a raw error, never a crash.

use continuity::config::Config;
use continuity::domain::role::Role;
use continuity::state::AppState;

use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_200_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.get(&app.client(), "/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok\n");
}

#[tokio::test]
async fn without_a_database_pages_answer_503_and_healthz_says_so() {
    let mut config = Config::defaults();
    // Nothing listens on port 1: the database is "down".
    config.database_url = "postgres://postgres@127.0.0.1:1/continuity".to_string();
    let state = AppState::new(config).unwrap();
    assert!(
        continuity::server::prepare(&state).await.is_err(),
        "preparation fails cleanly"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let router = continuity::build_router(state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{address}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let page = client.get(format!("{address}/login")).send().await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("cannot reach its database")
    );

    // Even when marked ready, a lost database gives 503 pages, not crashes.
    state.mark_ready();
    let login = client
        .post(format!("{address}/login"))
        .header("origin", &address)
        .form(&[("email", "a@b.c"), ("password", "whatever-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 503);
    assert_eq!(
        client
            .get(format!("{address}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
}

#[tokio::test]
async fn an_unknown_address_gets_a_friendly_404_page() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let response = app.get(&client, "/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("There is nothing at this address")
    );
}

#[tokio::test]
async fn an_unreadable_form_gets_a_page_not_a_raw_error() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Administrator).await;
    let response = client
        .post(app.url("/admin/users/00000000-0000-0000-0000-000000000000"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<html"),
        "an HTML page, not extractor text: {page}"
    );
}

#[tokio::test]
async fn a_server_error_shows_a_request_id_and_no_details() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    // Breaking the schema under the running app provokes a real internal error.
    // (as the owner: the serving role may not alter tables)
    sqlx::query("alter table audit_log rename column actor_label to actor_name")
        .execute(&mut app.owner().await)
        .await
        .unwrap();
    let response = app.get(&client, "/audit").await;
    assert_eq!(response.status(), 500);
    let request_id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let page = response.text().await.unwrap();
    assert!(page.contains("Something went wrong"));
    assert!(page.contains(&request_id), "the page shows the request id");
    assert!(
        !page.contains("actor_label") && !page.contains("column"),
        "no database detail leaks"
    );
}
