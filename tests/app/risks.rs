//! Risks through their pages: recording a risk (good and bad input), its level explained, the
//! heat-map counts and their filtered lists, exposure of a service through the graph, owners
//! limited to their own services, acceptance with four eyes and its lapse, the method, and the
//! catalogues.

use continuity::domain::role::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::risks::{first_threat_and_measure, risk};
use crate::support::{TestApp, location};

fn form(title: &str, node: Uuid, owner: Uuid, scores: (&str, &str)) -> Vec<(&'static str, String)> {
    vec![
        ("title", title.to_string()),
        ("node", node.to_string()),
        ("owner", owner.to_string()),
        ("inherent_likelihood", scores.0.to_string()),
        ("inherent_impact", scores.1.to_string()),
        ("cause", "One power feed".to_string()),
        ("event", "Power lost\nfor two days".to_string()),
        ("consequence", "Every hosted service stops".to_string()),
    ]
}

#[tokio::test]
async fn a_risk_on_a_data_centre_is_scored_mapped_and_inherited_by_the_services_above_it() {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let database = catalogue.component("payroll-db", Some(site)).await;
    let payroll = catalogue.service("Payroll", None).await;
    catalogue.depend(payroll, database).await;
    let (threat, measure) = first_threat_and_measure(&app).await;

    let mut fields = form(
        "Loss of the primary data centre",
        site,
        manager_user.id,
        ("4", "5"),
    );
    fields.push(("threat", threat.to_string()));
    fields.push(("measure", measure.to_string()));
    let created = app.post_form(&manager, "/risks", &fields).await;
    assert_eq!(created.status(), 303);
    let page_path = location(&created);
    let page = app.text(&manager, &page_path).await;
    assert!(page.contains("Risk R-0001 recorded."));
    assert!(page.contains(
        "likelihood 4 Likely × impact 5 Severe → cell level Extreme, above appetite Moderate"
    ));
    assert!(page.contains("Needs decision"));
    assert!(page.contains("Services exposed (1)"), "{page}");
    assert!(page.contains("through Primary data centre"));
    assert_eq!(app.audit_count("risk", "create").await, 1);

    // The heat map counts it in its cell, and the cell opens the filtered register.
    let register = app.text(&manager, "/risks").await;
    assert!(register.contains("Likelihood 4 Likely × impact 5 Severe: Extreme, 1 risk</title>"));
    assert!(register.contains("href=\"/risks?inherent=4x5\""));
    let cell = app.text(&manager, "/risks?inherent=4x5").await;
    assert!(cell.contains("Loss of the primary data centre"));
    let other = app.text(&manager, "/risks?inherent=1x1").await;
    assert!(!other.contains("Loss of the primary data centre"));
    let csv = app.text(&manager, "/risks.csv").await;
    assert!(csv.contains("Loss of the primary data centre") && csv.contains("Extreme"));

    // Payroll depends on the database hosted at the site: it shows the risk with the chain.
    let service = app.text(&manager, &format!("/services/{payroll}")).await;
    assert!(service.contains("R-0001 Loss of the primary data centre"));
    assert!(
        service.contains("through payroll-db"),
        "the chain starts at what Payroll needs"
    );
    assert!(
        service.contains(" → Primary data centre"),
        "and ends at the site"
    );
    assert!(service.contains("above appetite"));
}

#[tokio::test]
async fn a_refused_risk_form_keeps_what_was_typed_and_says_what_to_fix() {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let old = catalogue.service("Retired fax gateway", None).await;
    sqlx::query("update services set archived_at = now() where id = $1")
        .bind(old)
        .execute(&app.state.db)
        .await
        .unwrap();
    let mut fields = form("Fax gateway fails", old, manager_user.id, ("9", "0"));
    fields.push(("threat", Uuid::new_v4().to_string()));
    fields.push(("residual_likelihood", "2".to_string()));
    fields.push(("review_due", "someday".to_string()));
    let refused = app.post_form(&manager, "/risks", &fields).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    for message in [
        "Choose a threat from the catalogue",
        "one of those ticked is archived or unknown",
        "Choose the likelihood before any measure",
        "Choose the impact before any measure",
        "Give both the residual likelihood and impact",
        "Enter the review date as a date",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains("value=\"Fax gateway fails\""),
        "the title is kept"
    );
    assert!(
        page.contains("Power lost\nfor two days"),
        "line breaks are kept"
    );
    let risks: i64 = sqlx::query_scalar("select count(*) from risks")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(risks, 0);
}

