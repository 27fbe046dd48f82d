//! The application at scale (issue 11): a generated estate is served, each main page runs a
//! fixed number of SQL statements however large the estate, and exports stream.

use std::collections::BTreeMap;

use continuity::auth::password;
use continuity::generator::{self, EstateSize};

use crate::support::statements::StatementCounter;
use crate::support::{PASSWORD, TestApp};

/// The most statements a main page may run, session checks included (at 20 services: lists
/// 3–4, a service page 13).
const STATEMENT_BUDGET: usize = 15;

async fn estate_app(services: i32) -> TestApp {
    let app = TestApp::spawn().await;
    let hash = password::hash(PASSWORD.to_string()).await.expect("hash");
    let mut conn = app.state.db.acquire().await.expect("connection");
    generator::generate(&mut conn, EstateSize::services(services), &hash)
        .await
        .expect("estate generated");
    app
}

/// The main pages a continuity manager visits, with the detail pages of the first service and
/// of the open BIA exercise.
async fn main_pages(app: &TestApp) -> Vec<(&'static str, String)> {
    let (service, exercise, test, site): (uuid::Uuid, uuid::Uuid, uuid::Uuid, uuid::Uuid) =
        sqlx::query_as(
            "select (select id from services order by name limit 1),
                (select id from bia_exercises where status = 'open'),
                (select id from plan_tests order by number limit 1),
                (select id from sites order by name limit 1)",
        )
        .fetch_one(&app.state.db)
        .await
        .expect("ids");
    [
        "/",
        "/services",
        "/components",
        "/plans",
        "/contracts",
        "/suppliers",
        "/audit",
        "/plans/pack.zip",
        "/tests",
        "/tests/all",
        "/tests/awareness",
        "/posture",
        "/posture/strategy",
        "/scenarios",
    ]
    .into_iter()
    .map(|path| (path, path.to_string()))
    .chain([
        ("/services/{id}", format!("/services/{service}")),
        ("/bia/{id}", format!("/bia/{exercise}")),
        ("/tests/{id}", format!("/tests/{test}")),
        ("/tests/{id}/record", format!("/tests/{test}/record")),
        (
            "/services/{id}/strategy",
            format!("/services/{service}/strategy"),
        ),
        ("/scenarios/run", format!("/scenarios/run?lost={site}")),
    ])
    .collect()
}

/// Statements each main page runs for a signed-in manager, on a fresh estate of this size.
async fn statements_per_page(services: i32) -> BTreeMap<&'static str, usize> {
    let counter = StatementCounter::start();
    let app = estate_app(services).await;
    let client = app.client();
    let signed_in = app
        .sign_in(&client, generator::MANAGER_EMAIL, PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 303, "the generated manager signs in");
    let mut counts = BTreeMap::new();
    for (name, path) in main_pages(&app).await {
        // The first visit may fill caches (the dependency graph); the second is the common case.
        let first = app.get(&client, &path).await;
        assert_eq!(first.status(), 200, "{path} at {services} services");
        first.bytes().await.expect("body");
        let before = counter.count();
        let second = app.get(&client, &path).await;
        assert_eq!(second.status(), 200, "{path} at {services} services");
        second.bytes().await.expect("body");
        let count = counter.count() - before;
        assert!(count > 0, "{path}: statements are counted");
        counts.insert(name, count);
    }
    counts
}

#[tokio::test]
async fn main_pages_run_as_many_statements_for_200_services_as_for_20() {
    let small = statements_per_page(20).await;
    let large = statements_per_page(200).await;
    println!("statements per page at 20 services: {small:?}");
    assert_eq!(small, large, "statements per page, 20 then 200 services");
    for (page, count) in &large {
        assert!(
            *count <= STATEMENT_BUDGET,
            "{page} runs {count} statements (budget {STATEMENT_BUDGET})"
        );
    }
}

#[tokio::test]
async fn the_audit_export_streams_every_row_of_a_large_log() {
    let app = estate_app(100).await;
    let client = app.client();
    app.sign_in(&client, generator::AUDITOR_EMAIL, PASSWORD)
        .await;
    let response = app.get(&client, "/audit.csv").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-length").is_none(),
        "a streamed export has no length known in advance"
    );
    let text = response.text().await.expect("CSV");
    let logged: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(&app.state.db)
        .await
        .expect("count");
    // Header plus one line per row: the generated history has no line breaks in its cells.
    assert_eq!(text.lines().count() as i64, logged + 1);
    assert!(text.starts_with('\u{feff}'));
}

#[tokio::test]
async fn the_bia_results_export_streams_one_line_per_service() {
    let app = estate_app(150).await;
    let client = app.client();
    app.sign_in(&client, generator::MANAGER_EMAIL, PASSWORD)
        .await;
    let exercise: uuid::Uuid =
        sqlx::query_scalar("select id from bia_exercises where status = 'open'")
            .fetch_one(&app.state.db)
            .await
            .expect("exercise");
    let response = app
        .get(&client, &format!("/bia/{exercise}/results.csv"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-length").is_none());
    let text = response.text().await.expect("CSV");
    assert_eq!(
        text.lines().count(),
        151,
        "a header and one line per service"
    );
    assert!(text.contains("Service 00150"));
}

#[tokio::test]
async fn a_list_longer_than_10_000_rows_stops_counting_and_says_there_are_more() {
    // 800 services bring 10 400 audit rows.
    let app = estate_app(800).await;
    let client = app.client();
    app.sign_in(&client, generator::AUDITOR_EMAIL, PASSWORD)
        .await;
    let page = app.get(&client, "/audit").await.text().await.expect("page");
    assert!(page.contains("of 10000+"), "{page}");
    let last = app
        .get(&client, "/audit?page=200")
        .await
        .text()
        .await
        .expect("page");
    assert!(last.contains("9951–10000 of 10000+"), "{last}");
}

#[test]
fn the_estate_at_10_000_services_is_the_one_issue_11_measured() {
    let size = EstateSize::services(10_000);
    assert_eq!(size.components(), 30_000);
    assert_eq!(size.processes(), 500);
    assert_eq!(size.suppliers(), 300);
    assert_eq!(size.contracts(), 2_000);
    assert_eq!(size.plans(), 300);
    assert_eq!(size.audit_rows(), 130_000);
}

#[tokio::test]
async fn a_map_of_more_than_it_can_draw_says_how_to_narrow_it_and_draws_only_on_request() {
    let app = estate_app(200).await;
    let (client, _) = app
        .signed_in(continuity::domain::role::Role::ContinuityManager)
        .await;
    let whole = app.get(&client, "/map").await.text().await.unwrap();
    assert!(whole.contains("too many to draw readably"), "{whole}");
    assert!(!whole.contains("<svg"), "nothing drawn");
    assert!(whole.contains("all=1"), "a way to draw it anyway");
    let found = app
        .get(&client, "/map?find=service%2000012")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("#dependencies\""),
        "found entries lead to their neighbourhood"
    );
    let drawn = app.get(&client, "/map?all=1").await.text().await.unwrap();
    assert!(drawn.contains("<svg"), "drawn on request");
}
