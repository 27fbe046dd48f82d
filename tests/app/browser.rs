//! Browser tests: a real headless Chromium signs in and clicks through the pages.

use crate::support::browser::Browser;
use crate::support::{ADMIN_EMAIL, PASSWORD, TestApp};

const NEW_PASSWORD: &str = "copper kettle harbour sunrise";

#[tokio::test]
async fn administrator_creates_a_user_who_signs_in_changes_password_and_signs_out() {
    let app = TestApp::spawn().await;
    let browser = Browser::start(&app.address).await;
    let outcome = create_user_then_first_sign_in(&browser).await;
    browser
        .finish("administrator_creates_a_user", outcome)
        .await;
    // The new password works for a fresh sign-in, the initial one no longer does.
    let client = app.client();
    let email = "nadia.patel@example.com";
    assert_eq!(
        app.sign_in(&client, email, "river-stone-orchard-77")
            .await
            .status(),
        422
    );
    assert_eq!(
        app.sign_in(&client, email, NEW_PASSWORD).await.status(),
        303
    );
}

pub(crate) async fn sign_in(browser: &Browser, email: &str, password: &str) -> anyhow::Result<()> {
    browser.goto("/login").await?;
    browser.fill("#email", email).await?;
    browser.fill("#password", password).await?;
    browser.click("button.primary").await?;
    Ok(())
}

async fn create_user_then_first_sign_in(browser: &Browser) -> anyhow::Result<()> {
    // The administrator signs in and sees the home page.
    sign_in(browser, ADMIN_EMAIL, PASSWORD).await?;
    browser.wait_for_text("Welcome").await?;
    anyhow::ensure!(browser.path().await? == "/", "home page after sign-in");

    // … opens Users and creates a service owner.
    browser.click("nav.mainnav a[href='/admin/users']").await?;
    browser.click("a[href='/admin/users/new']").await?;
    browser.fill("#email", "Nadia.Patel@example.com").await?;
    browser.fill("#display_name", "Nadia Patel").await?;
    browser
        .click("input[name=role][value=service_owner]")
        .await?;
    browser.fill("#password", "river-stone-orchard-77").await?;
    browser.click("button.primary").await?;
    browser
        .wait_for_text("can now sign in as nadia.patel@example.com")
        .await?;

    // … and signs out.
    browser.click(".userbox button").await?;
    browser.wait_for_text("You have signed out").await?;

    // The new user signs in, is asked to choose a password, and does.
    sign_in(browser, "nadia.patel@example.com", "river-stone-orchard-77").await?;
    browser.wait_for_text("Choose your own password").await?;
    browser.click(".banner-warning a").await?;
    browser
        .fill("#current_password", "river-stone-orchard-77")
        .await?;
    browser.fill("#new_password", NEW_PASSWORD).await?;
    browser.fill("#confirm_password", NEW_PASSWORD).await?;
    browser
        .click("form[action='/account/password'] button")
        .await?;
    browser
        .wait_for_text("Your password has been changed")
        .await?;
    anyhow::ensure!(
        !browser
            .client
            .source()
            .await?
            .contains("Choose your own password"),
        "the banner asking for a new password is gone"
    );

    // Signs out, and the home page now asks for sign-in.
    browser.click(".userbox button").await?;
    browser.wait_for_text("You have signed out").await?;
    browser.goto("/").await?;
    browser.wait_for_text("Sign in to Continuity").await?;
    Ok(())
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_in_the_browser() {
    let app = TestApp::spawn().await;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, ADMIN_EMAIL, PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto("/admin/users/new").await?;
        browser.fill("#email", "not-an-email").await?;
        browser.fill("#display_name", "Kept Name").await?;
        browser.fill("#password", "short").await?;
        browser.click("button.primary").await?;
        browser.wait_for_text("Please correct").await?;
        let name = browser
            .wait_for("#display_name")
            .await?
            .prop("value")
            .await?;
        anyhow::ensure!(
            name.as_deref() == Some("Kept Name"),
            "name kept, got {name:?}"
        );
        let email = browser.wait_for("#email").await?.prop("value").await?;
        anyhow::ensure!(
            email.as_deref() == Some("not-an-email"),
            "email kept, got {email:?}"
        );
        Ok(())
    }
    .await;
    browser
        .finish("a_refused_form_keeps_what_was_typed", outcome)
        .await;
}

#[tokio::test]
async fn a_service_owner_adds_a_dependency_and_sees_it_on_the_map() {
    let app = TestApp::spawn().await;
    let owner = app
        .create_user_with(
            continuity::domain::role::Role::ServiceOwner,
            "owen@test.example",
            "Owen Price",
        )
        .await;
    let catalogue = crate::support::catalogue::Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", Some(owner.id)).await;
    let database = catalogue.component("payroll-db", None).await;
    let database_name: String = sqlx::query_scalar("select name from components where id = $1")
        .bind(database)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "owen@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.click("nav.mainnav a[href='/services']").await?;
        browser.click("a.button[href^='/services?owner=']").await?;
        browser
            .click(&format!("table.data a[href='/services/{payroll}']"))
            .await?;
        browser.wait_for_text("Add a dependency").await?;
        // The picker searches as the owner types; nothing is chosen until they choose.
        browser.fill("#pick-to_id", "payroll-d").await?;
        browser
            .click(&format!("input[name=to_id][value='{database}']"))
            .await?;
        browser
            .wait_for("#relation")
            .await?
            .select_by_value("stores_data_in")
            .await?;
        browser
            .click("form[action='/dependencies'] button.primary")
            .await?;
        browser
            .wait_for_text(&format!("now depends on {database_name}"))
            .await?;
        // The new neighbour is a box (a link) on the map.
        let node = browser
            .wait_for(&format!("svg.depmap a[href='/components/{database}']"))
            .await?;
        anyhow::ensure!(
            node.text().await?.contains("payroll-db"),
            "the map names the database"
        );
        Ok(())
    }
    .await;
    browser
        .finish("a_service_owner_adds_a_dependency", outcome)
        .await;
}

