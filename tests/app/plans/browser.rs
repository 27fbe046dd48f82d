//! In a real browser: an owner drafts a plan with three steps and submits it, a manager returns
//! it with a comment, the owner amends and resubmits, the manager approves; then the offline copy,
//! opened from disk with the browser's network cut off, shows the call tree.

use fantoccini::Locator;
use fantoccini::wd::WebDriverCompatibleCommand;
use uuid::Uuid;

use crate::browser::sign_in;
use crate::support::browser::Browser;
use crate::support::catalogue::Catalogue;
use crate::support::plans::person;
use crate::support::{PASSWORD, TestApp};

/// Chromium's own WebDriver command that takes the browser off the network.
#[derive(Debug)]
struct GoOffline;

impl WebDriverCompatibleCommand for GoOffline {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, url_error::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (axum::http::Method, Option<String>) {
        let body = serde_json::json!({
            "network_conditions": {
                "offline": true, "latency": 0, "download_throughput": 0, "upload_throughput": 0
            }
        });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

mod url_error {
    pub use reqwest::Url;
    pub type ParseError = <Url as std::str::FromStr>::Err;
}

async fn nth(
    browser: &Browser,
    css: &str,
    index: usize,
) -> anyhow::Result<fantoccini::elements::Element> {
    browser.wait_for(css).await?;
    let all = browser.client.find_all(Locator::Css(css)).await?;
    all.into_iter()
        .nth(index)
        .ok_or_else(|| anyhow::anyhow!("no element {index} for {css}"))
}

async fn type_into(browser: &Browser, css: &str, index: usize, text: &str) -> anyhow::Result<()> {
    let field = nth(browser, css, index).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn choose(browser: &Browser, css: &str, index: usize, value: Uuid) -> anyhow::Result<()> {
    nth(browser, css, index)
        .await?
        .select_by_value(&value.to_string())
        .await?;
    Ok(())
}

async fn sign_out(browser: &Browser) -> anyhow::Result<()> {
    browser.click(".userbox button").await?;
    browser.wait_for_text("You have signed out").await
}

#[tokio::test]
async fn a_plan_is_drafted_returned_resubmitted_approved_and_read_offline() {
    use continuity::domain::role::Role;
    let app = TestApp::spawn().await;
    let owner = app
        .create_user_with(Role::ServiceOwner, "owen@test.example", "Owen Price")
        .await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let authority = person(&app, "Alex Morgan", None).await;
    let successor = person(&app, "Sam Reed", None).await;
    let lead = person(&app, "Priya Shah", None).await;
    let lead_name: String = sqlx::query_scalar("select name from people where id = $1")
        .bind(lead)
        .fetch_one(&app.state.db)
        .await
        .expect("name");
    let browser = Browser::start(&app.address).await;
    let mut plan_path = String::new();
    let outcome = async {
        // The owner starts a recovery plan for Payroll and fills in the draft.
        sign_in(&browser, "owen@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto("/plans/new").await?;
        browser.fill("#title", "Payroll recovery plan").await?;
        browser
            .click(&format!("input[name=service][value='{service}']"))
            .await?;
        browser.click("button.primary").await?;
        browser.wait_for_text("version 1 is a draft").await?;
        plan_path = browser.path().await?.trim_end_matches("/edit").to_owned();

        browser
            .fill(
                "#criteria",
                "The payroll platform is down for over 4 hours.",
            )
            .await?;
        choose(&browser, "#authority", 0, authority).await?;
        choose(&browser, "#successor", 0, successor).await?;
        type_into(&browser, "input[name=role_name]", 0, "Recovery lead").await?;
        choose(&browser, "select[name=role_person]", 0, lead).await?;
        choose(&browser, "select[name=role_alternate]", 0, successor).await?;
        choose(&browser, "select[name=call_caller]", 0, authority).await?;
        choose(&browser, "select[name=call_callee]", 0, lead).await?;
        type_into(&browser, "input[name=call_fallback]", 0, "Call Sam Reed").await?;
        for (index, (action, duration, after)) in [
            ("Invoke the plan", "30m", ""),
            ("Restore payroll from the replica", "2h", "S1"),
            ("Run a test payroll", "1h", "S2"),
        ]
        .into_iter()
        .enumerate()
        {
            type_into(&browser, "input[name=step_action]", index, action).await?;
            type_into(&browser, "input[name=step_role]", index, "Recovery lead").await?;
            type_into(&browser, "input[name=step_duration]", index, duration).await?;
            type_into(&browser, "input[name=step_after]", index, after).await?;
        }
        browser.click(".sticky-actions button.primary").await?;
        browser.wait_for_text("Draft v1 saved.").await?;
        browser
            .wait_for_text("Estimated recovery time: 3h 30m")
            .await?;
        browser.click("form[action$='/submit'] button").await?;
        browser.wait_for_text("submitted for review").await?;
        sign_out(&browser).await?;

        // The manager returns it with a comment.
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&format!("{plan_path}/versions/1")).await?;
        browser
            .fill("#return-comment", "The restore takes 3h in our last test")
            .await?;
        browser.click("form[action$='/return'] button").await?;
        browser.wait_for_text("returned to its authors").await?;
        sign_out(&browser).await?;

        // The owner reads the comment, amends the step and resubmits.
        sign_in(&browser, "owen@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&format!("{plan_path}/versions/1")).await?;
        browser
            .wait_for_text("The restore takes 3h in our last test")
            .await?;
        browser.click("a[href$='/edit']").await?;
        type_into(&browser, "input[name=step_duration]", 1, "3h").await?;
        browser.click(".sticky-actions button.primary").await?;
        browser
            .wait_for_text("Estimated recovery time: 4h 30m")
            .await?;
        browser.click("form[action$='/submit'] button").await?;
        browser.wait_for_text("submitted for review").await?;
        sign_out(&browser).await?;

        // The manager sees the plan and approves it.
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&format!("{plan_path}/versions/1")).await?;
        browser.click("form[action$='/approve'] button").await?;
        browser.wait_for_text("In force: version 1").await?;
        browser
            .wait_for_text("Restore payroll from the replica")
            .await?;
        Ok(())
    }
    .await;
    if outcome.is_err() {
        browser
            .finish("a_plan_is_drafted_and_approved", outcome)
            .await;
        return;
    }

    // The offline copy, saved to disk and opened with the network cut off, shows the call tree.
    let outcome = async {
        let client = app.client();
        app.sign_in(&client, "maria@test.example", PASSWORD).await;
        let html = app
            .get(&client, &format!("{plan_path}/pack"))
            .await
            .text()
            .await?;
        let file = std::env::temp_dir().join(format!("continuity-pack-{}.html", Uuid::new_v4()));
        std::fs::write(&file, html)?;
        browser.client.issue_cmd(GoOffline).await?;
        browser
            .client
            .goto(&format!("file://{}", file.display()))
            .await?;
        browser.wait_for_text("Call tree").await?;
        browser.wait_for_text(&lead_name).await?;
        browser.wait_for_text("starts the cascade").await?;
        browser
            .wait_for_text("if unreachable: Call Sam Reed")
            .await?;
        let requests = browser
            .client
            .execute(
                "return performance.getEntriesByType('resource').length",
                vec![],
            )
            .await?;
        anyhow::ensure!(
            requests == serde_json::json!(0),
            "the file fetched {requests} resources"
        );
        std::fs::remove_file(&file).ok();
        Ok(())
    }
    .await;
    browser.finish("a_plan_read_offline", outcome).await;
}
