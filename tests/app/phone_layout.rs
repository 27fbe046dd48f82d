//! Every page fits a 390 × 844 phone screen: people read plans and answer questionnaires on
//! phones during an incident. A real Chromium opens each page of the navigation, and the pages
//! behind the demo's lists, for every role, and fails when the document is wider than the screen.

use fantoccini::Locator;

use crate::support::browser::Browser;
use crate::support::{PASSWORD, TestApp};

const PHONE: (u32, u32) = (390, 844);

/// Pages that are not in the main navigation but that each role opens daily.
const AREA_PAGES: &[&str] = &[
    "/components",
    "/processes",
    "/sites",
    "/contracts",
    "/contracts/renewals",
    "/risks/method",
    "/risks/threats",
    "/risks/measures",
    "/risks/new",
    "/actions/new",
    "/tests/all",
    "/tests/awareness",
    "/tests/new",
    "/tests/training/new",
    "/posture/strategy",
    "/posture/strategy/templates/new",
    "/scenarios",
    "/account",
];

#[tokio::test]
async fn every_page_fits_a_phone_screen_for_every_role() {
    let app = TestApp::spawn_with(|config| {
        config.demo = Some(continuity::config::DemoSettings {
            password: PASSWORD.to_string(),
            password_is_default: false,
        });
    })
    .await;
    let details = detail_pages(&app).await;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        browser.client.set_window_size(PHONE.0, PHONE.1).await?;
        let mut too_wide = Vec::new();
        for email in [
            "manager@demo.test",
            "owner@demo.test",
            "auditor@demo.test",
            "admin@demo.test",
        ] {
            crate::browser::sign_in(&browser, email, PASSWORD).await?;
            browser.wait_for_text("Welcome").await?;
            let mut pages = navigation(&browser).await?;
            pages.extend(AREA_PAGES.iter().map(|page| page.to_string()));
            pages.extend(details.iter().cloned());
            for page in pages {
                browser.goto(&page).await?;
                browser.wait_for("footer.site-footer").await?;
                let (document, screen): (u64, u64) = widths(&browser).await?;
                if document > screen {
                    too_wide.push(format!(
                        "{email} {page}: {document} px on a {screen} px screen"
                    ));
                }
            }
            browser.goto("/").await?;
            browser.click("label.menu-button").await?;
            browser.click(".userbox button").await?;
            browser.wait_for("#email").await?;
        }
        anyhow::ensure!(
            too_wide.is_empty(),
            "pages wider than the phone:\n{}",
            too_wide.join("\n")
        );
        Ok(())
    }
    .await;
    browser
        .finish("every_page_fits_a_phone_screen", outcome)
        .await;
}

#[tokio::test]
async fn on_a_phone_the_navigation_folds_behind_a_menu_button() {
    let app = TestApp::spawn().await;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        browser.client.set_window_size(PHONE.0, PHONE.1).await?;
        crate::browser::sign_in(&browser, crate::support::ADMIN_EMAIL, PASSWORD).await?;
        // The home page, not the sign-in page that is still being left.
        browser.wait_for_text("Welcome").await?;
        let header = browser.wait_for("header.topbar").await?;
        let (_, _, _, folded) = header.rectangle().await?;
        anyhow::ensure!(folded < 70.0, "the folded header is {folded} px tall");
        let help = browser.wait_for("nav.mainnav a[href='/help']").await?;
        anyhow::ensure!(
            !help.is_displayed().await?,
            "the navigation shows before Menu"
        );
        browser.click("label.menu-button").await?;
        anyhow::ensure!(help.is_displayed().await?, "Menu opens the navigation");
        help.click().await?;
        let mut path = String::new();
        for _ in 0..50 {
            path = browser.path().await?;
            if path == "/help" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        anyhow::ensure!(path == "/help", "the menu's link works, not {path}");
        Ok(())
    }
    .await;
    browser.finish("navigation_folds_on_a_phone", outcome).await;
}

