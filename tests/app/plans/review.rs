//! Keeping plans current: review dates, "reviewed, no change", flags and overdue plans.

use continuity::domain::role::Role;

use super::{page_after, plan_version};
use crate::support::TestApp;
use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast, complete_content};

async fn review_dates(app: &TestApp, plan: uuid::Uuid) -> (Option<time::Date>, bool) {
    let row: (Option<time::Date>, bool) =
        sqlx::query_as("select next_review_on, review_required from plans where id = $1")
            .bind(plan)
            .fetch_one(&app.state.db)
            .await
            .expect("review dates");
    row
}

#[tokio::test]
async fn an_overdue_plan_stands_out_and_reviewing_it_moves_the_date() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Kiosk", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    sqlx::query("update plans set next_review_on = current_date - 10 where id = $1")
        .bind(plan)
        .execute(&app.state.db)
        .await
        .unwrap();
    let list = app.get(&manager, "/plans").await.text().await.unwrap();
    assert!(list.contains("1 plan is overdue for review"), "{list}");
    assert!(list.contains("Review overdue"));
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Review overdue"));

    let version = plan_version(&app, plan).await.to_string();
    let response = app
        .post(
            &manager,
            &format!("/plans/{plan}/reviewed"),
            &[("version", &version), ("comment", "Contacts checked")],
        )
        .await;
    let page = page_after(&app, &manager, response).await;
    assert!(page.contains("reviewed, no change"), "{page}");
    let (next, _) = review_dates(&app, plan).await;
    // No BIA tier: the 24-month interval applies.
    let expected =
        continuity::domain::plan::workflow::next_review(time::OffsetDateTime::now_utc().date(), 24);
    assert_eq!(next, Some(expected));
}

#[tokio::test]
async fn the_review_interval_follows_the_most_critical_tier() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Core", None).await;
    sqlx::query(
        "update services set bia_tier_rank = 1, bia_tier_name = 'Mission critical' where id = $1",
    )
    .bind(service)
    .execute(&app.state.db)
    .await
    .unwrap();
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let version = plan_version(&app, plan).await.to_string();
    app.post(
        &manager,
        &format!("/plans/{plan}/reviewed"),
        &[("version", &version)],
    )
    .await;
    let (next, _) = review_dates(&app, plan).await;
    let expected =
        continuity::domain::plan::workflow::next_review(time::OffsetDateTime::now_utc().date(), 6);
    assert_eq!(next, Some(expected));
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("6 months"), "{page}");
}

#[tokio::test]
async fn a_flag_needs_a_reason_and_approval_clears_it() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Backup", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let version = plan_version(&app, plan).await.to_string();
    app.post(
        &manager,
        &format!("/plans/{plan}/flag"),
        &[("version", &version), ("comment", " ")],
    )
    .await;
    assert!(!review_dates(&app, plan).await.1, "no reason, no flag");
    app.post(
        &manager,
        &format!("/plans/{plan}/flag"),
        &[
            ("version", &version),
            ("comment", "The backup supplier changed"),
        ],
    )
    .await;
    assert!(review_dates(&app, plan).await.1);
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("The backup supplier changed"));

    plans::next_version(&app, plan, "in_review").await;
    let row = super::row_version(&app, plan, 2).await.to_string();
    app.post(
        &manager,
        &format!("/plans/{plan}/versions/2/approve"),
        &[("version", &row)],
    )
    .await;
    assert!(
        !review_dates(&app, plan).await.1,
        "approving a new version clears the flag"
    );
}

#[tokio::test]
async fn a_new_bia_result_with_a_shorter_rto_flags_the_plans_covering_the_service() {
    use continuity::db::bia::assessments::{self, Approval};
    let app = TestApp::spawn().await;
    let service = Catalogue::new(&app).service("Treasury", None).await;
    sqlx::query(
        "update services set bia_rto_minutes = 480, bia_tier_name = 'Essential' where id = $1",
    )
    .bind(service)
    .execute(&app.state.db)
    .await
    .unwrap();
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    let (_, assessment) = crate::support::bia::open_exercise(&app, &[service]).await;
    let actor = continuity::db::audit::Actor::system("test");
    let mut tx = app.state.db.begin().await.unwrap();
    let version: i32 = sqlx::query_scalar("select version from bia_assessments where id = $1")
        .bind(assessment[0])
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let approved = assessments::approve(
        &mut tx,
        &actor,
        assessment[0],
        version,
        Approval {
            mtpd_minutes: Some(1440),
            rto_minutes: 240,
            rpo_minutes: 60,
            tier_rank: 2,
            tier_name: "Essential",
            override_justification: "",
        },
    )
    .await
    .unwrap();
    assert!(approved);
    tx.commit().await.unwrap();
    let reason: (bool, String) =
        sqlx::query_as("select review_required, review_required_reason from plans where id = $1")
            .bind(plan)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(reason.0);
    assert!(
        reason.1.contains("changed the RTO of Treasury"),
        "{}",
        reason.1
    );
    assert!(reason.1.contains("from 8h to 4h"));
}
