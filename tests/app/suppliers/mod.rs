//! Suppliers and contracts through their pages: forms with good and bad input, stale edits, the
//! gaps on contracts, suppliers and services, owners' restricted view, renewals and documents.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::suppliers::Suppliers;
use crate::support::{TestApp, location};

mod browser;
mod watch;

async fn set_rto(app: &TestApp, service: Uuid, rto_minutes: i32, tier: i32) {
    sqlx::query(
        "update services set bia_rto_minutes = $2, bia_rpo_minutes = 60, bia_tier_rank = $3,
             bia_tier_name = case $3 when 1 then 'Mission critical' else 'Business critical' end
         where id = $1",
    )
    .bind(service)
    .bind(rto_minutes)
    .bind(tier)
    .execute(&app.state.db)
    .await
    .expect("objectives");
}

async fn link(app: &TestApp, from: Uuid, contract: Uuid) {
    Catalogue::new(app).depend(from, contract).await;
}

/// A mission-critical service ("Tills") on a contract without continuity terms, and a second
/// contract of the same supplier whose evidence expired on 2025-01-01.
pub(super) struct Flawed {
    pub supplier: Uuid,
    pub bare: Uuid,
    pub expired: Uuid,
}

pub(super) async fn flawed_contracts(app: &TestApp) -> Flawed {
    let service = Catalogue::new(app).service("Tills", None).await;
    set_rto(app, service, 240, 1).await;
    let suppliers = Suppliers::new(app);
    let supplier = suppliers.supplier("Bare").await;
    let bare = suppliers.contract(supplier, "B", |_| {}).await;
    link(app, service, bare).await;
    let expired = suppliers
        .contract(supplier, "E", |fields| {
            fields.bcp_required = true;
            fields.bcp_evidence_received_on = Some(time::macros::date!(2024 - 01 - 01));
            fields.bcp_evidence_expires_on = Some(time::macros::date!(2025 - 01 - 01));
        })
        .await;
    Flawed {
        supplier,
        bare,
        expired,
    }
}

fn contract_form(supplier: Uuid, reference: &str) -> Vec<(&'static str, String)> {
    vec![
        ("supplier_id", supplier.to_string()),
        ("reference", reference.to_owned()),
        ("title", "Hosting".to_owned()),
        ("start_date", "2026-01-01".to_owned()),
        ("end_date", "2027-12-31".to_owned()),
        ("termination_notice_days", "90".to_owned()),
        ("support_hours", "business".to_owned()),
        ("guaranteed_recovery", "24h".to_owned()),
        ("guaranteed_rpo", "1h".to_owned()),
        ("regional_priority", "unspecified".to_owned()),
        ("bcp_required", "on".to_owned()),
        ("version", "0".to_owned()),
    ]
}

