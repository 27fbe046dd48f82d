//! The posture through its pages: a strategy recorded (good and bad input, conflicts, owners
//! limited to their own services) and counted against the BIA's requirement with the reason, the
//! CSV export, strategy templates, and scenarios run and saved.

mod browser;

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::exercises::service;
use crate::support::posture::{scenario, strategy, template};
use crate::support::{TestApp, location};

fn strategy_form(option: &str, estimate: &str) -> Vec<(&'static str, String)> {
    vec![
        ("recovery_option", option.to_owned()),
        ("estimate", estimate.to_owned()),
        ("achievable_rpo", "1h".to_owned()),
        ("capacity_percent", "50".to_owned()),
        ("usable_for", "2w".to_owned()),
        ("yearly_cost", "12 000".to_owned()),
        ("status", "approved".to_owned()),
        ("notes", "Restore from\nthe nightly backup".to_owned()),
        ("version", "0".to_owned()),
    ]
}

#[tokio::test]
async fn a_cold_standby_behind_a_four_hour_rto_is_red_with_its_reason_and_in_the_csv() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let payroll = service(&app, "Payroll", None, 240).await;

    let saved = app
        .post_form(
            &manager,
            &format!("/services/{payroll}/strategy"),
            &strategy_form("gradual", "2d"),
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), format!("/services/{payroll}#strategy"));
    assert_eq!(app.audit_count("recovery_strategy", "create").await, 1);

    let posture = app.text(&manager, "/posture").await;
    assert!(posture.contains("Payroll"), "{posture}");
    assert!(
        posture.contains("Needs 4h, but can be back only after 48h: its own figure comes from the estimate of its cold standby strategy."),
        "{posture}"
    );
    assert!(posture.contains("cold standby cannot meet 4h"), "{posture}");
    let red = app.text(&manager, "/posture?colour=red").await;
    assert!(red.contains("48h / 4h"), "the red filter lists it");
    let green = app.text(&manager, "/posture?colour=green").await;
    assert!(!green.contains("48h / 4h"), "the green filter does not");

    let csv = app.text(&manager, "/posture.csv").await;
    let line = csv
        .lines()
        .find(|line| line.starts_with("Payroll "))
        .expect("a line for Payroll");
    assert!(
        line.contains(",Gap,4h,48h,") && line.contains("cold standby cannot meet 4h"),
        "{line}"
    );

    let service_page = app.text(&manager, &format!("/services/{payroll}")).await;
    assert!(service_page.contains("id=\"strategy\""));
    assert!(service_page.contains("Restore from"));
}

#[tokio::test]
async fn the_strategy_form_refuses_bad_input_keeping_it_and_a_stale_edit_gets_the_conflict_page() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let erp = service(&app, "ERP finance", None, 480).await;
    let path = format!("/services/{erp}/strategy");

    let mut bad = strategy_form("sometimes", "three days");
    bad.push(("contract", "NOPE-0001".to_owned()));
    bad.retain(|(field, _)| *field != "capacity_percent");
    bad.push(("capacity_percent", "150".to_owned()));
    bad.push(("alternate_site", Uuid::new_v4().to_string()));
    let refused = app.post_form(&manager, &path, &bad).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Choose how the service is recovered."),
        "{page}"
    );
    assert!(
        page.contains("value=\"three days\""),
        "the typed duration is kept"
    );
    assert!(
        page.contains("value=\"NOPE-0001\""),
        "the typed reference is kept"
    );
    assert!(page.contains("No active contract you may open has this reference"));
    assert!(page.contains("Choose one of the sites offered."));
    assert!(page.contains("value=\"150\""));
    assert_eq!(app.audit_count("recovery_strategy", "create").await, 0);

    let saved = app
        .post_form(&manager, &path, &strategy_form("intermediate", "6h"))
        .await;
    assert_eq!(saved.status(), 303);
    let mut edit = strategy_form("fast", "1h");
    edit.retain(|(field, _)| *field != "version");
    edit.push(("version", "1".to_owned()));
    let edited = app.post_form(&manager, &path, &edit).await;
    assert_eq!(edited.status(), 303);
    // The same version again: someone saved since it was read.
    let stale = app.post_form(&manager, &path, &edit).await;
    assert_eq!(stale.status(), 409);
    let conflict = stale.text().await.unwrap();
    assert!(conflict.contains("Someone else saved first"));
    assert_eq!(app.audit_count("recovery_strategy", "update").await, 1);

    // Odd input never reaches the database as an error page.
    let mut odd = strategy_form("fast", "99999999999w");
    odd.push(("yearly_cost", "-5".to_owned()));
    odd.push(("template", "not-a-template".to_owned()));
    odd.push(("status", "\u{0}".to_owned()));
    let odd = app.post_form(&manager, &path, &odd).await;
    assert!(
        odd.status() == 422 || odd.status() == 409,
        "{}",
        odd.status()
    );
}

