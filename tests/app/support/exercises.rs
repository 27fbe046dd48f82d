//! Test fixtures for plan tests: a service with its BIA figures, an approved plan over it, a
//! test planned through the form, and the matrix's test with a finding and an evidence file.

use continuity::db::audit::Actor;
use continuity::db::exercises::{documents, records, results};
use continuity::db::suppliers::documents::NewDocument;
use continuity::domain::exercise::TestType;
use time::OffsetDateTime;
use uuid::Uuid;

use super::catalogue::Catalogue;
use super::plans::{self, Cast, complete_content};
use super::{TestApp, location};

/// A mission-critical service owned by `owner`, with an RTO of `rto_minutes` and an RPO of 15m.
pub async fn service(app: &TestApp, name: &str, owner: Option<Uuid>, rto_minutes: i32) -> Uuid {
    let id = Catalogue::new(app).service(name, owner).await;
    sqlx::query(
        "update services set bia_rto_minutes = $2, bia_rpo_minutes = 15, bia_tier_rank = 1,
             bia_tier_name = 'Mission critical' where id = $1",
    )
    .bind(id)
    .bind(rto_minutes)
    .execute(&app.state.db)
    .await
    .expect("BIA figures");
    id
}

/// An approved plan over `services` whose steps are S1 (1h) then S2 (2h): 3h in all.
pub async fn approved_plan(app: &TestApp, services: &[Uuid]) -> Uuid {
    let cast = Cast::new(app, None).await;
    plans::plan(app, &complete_content(services, &cast), None, "approved").await
}

/// Plans a functional test of `plan` through the form as `client`; the test's id.
pub async fn planned(
    app: &TestApp,
    client: &reqwest::Client,
    plan: Uuid,
    objectives: &str,
) -> Uuid {
    let response = app
        .post_form(
            client,
            "/tests",
            &[
                ("title", "Functional test of the checkout".to_owned()),
                ("test_type", "functional".to_owned()),
                ("test_on", OffsetDateTime::now_utc().date().to_string()),
                ("plan", plan.to_string()),
                ("objectives", objectives.to_owned()),
                ("scenario", "The primary site is lost.".to_owned()),
            ],
        )
        .await;
    if response.status() != 303 {
        panic!(
            "the test is not planned: {}",
            response.text().await.unwrap_or_default()
        );
    }
    location(&response)
        .trim_start_matches("/tests/")
        .parse()
        .expect("the new test's id")
}

/// The test's current version.
/// Puts `service` in the test's scope directly, whether or not an exercised plan covers it.
pub async fn add_to_scope(app: &TestApp, test: Uuid, service: Uuid) {
    sqlx::query("insert into plan_test_services (test_id, service_id) values ($1, $2)")
        .bind(test)
        .bind(service)
        .execute(&app.state.db)
        .await
        .expect("the service in the test's scope");
}

pub async fn version(app: &TestApp, test: Uuid) -> i32 {
    sqlx::query_scalar("select version from plan_tests where id = $1")
        .bind(test)
        .fetch_one(&app.state.db)
        .await
        .expect("the test's version")
}

/// A planned test of `plan` with one finding and one evidence file, for the access matrix.
pub async fn matrix_test(app: &TestApp, plan: Uuid) -> (Uuid, Uuid, Uuid) {
    let actor = Actor::system("test fixtures");
    let mut tx = app.state.db.begin().await.expect("transaction");
    let test = records::create(
        &mut tx,
        &actor,
        &records::TestFields {
            title: format!("Matrix test {}", &Uuid::new_v4().simple().to_string()[..6]),
            test_type: TestType::Tabletop,
            test_on: OffsetDateTime::now_utc().date(),
            facilitator_id: None,
            scenario: String::new(),
            disaster_scenario_id: None,
            plans: vec![plan],
            suppliers: Vec::new(),
            participants: Vec::new(),
            objectives: vec!["Talk it through".to_owned()],
        },
    )
    .await
    .expect("test");
    let finding = results::add_finding(
        &mut tx,
        &actor,
        test.id,
        "medium",
        "Something was found",
        None,
    )
    .await
    .expect("finding");
    let document = documents::add(
        &mut tx,
        &actor,
        test.id,
        &NewDocument {
            file_name: "log.txt",
            content_type: "text/plain; charset=utf-8",
            sha256: "0",
            content: b"the log",
        },
    )
    .await
    .expect("document");
    tx.commit().await.expect("commit");
    (test.id, finding, document)
}
