//! In a real browser: a manager records a contract guaranteeing 24h recovery in business hours
//! only, links it to a service whose RTO is 4h, and sees the gap on the service page; the renewal
//! list shows a contract whose notice date is twenty days away.

use continuity::domain::role::Role;

use crate::browser::sign_in;
use crate::support::browser::Browser;
use crate::support::catalogue::Catalogue;
use crate::support::suppliers::Suppliers;
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_manager_records_a_contract_and_sees_the_gap_on_the_service_page() {
    let app = TestApp::spawn().await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    sqlx::query(
        "update services set bia_rto_minutes = 240, bia_rpo_minutes = 60, bia_tier_rank = 2,
             bia_tier_name = 'Business critical' where id = $1",
    )
    .bind(service)
    .execute(&app.state.db)
    .await
    .expect("objectives");
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Ledgerline").await;
    let today = time::OffsetDateTime::now_utc().date();
    suppliers
        .contract(supplier, "RENEWING", |fields| {
            fields.end_date = Some(today + time::Duration::days(110));
            fields.termination_notice_days = Some(90);
        })
        .await;
    let service_name: String = sqlx::query_scalar("select name from services where id = $1")
        .bind(service)
        .fetch_one(&app.state.db)
        .await
        .expect("name");
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.click("nav.mainnav a[href='/suppliers']").await?;
        browser.click("a[href='/contracts/new']").await?;
        browser
            .wait_for("#supplier_id")
            .await?
            .select_by_value(&supplier.to_string())
            .await?;
        browser.fill("#reference", "LL-SUP-1").await?;
        browser.fill("#end_date", "2028-06-30").await?;
        browser
            .wait_for("#support_hours")
            .await?
            .select_by_value("business")
            .await?;
        browser.fill("#guaranteed_recovery", "24h").await?;
        browser.click("form.wide-form button.primary").await?;
        browser.wait_for_text("Contract LL-SUP-1 recorded").await?;

        // Link the service to the contract from the contract's page, found by typing its name;
        // the manager comes back to the contract.
        browser.fill("#pick-from_id", &service_name).await?;
        browser
            .click(&format!("input[name=from_id][value='{service}']"))
            .await?;
        browser
            .click("form.link-form button[type=submit]:not([formmethod])")
            .await?;
        browser
            .wait_for_text(&format!("{service_name} now depends on"))
            .await?;
        anyhow::ensure!(
            browser.path().await?.starts_with("/contracts/"),
            "back on the contract after linking"
        );
        browser.goto(&format!("/services/{service}")).await?;
        browser.wait_for_text("Suppliers").await?;
        browser
            .wait_for_text("must be back within 4h but the supplier guarantees recovery in 24h")
            .await?;

        // The renewal list leads with the contract whose notice date is 20 days away.
        browser.goto("/contracts/renewals?days=30").await?;
        browser.wait_for_text("in 20 days").await?;
        browser.wait_for_text("Notice date soon").await?;
        Ok(())
    }
    .await;
    browser
        .finish("a_manager_records_a_contract", outcome)
        .await;
}