async fn navigation(browser: &Browser) -> anyhow::Result<Vec<String>> {
    let mut pages = Vec::new();
    for link in browser
        .client
        .find_all(Locator::Css("nav.mainnav a"))
        .await?
    {
        if let Some(href) = link.attr("href").await? {
            pages.push(href);
        }
    }
    anyhow::ensure!(!pages.is_empty(), "the page has a navigation");
    Ok(pages)
}

async fn widths(browser: &Browser) -> anyhow::Result<(u64, u64)> {
    let value = browser
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await?;
    let pair = value.as_array().cloned().unwrap_or_default();
    let number = |index: usize| pair.get(index).and_then(|v| v.as_u64()).unwrap_or(0);
    Ok((number(0), number(1)))
}

/// One page of each kind behind the demo's lists: the widest content the demo has.
async fn detail_pages(app: &TestApp) -> Vec<String> {
    let queries = [
        (
            "/services/",
            "select id from services where name = 'Store point of sale'",
        ),
        (
            "/bia/assessments/",
            "select a.id from bia_assessments a join bia_exercises e on e.id = a.exercise_id \
             where e.status = 'open' order by a.id limit 1",
        ),
        (
            "/bia/",
            "select id from bia_exercises where status = 'open' limit 1",
        ),
        ("/plans/", "select plan_id from plan_services limit 1"),
        (
            "/contracts/",
            "select id from contracts order by reference limit 1",
        ),
        (
            "/suppliers/",
            "select id from suppliers order by name limit 1",
        ),
        (
            "/components/",
            "select id from components order by name limit 1",
        ),
        ("/sites/", "select id from sites order by name limit 1"),
        (
            "/risks/",
            "select id from risks where title = 'Supply chain compromise of the monitoring agent'",
        ),
        (
            "/actions/",
            "select id from improvement_actions where status = 'done' order by number limit 1",
        ),
        (
            "/scenarios/",
            "select id from scenarios where name = 'Loss of the primary data centre'",
        ),
        (
            "/tests/",
            "select id from plan_tests where test_type = 'full_failover' limit 1",
        ),
    ];
    let mut pages = Vec::new();
    for (prefix, query) in queries {
        let id: uuid::Uuid = sqlx::query_scalar(query)
            .fetch_one(&app.state.db)
            .await
            .unwrap_or_else(|error| panic!("{query}: {error}"));
        pages.push(format!("{prefix}{id}"));
    }
    let erp: uuid::Uuid = sqlx::query_scalar("select id from services where name = 'ERP finance'")
        .fetch_one(&app.state.db)
        .await
        .expect("ERP finance");
    pages.push(format!("/services/{erp}/strategy"));
    // The recording form of the test last shown, with every kind of field.
    if let Some(test) = pages.last().cloned() {
        pages.push(format!("{test}/record"));
    }
    pages
}

#[tokio::test]
async fn on_a_desktop_cards_stand_side_by_side_and_the_menu_button_is_gone() {
    let app = TestApp::spawn().await;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        browser.client.set_window_size(1366, 900).await?;
        crate::browser::sign_in(&browser, crate::support::ADMIN_EMAIL, PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        let columns = browser
            .client
            .execute(
                "return getComputedStyle(document.querySelector('.grid-3')).gridTemplateColumns.split(' ').length",
                vec![],
            )
            .await?;
        anyhow::ensure!(
            columns.as_u64().unwrap_or(0) >= 3,
            "the home page's tiles stand three abreast at 1366 px, not {columns}"
        );
        let toggle = browser.wait_for("#menu-toggle").await?;
        anyhow::ensure!(!toggle.is_displayed().await?, "no hidden menu toggle on a desktop");
        let help = browser.wait_for("nav.mainnav a[href='/help']").await?;
        anyhow::ensure!(help.is_displayed().await?, "the navigation shows at once");
        Ok(())
    }
    .await;
    browser
        .finish("cards_side_by_side_on_a_desktop", outcome)
        .await;
}
