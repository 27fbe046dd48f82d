//! Plan tests through their pages: planning a test (good and bad input, an owner's own plans
//! only), recording step times from which the achieved recovery time and each service's result
//! are worked out, the "not met" finding made by itself and turned into an action, refused and
//! stale recordings, concluding, evidence files, the programme's standings and the awareness
//! register.

mod browser;

use continuity::domain::role::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::exercises::{add_to_scope, approved_plan, planned, service, version};
use crate::support::{TestApp, location};

fn days_ago(days: i64) -> String {
    (OffsetDateTime::now_utc().date() - Duration::days(days)).to_string()
}

/// Records `fields` (name, value) on the test as `client`, at its current version.
async fn record(
    app: &TestApp,
    client: &reqwest::Client,
    test: Uuid,
    fields: &[(String, String)],
) -> reqwest::Response {
    let mut form = fields.to_vec();
    form.push(("version".to_owned(), version(app, test).await.to_string()));
    app.post_form(client, &format!("/tests/{test}/record"), &form)
        .await
}

fn step(plan: Uuid, key: &str, part: &str, value: &str) -> (String, String) {
    (format!("step|{plan}|{key}|{part}"), value.to_owned())
}

/// Both steps of the fixture plan, with `s2` as the second's duration.
fn steps(plan: Uuid, s2: &str) -> Vec<(String, String)> {
    vec![
        step(plan, "S1", "start", "2026-05-12T08:00"),
        step(plan, "S1", "end", "2026-05-12T09:00"),
        step(plan, "S1", "duration", ""),
        step(plan, "S1", "deviation", ""),
        step(plan, "S2", "start", ""),
        step(plan, "S2", "end", ""),
        step(plan, "S2", "duration", s2),
        step(plan, "S2", "deviation", ""),
    ]
}

async fn result_of(
    app: &TestApp,
    test: Uuid,
    service: Uuid,
) -> (Option<i32>, Option<String>, String) {
    sqlx::query_as(
        "select achieved_minutes, result, overrun from plan_test_services where test_id = $1 and service_id = $2",
    )
    .bind(test)
    .bind(service)
    .fetch_one(&app.state.db)
    .await
    .expect("the service's result")
}

