//! In a real browser: a continuity manager runs the loss of the primary data centre, opens a
//! service that comes back too late, and turns its recovery gap into an improvement action.

use continuity::domain::role::Role;

use crate::browser::sign_in;
use crate::support::browser::Browser;
use crate::support::catalogue::Catalogue;
use crate::support::exercises::service;
use crate::support::posture::strategy;
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_manager_runs_the_data_centre_scenario_opens_a_red_service_and_raises_an_action() {
    let app = TestApp::spawn().await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let site_name: String = sqlx::query_scalar("select name from sites where id = $1")
        .bind(site)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let database = catalogue.component("payroll-db", Some(site)).await;
    // Payroll must be back within 4 hours; its cold standby needs two days.
    let payroll = service(&app, "Payroll", None, 240).await;
    catalogue.depend(payroll, database).await;
    strategy(&app, payroll, "gradual", 2880).await;
    let due = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();

    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto("/scenarios").await?;
        // The picker searches as the manager types; the site is ticked from the matches.
        browser.fill("#pick-lost", "Primary data").await?;
        let tick = format!("input[name=lost][value='{site}']");
        browser.wait_for(&tick).await?;
        // Let the search settle (it runs 250 ms after the last key), then tick the match.
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        browser.click(&tick).await?;
        let ticked = browser.wait_for(&tick).await?.prop("checked").await?;
        anyhow::ensure!(ticked.as_deref() == Some("true"), "the site is ticked");
        browser
            .click("form[action='/scenarios/run'] button.primary")
            .await?;
        browser.wait_for_text("Recovery order").await?;
        browser.wait_for_text(&site_name).await?;
        browser.wait_for_text("Breaches").await?;
        browser.wait_for("svg").await?;

        // The red service opens on its page, whose posture card says why and offers the action.
        browser
            .click(&format!("table a[href='/services/{payroll}']"))
            .await?;
        browser
            .wait_for_text("Recovery posture and strategy")
            .await?;
        browser.wait_for_text("cold standby cannot meet 4h").await?;
        browser
            .click(&format!("a.button[href^='/actions/new?gap={payroll}']"))
            .await?;
        browser.wait_for_text("Closes the posture gap of").await?;
        let title = browser.wait_for("#title").await?.prop("value").await?;
        anyhow::ensure!(
            title
                .as_deref()
                .is_some_and(|title| title.starts_with("Close the recovery gap of Payroll")),
            "the title is suggested, got {title:?}"
        );
        browser.wait_for("#owner").await?.select_by_index(1).await?;
        browser
            .client
            .execute(
                "document.getElementById('due_on').value = arguments[0]",
                vec![serde_json::json!(due)],
            )
            .await?;
        browser.click("form button.primary").await?;
        browser.wait_for_text("the recovery gap of Payroll").await?;
        anyhow::ensure!(
            browser.path().await?.starts_with("/actions/"),
            "the action's page is shown"
        );
        Ok(())
    }
    .await;
    browser
        .finish("a_manager_runs_the_data_centre_scenario", outcome)
        .await;
    let source: String =
        sqlx::query_scalar("select source from improvement_actions where gap_service_id = $1")
            .bind(payroll)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(source, "gap");
}
