//! Concurrent writes on one instance with the default pool of 10 connections: no request may
//! hold a connection while it waits for a second one, so none starves the others (STYLE 16).

use std::time::Instant;

use continuity::domain::role::Role;

use crate::support::catalogue::Catalogue;
use crate::support::{TestApp, location};

/// Sends every form at once from its own task; the responses' statuses and locations, in order.
async fn post_all(
    app: &TestApp,
    client: &reqwest::Client,
    requests: Vec<(String, Vec<(&'static str, String)>)>,
) -> Vec<(u16, String)> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(path, form)| {
            let request = client.post(app.url(&path)).form(&form);
            tokio::spawn(async move {
                let response = request.send().await.expect("POST");
                (response.status().as_u16(), location(&response))
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("request task"));
    }
    outcomes
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.state.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn fifty_concurrent_dependencies_are_all_saved_with_ten_connections() {
    let app = TestApp::spawn().await;
    assert_eq!(app.state.config.database_max_connections, 10);
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let mut pairs = Vec::new();
    for n in 0..50 {
        let service = catalogue.service(&format!("Service {n}"), None).await;
        let component = catalogue.component(&format!("Component {n}"), None).await;
        pairs.push((service.to_string(), component.to_string()));
    }

    let started = Instant::now();
    let requests = pairs
        .into_iter()
        .map(|(service, component)| {
            let form = vec![
                ("from_id", service),
                ("to_id", component),
                ("relation", "uses".to_string()),
                ("redundancy", "none".to_string()),
            ];
            ("/dependencies".to_string(), form)
        })
        .collect();
    let outcomes = post_all(&app, &client, requests).await;
    let elapsed = started.elapsed();

    let statuses: Vec<u16> = outcomes.iter().map(|(status, _)| *status).collect();
    eprintln!("50 concurrent dependency adds: statuses {statuses:?} in {elapsed:?}");
    assert!(
        statuses.iter().all(|status| *status == 303),
        "every add succeeds: {statuses:?}"
    );
    assert_eq!(count(&app, "dependencies").await, 50, "all 50 edges exist");
    assert_eq!(app.audit_count("dependency", "create").await, 50);
}

#[tokio::test]
async fn concurrent_import_confirmations_all_apply_with_ten_connections() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let mut imports = Vec::new();
    for n in 0..20 {
        let content = format!(
            "external_id,name,kind,location\nS-{n}-A,Site {n} A,data_centre,Here\nS-{n}-B,Site {n} B,office,There\n"
        );
        imports.push(catalogue.stored_import("sites", &content).await);
    }

    let started = Instant::now();
    let requests = imports
        .iter()
        .map(|id| (format!("/import/{id}/confirm"), Vec::new()))
        .collect();
    let outcomes = post_all(&app, &client, requests).await;
    let elapsed = started.elapsed();

    let statuses: Vec<u16> = outcomes.iter().map(|(status, _)| *status).collect();
    eprintln!("20 concurrent import confirmations: statuses {statuses:?} in {elapsed:?}");
    assert!(
        outcomes
            .iter()
            .all(|(status, to)| *status == 303 && to == "/sites"),
        "every confirmation is applied: {statuses:?}"
    );
    assert_eq!(count(&app, "sites").await, 40, "every row of every file");
}
