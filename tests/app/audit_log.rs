//! The audit log: writes leave a row, the page filters and exports, nobody can change it.

use continuity::domain::role::Role;

use crate::support::TestApp;

#[tokio::test]
async fn a_write_leaves_an_audit_row_naming_the_actor() {
    let app = TestApp::spawn().await;
    let (client, admin) = app.signed_in(Role::Administrator).await;
    let subject = app.create_user(Role::Auditor).await;
    app.post(
        &client,
        &format!("/admin/users/{}/deactivate", subject.id),
        &[],
    )
    .await;
    let (actor_id, actor_label, request_id): (Option<uuid::Uuid>, String, Option<String>) = sqlx::query_as(
        "select actor_id, actor_label, request_id from audit_log where action = 'deactivate' and entity_id = $1",
    )
    .bind(subject.id.to_string())
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(actor_id, Some(admin.id));
    assert_eq!(actor_label, admin.email);
    assert!(
        request_id.is_some(),
        "the request id ties the row to the logs"
    );
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_rows() {
    let app = TestApp::spawn().await;
    let update = sqlx::query("update audit_log set actor_label = 'someone else'")
        .execute(&app.state.db)
        .await;
    assert!(update.is_err());
    let delete = sqlx::query("delete from audit_log")
        .execute(&app.state.db)
        .await;
    assert!(delete.is_err());
    let truncate = sqlx::query("truncate audit_log")
        .execute(&app.state.db)
        .await;
    assert!(truncate.is_err());
}

#[tokio::test]
async fn the_audit_page_filters_by_action_and_exports_the_same_rows() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let page = app
        .get(&client, "/audit?action=sign_in")
        .await
        .text()
        .await
        .unwrap();
    // Actions read as words, and the filter keeps only sign-ins.
    assert!(page.contains(">signed in</span>"), "{page}");
    assert!(
        !page.contains(">created</span>"),
        "creations are filtered out"
    );
    // What changed is named (here the users' addresses), not an id.
    let created = app
        .get(&client, "/audit?action=create")
        .await
        .text()
        .await
        .unwrap();
    assert!(created.contains("@test.example</td>"), "{created}");
    let csv = app.get(&client, "/audit.csv?action=create").await;
    assert_eq!(
        csv.headers().get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("When") && lines[0].contains("Who"));
    assert_eq!(lines.len(), 1 + 2, "a header and the two user creations");
}