#[tokio::test]
async fn a_manager_records_a_supplier_with_its_escalation_matrix() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post_form(
            &manager,
            "/suppliers",
            &[
                ("name", "NorthLink"),
                ("category", "strategic"),
                ("phone", "+44 20 7946 0130"),
                ("level_name", "Raj Patel"),
                ("level_role", "On-call engineer"),
                ("level_phone", "+44 7700 900130"),
                ("level_hours", "24×7"),
                ("level_name", ""),
                ("level_role", ""),
                ("level_phone", ""),
                ("level_hours", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app.text(&manager, &location(&response)).await;
    assert!(page.contains("Raj Patel") && page.contains("On-call engineer"));
    assert_eq!(app.audit_count("supplier", "create").await, 1);
}

#[tokio::test]
async fn a_bad_supplier_is_refused_with_every_field_kept() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let response = app
        .post_form(
            &manager,
            "/suppliers",
            &[
                ("name", "Half"),
                ("category", "vital"),
                ("email", "nope"),
                ("level_name", "Nobody"),
                ("level_phone", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Choose how important the supplier is"));
    assert!(page.contains("Each escalation level needs a name and a phone number"));
    assert!(page.contains("value=\"Half\"") && page.contains("value=\"Nobody\""));
}

#[tokio::test]
async fn a_contract_form_with_good_and_bad_input() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let supplier = Suppliers::new(&app).supplier("Colo").await;
    let mut bad = contract_form(supplier, "C-1");
    bad.retain(|(name, _)| *name != "guaranteed_recovery" && *name != "end_date");
    bad.push(("guaranteed_recovery", "a day".into()));
    bad.push(("end_date", "2025-01-01".into()));
    let refused = app.post_form(&manager, "/contracts", &bad).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Write a duration"), "{page}");
    assert!(page.contains("The end date comes before the start date"));
    assert!(page.contains("value=\"a day\""), "the typed value is kept");

    let created = app
        .post_form(&manager, "/contracts", &contract_form(supplier, "C-1"))
        .await;
    assert_eq!(created.status(), 303);
    let page = app.text(&manager, &location(&created)).await;
    assert!(page.contains("C-1") && page.contains("Mon–Fri 09:00–17:00"));
    assert!(
        page.contains("longest wait for support: 64h")
            || page.contains("longest wait for support: 2d 16h"),
        "{page}"
    );
    assert!(
        page.contains("no evidence of it has been received"),
        "BCP required, none received"
    );
    assert_eq!(app.audit_count("contract", "create").await, 1);

    let duplicate = app
        .post_form(&manager, "/contracts", &contract_form(supplier, "c-1"))
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("Another contract already has this reference")
    );
}

#[tokio::test]
async fn stale_supplier_and_contract_edits_get_the_conflict_page() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Stale").await;
    let contract = suppliers.contract(supplier, "ST", |_| {}).await;
    let mut form = contract_form(supplier, "ST-new");
    form.retain(|(name, _)| *name != "version");
    form.push(("version", "1".into()));
    assert_eq!(
        app.post_form(&manager, &format!("/contracts/{contract}"), &form)
            .await
            .status(),
        303
    );
    let again = app
        .post_form(&manager, &format!("/contracts/{contract}"), &form)
        .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("ST-new"));

    let supplier_form = [
        ("name", "Renamed"),
        ("category", "tactical"),
        ("version", "1"),
    ];
    assert_eq!(
        app.post_form(&manager, &format!("/suppliers/{supplier}"), &supplier_form)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.post_form(&manager, &format!("/suppliers/{supplier}"), &supplier_form)
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn a_business_hours_contract_behind_a_short_rto_shows_its_gap_everywhere() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let service = catalogue.service("Payroll", None).await;
    let component = catalogue.component("payroll-db", None).await;
    catalogue.depend(service, component).await;
    set_rto(&app, service, 240, 2).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Hoster").await;
    let contract = suppliers
        .contract(supplier, "H", |fields| {
            fields.support_hours = "business".into();
            fields.guaranteed_recovery_minutes = Some(24 * 60);
            fields.guaranteed_rpo_minutes = Some(24 * 60);
        })
        .await;
    // The component is supplied under the contract: the service relies on it through it.
    link(&app, component, contract).await;
    let expected = "must be back within 4h but the supplier guarantees recovery in 24h and may only start after waiting up to 64h for support hours";
    for path in [
        format!("/contracts/{contract}"),
        format!("/suppliers/{supplier}"),
        format!("/services/{service}"),
    ] {
        let page = app.text(&manager, &path).await;
        assert!(page.contains(expected), "{path}: {page}");
        assert!(
            page.contains("may lose at most 1h of data but the supplier guarantees an RPO of 24h"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_mission_critical_service_on_a_contract_without_terms_and_expired_evidence() {
    let app = TestApp::spawn().await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let Flawed {
        supplier, expired, ..
    } = flawed_contracts(&app).await;
    let page = app.text(&auditor, &format!("/suppliers/{supplier}")).await;
    assert!(
        page.contains("is mission critical but this contract has no continuity terms"),
        "{page}"
    );
    assert!(page.contains("Tills "));
    assert!(page.contains("expired on 2025-01-01"));
    assert!(
        app.text(&auditor, &format!("/contracts/{expired}"))
            .await
            .contains("expired on 2025-01-01")
    );
}

#[tokio::test]
async fn owners_read_only_the_contracts_their_services_rely_on() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let mine = catalogue.service("Mine", Some(owner_user.id)).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Shared").await;
    let linked = suppliers.contract(supplier, "LINKED", |_| {}).await;
    let other = suppliers.contract(supplier, "OTHER", |_| {}).await;
    let stranger = suppliers.supplier("Stranger").await;
    let unrelated = suppliers.contract(stranger, "UNRELATED", |_| {}).await;
    link(&app, mine, linked).await;

    assert_eq!(
        app.get(&owner, &format!("/contracts/{linked}"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get(&owner, &format!("/contracts/{other}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&owner, &format!("/contracts/{unrelated}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&owner, &format!("/suppliers/{stranger}"))
            .await
            .status(),
        403
    );
    let supplier_page = app.text(&owner, &format!("/suppliers/{supplier}")).await;
    assert!(supplier_page.contains("LINKED") && !supplier_page.contains("OTHER"));
    let list = app.text(&owner, "/contracts").await;
    assert!(list.contains("LINKED") && !list.contains("OTHER") && !list.contains("UNRELATED"));
    let csv = app.text(&owner, "/contracts.csv").await;
    assert!(csv.contains("LINKED") && !csv.contains("UNRELATED"));
    let suppliers_csv = app.text(&owner, "/suppliers.csv").await;
    assert!(suppliers_csv.contains("Shared") && !suppliers_csv.contains("Stranger"));
}

#[tokio::test]
async fn the_renewal_list_shows_a_notice_date_twenty_days_away() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let today = time::OffsetDateTime::now_utc().date();
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Renewing").await;
    let soon = suppliers
        .contract(supplier, "SOON", |fields| {
            fields.end_date = Some(today + time::Duration::days(110));
            fields.termination_notice_days = Some(90);
        })
        .await;
    suppliers
        .contract(supplier, "LATER", |fields| {
            fields.end_date = Some(today + time::Duration::days(400));
            fields.termination_notice_days = Some(90);
        })
        .await;
    suppliers
        .contract(supplier, "MISSED", |fields| {
            fields.end_date = Some(today + time::Duration::days(20));
            fields.termination_notice_days = Some(60);
        })
        .await;
    let page = app.text(&manager, "/contracts/renewals?days=30").await;
    assert!(page.contains(&format!("/contracts/{soon}")), "{page}");
    assert!(page.contains("in 20 days"));
    assert!(page.contains("Notice date soon") && page.contains("Notice date passed"));
    assert!(!page.contains("LATER"));
    let narrower = app.text(&manager, "/contracts/renewals?days=60").await;
    assert!(narrower.contains("SOON"));
}

#[tokio::test]
async fn documents_are_checked_stored_with_their_checksum_and_downloaded() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Docs").await;
    let contract = suppliers.contract(supplier, "D", |_| {}).await;
    let upload = |name: &'static str, bytes: &'static [u8]| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        reqwest::multipart::Form::new().part("document", part)
    };
    let refused = manager
        .post(app.url(&format!("/contracts/{contract}/documents")))
        .multipart(upload("contract.pdf", b"<script>alert(1)</script>"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 303);
    let page = app.text(&manager, &location(&refused)).await;
    assert!(page.contains("does not contain what its name says"));

    let accepted = manager
        .post(app.url(&format!("/contracts/{contract}/documents")))
        .multipart(upload("signed contract.pdf", b"%PDF-1.7 signed"))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 303);
    let page = app.text(&manager, &format!("/contracts/{contract}")).await;
    // SHA-256 of "%PDF-1.7 signed".
    let digest: String = {
        use sha2::{Digest, Sha256};
        Sha256::digest(b"%PDF-1.7 signed")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert!(page.contains(&digest), "{page}");
    let id: Uuid = sqlx::query_scalar("select id from contract_documents where contract_id = $1")
        .bind(contract)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let download = app
        .get(&manager, &format!("/contracts/{contract}/documents/{id}"))
        .await;
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.7 signed");
    assert_eq!(app.audit_count("contract", "attach").await, 1);
}

#[tokio::test]
async fn an_archived_contract_leaves_the_gaps_and_renewals_and_comes_back_when_restored() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let service = Catalogue::new(&app).service("Archive", None).await;
    set_rto(&app, service, 240, 2).await;
    let today = time::OffsetDateTime::now_utc().date();
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Old").await;
    let contract = suppliers
        .contract(supplier, "OLD", |fields| {
            fields.guaranteed_recovery_minutes = Some(48 * 60);
            fields.end_date = Some(today + time::Duration::days(10));
        })
        .await;
    link(&app, service, contract).await;
    assert!(
        app.text(&manager, &format!("/services/{service}"))
            .await
            .contains("must be back within 4h")
    );
    let archived = app
        .post(&manager, &format!("/contracts/{contract}/archive"), &[])
        .await;
    assert_eq!(archived.status(), 303);
    assert!(
        !app.text(&manager, &format!("/services/{service}"))
            .await
            .contains("must be back within 4h")
    );
    assert!(
        !app.text(&manager, "/contracts/renewals?days=30")
            .await
            .contains("OLD")
    );
    assert!(
        !app.text(&manager, "/contracts").await.contains("OLD"),
        "archived contracts are hidden by default"
    );
    app.post(&manager, &format!("/contracts/{contract}/restore"), &[])
        .await;
    assert!(
        app.text(&manager, "/contracts/renewals?days=30")
            .await
            .contains("OLD")
    );
    assert_eq!(app.audit_count("contract", "archive").await, 1);
    assert_eq!(app.audit_count("contract", "restore").await, 1);
}

#[tokio::test]
async fn an_owner_cannot_link_their_service_to_a_contract_to_read_it() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let mine = Catalogue::new(&app)
        .service("Mine", Some(owner_user.id))
        .await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Private").await;
    let contract = suppliers.contract(supplier, "PRIVATE", |_| {}).await;
    let response = app
        .post_form(
            &owner,
            "/dependencies",
            &[
                ("from_id", mine.to_string()),
                ("to_id", contract.to_string()),
                ("relation", "supplied_by".into()),
                ("redundancy", "none".into()),
            ],
        )
        .await;
    let page = app.text(&owner, &location(&response)).await;
    assert!(page.contains("Only a continuity manager links"), "{page}");
    assert_eq!(
        app.get(&owner, &format!("/contracts/{contract}"))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn restoring_a_contract_whose_reference_was_reused_is_refused_with_a_message() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let suppliers = Suppliers::new(&app);
    let supplier = suppliers.supplier("Reuse").await;
    let old = suppliers.contract(supplier, "REUSED", |_| {}).await;
    let reference: String = sqlx::query_scalar("select reference from contracts where id = $1")
        .bind(old)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.post(&manager, &format!("/contracts/{old}/archive"), &[])
        .await;
    let mut form = contract_form(supplier, &reference);
    form.retain(|(name, _)| *name != "end_date");
    assert_eq!(
        app.post_form(&manager, "/contracts", &form).await.status(),
        303
    );
    let restored = app
        .post(&manager, &format!("/contracts/{old}/restore"), &[])
        .await;
    assert_eq!(restored.status(), 303);
    let page = app.text(&manager, &location(&restored)).await;
    assert!(
        page.contains("Not restored: Another contract already has this reference"),
        "{page}"
    );
}

#[tokio::test]
async fn an_overlong_contract_title_is_refused_not_cut() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let supplier = Suppliers::new(&app).supplier("Long").await;
    let mut form = contract_form(supplier, "LONG-1");
    form.retain(|(name, _)| *name != "title");
    form.push(("title", "x".repeat(301)));
    let response = app.post_form(&manager, "/contracts", &form).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Keep this under 300 characters")
    );
}