#[tokio::test]
async fn an_owner_records_the_strategy_of_their_own_services_only_and_sees_only_them_on_the_posture()
 {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let mine = service(&app, "Store point of sale", Some(owner_user.id), 240).await;
    let theirs = service(&app, "Payments", None, 60).await;

    assert_eq!(
        app.get(&owner, &format!("/services/{mine}/strategy"))
            .await
            .status(),
        200
    );
    let saved = app
        .post_form(
            &owner,
            &format!("/services/{mine}/strategy"),
            &strategy_form("manual_workaround", "2h"),
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(
        app.get(&owner, &format!("/services/{theirs}/strategy"))
            .await
            .status(),
        403
    );
    let refused = app
        .post_form(
            &owner,
            &format!("/services/{theirs}/strategy"),
            &strategy_form("fast", "1h"),
        )
        .await;
    assert_eq!(refused.status(), 403);

    let posture = app.text(&owner, "/posture").await;
    assert!(posture.contains("Store point of sale"));
    assert!(!posture.contains("Payments"), "{posture}");
    let csv = app.text(&owner, "/posture.csv").await;
    assert!(csv.contains("Store point of sale") && !csv.contains("Payments"));
    assert_eq!(app.get(&owner, "/scenarios").await.status(), 403);
}

#[tokio::test]
async fn a_template_is_created_its_name_kept_unique_and_a_strategy_starts_from_it() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let mut fields = vec![
        ("name", "Hot standby at the recovery centre".to_owned()),
        ("description", "Replicated every 5 minutes".to_owned()),
        ("version", "0".to_owned()),
    ];
    fields.extend(
        strategy_form("fast", "1h")
            .into_iter()
            .filter(|(field, _)| !matches!(*field, "status" | "notes" | "version")),
    );
    let created = app
        .post_form(&manager, "/posture/strategy/templates", &fields)
        .await;
    assert_eq!(created.status(), 303);
    assert_eq!(
        app.audit_count("recovery_strategy_template", "create")
            .await,
        1
    );
    let duplicate = app
        .post_form(&manager, "/posture/strategy/templates", &fields)
        .await;
    assert_eq!(duplicate.status(), 422);
    let page = duplicate.text().await.unwrap();
    assert!(page.contains("value=\"Hot standby at the recovery centre\""));

    let id = template(&app, "Cold standby in the cloud").await;
    let billing = service(&app, "Billing", None, 240).await;
    let mut form = strategy_form("", "");
    form.push(("template", id.to_string()));
    form.push(("use_template", "1".to_owned()));
    let filled = app
        .post_form(&manager, &format!("/services/{billing}/strategy"), &form)
        .await;
    let filled = filled.text().await.unwrap();
    assert!(
        filled.contains("value=\"4h\""),
        "the template's estimate fills the form"
    );
    assert_eq!(app.audit_count("recovery_strategy", "create").await, 0);

    let summary = app.text(&manager, "/posture/strategy").await;
    assert!(summary.contains("Hot standby at the recovery centre"));
    assert!(summary.contains("Mission critical"));
}

#[tokio::test]
async fn a_template_is_applied_to_ticked_services_and_a_whole_tier_in_one_go() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let id = template(&app, "Warm standby at the recovery centre").await;
    let path = format!("/posture/strategy/templates/{id}/apply");
    // Three mission-critical services: one ticked with a strategy of its own, two without any.
    let ticked = service(&app, "Ledger", None, 240).await;
    strategy(&app, ticked, "gradual", 2880).await;
    let first = service(&app, "Payments", None, 240).await;
    let second = service(&app, "Treasury", None, 240).await;

    let page = app.text(&manager, &path).await;
    assert!(
        page.contains("Mission critical: the 2 without a strategy"),
        "{page}"
    );
    let found = app.text(&manager, &format!("{path}?pick=Ledger")).await;
    assert!(
        found.contains(&format!("value=\"{ticked}\"")),
        "the picker finds it"
    );

    let nothing = app.post_form(&manager, &path, &[("tier", "")]).await;
    assert_eq!(nothing.status(), 422);
    assert!(
        nothing
            .text()
            .await
            .unwrap()
            .contains("Tick at least one service")
    );
    let odd = app
        .post_form(
            &manager,
            &path,
            &[("service", ticked.to_string()), ("tier", "9".into())],
        )
        .await;
    assert_eq!(odd.status(), 422);
    let odd = odd.text().await.unwrap();
    assert!(odd.contains("Choose one of the tiers offered."));
    assert!(
        odd.contains(&format!("value=\"{ticked}\" checked")),
        "the ticked service is kept"
    );
    assert_eq!(
        app.audit_count("recovery_strategy", "apply_template").await,
        0
    );

    let applied = app
        .post_form(
            &manager,
            &path,
            &[("service", ticked.to_string()), ("tier", "1".into())],
        )
        .await;
    assert_eq!(applied.status(), 303);
    assert_eq!(location(&applied), "/posture/strategy");
    assert_eq!(
        app.audit_count("recovery_strategy", "apply_template").await,
        3
    );
    let stored: Vec<(Uuid, String, String, Option<i32>)> = sqlx::query_as(
        "select service_id, recovery_option, status, estimated_recovery_minutes from recovery_strategies
         where template_id = $1 order by service_id",
    )
    .bind(id)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut expected = vec![
        (
            ticked,
            "intermediate".to_owned(),
            "approved".to_owned(),
            Some(240),
        ),
        (
            first,
            "intermediate".to_owned(),
            "proposed".to_owned(),
            Some(240),
        ),
        (
            second,
            "intermediate".to_owned(),
            "proposed".to_owned(),
            Some(240),
        ),
    ];
    expected.sort();
    assert_eq!(stored, expected, "the existing strategy keeps its status");
    let summary = app.text(&manager, "/posture/strategy").await;
    assert!(summary.contains("applied to 3 services"), "{summary}");

    let denied = app.post_form(&owner, &path, &[("tier", "1")]).await;
    assert_eq!(denied.status(), 403);
}

