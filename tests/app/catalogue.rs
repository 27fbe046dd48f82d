//! The service catalogue through its pages: forms good and bad, ownership, dependencies and
//! cycles, archive and delete, the map.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::{TestApp, location};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_manager_creates_a_service_that_the_list_then_shows() {
    let app = TestApp::spawn().await;
    let (client, manager) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post(
            &client,
            "/services",
            &[
                ("name", "Online shop"),
                ("description", "Sells to consumers"),
                ("owner_id", &manager.id.to_string()),
                ("service_type", "business"),
                ("lifecycle", "live"),
                ("sla_reference", "SLA-1"),
                ("support_hours", "24×7"),
                ("external_id", "SVC-SHOP"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&client, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Service Online shop created."));
    assert!(page.contains("SVC-SHOP"));
    let list = app
        .get(&client, "/services?q=shop")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Online shop"));
    assert_eq!(app.audit_count("service", "create").await, 1);
}

#[tokio::test]
async fn a_refused_service_form_keeps_the_input_and_names_each_problem() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post(
            &client,
            "/services",
            &[
                ("name", ""),
                ("description", "Kept description"),
                ("owner_id", "not-a-user"),
                ("service_type", "magic"),
                ("lifecycle", "live"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Enter the service&#39;s name") || page.contains("Enter the service's name")
    );
    assert!(page.contains("Choose the owner from the list."));
    assert!(page.contains("Choose whether this is a business or a technical service."));
    assert!(page.contains("Kept description"));
    assert_eq!(count(&app, "select count(*) from services").await, 0);
}

#[tokio::test]
async fn a_second_service_with_the_same_name_is_refused_on_the_name() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let form = [
        ("name", "Payroll"),
        ("service_type", "business"),
        ("lifecycle", "live"),
        ("version", "0"),
    ];
    assert_eq!(app.post(&client, "/services", &form).await.status(), 303);
    let again = app
        .post(
            &client,
            "/services",
            &[
                ("name", "payroll"),
                ("service_type", "business"),
                ("lifecycle", "live"),
            ],
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Another service already has this name.")
    );
}

#[tokio::test]
async fn a_service_owner_edits_their_own_service_but_cannot_give_it_away() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let someone_else = app.create_user(Role::ServiceOwner).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    assert_eq!(
        app.get(&client, &format!("/services/{service}/edit"))
            .await
            .status(),
        200
    );
    let response = app
        .post(
            &client,
            &format!("/services/{service}"),
            &[
                ("name", "Payroll (renamed)"),
                ("owner_id", &someone_else.id.to_string()),
                ("service_type", "business"),
                ("lifecycle", "live"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (name, owner_id): (String, Option<Uuid>) =
        sqlx::query_as("select name, owner_id from services where id = $1")
            .bind(service)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(name, "Payroll (renamed)");
    assert_eq!(
        owner_id,
        Some(owner.id),
        "the owner field is not theirs to change"
    );
}

#[tokio::test]
async fn a_service_owner_cannot_edit_someone_elses_service() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let service = Catalogue::new(&app).service("Email", Some(other.id)).await;
    assert_eq!(
        app.get(&client, &format!("/services/{service}/edit"))
            .await
            .status(),
        403
    );
    let response = app
        .post(
            &client,
            &format!("/services/{service}"),
            &[
                ("name", "Mine now"),
                ("service_type", "business"),
                ("lifecycle", "live"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    let page = app
        .get(&client, &format!("/services/{service}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Add a dependency"),
        "no dependency form on someone else's service"
    );
}

#[tokio::test]
async fn a_stale_service_edit_gets_the_conflict_page() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("CRM", None).await;
    let path = format!("/services/{service}");
    let form = |name: &'static str| {
        [
            ("name", name),
            ("service_type", "business"),
            ("lifecycle", "live"),
            ("version", "1"),
        ]
    };
    assert_eq!(
        app.post(&client, &path, &form("CRM first")).await.status(),
        303
    );
    let stale = app.post(&client, &path, &form("CRM second")).await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.unwrap();
    assert!(page.contains("CRM first") && page.contains("CRM second"));
}

#[tokio::test]
async fn a_service_owner_adds_a_dependency_from_their_service() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let service = catalogue.service("Payroll", Some(owner.id)).await;
    let database = catalogue.component("payroll-db", None).await;
    let response = app
        .post(
            &client,
            "/dependencies",
            &[
                ("from_id", &service.to_string()),
                ("to_id", &database.to_string()),
                ("relation", "stores_data_in"),
                ("redundancy", "active_passive"),
                ("notes", "nightly replica"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&client, &format!("/services/{service}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("now depends on payroll-db"));
    assert!(page.contains("Stores data in") && page.contains("Active–passive"));
    assert!(
        page.contains("depmap-n-"),
        "the map shows the new neighbour"
    );
    assert_eq!(app.audit_count("dependency", "create").await, 1);
}

#[tokio::test]
async fn a_dependency_that_would_close_a_cycle_is_refused_with_the_cycle_path() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let shop = catalogue.service("Shop", None).await;
    let payments = catalogue.service("Payments", None).await;
    let identity = catalogue.service("Identity", None).await;
    catalogue.depend(shop, payments).await;
    catalogue.depend(payments, identity).await;
    let response = app
        .post(
            &client,
            "/dependencies",
            &[
                ("from_id", &identity.to_string()),
                ("to_id", &shop.to_string()),
                ("relation", "uses"),
                ("redundancy", "none"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&client, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("would close a cycle"), "{page}");
    let cycle = page.split("would close a cycle").nth(1).unwrap();
    let (i, s, p) = (
        cycle.find("Identity").unwrap(),
        cycle.find("Shop").unwrap(),
        cycle.find("Payments").unwrap(),
    );
    assert!(
        i < s && s < p,
        "the path reads Identity → Shop → Payments → Identity"
    );
    assert_eq!(
        count(&app, "select count(*) from dependencies").await,
        2,
        "nothing added"
    );
}

#[tokio::test]
async fn a_dependency_between_kinds_that_make_no_sense_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Frankfurt").await;
    let service = catalogue.service("Shop", None).await;
    app.post(
        &client,
        "/dependencies",
        &[
            ("from_id", &site.to_string()),
            ("to_id", &service.to_string()),
            ("relation", "uses"),
            ("redundancy", "none"),
        ],
    )
    .await;
    let page = app
        .get(&client, &format!("/sites/{site}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("A site cannot depend on a it service"));
    assert_eq!(count(&app, "select count(*) from dependencies").await, 0);
}

#[tokio::test]
async fn needs_and_dependents_are_shown_transitively_with_their_depth() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Amsterdam").await;
    let database = catalogue.component("erp-db", Some(site)).await;
    let erp = catalogue.service("ERP", None).await;
    let process = catalogue.process("Close the books").await;
    catalogue.depend(erp, database).await;
    catalogue.depend(process, erp).await;
    let page = app
        .get(&client, &format!("/services/{erp}"))
        .await
        .text()
        .await
        .unwrap();
    let needs = page
        .split("Everything it needs")
        .nth(1)
        .unwrap()
        .split("Everything that depends on it")
        .next()
        .unwrap();
    assert!(
        needs.contains("erp-db") && needs.contains("Amsterdam"),
        "database at depth 1, its site at depth 2"
    );
    assert!(needs.contains("<td class=\"num\">2</td>"));
    let dependents = page.split("Everything that depends on it").nth(1).unwrap();
    assert!(dependents.contains("Close the books"));
}

#[tokio::test]
async fn a_components_site_is_its_hosted_at_dependency() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let frankfurt = catalogue.site("Frankfurt").await;
    let amsterdam = catalogue.site("Amsterdam").await;
    let response = app
        .post(
            &client,
            "/components",
            &[
                ("name", "erp-app"),
                ("class", "application"),
                ("environment", "production"),
                ("site_id", &frankfurt.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let component: Uuid = location(&response)
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let hosted = |site: Uuid| {
        let db = app.state.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from dependencies where from_id = $1 and to_id = $2 and relation = 'hosted_at'")
                .bind(component)
                .bind(site)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(hosted(frankfurt).await, 1);
    app.post(
        &client,
        &format!("/components/{component}"),
        &[
            ("name", "erp-app"),
            ("class", "application"),
            ("environment", "production"),
            ("site_id", &amsterdam.to_string()),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(hosted(frankfurt).await, 0, "moved away");
    assert_eq!(hosted(amsterdam).await, 1);
}

#[tokio::test]
async fn something_referenced_cannot_be_deleted_and_the_refusal_says_by_what() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let database = catalogue.component("crm-db", None).await;
    let crm = catalogue.service("CRM", None).await;
    catalogue.depend(crm, database).await;
    let response = app
        .post(&client, &format!("/components/{database}/delete"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get(&client, &location(&response))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("cannot be deleted because 1 references it: CRM"),
        "{page}"
    );
    assert!(page.contains("Archive it instead"));
    // The service itself is referenced by nothing: it can go, and its own dependency with it.
    assert_eq!(
        location(
            &app.post(&client, &format!("/services/{crm}/delete"), &[])
                .await
        ),
        "/services"
    );
    assert_eq!(count(&app, "select count(*) from services").await, 0);
    assert_eq!(count(&app, "select count(*) from dependencies").await, 0);
    assert_eq!(app.audit_count("service", "delete").await, 1);
}

#[tokio::test]
async fn archived_entries_leave_the_list_until_restored() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Old office").await;
    let link = format!("href=\"/sites/{site}\"");
    app.post(&client, &format!("/sites/{site}/archive"), &[])
        .await;
    let list = app.get(&client, "/sites").await.text().await.unwrap();
    assert!(!list.contains(&link));
    let archived = app
        .get(&client, "/sites?archived=true")
        .await
        .text()
        .await
        .unwrap();
    assert!(archived.contains(&link));
    let all = app
        .get(&client, "/sites?archived=all")
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains(&link));
    app.post(&client, &format!("/sites/{site}/restore"), &[])
        .await;
    assert!(
        app.get(&client, "/sites")
            .await
            .text()
            .await
            .unwrap()
            .contains(&link)
    );
}

#[tokio::test]
async fn site_component_and_process_forms_accept_good_input_and_explain_bad_input() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let good_site = app
        .post(
            &client,
            "/sites",
            &[
                ("name", "Reading"),
                ("kind", "alternate_site"),
                ("location", "Reading, UK"),
            ],
        )
        .await;
    assert_eq!(good_site.status(), 303);
    let bad_site = app
        .post(
            &client,
            "/sites",
            &[("name", "Nowhere"), ("kind", "moon_base")],
        )
        .await;
    assert_eq!(bad_site.status(), 422);
    assert!(
        bad_site
            .text()
            .await
            .unwrap()
            .contains("Choose what kind of site this is.")
    );

    let bad_component = app
        .post(
            &client,
            "/components",
            &[
                ("name", "x"),
                ("class", "application"),
                ("environment", "production"),
                ("site_id", &Uuid::new_v4().to_string()),
            ],
        )
        .await;
    assert_eq!(bad_component.status(), 422);
    assert!(
        bad_component
            .text()
            .await
            .unwrap()
            .contains("Choose the site from the list.")
    );

    let good_process = app
        .post(
            &client,
            "/processes",
            &[("name", "Pay staff"), ("peak_periods", "Month end")],
        )
        .await;
    assert_eq!(good_process.status(), 303);
    let bad_process = app
        .post(
            &client,
            "/processes",
            &[("name", ""), ("peak_periods", "Month end")],
        )
        .await;
    assert_eq!(bad_process.status(), 422);
    let page = bad_process.text().await.unwrap();
    assert!(page.contains("Month end"), "input kept");

    let unit = app
        .post(&client, "/org-units", &[("name", "Finance")])
        .await;
    assert_eq!(unit.status(), 303);
    let twin = app
        .post(&client, "/org-units", &[("name", "finance")])
        .await;
    assert_eq!(twin.status(), 422);
}

#[tokio::test]
async fn the_map_of_a_site_shows_what_its_loss_would_touch() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let catalogue = Catalogue::new(&app);
    let frankfurt = catalogue.site("Frankfurt").await;
    let amsterdam = catalogue.site("Amsterdam").await;
    let fra_app = catalogue.component("shop-app", Some(frankfurt)).await;
    let ams_app = catalogue.component("hr-app", Some(amsterdam)).await;
    let shop = catalogue.service("Shop", None).await;
    let hr = catalogue.service("HR", None).await;
    catalogue.depend(shop, fra_app).await;
    catalogue.depend(hr, ams_app).await;
    let whole = app.get(&client, "/map").await.text().await.unwrap();
    assert!(whole.contains("Shop") && whole.contains("HR"));
    let page = app
        .get(&client, &format!("/map?site={frankfurt}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("shop-app") && page.contains("Shop"));
    assert!(
        !page.contains("hr-app"),
        "Amsterdam's components are not touched"
    );
}

#[tokio::test]
async fn the_services_csv_is_filtered_and_safe() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    catalogue
        .service("=cmd|' /C calc'!A0", Some(owner.id))
        .await;
    catalogue.service("Someone else's", None).await;
    let csv = app
        .get(&client, &format!("/services.csv?owner={}", owner.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("'=cmd"));
    assert!(!csv.contains("Someone else"));
}

#[tokio::test]
async fn the_map_of_a_tier_shows_its_services_and_what_they_need() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let catalogue = Catalogue::new(&app);
    let shop = catalogue.service("Shop", None).await;
    catalogue.service("Intranet", None).await;
    let database = catalogue.component("shop-db", None).await;
    catalogue.depend(shop, database).await;
    sqlx::query(
        "update services set bia_tier_rank = 1, bia_tier_name = 'Mission critical' where id = $1",
    )
    .bind(shop)
    .execute(&app.state.db)
    .await
    .unwrap();

    let page = app.get(&client, "/map?tier=1").await.text().await.unwrap();
    assert!(page.contains("shop-db") && page.contains("Mission critical"));
    assert!(!page.contains("Intranet"));
}

#[tokio::test]
async fn units_are_renamed_and_archived() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let unit = Catalogue::new(&app).org_unit("Fin").await;
    assert_eq!(
        app.post(
            &client,
            &format!("/org-units/{unit}"),
            &[("name", "Finance"), ("version", "1")]
        )
        .await
        .status(),
        303
    );
    let page = app.get(&client, "/org-units").await.text().await.unwrap();
    assert!(page.contains("Renamed to Finance."));
    app.post(
        &client,
        &format!("/org-units/{unit}"),
        &[("name", "Stale"), ("version", "1")],
    )
    .await;
    let page = app.get(&client, "/org-units").await.text().await.unwrap();
    assert!(page.contains("Someone changed this unit meanwhile"));
    app.post(&client, &format!("/org-units/{unit}/archive"), &[])
        .await;
    let page = app.get(&client, "/org-units").await.text().await.unwrap();
    assert!(
        !page.contains("/processes?unit="),
        "the archived unit is gone from the list"
    );
}

#[tokio::test]
async fn services_can_be_filtered_by_tier() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    let catalogue = Catalogue::new(&app);
    let critical = catalogue.service("Payments", None).await;
    let unassessed = catalogue.service("Intranet", None).await;
    sqlx::query(
        "update services set bia_tier_rank = 1, bia_tier_name = 'Mission critical' where id = $1",
    )
    .bind(critical)
    .execute(&app.state.db)
    .await
    .unwrap();
    let tier_one = app
        .get(&client, "/services?tier=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        tier_one.contains(&format!("/services/{critical}"))
            && !tier_one.contains(&format!("/services/{unassessed}"))
    );
    let none = app
        .get(&client, "/services?tier=none")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        none.contains(&format!("/services/{unassessed}"))
            && !none.contains(&format!("/services/{critical}"))
    );
}

#[tokio::test]
async fn a_service_owner_cannot_archive_or_delete_even_their_own_service() {
    let app = TestApp::spawn().await;
    let (client, owner) = app.signed_in(Role::ServiceOwner).await;
    let service = Catalogue::new(&app)
        .service("Payroll", Some(owner.id))
        .await;
    assert_eq!(
        app.post(&client, &format!("/services/{service}/archive"), &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post(&client, &format!("/services/{service}/delete"), &[])
            .await
            .status(),
        403
    );
    let page = app
        .get(&client, &format!("/services/{service}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("/archive\""),
        "no archive button for the owner"
    );
    assert!(
        page.contains("Add a dependency"),
        "but they still edit its dependencies"
    );
}
