//! Forms that choose many services at 10 000 services: a BIA exercise's scope by rules (every
//! service, tiers, a unit, services one by one), and the services a plan covers through a
//! picker that searches. No such form lists the estate, "Find" keeps everything typed and saves
//! nothing, and the printable BIA report lists a bounded number of services per tier.

use continuity::domain::role::Role;
use uuid::Uuid;

use crate::support::bia::open_exercise;
use crate::support::catalogue::Catalogue;
use crate::support::{TestApp, location};

async fn set_tier(app: &TestApp, service: Uuid, rank: i32) {
    sqlx::query("update services set bia_tier_rank = $2, bia_tier_name = 'Tier' where id = $1")
        .bind(service)
        .bind(rank)
        .execute(&app.state.db)
        .await
        .expect("tier");
}

async fn scope_of(app: &TestApp, exercise_path: &str) -> Vec<Uuid> {
    let id: Uuid = exercise_path
        .trim_start_matches("/bia/")
        .parse()
        .expect("id");
    sqlx::query_scalar(
        "select service_id from bia_exercise_services where exercise_id = $1 order by service_id",
    )
    .bind(id)
    .fetch_all(&app.state.db)
    .await
    .expect("scope")
}

#[tokio::test]
async fn an_exercise_scope_is_chosen_by_rules_and_never_lists_the_estate() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let critical = catalogue.service("Order intake", None).await;
    let essential = catalogue.service("Intranet", None).await;
    let unassessed = catalogue.service("Canteen menu", None).await;
    set_tier(&app, critical, 1).await;
    set_tier(&app, essential, 3).await;

    let page = app.text(&manager, "/bia/new").await;
    assert!(
        page.contains("name=\"every\" value=\"1\" checked"),
        "every service by default"
    );
    for id in [critical, essential, unassessed] {
        assert!(!page.contains(&id.to_string()), "the estate is not listed");
    }

    // "Find" sends the form back with the matches, everything typed kept, nothing saved.
    let found = app
        .post_form(
            &manager,
            "/bia",
            &[
                ("name", "BIA critical".to_string()),
                ("tier", "1".to_string()),
                ("pick", "canteen".to_string()),
                ("find", "1".to_string()),
            ],
        )
        .await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.unwrap();
    assert!(found.contains("value=\"BIA critical\""), "the name is kept");
    assert!(found.contains(&format!("name=\"service\" value=\"{unassessed}\">")));
    assert!(found.contains("These rules choose <strong>1</strong> services now"));
    let exercises: i64 = sqlx::query_scalar("select count(*) from bia_exercises")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(exercises, 0, "Find saves nothing");

    // The tier rule and one service picked by hand: exactly those two.
    let created = app
        .post_form(
            &manager,
            "/bia",
            &[
                ("name", "BIA critical".to_string()),
                ("tier", "1".to_string()),
                ("service", unassessed.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let mut expected = vec![critical, unassessed];
    expected.sort();
    assert_eq!(scope_of(&app, &location(&created)).await, expected);

    // "Not assessed yet" picks those without a tier; "every" picks all of them.
    let created = app
        .post_form(
            &manager,
            "/bia",
            &[
                ("name", "BIA new ones".to_string()),
                ("tier", "none".to_string()),
            ],
        )
        .await;
    assert_eq!(scope_of(&app, &location(&created)).await, vec![unassessed]);
    let created = app
        .post_form(
            &manager,
            "/bia",
            &[("name", "BIA all".to_string()), ("every", "1".to_string())],
        )
        .await;
    assert_eq!(scope_of(&app, &location(&created)).await.len(), 3);

    // No rule at all, or only a tampered id: refused with the form kept.
    let refused = app
        .post_form(
            &manager,
            "/bia",
            &[
                ("name", "BIA nothing".to_string()),
                ("service", Uuid::new_v4().to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Choose at least one service"));
    assert!(refused.contains("value=\"BIA nothing\""));
}

#[tokio::test]
async fn the_multi_picker_keeps_what_is_ticked_and_offers_only_matches() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", Some(owner.id)).await;
    let payments = catalogue.service("Payments", None).await;
    let email = catalogue.service("Email", None).await;
    let server = catalogue.component("pay-server", None).await;

    let fragment = app
        .text(
            &manager,
            &format!("/pick/multi?field=service&kinds=service&pick=pay&service={payroll}"),
        )
        .await;
    assert!(!fragment.contains("<html"), "a fragment");
    assert!(
        fragment.contains(&format!("value=\"{payroll}\" checked")),
        "the ticked one stays chosen"
    );
    assert!(
        fragment.contains(&format!("value=\"{payments}\">")),
        "a match to tick"
    );
    assert_eq!(
        fragment.matches(&payroll.to_string()).count(),
        1,
        "offered once"
    );
    assert!(!fragment.contains(&email.to_string()), "only matches");
    assert!(
        !fragment.contains(&server.to_string()),
        "only the kinds asked for"
    );

    // An owner's picker offers their own services, even before anything is typed.
    let mine = app
        .text(
            &owner_client,
            "/pick/multi?field=service&kinds=service&mine=1",
        )
        .await;
    assert!(mine.contains(&payroll.to_string()));
    assert!(!mine.contains(&payments.to_string()));
    // Field names the forms do not use are not echoed into the page.
    let odd = app
        .text(
            &manager,
            "/pick/multi?field=%22onmouseover&kinds=service&pick=pay",
        )
        .await;
    assert!(!odd.contains("onmouseover"));
}

#[tokio::test]
async fn plan_services_are_picked_by_search_and_find_saves_nothing() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let payroll = catalogue.service("Payroll", Some(owner.id)).await;
    let ledger = catalogue.service("Ledger", None).await;

    let page = app.text(&manager, "/plans/new").await;
    assert!(!page.contains(&payroll.to_string()) && !page.contains(&ledger.to_string()));
    let page = app.text(&owner_client, "/plans/new").await;
    assert!(
        page.contains(&payroll.to_string()),
        "an owner sees their own"
    );
    assert!(!page.contains(&ledger.to_string()));

    let found = app
        .post_form(
            &manager,
            "/plans",
            &[
                ("kind", "recovery".to_string()),
                ("title", "Finance recovery".to_string()),
                ("service", payroll.to_string()),
                ("pick", "ledg".to_string()),
                ("find", "1".to_string()),
            ],
        )
        .await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.unwrap();
    assert!(found.contains("value=\"Finance recovery\""));
    assert!(found.contains(&format!("value=\"{payroll}\" checked")));
    assert!(found.contains(&format!("value=\"{ledger}\">")));
    let plans: i64 = sqlx::query_scalar("select count(*) from plans")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(plans, 0, "Find saves nothing");

    let created = app
        .post_form(
            &manager,
            "/plans",
            &[
                ("kind", "recovery".to_string()),
                ("title", "Finance recovery".to_string()),
                ("service", payroll.to_string()),
                ("service", ledger.to_string()),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let edit = location(&created);
    let page = app.text(&manager, &edit).await;
    assert!(page.contains(&format!("value=\"{payroll}\" checked")));
    assert!(page.contains(&format!("value=\"{ledger}\" checked")));

    // Find on the draft editor keeps the typed title and does not save it.
    let version: i32 = sqlx::query_scalar("select version from plan_versions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let found = app
        .post_form(
            &manager,
            &edit,
            &[
                ("title", "Renamed but not saved".to_string()),
                ("service", payroll.to_string()),
                ("pick", "ledg".to_string()),
                ("find", "1".to_string()),
                ("version", version.to_string()),
            ],
        )
        .await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.unwrap();
    assert!(found.contains("value=\"Renamed but not saved\""));
    assert!(
        found.contains(&format!("value=\"{ledger}\">")),
        "offered again"
    );
    let title: String = sqlx::query_scalar("select title from plans")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(title, "Finance recovery");
}

#[tokio::test]
async fn the_bia_report_lists_a_bounded_number_of_services_per_tier() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.signed_in(Role::ContinuityManager).await;
    let catalogue = Catalogue::new(&app);
    let mut services = Vec::new();
    for index in 0..203 {
        services.push(
            catalogue
                .service(&format!("Service {index:03}"), None)
                .await,
        );
    }
    let (exercise, _) = open_exercise(&app, &services).await;
    sqlx::query(
        "update bia_assessments set derived_tier_rank = 1, derived_rto_minutes = 240 where exercise_id = $1",
    )
    .bind(exercise)
    .execute(&app.state.db)
    .await
    .unwrap();
    let page = app.text(&manager, &format!("/bia/{exercise}/report")).await;
    assert!(
        page.contains("<td class=\"num\">203</td>"),
        "every service is counted"
    );
    assert!(page.contains("The 200 strictest of 203 services are listed; the other 3"));
    assert!(page.contains(&format!("/bia/{exercise}/results.csv")));
}

#[tokio::test]
async fn an_owner_keeps_the_covered_services_they_do_not_own_or_that_were_archived() {
    let app = TestApp::spawn().await;
    let (owner_client, owner) = app.signed_in(Role::ServiceOwner).await;
    let catalogue = Catalogue::new(&app);
    let mine = catalogue.service("Payroll", Some(owner.id)).await;
    let foreign = catalogue.service("Ledger", None).await;
    // The search fragment keeps what is ticked, even a service the owner does not own.
    let fragment = app
        .text(
            &owner_client,
            &format!("/pick/multi?field=service&kinds=service&mine=1&pick=x&service={mine}&service={foreign}"),
        )
        .await;
    assert!(
        fragment.contains(&format!("value=\"{foreign}\" checked")),
        "{fragment}"
    );

    // A plan covering the owner's service, which is then archived: the editor still shows it.
    let cast = crate::support::plans::Cast::new(&app, None).await;
    let content = crate::support::plans::complete_content(&[mine], &cast);
    let plan = crate::support::plans::plan(&app, &content, Some(owner.id), "draft").await;
    sqlx::query("update services set archived_at = now() where id = $1")
        .bind(mine)
        .execute(&app.state.db)
        .await
        .unwrap();
    let page = app
        .text(&owner_client, &format!("/plans/{plan}/edit"))
        .await;
    assert!(
        page.contains(&format!("value=\"{mine}\" checked")),
        "kept while archived"
    );
    assert!(page.contains("archived"));
}