#[tokio::test]
async fn owners_record_risks_on_their_own_services_and_edit_only_their_own() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let mine = catalogue.service("Payroll", Some(owner_user.id)).await;
    let theirs = catalogue.service("Ledger", None).await;

    let refused = app
        .post_form(
            &owner,
            "/risks",
            &form("Ledger outage", theirs, owner_user.id, ("3", "3")),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Choose among your own services")
    );

    // The owner field cannot be tampered with: an owner's risk is theirs.
    let fields = form("Payroll outage", mine, Uuid::new_v4(), ("3", "3"));
    let created = app.post_form(&owner, "/risks", &fields).await;
    if created.status() != 303 {
        panic!("{}", created.text().await.unwrap());
    }
    let owner_id: Option<Uuid> = sqlx::query_scalar("select owner_id from risks")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owner_id, Some(owner_user.id));
    let edit = format!("{}/edit", location(&created));
    assert_eq!(app.get(&owner, &edit).await.status(), 200);

    let someone_elses = risk(&app, &[mine], None, (2, 2), None).await;
    assert_eq!(
        app.get(&owner, &format!("/risks/{someone_elses}/edit"))
            .await
            .status(),
        403
    );
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    assert_eq!(app.get(&auditor, "/risks/new").await.status(), 403);
    assert_eq!(
        app.get(&auditor, &format!("/risks/{someone_elses}"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_acceptance_needs_a_second_manager_and_lapses_when_the_risk_changes() {
    let app = TestApp::spawn().await;
    let (proposer, proposer_user) = app.signed_in(Role::ContinuityManager).await;
    let (approver, _) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Cloud region").await;
    let id = risk(&app, &[site], Some(proposer_user.id), (4, 4), None).await;
    let path = format!("/risks/{id}");
    let today = OffsetDateTime::now_utc().date();

    // More than 12 months is refused; an expiry within it is proposed.
    let too_late = (today + Duration::days(400)).to_string();
    app.post(
        &proposer,
        &format!("{path}/acceptance"),
        &[("justification", "Cost"), ("expires_on", &too_late)],
    )
    .await;
    assert!(
        app.text(&proposer, &path)
            .await
            .contains("12 months at most")
    );
    let expiry = (today + Duration::days(180)).to_string();
    let proposed = app
        .post(
            &proposer,
            &format!("{path}/acceptance"),
            &[
                (
                    "justification",
                    "A second region costs more than the outage",
                ),
                ("expires_on", &expiry),
            ],
        )
        .await;
    assert_eq!(proposed.status(), 303);
    let waiting = "Risk acceptances waiting for your decision";
    assert!(
        app.text(&approver, "/").await.contains(waiting),
        "the other manager is asked"
    );
    assert!(
        !app.text(&proposer, "/").await.contains(waiting),
        "never the proposer"
    );

    // The proposer cannot approve their own proposal.
    app.post(
        &proposer,
        &format!("{path}/acceptance/decide"),
        &[("decision", "approve")],
    )
    .await;
    let page = app.text(&proposer, &path).await;
    assert!(page.contains("another continuity manager must decide it"));
    assert!(page.contains("waiting for approval"));
    let approved: Option<bool> = sqlx::query_scalar("select approved from risk_acceptances")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(approved, None);

    app.post(
        &approver,
        &format!("{path}/acceptance/decide"),
        &[("decision", "approve"), ("note", "Agreed at the board")],
    )
    .await;
    let page = app.text(&approver, &path).await;
    assert!(page.contains(&format!("Accepted until {expiry}")), "{page}");

    // A decided acceptance is evidence: the database refuses to change it.
    let mut owner = app.owner().await;
    let changed = sqlx::query("update risk_acceptances set justification = 'edited'")
        .execute(&mut owner)
        .await;
    assert!(changed.is_err());

    // Changing the scores afterwards lapses it: the risk needs a decision again.
    let version: i32 = sqlx::query_scalar("select version from risks where id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let mut fields = form("Cloud region lost", site, proposer_user.id, ("5", "4"));
    fields.push(("version", version.to_string()));
    let saved = app.post_form(&proposer, &path, &fields).await;
    assert_eq!(saved.status(), 303);
    let page = app.text(&proposer, &path).await;
    assert!(page.contains("Acceptance lapsed: the risk changed after it was accepted"));
    assert!(page.contains("Needs decision"));
    assert!(
        page.contains("Scores changed"),
        "the history keeps the new scoring"
    );
}

#[tokio::test]
async fn nothing_within_appetite_can_be_accepted() {
    let app = TestApp::spawn().await;
    let (manager, user) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Branch office").await;
    let id = risk(&app, &[site], Some(user.id), (1, 2), None).await;
    let expiry = (OffsetDateTime::now_utc().date() + Duration::days(30)).to_string();
    app.post(
        &manager,
        &format!("/risks/{id}/acceptance"),
        &[("justification", "Small"), ("expires_on", &expiry)],
    )
    .await;
    assert!(
        app.text(&manager, &format!("/risks/{id}"))
            .await
            .contains("there is nothing to accept")
    );
    let count: i64 = sqlx::query_scalar("select count(*) from risk_acceptances")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_method_change_relevels_every_risk_and_a_broken_one_is_refused() {
    let app = TestApp::spawn().await;
    let (manager, user) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Site").await;
    let id = risk(&app, &[site], Some(user.id), (1, 1), None).await;
    let refused = app
        .post(
            &manager,
            "/risks/method",
            &[("version", "1"), ("level.1.colour", "yellow")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("as #rrggbb"));
    let saved = app
        .post(
            &manager,
            "/risks/method",
            &[("version", "1"), ("cell.1.1", "3")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let (level, above): (i16, bool) =
        sqlx::query_as("select current_level, above_appetite from risks where id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((level, above), (3, true));
    assert_eq!(app.audit_count("risk_method", "update").await, 1);
}

#[tokio::test]
async fn the_catalogues_start_filled_and_refuse_a_duplicate_name() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let threats = app.text(&manager, "/risks/threats").await;
    assert!(threats.contains("Ransomware") && threats.contains("Certificate expiry"));
    let duplicate = app
        .post(
            &manager,
            "/risks/threats",
            &[("name", "ransomware"), ("category", "human_deliberate")],
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("Another threat already has this name")
    );
    let verified = app
        .post(
            &manager,
            "/risks/measures",
            &[
                ("name", "Second feed"),
                ("measure_type", "preventive"),
                ("status", "verified"),
            ],
        )
        .await;
    assert_eq!(verified.status(), 422);
    assert!(
        verified
            .text()
            .await
            .unwrap()
            .contains("A verified measure needs its evidence")
    );
    let added = app
        .post(
            &manager,
            "/risks/measures",
            &[
                ("name", "Second feed"),
                ("measure_type", "preventive"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert!(
        app.text(&manager, "/risks/measures")
            .await
            .contains("Second feed")
    );
}

#[tokio::test]
async fn a_proposal_that_lapses_before_a_decision_is_closed_and_can_be_made_again() {
    let app = TestApp::spawn().await;
    let (proposer, proposer_user) = app.signed_in(Role::ContinuityManager).await;
    let (approver, _) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Colocation hall").await;
    let id = risk(&app, &[site], Some(proposer_user.id), (4, 4), None).await;
    let path = format!("/risks/{id}");
    let expiry = (OffsetDateTime::now_utc().date() + Duration::days(90)).to_string();
    let propose = [
        ("justification", "Carried for now"),
        ("expires_on", expiry.as_str()),
    ];
    app.post(&proposer, &format!("{path}/acceptance"), &propose)
        .await;
    // A double submission does not make a second proposal.
    app.post(&proposer, &format!("{path}/acceptance"), &propose)
        .await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from risk_acceptances")
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);

    // The scores change before anyone decides: approving now closes the stale proposal instead.
    sqlx::query("update risks set inherent_likelihood = 5 where id = $1")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    app.post(
        &approver,
        &format!("{path}/acceptance/decide"),
        &[("decision", "approve")],
    )
    .await;
    assert!(
        app.text(&approver, &path)
            .await
            .contains("lapsed before a decision")
    );
    let approved: Option<bool> = sqlx::query_scalar("select approved from risk_acceptances")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(approved, Some(false), "closed, not approved");

    // The owner can propose again.
    let again = app
        .post(&proposer, &format!("{path}/acceptance"), &propose)
        .await;
    assert_eq!(again.status(), 303);
    assert_eq!(count().await, 2);
    assert!(
        app.text(&proposer, &path)
            .await
            .contains("waiting for approval")
    );
}

/// In a real browser: a manager records a risk on the primary data centre through the searching
/// picker, finds it in its heat-map cell and follows the cell to the register, proposes its
/// acceptance; another manager approves it; and a service that depends on the data centre shows
/// the inherited risk.
#[tokio::test]
async fn in_the_browser_a_risk_on_the_data_centre_is_mapped_accepted_and_inherited() {
    use crate::browser::sign_in;
    use crate::support::PASSWORD;
    use crate::support::browser::Browser;

    let app = TestApp::spawn().await;
    app.create_user_with(Role::ContinuityManager, "maria@test.example", "Maria Lopez")
        .await;
    app.create_user_with(Role::ContinuityManager, "sam@test.example", "Sam Reed")
        .await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let database = catalogue.component("payroll-db", Some(site)).await;
    let payroll = catalogue.service("Payroll", None).await;
    catalogue.depend(payroll, database).await;
    let expiry = (OffsetDateTime::now_utc().date() + Duration::days(120)).to_string();
    let browser = Browser::start(&app.address).await;
    let outcome = async {
        sign_in(&browser, "maria@test.example", PASSWORD).await?;
        browser.wait_for_text("Welcome").await?;
        browser.goto("/risks/new").await?;
        browser
            .fill("#title", "Loss of the primary data centre")
            .await?;
        // The picker searches as one types; the site is ticked among the matches.
        browser.fill("#pick-node", "primary data").await?;
        browser
            .click(&format!("#boxes-node input[name=node][value='{site}']"))
            .await?;
        browser
            .wait_for("#inherent_likelihood")
            .await?
            .select_by_value("4")
            .await?;
        browser
            .wait_for("#inherent_impact")
            .await?
            .select_by_value("5")
            .await?;
        browser.click("button.primary").await?;
        browser.wait_for_text("Risk R-0001 recorded.").await?;
        browser
            .wait_for_text("cell level Extreme, above appetite")
            .await?;
        let risk_path = browser.path().await?;

        // Its heat-map cell counts it and opens the register filtered to it.
        browser.goto("/risks").await?;
        browser.click("a[href='/risks?inherent=4x5']").await?;
        browser
            .wait_for_text("Loss of the primary data centre")
            .await?;
        anyhow::ensure!(
            browser.path().await? == "/risks",
            "the cell opens the register"
        );

        // Maria proposes the acceptance; she cannot approve it herself.
        browser.goto(&risk_path).await?;
        browser
            .fill(
                "#justification",
                "A second data centre is planned for next year.",
            )
            .await?;
        browser
            .client
            .execute(
                "document.getElementById('expires_on').value = arguments[0];",
                vec![serde_json::json!(expiry)],
            )
            .await?;
        browser.click("form[action$='/acceptance'] button").await?;
        browser.wait_for_text("Acceptance proposed").await?;
        browser.click(".userbox button").await?;
        browser.wait_for_text("You have signed out").await?;

        // Sam approves it.
        sign_in(&browser, "sam@test.example", PASSWORD).await?;
        browser
            .wait_for_text("Risk acceptances waiting for your decision")
            .await?;
        browser.goto(&risk_path).await?;
        browser.click("button[value=approve]").await?;
        browser.wait_for_text("Acceptance approved until").await?;
        browser.wait_for_text("Accepted until").await?;

        // Payroll needs the database hosted at the data centre: it shows the risk.
        browser.goto(&format!("/services/{payroll}")).await?;
        browser
            .wait_for_text("R-0001 Loss of the primary data centre")
            .await?;
        browser.wait_for_text("through payroll-db").await?;
        Ok(())
    }
    .await;
    browser.finish("risk_accepted_and_inherited", outcome).await;
}

#[tokio::test]
async fn a_risk_raised_to_a_higher_level_is_reviewed_sooner_and_its_history_shows_method_changes() {
    let app = TestApp::spawn().await;
    let (manager, user) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Hall").await;
    let id = risk(&app, &[site], Some(user.id), (1, 1), None).await;
    sqlx::query("update risks set review_due = current_date + 365 where id = $1")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (version, due): (i32, Option<time::Date>) =
        sqlx::query_as("select version, review_due from risks where id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let mut fields = form("Hall flooded", site, user.id, ("5", "5"));
    fields.push(("version", version.to_string()));
    fields.push(("review_due", due.map(|d| d.to_string()).unwrap_or_default()));
    assert_eq!(
        app.post_form(&manager, &format!("/risks/{id}"), &fields)
            .await
            .status(),
        303
    );
    let due: time::Date = sqlx::query_scalar("select review_due from risks where id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let today = OffsetDateTime::now_utc().date();
    assert!(
        due <= today + Duration::days(93),
        "Extreme: reviewed within 3 months, not 12 ({due})"
    );

    app.post(
        &manager,
        "/risks/method",
        &[("version", "1"), ("cell.5.5", "2")],
    )
    .await;
    let page = app.text(&manager, &format!("/risks/{id}")).await;
    assert!(
        page.contains("Method changed"),
        "the history says why the level moved"
    );
}

#[tokio::test]
async fn an_archived_risk_is_read_only_until_restored() {
    let app = TestApp::spawn().await;
    let (manager, user) = app.signed_in(Role::ContinuityManager).await;
    let site = Catalogue::new(&app).site("Old hall").await;
    let id = risk(&app, &[site], Some(user.id), (2, 2), None).await;
    let path = format!("/risks/{id}");
    app.post(
        &manager,
        &format!("{path}/archive"),
        &[("archived", "true")],
    )
    .await;
    // Sent twice (a double click): one change, one audit row.
    app.post(
        &manager,
        &format!("{path}/archive"),
        &[("archived", "true")],
    )
    .await;
    let edit = app.get(&manager, &format!("{path}/edit")).await;
    assert_eq!(edit.status(), 303);
    assert!(
        app.text(&manager, &path)
            .await
            .contains("is archived: restore it to change it")
    );
    assert!(
        !app.text(&manager, "/risks").await.contains(&path),
        "archived risks leave the register"
    );
    app.post(
        &manager,
        &format!("{path}/archive"),
        &[("archived", "false")],
    )
    .await;
    assert_eq!(
        app.get(&manager, &format!("{path}/edit")).await.status(),
        200
    );
    assert_eq!(app.audit_count("risk", "archive").await, 1);
    assert_eq!(app.audit_count("risk", "restore").await, 1);
}

#[tokio::test]
async fn a_contract_can_be_in_scope_the_register_filters_by_what_a_risk_bears_on_and_owners_do_not_see_contract_names()
 {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let shop = catalogue.service("Web shop", Some(owner_user.id)).await;
    let suppliers = crate::support::suppliers::Suppliers::new(&app);
    let supplier = suppliers.supplier("Hidden Hosting").await;
    let contract = suppliers.contract(supplier, "SECRET-9", |_| {}).await;
    // The owner made this link themselves: it gives them no right to read the contract.
    sqlx::query(
        "insert into dependencies (from_id, to_id, relation, redundancy, notes, confirmed) \
         values ($1, $2, 'supplied_by', 'none', '', false)",
    )
    .bind(shop)
    .bind(contract)
    .execute(&app.state.db)
    .await
    .unwrap();

    // Managers find the contract in the scope picker and record a risk on it.
    let boxes = app
        .text(
            &manager,
            "/pick/multi?field=node&kinds=service,component,site,contract&pick=SECRET",
        )
        .await;
    assert!(boxes.contains("SECRET-9"), "{boxes}");
    let owner_boxes = app
        .text(
            &owner,
            "/pick/multi?field=node&kinds=service,component,site,contract&pick=SECRET",
        )
        .await;
    assert!(!owner_boxes.contains("SECRET-9"));
    let created = app
        .post_form(
            &manager,
            "/risks",
            &form(
                "Hosting provider fails",
                contract,
                manager_user.id,
                ("3", "4"),
            ),
        )
        .await;
    assert_eq!(created.status(), 303);
    let other_site = catalogue.site("Elsewhere").await;
    risk(&app, &[other_site], None, (2, 2), None).await;

    let filtered = app.text(&manager, &format!("/risks?on={contract}")).await;
    assert!(filtered.contains("Hosting provider fails"));
    assert!(!filtered.contains("Fixture risk"));
    assert!(
        filtered.contains(" selected>Hidden Hosting"),
        "the chosen entry is named"
    );

    // The owner's service is exposed through the contract, which stays unnamed for them.
    let page = app.text(&owner, &format!("/services/{shop}")).await;
    assert!(page.contains("Hosting provider fails"), "{page}");
    assert!(
        !page.contains("SECRET-9"),
        "the contract's name is concealed"
    );
    let owner_list = app.text(&owner, &format!("/risks?on={contract}")).await;
    assert!(!owner_list.contains("SECRET-9"));
    let risk_id: Uuid =
        sqlx::query_scalar("select id from risks where title = 'Hosting provider fails'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let risk_page = app.text(&owner, &format!("/risks/{risk_id}")).await;
    assert!(
        risk_page.contains("Web shop"),
        "the exposed service is listed"
    );
    assert!(
        !risk_page.contains("SECRET-9"),
        "neither in the scope nor on the chain"
    );

    // An owner editing their own risk that a manager scoped to the contract sees it unnamed,
    // and ticking a contract's id in the picker does not name it either.
    let theirs = risk(&app, &[shop, contract], Some(owner_user.id), (3, 3), None).await;
    let edit = app.text(&owner, &format!("/risks/{theirs}/edit")).await;
    assert!(edit.contains("Web shop"));
    assert!(
        !edit.contains("SECRET-9"),
        "the kept contract is concealed on the form"
    );
    let ticked = app
        .text(
            &owner,
            &format!("/pick/multi?field=node&kinds=service&node={contract}"),
        )
        .await;
    assert!(!ticked.contains("SECRET-9"), "{ticked}");
}
