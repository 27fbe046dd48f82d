//! Supplier gaps reach the continuity manager: the home page counts contracts with gaps, notice
//! dates within 30 days and expired evidence, and each count opens exactly those contracts.

use continuity::domain::role::Role;

use super::{Flawed, flawed_contracts};
use crate::support::TestApp;
use crate::support::suppliers::Suppliers;

#[tokio::test]
async fn the_home_page_counts_supplier_gaps_and_each_count_opens_its_contracts() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let Flawed {
        supplier,
        bare,
        expired,
    } = flawed_contracts(&app).await;
    let fine = Suppliers::new(&app).contract(supplier, "F", |_| {}).await;

    let home = app.text(&manager, "/").await;
    assert!(home.contains("href=\"/contracts/gaps\""), "{home}");
    assert!(
        home.contains("contracts leave a gap"),
        "two: no terms, and expired evidence"
    );
    assert!(home.contains("href=\"/contracts?evidence=expired\""));
    assert!(
        !app.text(&owner, "/").await.contains("/contracts/gaps"),
        "managers only"
    );

    let gaps = app.text(&manager, "/contracts/gaps").await;
    assert!(gaps.contains(&format!("/contracts/{bare}\"")), "{gaps}");
    assert!(gaps.contains(&format!("/contracts/{expired}\"")));
    assert!(!gaps.contains(&format!("/contracts/{fine}\"")));
    assert!(gaps.contains("no continuity terms"));

    let evidence = app.text(&manager, "/contracts?evidence=expired").await;
    assert!(evidence.contains(&format!("/contracts/{expired}\"")));
    assert!(!evidence.contains(&format!("/contracts/{bare}\"")));
    let page = app.text(&manager, &format!("/contracts/{expired}")).await;
    assert!(page.contains("Expired on 2025-01-01"), "evidence in words");
}

/// The figure in the home page's "contracts leave a gap" tile.
fn gap_count(home: &str) -> String {
    let tile = home
        .split("href=\"/contracts/gaps\"")
        .nth(1)
        .expect("the gap tile");
    let value = tile.split("stat-value\">").nth(1).expect("its figure");
    value.split('<').next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_home_page_gap_count_follows_a_new_gap_at_once() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let Flawed { supplier, .. } = flawed_contracts(&app).await;
    assert_eq!(gap_count(&app.text(&manager, "/").await), "2");
    assert_eq!(
        gap_count(&app.text(&manager, "/").await),
        "2",
        "the kept figure reads the same"
    );
    Suppliers::new(&app)
        .contract(supplier, "X", |fields| {
            fields.bcp_required = true;
        })
        .await;
    assert_eq!(
        gap_count(&app.text(&manager, "/").await),
        "3",
        "a contract without evidence counts as soon as it exists"
    );
}
