//! Plans through their pages: drafting, the approval workflow with four-eyes, reviews, the
//! offline copy and its distribution, acknowledgements, and the people directory.

mod browser;
mod drafting;
mod offline;
mod people;
mod review;
mod signals;
mod workflow;

use uuid::Uuid;

use crate::support::TestApp;

/// The row version of a plan's version `number`, as its forms carry it.
pub async fn row_version(app: &TestApp, plan: Uuid, number: i32) -> i32 {
    sqlx::query_scalar("select version from plan_versions where plan_id = $1 and number = $2")
        .bind(plan)
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .expect("version")
}

/// The plan record's own version.
pub async fn plan_version(app: &TestApp, plan: Uuid) -> i32 {
    sqlx::query_scalar("select version from plans where id = $1")
        .bind(plan)
        .fetch_one(&app.state.db)
        .await
        .expect("version")
}

/// The text of a page, after following one redirect if there is one.
pub async fn page_after(
    app: &TestApp,
    client: &reqwest::Client,
    response: reqwest::Response,
) -> String {
    if response.status() == 303 {
        let target = crate::support::location(&response);
        app.get(client, &target).await.text().await.expect("body")
    } else {
        response.text().await.expect("body")
    }
}
