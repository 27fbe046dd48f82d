//! Improvement actions through their pages: recorded from a risk's treatment, worked on by their
//! owner, verified by a second person, overdue where it must be seen (the list, the owner's home
//! page, the risk), bad input kept, owners limited to their own risks and actions, stale steps.

use continuity::domain::role::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::catalogue::Catalogue;
use crate::support::risks::risk;
use crate::support::{TestApp, location};

fn in_days(days: i64) -> String {
    (OffsetDateTime::now_utc().date() + Duration::days(days)).to_string()
}

async fn version(app: &TestApp, action: &str) -> i32 {
    sqlx::query_scalar("select version from improvement_actions where id = $1::uuid")
        .bind(action)
        .fetch_one(&app.state.db)
        .await
        .expect("the action's version")
}

/// Takes `step` on the action at `path` with `text`, at its current version.
async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    step: &str,
    text: &str,
) -> reqwest::Response {
    let id = path.trim_start_matches("/actions/");
    let version = version(app, id).await;
    app.post_form(
        client,
        &format!("{path}/step"),
        &[
            ("step", step.to_string()),
            ("notes", text.to_string()),
            ("version", version.to_string()),
        ],
    )
    .await
}

/// Records an action on `risk` for `owner`, due in `days`, through the form; its page's path.
async fn record(
    app: &TestApp,
    client: &reqwest::Client,
    title: &str,
    risk: Uuid,
    owner: Uuid,
    days: i64,
) -> String {
    let created = app
        .post_form(
            client,
            "/actions",
            &[
                ("title", title.to_string()),
                ("risk", risk.to_string()),
                ("owner", owner.to_string()),
                ("due_on", in_days(days)),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "the action {title} is recorded");
    location(&created)
}

#[tokio::test]
async fn an_action_from_a_risk_is_done_by_its_owner_and_verified_by_someone_else() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("Primary data centre").await;
    let risk = risk(&app, &[site], None, (4, 5), None).await;

    let risk_page = app.text(&manager, &format!("/risks/{risk}")).await;
    assert!(risk_page.contains(&format!("href=\"/actions/new?risk={risk}\"")));
    let form = app
        .text(&manager, &format!("/actions/new?risk={risk}"))
        .await;
    assert!(form.contains("From the treatment of"));

    let created = app
        .post_form(
            &manager,
            "/actions",
            &[
                ("title", "Add a second power feed".to_string()),
                (
                    "description",
                    "Two feeds\nfrom separate substations".to_string(),
                ),
                ("risk", risk.to_string()),
                ("owner", owner_user.id.to_string()),
                ("due_on", in_days(30)),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let path = location(&created);
    let page = app.text(&manager, &path).await;
    assert!(page.contains("Action A-0001 recorded for"));
    assert!(page.contains("Risk treatment"));
    assert_eq!(app.audit_count("improvement_action", "create").await, 1);

    // The owner sees it on their home page and works on it; evidence is required.
    let home = app.text(&owner, "/").await;
    assert!(home.contains("Add a second power feed"), "{home}");
    assert_eq!(step(&app, &owner, &path, "start", "").await.status(), 303);
    let refused = step(&app, &owner, &path, "done", "   ").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Say what was done"));
    assert_eq!(
        step(
            &app,
            &owner,
            &path,
            "done",
            "Second feed live;\r\nload test report DOC-12"
        )
        .await
        .status(),
        303
    );
    // The owner cannot verify their own work; the manager can.
    assert_eq!(
        step(&app, &owner, &path, "verify", "fine").await.status(),
        403
    );
    let manager_home = app.text(&manager, "/").await;
    assert!(manager_home.contains("Actions done, waiting for your verification"));
    let refused = step(&app, &manager, &path, "verify", "").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        step(&app, &manager, &path, "verify", "Read DOC-12")
            .await
            .status(),
        303
    );
    let page = app.text(&manager, &path).await;
    assert!(page.contains("Verified"));
    assert!(page.contains("Read DOC-12"));
    assert!(
        page.contains("Second feed live;\r\nload test report DOC-12"),
        "the evidence keeps its lines"
    );
    for action in ["start", "done", "verify"] {
        assert_eq!(
            app.audit_count("improvement_action", action).await,
            1,
            "{action}"
        );
    }
    let story: i64 = sqlx::query_scalar("select count(*) from improvement_action_steps")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(story, 3);
    // What a verified action asked can no longer be changed, by its owner or a manager.
    let frozen = app.get(&manager, &format!("{path}/edit")).await;
    assert_eq!(frozen.status(), 303);
    let changed = app
        .post_form(
            &manager,
            &path,
            &[
                ("title", "Something easier".to_string()),
                ("owner", owner_user.id.to_string()),
                ("due_on", in_days(30)),
                (
                    "version",
                    version(&app, path.trim_start_matches("/actions/"))
                        .await
                        .to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert!(!app.text(&manager, &path).await.contains("Something easier"));
    // A verified action takes no more steps.
    assert_eq!(
        step(&app, &manager, &path, "send_back", "again")
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn a_manager_who_marked_it_done_does_not_verify_it_and_a_sent_back_action_is_in_progress_again()
 {
    let app = TestApp::spawn().await;
    let (first, first_user) = app.signed_in(Role::ContinuityManager).await;
    let (second, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("DC").await;
    let risk = risk(&app, &[site], None, (4, 5), None).await;
    let path = record(
        &app,
        &first,
        "Fire suppression in hall B",
        risk,
        first_user.id,
        10,
    )
    .await;
    assert_eq!(
        step(&app, &first, &path, "done", "Installed")
            .await
            .status(),
        303
    );
    let refused = step(&app, &first, &path, "verify", "Looks fine").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("four eyes"));
    // The database keeps the rule too.
    let bypass = sqlx::query(
        "update improvement_actions set status = 'verified', verified_at = now(), verified_by = done_by",
    )
    .execute(&app.state.db)
    .await;
    assert!(bypass.is_err());

    assert_eq!(
        step(&app, &second, &path, "send_back", "No commissioning report")
            .await
            .status(),
        303
    );
    let page = app.text(&second, &path).await;
    assert!(page.contains("Sent back: No commissioning report"));
    assert!(page.contains("In progress"));
}

#[tokio::test]
async fn overdue_actions_stand_out_on_the_list_the_owner_home_page_and_the_risk() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("DC").await;
    let risk = risk(&app, &[site], None, (4, 5), None).await;
    let path = record(
        &app,
        &manager,
        "Replace the failing UPS",
        risk,
        owner_user.id,
        5,
    )
    .await;
    // Time passes: the due date is now behind us.
    sqlx::query("update improvement_actions set due_on = current_date - 3")
        .execute(&app.state.db)
        .await
        .unwrap();

    let list = app.text(&manager, "/actions?due_state=overdue").await;
    assert!(list.contains("Replace the failing UPS"));
    assert!(list.contains("1 overdue."));
    assert!(list.contains("badge-red\">Overdue"), "{list}");
    let later = app.text(&manager, "/actions?due_state=later").await;
    assert!(!later.contains("Replace the failing UPS"));
    let by_risk = app.text(&manager, &format!("/actions?risk={risk}")).await;
    assert!(by_risk.contains("Replace the failing UPS"));
    let csv = app.text(&manager, "/actions.csv?due_state=overdue").await;
    assert!(csv.contains("Replace the failing UPS"));

    let home = app.text(&owner, "/").await;
    assert!(home.contains("Your improvement actions"));
    assert!(home.contains("3 days overdue"), "{home}");
    let manager_home = app.text(&manager, "/").await;
    assert!(manager_home.contains("improvement actions overdue"));
    let risk_page = app.text(&manager, &format!("/risks/{risk}")).await;
    assert!(risk_page.contains("Replace the failing UPS"));
    assert!(risk_page.contains("3 days overdue"));
    let page = app.text(&owner, &path).await;
    assert!(page.contains("badge-red\">Overdue"));

    // Done, it no longer counts as overdue.
    step(&app, &owner, &path, "done", "New UPS installed").await;
    let list = app.text(&manager, "/actions?due_state=overdue").await;
    assert!(!list.contains("Replace the failing UPS"));
}

#[tokio::test]
async fn a_refused_action_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let refused = app
        .post_form(
            &manager,
            "/actions",
            &[
                ("title", "  ".to_string()),
                ("description", "Keep\nthis".to_string()),
                ("owner", Uuid::new_v4().to_string()),
                ("due_on", "31.02.2027".to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    for message in [
        "Say what must be done",
        "Choose who does the action",
        "Enter the due date as a date",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(page.contains("Keep\nthis"));
    let past = app
        .post_form(
            &manager,
            "/actions",
            &[
                ("title", "Late already".to_string()),
                ("owner", Uuid::new_v4().to_string()),
                ("due_on", in_days(-1)),
            ],
        )
        .await;
    assert!(
        past.text()
            .await
            .unwrap()
            .contains("The due date has passed")
    );
    let count: i64 = sqlx::query_scalar("select count(*) from improvement_actions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn owners_add_actions_for_themselves_on_their_own_risks_only() {
    let app = TestApp::spawn().await;
    let (owner, owner_user) = app.signed_in(Role::ServiceOwner).await;
    let other = app.create_user(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let service = catalogue.service("Payroll", Some(owner_user.id)).await;
    let mine = risk(&app, &[service], Some(owner_user.id), (4, 5), None).await;
    let theirs = risk(&app, &[service], Some(other.id), (4, 5), None).await;

    let base = |risk: Uuid| {
        vec![
            ("title", "Document the manual workaround".to_string()),
            ("risk", risk.to_string()),
            // Tampered: an owner cannot assign work to someone else.
            ("owner", other.id.to_string()),
            ("due_on", in_days(20)),
        ]
    };
    let refused = app.post_form(&owner, "/actions", &base(theirs)).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Service owners add actions to the risks they own")
    );
    let without_risk = app
        .post_form(
            &owner,
            "/actions",
            &[("title", "Something".to_string()), ("due_on", in_days(20))],
        )
        .await;
    assert_eq!(without_risk.status(), 422);

    let created = app.post_form(&owner, "/actions", &base(mine)).await;
    assert_eq!(created.status(), 303);
    let path = location(&created);
    let owner_id: Uuid = sqlx::query_scalar("select owner_id from improvement_actions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(owner_id, owner_user.id, "the action is the owner's own");
    // They may fix what they recorded; someone else's action they may only read.
    assert_eq!(app.get(&owner, &format!("{path}/edit")).await.status(), 200);
    let other_client = app.client();
    app.sign_in(&other_client, &other.email, &other.password)
        .await;
    assert_eq!(
        app.get(&other_client, &format!("{path}/edit"))
            .await
            .status(),
        403
    );
    assert_eq!(
        step(&app, &other_client, &path, "start", "").await.status(),
        403
    );
    assert_eq!(app.get(&other_client, &path).await.status(), 200);
}

#[tokio::test]
async fn a_stale_edit_gets_the_conflict_page_and_a_stale_step_is_refused() {
    let app = TestApp::spawn().await;
    let (manager, manager_user) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let site = catalogue.site("DC").await;
    let risk = risk(&app, &[site], None, (4, 5), None).await;
    let path = record(
        &app,
        &manager,
        "Spare switch on site",
        risk,
        manager_user.id,
        10,
    )
    .await;
    let edit = |title: &str| {
        vec![
            ("title", title.to_string()),
            ("owner", manager_user.id.to_string()),
            ("due_on", in_days(12)),
            ("version", "1".to_string()),
        ]
    };
    assert_eq!(
        app.post_form(&manager, &path, &edit("Two spare switches"))
            .await
            .status(),
        303
    );
    let stale = app
        .post_form(&manager, &path, &edit("One spare switch"))
        .await;
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains("One spare switch"));
    let stale_step = app
        .post_form(
            &manager,
            &format!("{path}/step"),
            &[("step", "start"), ("version", "1")],
        )
        .await;
    assert_eq!(stale_step.status(), 409);
    let status: String = sqlx::query_scalar("select status from improvement_actions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "open");

    // Archived, it leaves the work lists and is read-only until restored.
    let archived = app
        .post_form(
            &manager,
            &format!("{path}/archive"),
            &[("archived", "true")],
        )
        .await;
    assert_eq!(archived.status(), 303);
    let again = app
        .post_form(
            &manager,
            &format!("{path}/archive"),
            &[("archived", "true")],
        )
        .await;
    assert_eq!(again.status(), 303);
    assert_eq!(app.audit_count("improvement_action", "archive").await, 1);
    let edit_page = app.get(&manager, &format!("{path}/edit")).await;
    assert_eq!(edit_page.status(), 303);
    let list = app.text(&manager, "/actions").await;
    assert!(!list.contains("Two spare switches"));
}
