//! In a real browser: a manager plans a functional test of a plan; the owner of its service
//! records step times of which one overruns; the service's result shows "not met" with the
//! overrunning step named; the owner makes the finding an action; once the manager completes
//! the test, the service page shows the measured recovery time.

use continuity::domain::role::Role;

use crate::browser::sign_in;
use crate::support::browser::Browser;
use crate::support::exercises::{approved_plan, service};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_measured_overrun_becomes_a_finding_an_action_and_the_services_measured_time() {
    let app = TestApp::spawn().await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let owner = app
        .create_user_with(Role::ServiceOwner, "priya@test.example", "Priya Shah")
        .await;
    let checkout = service(&app, "Checkout", Some(owner.id), 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.click("nav.mainnav a[href='/tests']").await?;
        browser.wait_for_text("Never tested").await?;
        browser.click("a[href='/tests/new']").await?;
        browser
            .fill("#title", "Functional test of the checkout")
            .await?;
        browser
            .wait_for("#test_type")
            .await?
            .select_by_value("functional")
            .await?;
        browser
            .click(&format!("input[name=plan][value='{plan}']"))
            .await?;
        browser
            .fill("#objectives", "Checkout back within 4h")
            .await?;
        browser.click("form.stacked button.primary").await?;
        browser.wait_for_text("planned for").await?;
        let test_path = browser.path().await?;
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // The owner sees the test on the home page and records it: the second step overruns.
        sign_in(&browser, "priya@test.example", PASSWORD).await?;
        browser
            .wait_for_text("Tests of your services to record")
            .await?;
        browser.goto(&format!("{test_path}/record")).await?;
        browser
            .fill(&format!("input[name='step|{plan}|S1|duration']"), "1h")
            .await?;
        browser
            .fill(&format!("input[name='step|{plan}|S2|duration']"), "4h")
            .await?;
        browser
            .fill(
                &format!("input[name='step|{plan}|S2|deviation']"),
                "Restore slowed by a full log volume",
            )
            .await?;
        browser.click("form.stacked button.primary").await?;
        browser.wait_for_text("did not meet").await?;
        browser.wait_for_text("Not met").await?;
        browser
            .wait_for_text("“Do S2” took 4h against 2h planned (+2h)")
            .await?;
        browser.wait_for("rect.actual-bar.overran").await?;
        browser
            .click("form[action*='/findings/'] button[type=submit]")
            .await?;
        browser.wait_for_text("made from finding").await?;
        anyhow::ensure!(
            browser.path().await?.starts_with("/actions/"),
            "on the action"
        );
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // The manager completes the test; the service page shows what was measured.
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&test_path).await?;
        browser
            .fill("#conclusion", "Checkout missed its RTO by an hour.")
            .await?;
        browser.click("button[name=to][value=completed]").await?;
        browser
            .wait_for_text("now counts in the test programme")
            .await?;
        browser.goto(&format!("/services/{checkout}")).await?;
        browser.wait_for_text("Recovered in 5h (RTO 4h)").await?;
        Ok(())
    }
    .await;
    browser
        .finish(
            "a_measured_overrun_becomes_a_finding_and_an_action",
            outcome,
        )
        .await;
}
