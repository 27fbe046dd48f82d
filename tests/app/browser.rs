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

async fn sign_in(browser: &Browser, email: &str, password: &str) -> anyhow::Result<()> {
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