#[tokio::test]
async fn planning_a_test_keeps_bad_input_and_refuses_an_owner_someone_elses_plan() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let mine = service(&app, "Checkout", Some(owner_user.id), 240).await;
    let theirs = service(&app, "Ledger", None, 240).await;
    let my_plan = approved_plan(&app, &[mine]).await;
    let their_plan = approved_plan(&app, &[theirs]).await;

    let refused = app
        .post_form(
            &manager,
            "/tests",
            &[
                ("title", "Night <b>failover</b>"),
                ("test_type", "a_party"),
                ("test_on", "2020-02-30"),
                ("objectives", "Restore within 4h"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(
        page.contains("Night &#60;b&#62;failover&#60;/b&#62;")
            || page.contains("Night &lt;b&gt;failover&lt;/b&gt;"),
        "the title is kept, escaped"
    );
    assert!(
        page.contains("Restore within 4h"),
        "the objectives are kept"
    );
    assert!(page.contains("Choose the type of test."));
    assert!(page.contains("Choose at least one approved plan"));
    assert!(page.contains("Enter the date of the test."));

    let past = app
        .post_form(
            &manager,
            "/tests",
            &[
                ("title", "Late"),
                ("test_type", "tabletop"),
                ("test_on", &days_ago(3)),
                ("plan", &my_plan.to_string()),
            ],
        )
        .await;
    assert_eq!(
        past.status(),
        422,
        "a new test is planned for today or later"
    );

    let not_theirs = app
        .post_form(
            &owner,
            "/tests",
            &[
                ("title", "Mine and theirs"),
                ("test_type", "tabletop"),
                ("test_on", &OffsetDateTime::now_utc().date().to_string()),
                ("plan", &my_plan.to_string()),
                ("plan", &their_plan.to_string()),
            ],
        )
        .await;
    assert_eq!(not_theirs.status(), 422);
    assert!(
        not_theirs
            .text()
            .await
            .expect("page")
            .contains("plans that cover one of their services")
    );

    let test = planned(
        &app,
        &owner,
        my_plan,
        "Checkout back within 4h\n- Reach the lead within 30 minutes",
    )
    .await;
    let page = app.text(&owner, &format!("/tests/{test}")).await;
    assert!(page.contains("Checkout back within 4h"));
    assert!(
        page.contains("Reach the lead within 30 minutes"),
        "list markers are dropped"
    );
    assert!(page.contains("Checkout"), "the plan's service is in scope");
    assert_eq!(app.audit_count("plan_test", "create").await, 1);

    // The owner who planned it edits it; another owner cannot.
    let (other, _) = app.signed_in(Role::ServiceOwner).await;
    assert_eq!(
        app.get(&other, &format!("/tests/{test}/edit"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&owner, &format!("/tests/{test}/edit"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_overrun_past_the_rto_is_not_met_names_the_step_and_its_finding_becomes_an_action() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let checkout = service(&app, "Checkout", Some(owner_user.id), 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let test = planned(&app, &manager, plan, "Checkout back within 4h").await;

    // 1h then 4h: 5h against an RTO of 4h, the second step 2h over its estimate.
    let mut fields = steps(plan, "4h");
    fields.push(("objective|1|met".to_owned(), "no".to_owned()));
    fields.push(("objective|1|note".to_owned(), "Took 5h".to_owned()));
    let saved = record(&app, &owner, test, &fields).await;
    assert_eq!(
        saved.status(),
        303,
        "{}",
        saved.text().await.unwrap_or_default()
    );
    let (achieved, result, overrun) = result_of(&app, test, checkout).await;
    assert_eq!(achieved, Some(300));
    assert_eq!(result.as_deref(), Some("not_met"));
    assert_eq!(overrun, "“Do S2” took 4h against 2h planned (+2h)");

    let report = app.text(&owner, &format!("/tests/{test}")).await;
    assert!(report.contains("Not met"));
    assert!(report.contains("“Do S2” took 4h against 2h planned"));
    assert!(
        report.contains(r#"class="actual-bar overran" data-step="S2""#),
        "the timeline shows the overrun"
    );
    assert!(report.contains("recorded by the “not met” result"));

    // Recording again does not duplicate the finding.
    assert_eq!(
        record(&app, &owner, test, &steps(plan, "4h"))
            .await
            .status(),
        303
    );
    let finding: Uuid =
        sqlx::query_scalar("select id from plan_test_findings where test_id = $1 and automatic")
            .bind(test)
            .fetch_one(&app.state.db)
            .await
            .expect("exactly one automatic finding");

    let made = app
        .post_form(
            &owner,
            &format!("/tests/{test}/findings/{finding}/action"),
            &[("", "")],
        )
        .await;
    assert_eq!(made.status(), 303);
    let action_page = location(&made);
    assert!(action_page.starts_with("/actions/"), "{action_page}");
    let (source, owner_id): (String, Uuid) =
        sqlx::query_as("select source, owner_id from improvement_actions where finding_id = $1")
            .bind(finding)
            .fetch_one(&app.state.db)
            .await
            .expect("the action");
    assert_eq!(source, "finding");
    assert_eq!(owner_id, owner_user.id);
    let action = app.text(&owner, &action_page).await;
    assert!(
        action.contains("Test finding"),
        "the action says where it comes from"
    );
    assert!(action.contains(&format!("/tests/{test}#findings")));
    let again = app
        .post_form(
            &owner,
            &format!("/tests/{test}/findings/{finding}/action"),
            &[("", "")],
        )
        .await;
    assert_eq!(
        location(&again),
        action_page,
        "a finding becomes one action only"
    );
    assert!(
        app.text(&manager, "/actions?source=finding")
            .await
            .contains("Do S2")
    );

    // A recording missing a step the return waits for measures nothing yet.
    let partial = vec![
        step(plan, "S1", "duration", "1h"),
        step(plan, "S2", "duration", ""),
    ];
    assert_eq!(record(&app, &owner, test, &partial).await.status(), 303);
    let (achieved, result, _) = result_of(&app, test, checkout).await;
    assert_eq!((achieved, result), (None, None), "incomplete: no result");

    // A finding refused keeps what was typed.
    let refused = app
        .post_form(
            &owner,
            &format!("/tests/{test}/findings"),
            &[
                ("severity", "dire"),
                ("description", "The runbook was out of date"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .expect("page")
            .contains(">The runbook was out of date</textarea>")
    );

    // Within the RTO the result follows; the finding that no longer applies goes (it has an
    // action, so it stays).
    assert_eq!(
        record(&app, &owner, test, &steps(plan, "2h"))
            .await
            .status(),
        303
    );
    let (_, result, _) = result_of(&app, test, checkout).await;
    assert_eq!(
        result.as_deref(),
        Some("met_with_issues"),
        "the objective was still missed"
    );

    // The service page shows the measured time once the test is completed.
    let concluded = app
        .post_form(
            &manager,
            &format!("/tests/{test}/conclude"),
            &[
                ("to", "completed".to_owned()),
                ("conclusion", "Done".to_owned()),
                ("held_on", OffsetDateTime::now_utc().date().to_string()),
                ("version", version(&app, test).await.to_string()),
            ],
        )
        .await;
    assert_eq!(concluded.status(), 303);
    let service_page = app.text(&owner, &format!("/services/{checkout}")).await;
    assert!(
        service_page.contains("Recovered in 3h (RTO 4h)"),
        "{service_page}"
    );
    assert!(service_page.contains("within the 6-month test interval"));
}

#[tokio::test]
async fn bad_recordings_are_refused_with_the_input_kept_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let checkout = service(&app, "Checkout", Some(owner_user.id), 240).await;
    let ledger = service(&app, "Ledger", None, 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let test = planned(&app, &manager, plan, "").await;
    // Ledger takes part too, recovered by no plan of the test.
    add_to_scope(&app, test, ledger).await;

    let mut backwards = steps(plan, "");
    backwards[1] = step(plan, "S1", "end", "2026-05-12T07:00");
    backwards[6] = step(plan, "S2", "duration", "two hours");
    let refused = record(&app, &owner, test, &backwards).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(page.contains("The end is before the start."));
    assert!(page.contains("“two hours” is not a duration"));
    assert!(
        page.contains(r#"value="two hours""#),
        "what was typed is kept"
    );

    // A service outside the scope, and another owner's service, are refused as a whole.
    for tampered in [
        format!("service|{}|achieved", Uuid::new_v4()),
        format!("service|{ledger}|achieved"),
    ] {
        let mut fields = steps(plan, "2h");
        fields.push((tampered.clone(), "1h".to_owned()));
        let refused = record(&app, &owner, test, &fields).await;
        assert_eq!(refused.status(), 422, "{tampered}");
        assert!(
            refused
                .text()
                .await
                .expect("page")
                .contains("not part of this test")
        );
    }
    let stored: i64 =
        sqlx::query_scalar("select count(*) from plan_test_step_times where test_id = $1")
            .bind(test)
            .fetch_one(&app.state.db)
            .await
            .expect("count");
    assert_eq!(stored, 0, "nothing of a refused recording is stored");

    // An owner records the steps only of the plans covering one of their services: a plan over
    // someone else's service decides that service's result.
    let theirs = approved_plan(&app, &[ledger]).await;
    let shared = planned(&app, &manager, theirs, "").await;
    sqlx::query("insert into plan_test_plans (test_id, plan_id, version_id) select $1, plan_id, id from plan_versions where plan_id = $2")
        .bind(shared)
        .bind(plan)
        .execute(&app.state.db)
        .await
        .expect("a second plan in the test");
    add_to_scope(&app, shared, checkout).await;
    let form = app.text(&owner, &format!("/tests/{shared}/record")).await;
    assert!(form.contains(&format!("step|{plan}|S1|duration")));
    assert!(
        !form.contains(&format!("step|{theirs}|S1|duration")),
        "not someone else's plan"
    );
    let mut foreign = steps(theirs, "2h");
    foreign.push((
        "version".to_owned(),
        version(&app, shared).await.to_string(),
    ));
    let refused = app
        .post_form(&owner, &format!("/tests/{shared}/record"), &foreign)
        .await;
    assert_eq!(refused.status(), 422);

    // Nor of a plan that covers their service and someone else's: its steps decide both.
    let both = approved_plan(&app, &[checkout, ledger]).await;
    let joint = planned(&app, &manager, both, "Restore both within 4h").await;
    let form = app.text(&owner, &format!("/tests/{joint}/record")).await;
    assert!(
        !form.contains(&format!("step|{both}|S1|duration")),
        "a plan shared with another owner's service is a manager's to record"
    );
    assert!(form.contains(&format!("service|{checkout}|achieved")));
    assert!(
        !form.contains("objective|1|met"),
        "the objectives of a test that is not wholly the owner's"
    );

    // A stale version gets the conflict page and saves nothing.
    let mut stale = steps(plan, "2h");
    stale.push((
        "version".to_owned(),
        (version(&app, test).await - 1).to_string(),
    ));
    let conflict = app
        .post_form(&owner, &format!("/tests/{test}/record"), &stale)
        .await;
    assert_eq!(conflict.status(), 409);
    assert!(
        conflict
            .text()
            .await
            .expect("page")
            .contains("Someone else recorded results")
    );

    // Someone without a service in scope may not record at all.
    let (stranger, _) = app.signed_in(Role::ServiceOwner).await;
    assert_eq!(
        record(&app, &stranger, test, &steps(plan, "2h"))
            .await
            .status(),
        403
    );
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    assert_eq!(
        record(&app, &auditor, test, &steps(plan, "2h"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&auditor, &format!("/tests/{test}")).await.status(),
        200
    );
}

#[tokio::test]
async fn concluding_needs_a_word_and_a_held_date_not_in_the_future() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let test = planned(&app, &manager, plan, "").await;
    let conclude = |to: &'static str, conclusion: &'static str, held_on: String| {
        let app = &app;
        let manager = &manager;
        async move {
            app.post_form(
                manager,
                &format!("/tests/{test}/conclude"),
                &[
                    ("to", to.to_owned()),
                    ("conclusion", conclusion.to_owned()),
                    ("held_on", held_on),
                    ("version", version(app, test).await.to_string()),
                ],
            )
            .await
        }
    };
    let tomorrow = (OffsetDateTime::now_utc().date() + Duration::days(1)).to_string();
    for (to, conclusion, held_on) in [
        ("completed", "", days_ago(0)),
        ("completed", "Fine", tomorrow),
        ("completed", "Fine", "31/12/2026".to_owned()),
    ] {
        let refused = conclude(to, conclusion, held_on).await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.expect("page");
        assert!(page.contains("Nothing was saved"));
        assert!(
            page.contains(&format!(">{conclusion}</textarea>")),
            "the conclusion is kept"
        );
        let status: String = sqlx::query_scalar("select status from plan_tests where id = $1")
            .bind(test)
            .fetch_one(&app.state.db)
            .await
            .expect("status");
        assert_eq!(status, "planned", "{to} {conclusion}: refused");
    }
    assert_eq!(
        conclude("completed", "All recovered.", days_ago(200))
            .await
            .status(),
        303
    );
    let (status, on): (String, time::Date) =
        sqlx::query_as("select status, test_on from plan_tests where id = $1")
            .bind(test)
            .fetch_one(&app.state.db)
            .await
            .expect("status");
    assert_eq!(status, "completed");
    assert_eq!(on.to_string(), days_ago(200));
    assert_eq!(
        app.get(&manager, &format!("/tests/{test}/edit"))
            .await
            .status(),
        303,
        "a completed test's plan stays"
    );
    assert_eq!(app.audit_count("plan_test", "completed").await, 1);
}

#[tokio::test]
async fn the_programme_shows_never_tested_overdue_current_and_changed_since_tested() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let ledger = service(&app, "Ledger", None, 240).await;
    let checkout_plan = approved_plan(&app, &[checkout]).await;
    let ledger_plan = approved_plan(&app, &[ledger]).await;

    let never = app.text(&manager, "/tests?standing=never").await;
    assert!(never.contains(&format!("/plans/{checkout_plan}")));
    assert!(
        never.contains(&format!("/services/{ledger}")),
        "a critical service is in the programme by itself"
    );

    // Held seven months ago: a mission-critical plan is tested every six months.
    for (plan, held) in [(checkout_plan, 210), (ledger_plan, 10)] {
        let test = planned(&app, &manager, plan, "").await;
        let done = app
            .post_form(
                &manager,
                &format!("/tests/{test}/conclude"),
                &[
                    ("to", "completed".to_owned()),
                    ("conclusion", "Held.".to_owned()),
                    ("held_on", days_ago(held)),
                    ("version", version(&app, test).await.to_string()),
                ],
            )
            .await;
        assert_eq!(done.status(), 303);
    }
    let overdue = app.text(&manager, "/tests?standing=overdue").await;
    assert!(overdue.contains(&format!("/plans/{checkout_plan}")));
    assert!(!overdue.contains(&format!("/plans/{ledger_plan}")));
    let current = app.text(&manager, "/tests?standing=current").await;
    assert!(current.contains(&format!("/plans/{ledger_plan}")));
    assert!(!current.contains("Changed since tested"));

    // A new version approved since the test: what was proven is no longer what is in force.
    crate::support::plans::next_version(&app, ledger_plan, "in_review").await;
    {
        use continuity::db::plans::versions;
        let mut conn = app.state.db.acquire().await.expect("connection");
        let submitted = versions::find(&mut conn, ledger_plan, 2)
            .await
            .expect("find")
            .expect("version 2");
        let approver = continuity::db::audit::Actor::system("fixture reviewer");
        assert!(
            versions::set_status(
                &mut conn,
                &approver,
                &submitted,
                submitted.version,
                "approved"
            )
            .await
            .expect("approve")
        );
    }
    let changed = app.text(&manager, "/tests?standing=current").await;
    assert!(changed.contains("Changed since tested"));

    let plan_page = app.text(&manager, &format!("/plans/{checkout_plan}")).await;
    assert!(
        plan_page.contains("Overdue"),
        "the plan page shows its standing"
    );
    let all = app.text(&manager, "/tests/all?status=completed").await;
    assert!(all.contains("Functional test of the checkout"));
    let csv = app.text(&manager, "/tests/all.csv").await;
    assert!(csv.lines().count() >= 3, "{csv}");
}

#[tokio::test]
async fn awareness_needs_the_version_read_and_practice_within_the_interval() {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    // The fixture's roles: one lead, with the successor as alternate.
    let (lead, version_id): (Uuid, Uuid) = sqlx::query_as(
        "select (content->'roles'->0->>'person')::uuid, id from plan_versions where plan_id = $1 and status = 'approved'",
    )
    .bind(plan)
    .fetch_one(&app.state.db)
    .await
    .expect("the lead");
    let register = app
        .text(&manager, "/tests/awareness?show=not_current")
        .await;
    assert!(register.contains("Has not acknowledged the version in force."));
    assert!(register.contains("Has never taken part in a test or training of this plan."));

    let refused = app
        .post_form(
            &manager,
            "/tests/training",
            &[
                ("topic", ""),
                ("plan", &plan.to_string()),
                ("held_on", "tomorrow"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(page.contains("Tick who attended."));
    assert!(page.contains("Enter the date it was held."));

    let trained = app
        .post_form(
            &manager,
            "/tests/training",
            &[
                ("topic", "Runbook walk-through".to_owned()),
                ("plan", plan.to_string()),
                ("held_on", days_ago(5)),
                ("attendee", lead.to_string()),
            ],
        )
        .await;
    assert_eq!(trained.status(), 303);
    sqlx::query(
        "insert into plan_acknowledgements (version_id, person_id, user_id) values ($1, $2, $3)",
    )
    .bind(version_id)
    .bind(lead)
    .bind(manager_user.id)
    .execute(&app.state.db)
    .await
    .expect("acknowledged");
    let register = app.text(&manager, "/tests/awareness").await;
    assert!(register.contains("Runbook walk-through"));
    assert!(
        register.contains(&format!("{}, current until", days_ago(5))),
        "{register}"
    );
    assert_eq!(app.audit_count("training_session", "create").await, 1);
}

#[tokio::test]
async fn evidence_files_follow_the_contract_document_rules() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let test = planned(&app, &manager, plan, "").await;
    let upload = |name: &'static str, bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new().part(
            "document",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        manager
            .post(app.url(&format!("/tests/{test}/documents")))
            .multipart(form)
            .send()
    };
    assert_eq!(
        upload("failover-log.txt", b"06:00 uplinks cut")
            .await
            .expect("upload")
            .status(),
        303
    );
    assert_eq!(
        upload("fake.pdf", b"<script>")
            .await
            .expect("upload")
            .status(),
        303
    );
    let report = app.text(&manager, &format!("/tests/{test}")).await;
    assert!(report.contains("failover-log.txt"));
    assert!(report.contains("does not contain what its name says"));
    assert!(
        !report.contains(">fake.pdf</a>"),
        "a file that is not what its name says is refused"
    );
    let document: Uuid =
        sqlx::query_scalar("select id from plan_test_documents where test_id = $1")
            .bind(test)
            .fetch_one(&app.state.db)
            .await
            .expect("one document");
    let (auditor, _) = app.signed_in(Role::Auditor).await;
    let download = app
        .get(&auditor, &format!("/tests/{test}/documents/{document}"))
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.text().await.expect("body"), "06:00 uplinks cut");
}

#[tokio::test]
async fn a_test_that_recovers_nothing_measures_no_recovery_time() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let plan = approved_plan(&app, &[checkout]).await;
    let created = app
        .post_form(
            &manager,
            "/tests",
            &[
                ("title", "Tabletop".to_owned()),
                ("test_type", "tabletop".to_owned()),
                ("test_on", OffsetDateTime::now_utc().date().to_string()),
                ("plan", plan.to_string()),
            ],
        )
        .await;
    let test: Uuid = location(&created)
        .trim_start_matches("/tests/")
        .parse()
        .expect("the test");
    let form = app.text(&manager, &format!("/tests/{test}/record")).await;
    assert!(form.contains("measures no recovery time"));
    assert!(!form.contains("|duration"));
    let refused = record(&app, &manager, test, &steps(plan, "2h")).await;
    assert_eq!(refused.status(), 422, "no step times for a tabletop");
    let noted = record(
        &app,
        &manager,
        test,
        &[(
            format!("service|{checkout}|note"),
            "Talked through".to_owned(),
        )],
    )
    .await;
    assert_eq!(noted.status(), 303);
    let (achieved, result, _) = result_of(&app, test, checkout).await;
    assert_eq!((achieved, result), (None, None));
}

#[tokio::test]
async fn once_times_are_recorded_the_type_keeps_measuring_and_untouched_services_keep_their_recorder()
 {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let checkout = service(&app, "Checkout", None, 240).await;
    let ledger = service(&app, "Ledger", None, 240).await;
    let plan = approved_plan(&app, &[checkout, ledger]).await;
    let test = planned(&app, &manager, plan, "").await;

    // The manager notes something on Checkout only; Ledger's fields come back as they were.
    let mut fields = steps(plan, "2h");
    for (service, note) in [(checkout, "Slow DNS"), (ledger, "")] {
        for (part, value) in [("achieved", ""), ("data_lost", ""), ("note", note)] {
            fields.push((format!("service|{service}|{part}"), value.to_owned()));
        }
    }
    let saved = record(&app, &manager, test, &fields).await;
    assert_eq!(saved.status(), 303);
    let recorders: Vec<(Uuid, Option<Uuid>)> =
        sqlx::query_as("select service_id, recorded_by from plan_test_services where test_id = $1")
            .bind(test)
            .fetch_all(&app.state.db)
            .await
            .expect("recorders");
    for (service, recorder) in recorders {
        if service == checkout {
            assert_eq!(recorder, Some(manager_user.id), "the note makes a recorder");
        } else {
            assert_eq!(recorder, None, "an untouched service has no recorder");
        }
    }

    // A tabletop would silently drop the recorded times: refused, with what was typed kept.
    let edit = |test_type: &'static str| {
        let app = &app;
        let manager = &manager;
        async move {
            app.post_form(
                manager,
                &format!("/tests/{test}"),
                &[
                    ("title", "Renamed test".to_owned()),
                    ("test_type", test_type.to_owned()),
                    ("test_on", OffsetDateTime::now_utc().date().to_string()),
                    ("plan", plan.to_string()),
                    ("scenario", "The primary site is lost.".to_owned()),
                    ("version", version(app, test).await.to_string()),
                ],
            )
            .await
        }
    };
    let refused = edit("tabletop").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(
        page.contains("Recovery times are already recorded"),
        "{page}"
    );
    assert!(page.contains("value=\"Renamed test\""));
    assert_eq!(edit("simulation").await.status(), 303, "still measuring");
}
