//! A service owner reads a contract only through dependencies a continuity manager made or
//! confirmed; any other contract is, wherever the graph shows it, "a supplier contract".

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::suppliers::{Suppliers, document};
use crate::support::{TestApp, location};

/// A supplier with one contract (renewal notice due soon, one document) that a manager
/// linked to a component: the component is "supplied by" the contract.
struct Hidden {
    supplier: Uuid,
    supplier_name: String,
    contract: Uuid,
    reference: String,
    document: Uuid,
    component: Uuid,
}

async fn hidden_contract(app: &TestApp) -> Hidden {
    let suppliers = Suppliers::new(app);
    let supplier = suppliers.supplier("Hidden supplier").await;
    let today = time::OffsetDateTime::now_utc().date();
    let contract = suppliers
        .contract(supplier, "SECRET", |fields| {
            fields.end_date = Some(today + time::Duration::days(110));
            fields.termination_notice_days = Some(90);
        })
        .await;
    let catalogue = Catalogue::new(app);
    let component = catalogue.component("Hosted platform", None).await;
    catalogue.depend(component, contract).await;
    let (supplier_name, reference): (String, String) = sqlx::query_as(
        "select s.name, c.reference from contracts c join suppliers s on s.id = c.supplier_id
         where c.id = $1",
    )
    .bind(contract)
    .fetch_one(&app.state.db)
    .await
    .expect("names");
    Hidden {
        supplier,
        supplier_name,
        contract,
        reference,
        document: document(app, contract).await,
        component,
    }
}

async fn add_dependency(
    app: &TestApp,
    client: &reqwest::Client,
    from: Uuid,
    to: Uuid,
) -> reqwest::Response {
    app.post_form(
        client,
        "/dependencies",
        &[
            ("from_id", from.to_string()),
            ("to_id", to.to_string()),
            ("relation", "runs_on".into()),
            ("redundancy", "none".into()),
        ],
    )
    .await
}

async fn status(app: &TestApp, client: &reqwest::Client, path: &str) -> u16 {
    app.get(client, path).await.status().as_u16()
}

async fn dependency_id(app: &TestApp, from: Uuid, to: Uuid) -> Uuid {
    sqlx::query_scalar("select id from dependencies where from_id = $1 and to_id = $2")
        .bind(from)
        .bind(to)
        .fetch_one(&app.state.db)
        .await
        .expect("dependency")
}

#[tokio::test]
async fn an_owner_cannot_open_a_contract_by_depending_on_a_component_a_manager_linked_to_it() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let mine = Catalogue::new(&app)
        .service("Mine", Some(owner_user.id))
        .await;
    let hidden = hidden_contract(&app).await;

    let response = add_dependency(&app, &owner, mine, hidden.component).await;
    assert_eq!(response.status(), 303);
    let service_page = app.text(&owner, &location(&response)).await;
    assert!(service_page.contains("now depends on"), "{service_page}");

    let contract = format!("/contracts/{}", hidden.contract);
    assert_eq!(status(&app, &owner, &contract).await, 403);
    assert_eq!(
        status(
            &app,
            &owner,
            &format!("{contract}/documents/{}", hidden.document)
        )
        .await,
        403
    );
    assert_eq!(
        status(&app, &owner, &format!("/suppliers/{}", hidden.supplier)).await,
        403
    );
    for list in [
        "/contracts",
        "/contracts.csv",
        "/contracts/renewals",
        "/suppliers",
        "/suppliers.csv",
    ] {
        let body = app.text(&owner, list).await;
        assert!(
            !body.contains(&hidden.reference) && !body.contains(&hidden.supplier_name),
            "{list} shows the hidden contract: {body}"
        );
    }
    // The service page says a supplier contract is there, but neither its name nor its terms.
    assert!(!service_page.contains(&hidden.reference));
    assert!(!service_page.contains(&hidden.supplier_name));
    assert!(service_page.contains("A supplier contract"));
    assert!(service_page.contains("no continuity manager has confirmed"));
}

