//! The offline copy, the zip of all current plans, the distribution register and
//! acknowledgements.

use std::io::Read;

use continuity::domain::role::Role;
use sha2::{Digest, Sha256};

use super::{page_after, row_version};
use crate::support::TestApp;
use crate::support::catalogue::Catalogue;
use crate::support::plans::{self, Cast, complete_content};

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("start marker") + start.len();
    let to = text[from..].find(end).expect("end marker") + from;
    &text[from..to]
}

/// Everything in the file that would make a browser fetch something or leave the file.
fn external_references(html: &str) -> Vec<String> {
    let lower = html.to_lowercase();
    [
        "http://", "https://", "//", "src=", "<link", "<script", "url(", "@import", "<iframe",
        "<object", "<embed",
    ]
    .iter()
    .filter(|needle| {
        // `//` inside the SVG namespace declaration is a name, not a request.
        let count = lower.matches(*needle).count();
        let namespaces = if **needle == "//" || **needle == "http://" {
            lower.matches("http://www.w3.org/2000/svg").count()
        } else {
            0
        };
        count > namespaces
    })
    .map(|needle| (*needle).to_owned())
    .collect()
}

#[tokio::test]
async fn the_offline_copy_is_self_contained_and_its_checksum_verifies() {
    let app = TestApp::spawn().await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let service = Catalogue::new(&app).service("Payroll", None).await;
    let cast = Cast::new(&app, None).await;
    let mut content = complete_content(&[service], &cast);
    content.sections[0].body =
        "See [the wiki](https://wiki.example.com) and ![x](https://example.com/x.png)".into();
    let plan = plans::plan(&app, &content, None, "approved").await;

    let response = app.get(&auditor, &format!("/plans/{plan}/pack")).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"fixture-plan-"),
        "{disposition}"
    );
    assert!(disposition.ends_with("-v1.html\""));
    let html = response.text().await.unwrap();
    assert_eq!(external_references(&html), Vec::<String>::new(), "{html}");
    assert!(
        html.contains("default-src 'none'"),
        "its own CSP forbids any request"
    );
    assert!(html.contains("the wiki"), "links become text");
    assert!(html.contains("Call tree") && html.contains("+44 7700 900999"));
    assert!(html.contains("Version") && html.contains("(approved)"));

    let body = between(&html, "<!--content-start-->", "<!--content-end-->");
    let digest: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let printed = between(&html, "<code id=\"checksum\">", "</code>");
    assert_eq!(printed, digest);
}

#[tokio::test]
async fn the_register_shows_who_holds_an_outdated_copy() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Stores", None).await;
    let cast = Cast::new(&app, None).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;
    app.get(&owner, &format!("/plans/{plan}/pack")).await;
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&owner_user.email));
    assert!(page.contains("Current"));

    plans::next_version(&app, plan, "in_review").await;
    let row = row_version(&app, plan, 2).await.to_string();
    app.post(
        &manager,
        &format!("/plans/{plan}/versions/2/approve"),
        &[("version", &row)],
    )
    .await;
    let page = app
        .get(&manager, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Outdated"), "{page}");
    assert!(app.audit_count("plan", "download").await >= 1);
}

#[tokio::test]
async fn the_zip_holds_every_current_plan_and_nothing_unapproved() {
    let app = TestApp::spawn().await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let service = Catalogue::new(&app).service("Mail", None).await;
    let cast = Cast::new(&app, None).await;
    let content = complete_content(&[service], &cast);
    plans::plan(&app, &content, None, "approved").await;
    plans::plan(&app, &content, None, "approved").await;
    plans::plan(&app, &content, None, "in_review").await;
    let response = app.get(&auditor, "/plans/pack.zip").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut plans_found = 0;
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        if file.name().unwrap().ends_with(".html") {
            plans_found += 1;
            assert_eq!(external_references(&text), Vec::<String>::new());
        }
    }
    assert_eq!(plans_found, 2);
    assert_eq!(
        app.audit_count("plan", "download").await,
        2,
        "each plan in the zip is recorded as handed out, and audited"
    );
}

#[tokio::test]
async fn people_named_in_the_roles_acknowledge_the_current_version() {
    let app = TestApp::spawn().await;
    let (lead_client, lead_user) = app.signed_in(Role::ServiceOwner).await;
    let (other, _) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Loyalty", None).await;
    let cast = Cast::new(&app, Some(lead_user.id)).await;
    let plan = plans::plan(&app, &complete_content(&[service], &cast), None, "approved").await;

    let page = app
        .get(&lead_client, &format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("I have read version 1"));
    assert!(page.contains("Not yet"));
    let denied = app
        .post(&other, &format!("/plans/{plan}/acknowledge"), &[])
        .await;
    assert_eq!(
        denied.status(),
        403,
        "only the people named may acknowledge"
    );

    let response = app
        .post(&lead_client, &format!("/plans/{plan}/acknowledge"), &[])
        .await;
    let page = page_after(&app, &lead_client, response).await;
    assert!(
        page.contains("recorded that you have read version 1"),
        "{page}"
    );
    assert!(!page.contains("I have read version 1"));
    let count: i64 = sqlx::query_scalar("select count(*) from plan_acknowledgements")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}
