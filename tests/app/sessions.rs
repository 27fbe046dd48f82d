//! Sessions on page views: read without writing in the common case, marked as seen at most once a
//! minute, the flash read and cleared only when there is one. (Timeouts: see `sign_in`.)

use continuity::domain::role::Role;

use crate::support::TestApp;

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
