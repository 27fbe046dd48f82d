//! Importing the catalogue from CSV: preview, confirmation, refusals and idempotent re-imports.

use continuity::domain::role::Role;
use reqwest::multipart::{Form, Part};

use crate::support::catalogue::Catalogue;
use crate::support::statements::StatementCounter;
use crate::support::{TestApp, location};

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new().text("kind", kind.to_string()).part(
        "file",
        Part::bytes(bytes)
            .file_name(format!("{kind}.csv"))
            .mime_str("text/csv")
            .expect("a valid mime type"),
    );
    client
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.state.db)
        .await
        .expect("count")
}

const SITES: &str = "external_id,name,kind,location\nS-FRA,Frankfurt DC1,data_centre,Frankfurt\nS-AMS,Amsterdam DC2,Data centre,Amsterdam\n";

#[tokio::test]
async fn a_good_file_is_previewed_then_imported_on_confirmation() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let response = upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await;
    assert_eq!(response.status(), 303);
    let preview_path = location(&response);
    let preview = app.text(&client, &preview_path).await;
    assert!(preview.contains("Frankfurt DC1") && preview.contains("Will be created."));
    assert_eq!(
        count(&app, "sites").await,
        0,
        "nothing is written before confirmation"
    );

    let confirmed = app
        .post(&client, &format!("{preview_path}/confirm"), &[])
        .await;
    assert_eq!(location(&confirmed), "/sites");
    let list = app.text(&client, "/sites").await;
    assert!(
        list.contains(
            "Imported sites from sites.csv: 2 created, 0 updated, 0 unchanged, 0 refused."
        )
    );
    assert_eq!(count(&app, "sites").await, 2);
    assert_eq!(app.audit_count("site", "create").await, 2);
    // Confirming twice does not import twice.
    app.post(&client, &format!("{preview_path}/confirm"), &[])
        .await;
    assert_eq!(count(&app, "sites").await, 2);
}

#[tokio::test]
async fn re_importing_the_same_file_changes_nothing_and_a_changed_row_updates() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let first = location(&upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await);
    app.post(&client, &format!("{first}/confirm"), &[]).await;
    let again = location(&upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await);
    let preview = app.text(&client, &again).await;
    assert!(preview.contains("Already up to date."));
    assert!(!preview.contains("Will be created."));
    let changed = SITES.replace("Frankfurt\n", "Frankfurt am Main\n");
    let third = location(&upload(&app, &client, "sites", changed.into_bytes()).await);
    let preview = app.text(&client, &third).await;
    assert!(preview.contains("Will update: location."));
    app.post(&client, &format!("{third}/confirm"), &[]).await;
    let location_now: String =
        sqlx::query_scalar("select location from sites where external_id = 'S-FRA'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(location_now, "Frankfurt am Main");
    assert_eq!(count(&app, "sites").await, 2);
}

#[tokio::test]
async fn a_file_with_one_bad_row_imports_the_others_and_says_why_it_refused_one() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let csv = "external_id,name,type,owner_email\nSVC-A,Shop,business,\nSVC-B,Payroll,magic,\nSVC-C,Email,technical,\n";
    let preview_path = location(&upload(&app, &client, "services", csv.as_bytes().to_vec()).await);
    let preview = app.text(&client, &preview_path).await;
    assert!(preview.contains("Type “magic” is not one of business, technical."));
    assert!(preview.contains("skip 1 refused"));
    app.post(&client, &format!("{preview_path}/confirm"), &[])
        .await;
    assert_eq!(count(&app, "services").await, 2);
}

#[tokio::test]
async fn dependency_rows_closing_a_cycle_are_refused_and_the_rest_imported() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let services =
        "external_id,name,type\nA,Shop,business\nB,Payments,business\nC,Identity,technical\n";
    let path = location(&upload(&app, &client, "services", services.as_bytes().to_vec()).await);
    app.post(&client, &format!("{path}/confirm"), &[]).await;
    let edges = "from_external_id,to_external_id,relation\nA,B,uses\nB,C,uses\nC,A,uses\n";
    let path = location(&upload(&app, &client, "dependencies", edges.as_bytes().to_vec()).await);
    let preview = app.text(&client, &path).await;
    assert!(preview.contains("It would close a cycle"), "{preview}");
    app.post(&client, &format!("{path}/confirm"), &[]).await;
    assert_eq!(count(&app, "dependencies").await, 2);
}