#[tokio::test]
async fn a_manager_previews_an_import_with_a_refused_row_and_nothing_is_written_before_confirming()
{
    let app = TestApp::spawn().await;
    app.create_user_with(
        continuity::domain::role::Role::ContinuityManager,
        "maria@test.example",
        "Maria Lopez",
    )
    .await;

    let csv = "external_id,name,type,owner_email\nSVC-SHOP,Online shop,business,\nSVC-BAD,Broken row,magic,\nSVC-MAIL,Email,technical,\n";
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-uploads");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("services-{}.csv", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, csv).unwrap();
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from services")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto("/import").await?;
        browser
            .wait_for("#kind")
            .await?
            .select_by_value("services")
            .await?;
        browser
            .wait_for("#file")
            .await?
            .send_keys(&file.to_string_lossy())
            .await?;
        browser
            .click("form[action='/import'] button.primary")
            .await?;
        browser.wait_for_text("Import preview").await?;
        browser
            .wait_for_text("Type “magic” is not one of business, technical.")
            .await?;
        anyhow::ensure!(count().await == 0, "nothing written before confirmation");
        browser.click("form[action$='/confirm'] button").await?;
        browser
            .wait_for_text("2 created, 0 updated, 0 unchanged, 1 refused")
            .await?;
        anyhow::ensure!(count().await == 2, "the two good rows are imported");
        Ok(())
    }
    .await;
    browser
        .finish("a_manager_previews_an_import", outcome)
        .await;
}

/// Fills the whole impact grid and data-loss row: financial unacceptable from 24h, the rest calm.
async fn fill_questionnaire(
    browser: &Browser,
    method: &continuity::domain::bia::method::Method,
) -> anyhow::Result<()> {
    for category in &method.categories {
        for index in 0..method.time_buckets.len() {
            let level = if category.key == method.categories[0].key && index >= 3 {
                "4"
            } else {
                "2"
            };
            browser
                .wait_for(&format!("select[name='impact.{}.{index}']", category.key))
                .await?
                .select_by_value(level)
                .await?;
        }
        browser
            .fill(
                &format!("input[name='justification.{}']", category.key),
                "Orders stop",
            )
            .await?;
    }
    for index in 0..method.data_loss_buckets.len() {
        let level = if index >= 2 { "4" } else { "1" };
        browser
            .wait_for(&format!("select[name='data_loss.{index}']"))
            .await?
            .select_by_value(level)
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_owner_answers_a_bia_which_is_returned_resubmitted_and_approved() {
    use continuity::domain::bia::method::Method;
    use continuity::domain::role::Role;
    let app = TestApp::spawn().await;
    let owner = app
        .create_user_with(Role::ServiceOwner, "owen@test.example", "Owen Price")
        .await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    let service = crate::support::catalogue::Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    let (_, assessments) = crate::support::bia::open_exercise(&app, &[service]).await;
    let path = format!("/bia/assessments/{}", assessments[0]);
    let method = Method::default_method();
    let first = &method.categories[0].key;
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        // The owner answers part of the grid, saves, and finds it again after a reload.
        sign_in(&browser, "owen@test.example", PASSWORD).await?;
        browser
            .wait_for_text("BIA questionnaires to answer")
            .await?;
        browser.click(&format!("a[href='{path}']")).await?;
        browser
            .wait_for(&format!("select[name='impact.{first}.0']"))
            .await?
            .select_by_value("3")
            .await?;
        browser
            .fill(
                &format!("input[name='justification.{first}']"),
                "Salaries unpaid",
            )
            .await?;
        browser
            .click(".sticky-actions button:not(.primary)")
            .await?;
        browser.wait_for_text("Draft saved").await?;
        browser.goto(&path).await?;
        let kept = browser
            .wait_for(&format!("select[name='impact.{first}.0']"))
            .await?
            .prop("value")
            .await?;
        anyhow::ensure!(
            kept.as_deref() == Some("3"),
            "the saved level is shown again, got {kept:?}"
        );
        // … completes it and submits.
        fill_questionnaire(&browser, &method).await?;
        browser.wait_for_text("MTPD").await?;
        browser.click(".sticky-actions button.primary").await?;
        browser.wait_for_text("Submitted.").await?;
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // The manager returns it with a comment.
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&path).await?;
        browser
            .fill("#comment", "Please check the data loss ratings")
            .await?;
        browser.click("form[action$='/return'] button").await?;
        browser.wait_for_text("Returned to Owen Price").await?;
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // The owner sees the comment, fixes and resubmits.
        sign_in(&browser, "owen@test.example", PASSWORD).await?;
        browser.wait_for_text("Returned to you").await?;
        browser.goto(&path).await?;
        browser
            .wait_for_text("Please check the data loss ratings")
            .await?;
        browser
            .wait_for("select[name='data_loss.1']")
            .await?
            .select_by_value("2")
            .await?;
        browser.click(".sticky-actions button.primary").await?;
        browser.wait_for_text("Submitted.").await?;
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // The manager approves as derived; the service page shows the RTO and tier.
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto(&path).await?;
        browser.click("form[action$='/approve'] button").await?;
        browser.wait_for_text("Approved:").await?;
        browser.goto(&format!("/services/{service}")).await?;
        browser.wait_for_text("Business critical").await?;
        browser.wait_for_text("RTO 8h").await?;
        Ok(())
    }
    .await;
    browser.finish("an_owner_answers_a_bia", outcome).await;
}
