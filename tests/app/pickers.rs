//! Pickers search instead of listing the estate: a page offers only the entries whose names
//! match what was typed (live through `/pick`, or after "Find" without JavaScript), nothing is
//! preselected, and linking from a contract returns to the contract.

use continuity::domain::role::Role;

use crate::support::catalogue::Catalogue;
use crate::support::suppliers::Suppliers;
use crate::support::{TestApp, location};

#[tokio::test]
async fn the_add_dependency_picker_lists_only_what_matches_the_search() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", None).await;
    let database = catalogue.component("payroll-db", None).await;
    let mut others = Vec::new();
    for index in 0..30 {
        others.push(catalogue.component(&format!("server-{index}"), None).await);
    }

    let page = app
        .get(&manager, &format!("/services/{payroll}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"pick-to_id\""), "a search box");
    for id in others.iter().chain([&database]) {
        assert!(!page.contains(&id.to_string()), "the estate is not listed");
    }

    // Without JavaScript: "Find" reloads the page with the search.
    let found = app
        .get(&manager, &format!("/services/{payroll}?pick=PAYROLL-D"))
        .await
        .text()
        .await
        .unwrap();
    assert!(found.contains(&format!("name=\"to_id\" value=\"{database}\"")));
    assert!(!found.contains(&others[0].to_string()));
    assert!(!found.contains(" checked"), "nothing is preselected");

    // With JavaScript: the fragment follows the typing, and never offers the node itself.
    let fragment = app
        .get(
            &manager,
            &format!(
                "/pick?field=to_id&kinds=service,component,contract&except={payroll}&pick=payroll"
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(fragment.contains(&database.to_string()));
    assert!(!fragment.contains(&payroll.to_string()), "not itself");
    assert!(!fragment.contains("<html"), "a fragment");
    let many = app
        .get(&manager, "/pick?field=to_id&kinds=component&pick=server")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(many.matches("type=\"radio\"").count(), 20, "bounded");
    assert!(many.contains("type more of the name"));
}

#[tokio::test]
async fn linking_from_a_contract_finds_the_service_by_name_and_returns_to_the_contract() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", None).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Acme").await;
    let contract = suppliers.contract(supplier, "LINK-1", |_| {}).await;
    let page = app
        .get(&manager, &format!("/contracts/{contract}?pick=payroll"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("name=\"from_id\" value=\"{payroll}\"")));
    let linked = app
        .post(
            &manager,
            "/dependencies",
            &[
                ("from_id", payroll.to_string().as_str()),
                ("to_id", contract.to_string().as_str()),
                ("relation", "supplied_by"),
                ("redundancy", "none"),
                ("back", "to"),
            ],
        )
        .await;
    assert_eq!(linked.status(), 303);
    assert_eq!(location(&linked), format!("/contracts/{contract}"));
    // Link pressed before choosing: back on the contract with a message, not an error page.
    let unchosen = app
        .post(
            &manager,
            "/dependencies",
            &[
                ("to_id", contract.to_string().as_str()),
                ("relation", "supplied_by"),
                ("redundancy", "none"),
                ("back", "to"),
            ],
        )
        .await;
    assert_eq!(location(&unchosen), format!("/contracts/{contract}"));
    // The link is part of the contract's history.
    let page = app
        .get(&manager, &format!("/contracts/{contract}"))
        .await
        .text()
        .await
        .unwrap();
    let name: String = sqlx::query_scalar("select name from services where id = $1")
        .bind(payroll)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(page.contains(&format!("linked {name}")), "{page}");
}