#[tokio::test]
async fn unknown_references_are_refused_row_by_row() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    Catalogue::new(&app).site("Frankfurt").await;
    let csv = "external_id,name,class,site_external_id\nCI-1,erp-db,database,NO-SUCH-SITE\n";
    let path = location(&upload(&app, &client, "components", csv.as_bytes().to_vec()).await);
    let preview = app.text(&client, &path).await;
    assert!(preview.contains("No site has the external id NO-SUCH-SITE."));
}

#[tokio::test]
async fn bad_files_get_a_clear_message_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let latin1 = b"external_id,name,kind\nS1,M\xfcnchen,office\n".to_vec();
    let response = upload(&app, &client, "sites", latin1).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("not UTF-8 text"));

    let response = upload(&app, &client, "services", b"id,title\n1,x\n".to_vec()).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("lacks the columns external_id, name, type")
    );

    let noise: Vec<u8> = (0..11 * 1024 * 1024)
        .map(|i: u32| (i % 251) as u8)
        .collect();
    let response = upload(&app, &client, "sites", noise).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("larger than 10 MB"));

    assert_eq!(count(&app, "catalogue_imports").await, 0);
    assert_eq!(count(&app, "sites").await, 0);
}

#[tokio::test]
async fn example_files_are_offered_and_import_cleanly() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    for kind in ["sites", "components", "services", "dependencies", "risks"] {
        let example = app
            .get(&client, &format!("/import/examples/{kind}.csv"))
            .await
            .bytes()
            .await
            .unwrap()
            .to_vec();
        let path = location(&upload(&app, &client, kind, example).await);
        let preview = app.text(&client, &path).await;
        assert!(
            !preview.contains("badge-red"),
            "{kind} example has a refused row: {preview}"
        );
        app.post(&client, &format!("{path}/confirm"), &[]).await;
    }
    assert_eq!(
        count(&app, "dependencies").await,
        4 + 3,
        "4 rows plus 3 hosted-at edges from component sites"
    );
}

#[tokio::test]
async fn contracts_are_imported_with_a_preview_then_linked_on_confirmation() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let service = crate::support::catalogue::Catalogue::new(&app)
        .service("Network", None)
        .await;
    sqlx::query("update services set external_id = 'SVC-NET' where id = $1")
        .bind(service)
        .execute(&app.state.db)
        .await
        .unwrap();
    let supplier = crate::support::suppliers::Suppliers::new(&app)
        .supplier("NorthLink")
        .await;
    let supplier_name: String = sqlx::query_scalar("select name from suppliers where id = $1")
        .bind(supplier)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let csv = format!(
        "reference,supplier,end_date,support_hours,guaranteed_recovery,supplies\n\
         NL-1,{supplier_name},2028-12-31,24x7,4h,SVC-NET\n\
         NL-2,Nobody Ltd,2028-12-31,24x7,4h,\n"
    );
    let response = upload(&app, &client, "contracts", csv.into_bytes()).await;
    assert_eq!(response.status(), 303);
    let preview_path = location(&response);
    let preview = app.text(&client, &preview_path).await;
    assert!(
        preview.contains("No supplier is named Nobody Ltd"),
        "{preview}"
    );
    assert_eq!(
        count(&app, "contracts").await,
        0,
        "nothing is written before confirming"
    );

    let confirmed = app
        .post(&client, &format!("{preview_path}/confirm"), &[])
        .await;
    assert_eq!(confirmed.status(), 303);
    let contract: uuid::Uuid =
        sqlx::query_scalar("select id from contracts where reference = 'NL-1'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let linked: i64 = sqlx::query_scalar(
        "select count(*) from dependencies where from_id = $1 and to_id = $2 and relation = 'supplied_by'",
    )
    .bind(service)
    .bind(contract)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(linked, 1);
    assert_eq!(count(&app, "contracts").await, 1);
    assert_eq!(app.audit_count("contract", "create").await, 1);
}

/// A components file of `rows` rows at the site S-FRA (every third one at S-AMS when `moved`).
fn components_file(rows: usize, moved: bool) -> Vec<u8> {
    let mut file = String::from("external_id,name,class,environment,site_external_id\n");
    for n in 0..rows {
        let site = if moved && n % 3 == 0 {
            "S-AMS"
        } else {
            "S-FRA"
        };
        file.push_str(&format!("CI-{n},host-{n},server,production,{site}\n"));
    }
    file.into_bytes()
}