#[tokio::test]
async fn losing_a_site_brings_down_the_services_above_it_in_order_and_the_scenario_is_saved_once() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let database = catalogue.component("payroll-db", Some(site)).await;
    let payroll = service(&app, "Payroll", None, 240).await;
    catalogue.depend(payroll, database).await;
    let unrelated = service(&app, "Intranet", None, 2880).await;
    strategy(&app, payroll, "intermediate", 600).await;
    strategy(&app, unrelated, "gradual", 600).await;

    // The search fragment (JavaScript on) offers the site under the form's own field name.
    let boxes = app
        .text(
            &manager,
            "/pick/multi?field=lost&kinds=site,component,contract&pick=Primary",
        )
        .await;
    assert!(
        boxes.contains(&format!("name=\"lost\" value=\"{site}\"")),
        "{boxes}"
    );
    let run = app
        .text(&auditor, &format!("/scenarios/run?lost={site}"))
        .await;
    assert!(run.contains("Primary data centre"), "{run}");
    assert!(run.contains("Recovery order"));
    assert!(run.contains(">Payroll "), "{run}");
    assert!(
        !run.contains("Intranet"),
        "an unrelated service does not fall"
    );
    assert!(run.contains("<svg"), "the timeline is drawn");
    assert!(!run.contains("Save this scenario"), "auditors do not save");

    let save = vec![
        ("name", "Loss of the primary data centre".to_owned()),
        ("description", "Fire in hall 2".to_owned()),
        ("lost", site.to_string()),
    ];
    let saved = app.post_form(&manager, "/scenarios", &save).await;
    assert_eq!(saved.status(), 303);
    let scenario_page = app.text(&manager, &location(&saved)).await;
    assert!(scenario_page.contains("Scenario: Loss of the primary data centre"));
    assert!(scenario_page.contains(">Payroll "));
    assert_eq!(app.audit_count("scenario", "create").await, 1);

    let again = app.post_form(&manager, "/scenarios", &save).await;
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Another scenario has this name")
    );
    let nothing_lost = app
        .post_form(
            &manager,
            "/scenarios",
            &[("name", "Nothing"), ("lost", "not-an-id")],
        )
        .await;
    assert_eq!(nothing_lost.status(), 422);

    let list = app.text(&auditor, "/scenarios").await;
    assert!(list.contains("Loss of the primary data centre"));
}