#[tokio::test]
async fn a_manager_confirms_an_owners_dependency_and_then_the_owner_reads_the_contract() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let mine = Catalogue::new(&app)
        .service("Mine", Some(owner_user.id))
        .await;
    let hidden = hidden_contract(&app).await;
    add_dependency(&app, &owner, mine, hidden.component).await;
    let edge = dependency_id(&app, mine, hidden.component).await;
    let confirm = format!("/dependencies/{edge}/confirm");

    let component_page = app
        .text(&manager, &format!("/components/{}", hidden.component))
        .await;
    assert!(component_page.contains("Not confirmed") && component_page.contains(&confirm));
    assert_eq!(
        app.post_form(&owner, &confirm, &[("", "")]).await.status(),
        403
    );
    assert_eq!(
        app.post_form(&auditor, &confirm, &[("", "")])
            .await
            .status(),
        403
    );
    assert_eq!(app.audit_count("dependency", "confirm").await, 0);

    let response = app.post_form(&manager, &confirm, &[("", "")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.audit_count("dependency", "confirm").await, 1);
    assert_eq!(
        status(&app, &owner, &format!("/contracts/{}", hidden.contract)).await,
        200
    );
    let csv = app.text(&owner, "/contracts.csv").await;
    assert!(csv.contains(&hidden.reference));
    let service_page = app.text(&owner, &format!("/services/{mine}")).await;
    assert!(service_page.contains(&format!("/contracts/{}", hidden.contract)));

    // Confirming twice changes nothing more.
    app.post_form(&manager, &confirm, &[("", "")]).await;
    assert_eq!(app.audit_count("dependency", "confirm").await, 1);
}

#[tokio::test]
async fn an_owner_editing_a_dependency_a_manager_made_keeps_its_confirmation() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let mine = catalogue.service("Mine", Some(owner_user.id)).await;
    let hidden = hidden_contract(&app).await;
    catalogue.depend(mine, hidden.component).await;
    let contract = format!("/contracts/{}", hidden.contract);
    assert_eq!(status(&app, &owner, &contract).await, 200);

    // The owner re-records the same dependency with another relation.
    let response = add_dependency(&app, &owner, mine, hidden.component).await;
    assert_eq!(response.status(), 303);
    assert_eq!(status(&app, &owner, &contract).await, 200);

    // Removed and added again by the owner, it waits for a manager once more.
    let edge = dependency_id(&app, mine, hidden.component).await;
    let removed = app
        .post_form(&owner, &format!("/dependencies/{edge}/delete"), &[("", "")])
        .await;
    assert_eq!(removed.status(), 303);
    add_dependency(&app, &owner, mine, hidden.component).await;
    assert_eq!(status(&app, &owner, &contract).await, 403);
}

#[tokio::test]
async fn owners_see_a_contract_they_may_not_open_only_as_a_supplier_contract() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let other_owner = app.create_user(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let theirs = catalogue.service("Theirs", Some(other_owner.id)).await;
    let hidden = hidden_contract(&app).await;
    catalogue.depend(theirs, hidden.component).await;
    catalogue.depend(theirs, hidden.contract).await;

    for page in [
        "/map".to_owned(),
        format!("/services/{theirs}"),
        format!("/components/{}", hidden.component),
    ] {
        let body = app.text(&owner, &page).await;
        assert!(
            !body.contains(&hidden.reference) && !body.contains(&hidden.supplier_name),
            "{page} names the hidden contract"
        );
        assert!(
            !body.contains(&format!("/contracts/{}", hidden.contract)),
            "{page} links the hidden contract"
        );
        assert!(
            body.contains("A supplier contract"),
            "{page} should still show that a supplier contract is there"
        );
    }
    // Managers see it by name.
    let map = app.text(&manager, "/map").await;
    assert!(map.contains(&hidden.reference));
    let service_page = app.text(&manager, &format!("/services/{theirs}")).await;
    assert!(service_page.contains(&format!("/contracts/{}", hidden.contract)));
}