/// Statements run by confirming an upload of this file (the upload and preview not counted).
async fn statements_to_import(
    app: &TestApp,
    client: &reqwest::Client,
    counter: &StatementCounter,
    file: Vec<u8>,
) -> usize {
    let preview = location(&upload(app, client, "components", file).await);
    let before = counter.count();
    let confirmed = app.post(client, &format!("{preview}/confirm"), &[]).await;
    assert_eq!(location(&confirmed), "/components");
    counter.count() - before
}

#[tokio::test]
async fn an_import_writes_its_rows_set_based_whatever_their_number() {
    let counter = StatementCounter::start();
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let sites = location(&upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await);
    app.post(&client, &format!("{sites}/confirm"), &[]).await;

    let small = statements_to_import(&app, &client, &counter, components_file(10, false)).await;
    let large = statements_to_import(&app, &client, &counter, components_file(3000, false)).await;
    assert_eq!(
        small, large,
        "10 new rows (and 3 000 with 10 unchanged) take as many statements"
    );
    assert_eq!(count(&app, "components").await, 3000);
    assert_eq!(app.audit_count("component", "create").await, 3000);
    let hosted: i64 = sqlx::query_scalar(
        "select count(*) from dependencies where relation = 'hosted_at' and confirmed",
    )
    .fetch_one(&app.state.db)
    .await
    .expect("count");
    assert_eq!(hosted, 3000, "every component is hosted at its site");
    assert_eq!(app.audit_count("dependency", "create").await, 3000);

    // A thousand components move: each leaves Frankfurt's edge for Amsterdam's, audited.
    statements_to_import(&app, &client, &counter, components_file(3000, true)).await;
    assert_eq!(app.audit_count("component", "update").await, 1000);
    assert_eq!(app.audit_count("dependency", "delete").await, 1000);
    let at_amsterdam: i64 = sqlx::query_scalar(
        "select count(*) from dependencies d join sites s on s.id = d.to_id
         where s.external_id = 'S-AMS' and d.relation = 'hosted_at'",
    )
    .fetch_one(&app.state.db)
    .await
    .expect("count");
    assert_eq!(at_amsterdam, 1000);
    let revision: i64 = sqlx::query_scalar("select revision from graph_revision")
        .fetch_one(&app.state.db)
        .await
        .expect("revision");
    assert!(
        revision < 50,
        "the graph revision moves per statement, not per row ({revision})"
    );
}

#[tokio::test]
async fn the_preview_of_a_large_file_lists_a_page_of_rows_and_filters_by_outcome() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let sites = location(&upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await);
    app.post(&client, &format!("{sites}/confirm"), &[]).await;
    let mut file = components_file(1000, false);
    file.extend_from_slice(b"CI-X,host-x,teapot,production,S-FRA\n");
    let preview = location(&upload(&app, &client, "components", file).await);

    let first = app.text(&client, &preview).await;
    assert!(first.contains("page 1 of 11"), "100 rows a page");
    assert_eq!(first.matches("Will be created.").count(), 100);
    assert!(
        first.len() < 200_000,
        "a page, not the file ({} bytes)",
        first.len()
    );

    let refused = app
        .text(&client, &format!("{preview}?outcome=refuse"))
        .await;
    assert!(refused.contains("host-x") && refused.contains("teapot"));
    assert!(!refused.contains("Will be created."));
    let last = app
        .text(&client, &format!("{preview}?outcome=create&page=99"))
        .await;
    assert!(
        last.contains("page 10 of 10"),
        "a page past the end shows the last"
    );
}

#[tokio::test]
async fn a_site_hosting_many_components_lists_them_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let (client, _) = app.signed_in(Role::ContinuityManager).await;
    let sites = location(&upload(&app, &client, "sites", SITES.as_bytes().to_vec()).await);
    app.post(&client, &format!("{sites}/confirm"), &[]).await;
    import_components(&app, &client, components_file(230, false)).await;
    let site: uuid::Uuid = sqlx::query_scalar("select id from sites where external_id = 'S-FRA'")
        .fetch_one(&app.state.db)
        .await
        .expect("site");

    let page = app.text(&client, &format!("/sites/{site}")).await;
    assert!(page.contains("(230)"), "the total is said");
    assert_eq!(
        page.matches("230 · page 1 of 5").count(),
        2,
        "50 a page: the direct dependents and everything that depends on it"
    );
    assert!(page.contains("The map draws the nearest 150 of the 231 nodes"));
    let last = app
        .text(&client, &format!("/sites/{site}?dependents_page=5"))
        .await;
    assert!(last.contains("230 · page 5 of 5") && last.contains("230 · page 1 of 5"));
    assert!(
        last.replace("&#38;", "&")
            .contains("dependents_page=5&direct_needs_page=1&direct_dependents_page=2"),
        "paging one list keeps the other where it is"
    );
    assert!(page.len() < 400_000 && last.len() < 400_000);
}