#[tokio::test]
async fn a_gap_becomes_an_improvement_action_naming_its_service_and_owners_raise_them_for_their_own()
 {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let payroll = service(&app, "Payroll", None, 240).await;
    let mine = service(&app, "Store point of sale", Some(owner_user.id), 240).await;

    let posture = app.text(&manager, "/posture").await;
    let link = format!("/actions/new?gap={payroll}&#38;title=");
    assert!(
        posture.contains(&link),
        "a recommendation offers the action"
    );
    let form = app
        .text(
            &manager,
            &format!("/actions/new?gap={payroll}&title=Test%20Payroll"),
        )
        .await;
    assert!(form.contains("Closes the posture gap of"));
    assert!(form.contains("value=\"Test Payroll\""));

    let due = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let fields = |gap: Uuid, owner: Uuid| {
        vec![
            ("title", "Test the Payroll restore".to_owned()),
            ("gap", gap.to_string()),
            ("owner", owner.to_string()),
            ("due_on", due.clone()),
            ("version", "0".to_owned()),
        ]
    };
    let created = app
        .post_form(&manager, "/actions", &fields(payroll, manager_user.id))
        .await;
    assert_eq!(created.status(), 303);
    let action = app.text(&manager, &location(&created)).await;
    assert!(action.contains("Posture gap"), "{action}");
    assert!(action.contains("the recovery gap of Payroll"));
    let stored: (String, Option<Uuid>) = sqlx::query_as(
        "select source, gap_service_id from improvement_actions where title = 'Test the Payroll restore'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(stored, ("gap".to_owned(), Some(payroll)));

    let refused = app
        .post_form(&owner, "/actions", &fields(payroll, owner_user.id))
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Service owners add actions for the gaps of their own services.")
    );
    let own = app
        .post_form(&owner, "/actions", &fields(mine, owner_user.id))
        .await;
    assert_eq!(own.status(), 303);
    let unknown = app
        .post_form(
            &manager,
            "/actions",
            &fields(Uuid::new_v4(), manager_user.id),
        )
        .await;
    assert_eq!(unknown.status(), 422);
}

#[tokio::test]
async fn the_help_page_walks_through_the_continuity_lifecycle_to_the_pages_that_serve_it() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.signed_in(Role::ServiceOwner).await;
    let help = app.text(&owner, "/help").await;
    for step in [
        "Scope and policy.",
        "Business impact analysis.",
        "Risk assessment.",
        "Recovery strategy.",
        "Plans.",
        "Tests.",
        "Awareness.",
        "Review and improve.",
    ] {
        assert!(help.contains(step), "{step}");
    }
    assert!(help.contains("href=\"/posture\"") && help.contains("href=\"/scenarios\""));
    assert!(help.contains("<dt>Single point of failure</dt>"));
}

#[tokio::test]
async fn a_component_says_which_service_sets_the_recovery_they_must_meet() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let database = catalogue.component("ledger-db", None).await;
    let payments = service(&app, "Payments", None, 60).await;
    let reporting = service(&app, "Reporting", None, 1440).await;
    catalogue.depend(payments, database).await;
    catalogue.depend(reporting, database).await;

    let page = app.text(&manager, &format!("/components/{database}")).await;
    assert!(page.contains("Required recovery"));
    assert!(
        page.contains(&format!(
            "<strong>1h</strong>, set by <a href=\"/services/{payments}\">Payments"
        )),
        "the strictest service above sets it: {page}"
    );
    let alone = catalogue.component("spare-db", None).await;
    let spare = app.text(&manager, &format!("/components/{alone}")).await;
    assert!(spare.contains("no service with an approved BIA needs it"));
}

#[tokio::test]
async fn a_test_rehearses_a_saved_scenario_which_lists_it_and_a_tampered_choice_is_refused() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let payroll = service(&app, "Payroll", None, 240).await;
    let plan = crate::support::exercises::approved_plan(&app, &[payroll]).await;
    let saved = scenario(&app, "Loss of the primary data centre", &[site]).await;

    let form_page = app.text(&manager, "/tests/new").await;
    assert!(form_page.contains("Saved disaster scenario"), "{form_page}");
    let fields = |chosen: String| {
        vec![
            ("title", "Failover of the primary data centre".to_owned()),
            ("test_type", "simulation".to_owned()),
            (
                "test_on",
                time::OffsetDateTime::now_utc().date().to_string(),
            ),
            ("plan", plan.to_string()),
            ("scenario", "Fire in hall 2".to_owned()),
            ("disaster_scenario", chosen),
        ]
    };
    let tampered = app
        .post_form(&manager, "/tests", &fields(Uuid::new_v4().to_string()))
        .await;
    assert_eq!(tampered.status(), 422);
    let tampered = tampered.text().await.unwrap();
    assert!(tampered.contains("Choose one of the saved scenarios, or none."));
    assert!(
        tampered.contains("Fire in hall 2"),
        "what was typed is kept"
    );

    let created = app
        .post_form(&manager, "/tests", &fields(saved.to_string()))
        .await;
    assert_eq!(created.status(), 303);
    let test_path = location(&created);
    let test_page = app.text(&manager, &test_path).await;
    assert!(
        test_page.contains(&format!("href=\"/scenarios/{saved}\"")),
        "the test opens its scenario"
    );
    let scenario_page = app.text(&manager, &format!("/scenarios/{saved}")).await;
    assert!(scenario_page.contains("Tests that rehearse it"));
    assert!(scenario_page.contains(&format!("href=\"{test_path}\"")));
    assert!(scenario_page.contains("Failover of the primary data centre"));
}