async fn import_components(app: &TestApp, client: &reqwest::Client, file: Vec<u8>) {
    let preview = location(&upload(app, client, "components", file).await);
    app.post(client, &format!("{preview}/confirm"), &[]).await;
}

#[tokio::test]
async fn a_risk_register_is_imported_with_a_preview_and_reimporting_it_updates_the_same_risks() {
    let app = TestApp::spawn().await;
    let (client, manager) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = crate::support::catalogue::Catalogue::new(&app);
    let site = catalogue.site("Frankfurt DC1").await;
    sqlx::query("update sites set external_id = 'SITE-FRA' where id = $1")
        .bind(site)
        .execute(&app.state.db)
        .await
        .unwrap();
    let header = "external_id,title,bears_on,owner_email,inherent_likelihood,inherent_impact,\
                  residual_likelihood,residual_impact,threat,measures,treatment,review_due\n";
    let csv = format!(
        "{header}\
         RISK-1,Loss of Frankfurt DC1,SITE-FRA,{email},2,5,2,4,Loss of a data centre,Recovery site,reduce,\n\
         RISK-2,Flood,SITE-NOWHERE,,3,3,,,,,,\n\
         RISK-3,Meteor strike,SITE-FRA,,1,9,,,,,,\n",
        email = manager.email.to_uppercase()
    );
    let response = upload(&app, &client, "risks", csv.clone().into_bytes()).await;
    assert_eq!(response.status(), 303);
    let preview_path = location(&response);
    let preview = app.text(&client, &preview_path).await;
    assert!(preview.contains("SITE-NOWHERE"), "{preview}");
    assert!(
        preview.contains("not on the method&#39;s scale")
            || preview.contains("not on the method's scale")
    );
    assert_eq!(count(&app, "risks").await, 0, "nothing before confirming");

    let confirmed = app
        .post(&client, &format!("{preview_path}/confirm"), &[])
        .await;
    assert_eq!(location(&confirmed), "/risks");
    let page = app.text(&client, "/risks").await;
    assert!(page.contains("1 created"), "{page}");
    let (risk, level, owner, review): (uuid::Uuid, i16, Option<uuid::Uuid>, Option<time::Date>) =
        sqlx::query_as(
            "select id, current_level, owner_id, review_due from risks where external_id = 'RISK-1'",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owner, Some(manager.id));
    assert!(review.is_some(), "the review follows the level");
    assert!(level > 0);
    let scope: i64 =
        sqlx::query_scalar("select count(*) from risk_scope where risk_id = $1 and node_id = $2")
            .bind(risk)
            .bind(site)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(scope, 1);
    assert_eq!(app.audit_count("risk", "create").await, 1);

    // The same file again changes nothing; a raised residual score updates the same risk.
    let again = location(&upload(&app, &client, "risks", csv.into_bytes()).await);
    let preview = app.text(&client, &again).await;
    assert!(
        preview.contains("To update 0") && preview.contains("To create 0"),
        "{preview}"
    );
    let raised = format!(
        "{header}RISK-1,Loss of Frankfurt DC1,SITE-FRA,,2,5,2,5,Loss of a data centre,Recovery site,reduce,\n"
    );
    let update = location(&upload(&app, &client, "risks", raised.into_bytes()).await);
    app.post(&client, &format!("{update}/confirm"), &[]).await;
    assert_eq!(count(&app, "risks").await, 1, "updated, not duplicated");
    let (residual_impact, owner): (Option<i16>, Option<uuid::Uuid>) =
        sqlx::query_as("select residual_impact, owner_id from risks where external_id = 'RISK-1'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(residual_impact, Some(5));
    assert_eq!(
        owner,
        Some(manager.id),
        "an empty owner keeps the stored one"
    );
    assert_eq!(app.audit_count("risk", "update").await, 1);
    let history: i64 =
        sqlx::query_scalar("select count(*) from risk_score_history where risk_id = $1")
            .bind(risk)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        history, 2,
        "the import's new scores are in the risk's history"
    );
}
