//! The access matrix: every route × every role (and anonymous) with the expected outcome.
//! Adding a route without adding it here fails `the_matrix_covers_every_route`.

use std::collections::BTreeSet;

use continuity::domain::role::Role;
use continuity::routes::route_list;

use uuid::Uuid;

use crate::support::{TestApp, location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Served (a page, a redirect after success, or a refused form).
    Ok,
    /// Sent to the login page.
    Login,
    /// 403.
    Deny,
}
use Expect::{Deny, Login, Ok};

/// Columns: anonymous, administrator, continuity manager, service owner, auditor.
const MATRIX: &[(&str, &str, [Expect; 5])] = &[
    ("GET", "/healthz", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/static/{*path}", [Ok, Ok, Ok, Ok, Ok]),
    ("GET", "/login", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/login", [Ok, Ok, Ok, Ok, Ok]),
    ("POST", "/logout", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/help", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/account", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/account/password", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/account/preferences", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/admin/users", [Login, Ok, Deny, Deny, Deny]),
    ("GET", "/admin/users.csv", [Login, Ok, Deny, Deny, Deny]),
    ("GET", "/admin/users/new", [Login, Ok, Deny, Deny, Deny]),
    ("POST", "/admin/users", [Login, Ok, Deny, Deny, Deny]),
    ("GET", "/admin/users/{id}", [Login, Ok, Deny, Deny, Deny]),
    ("POST", "/admin/users/{id}", [Login, Ok, Deny, Deny, Deny]),
    (
        "POST",
        "/admin/users/{id}/deactivate",
        [Login, Ok, Deny, Deny, Deny],
    ),
    (
        "POST",
        "/admin/users/{id}/activate",
        [Login, Ok, Deny, Deny, Deny],
    ),
    (
        "POST",
        "/admin/users/{id}/password",
        [Login, Ok, Deny, Deny, Deny],
    ),
    (
        "POST",
        "/admin/users/{id}/sign-in-delay",
        [Login, Ok, Deny, Deny, Deny],
    ),
    ("GET", "/audit", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/audit.csv", [Login, Ok, Ok, Deny, Ok]),
    // The catalogue: everyone signed in reads; managers change; owners only their own services
    // (the fixtures below belong to nobody, so owners are refused here).
    ("GET", "/map", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/org-units", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/org-units", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/org-units/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/org-units/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("POST", "/dependencies", [Login, Ok, Ok, Deny, Deny]),
    // The picker's matches: catalogue names every signed-in reader may see.
    ("GET", "/pick", [Login, Ok, Ok, Ok, Ok]),
    // Risks: everyone signed in reads; managers do everything; owners propose and edit their
    // own (the fixture risk belongs to nobody, so owners are refused on it).
    ("GET", "/risks", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/risks.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/risks/new", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/risks", [Login, Ok, Ok, Ok, Deny]),
    ("GET", "/risks/method", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/risks/method", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/risks/threats", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/risks/threats", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/risks/threats/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/risks/measures", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/risks/measures", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/risks/measures/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/risks/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/risks/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/risks/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/risks/{id}/review", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/risks/{id}/acceptance",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/risks/{id}/acceptance/decide",
        [Login, Ok, Ok, Deny, Deny],
    ),
    // Last: an archived risk is read-only, so archiving first would refuse the writes above.
    ("POST", "/risks/{id}/archive", [Login, Ok, Ok, Deny, Deny]),
    // Improvement actions: everyone reads; managers do everything; owners record actions on
    // their own risks and work on the actions they own (the fixture's belongs to someone else).
    // Tests: everyone reads; managers do everything; owners plan tests of their own plans and
    // record the tests covering their services (the fixture's service belongs to nobody).
    ("GET", "/tests", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/tests/all", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/tests/all.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/tests/awareness", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/tests/training/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/tests/training", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/tests/new", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/tests", [Login, Ok, Ok, Ok, Deny]),
    ("GET", "/tests/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/tests/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/tests/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/tests/{id}/conclude", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/tests/{id}/record", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/tests/{id}/record", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/tests/{id}/findings", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/tests/{id}/findings/{finding}/action",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("POST", "/tests/{id}/documents", [Login, Ok, Ok, Deny, Deny]),
    (
        "GET",
        "/tests/{id}/documents/{document}",
        [Login, Ok, Ok, Ok, Ok],
    ),
    ("GET", "/actions", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/actions.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/actions/new", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/actions", [Login, Ok, Ok, Ok, Deny]),
    ("GET", "/actions/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/actions/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/actions/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/actions/{id}/step", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/actions/{id}/archive", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/pick/multi", [Login, Ok, Ok, Ok, Ok]),
    (
        "POST",
        "/dependencies/{id}/delete",
        [Login, Ok, Ok, Deny, Deny],
    ),
    // Only a continuity manager vouches for a dependency (it carries contract visibility).
    (
        "POST",
        "/dependencies/{id}/confirm",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/sites", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/sites.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/sites/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/sites", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/sites/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/sites/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/sites/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/sites/{id}/archive", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/sites/{id}/restore", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/sites/{id}/delete", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/services", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/services.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/services/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/services", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/services/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/services/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/services/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/services/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/services/{id}/restore",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("POST", "/services/{id}/delete", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/components", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/components.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/components/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/components", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/components/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/components/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/components/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/components/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/components/{id}/restore",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/components/{id}/delete",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/processes", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/processes.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/processes/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/processes", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/processes/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/processes/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/processes/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/processes/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/processes/{id}/restore",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/processes/{id}/delete",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/import", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/import", [Login, Ok, Ok, Deny, Deny]),
    (
        "GET",
        "/import/examples/{file}",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/import/{id}", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/import/{id}/confirm", [Login, Ok, Ok, Deny, Deny]),
    // BIA: owners answer only the assessments assigned to them (the fixture's is nobody's).
    ("GET", "/bia", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/bia.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/bia/new", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/bia/method", [Login, Ok, Ok, Ok, Ok]),
    ("POST", "/bia/method", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/bia", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/bia/{id}", [Login, Ok, Ok, Deny, Ok]),
    ("POST", "/bia/{id}/advance", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/bia/{id}/reopen", [Login, Ok, Ok, Deny, Deny]),
    // The questionnaires list: owners see only their own rows.
    ("GET", "/bia/assessments", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/bia/assessments.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/bia/{id}/results.csv", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/bia/{id}/report", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/bia/assessments/{id}", [Login, Ok, Ok, Deny, Ok]),
    ("POST", "/bia/assessments/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/bia/assessments/{id}/preview",
        [Login, Ok, Ok, Deny, Ok],
    ),
    (
        "POST",
        "/bia/assessments/{id}/submit",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/bia/assessments/{id}/return",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/bia/assessments/{id}/approve",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/bia/assessments/{id}/reassign",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/bia/assessments/{id}/remind",
        [Login, Ok, Ok, Deny, Deny],
    ),
    // Plans: everyone signed in reads and takes offline copies; owners draft for their own
    // services (the fixture plan covers nobody's) and read other plans' approved and superseded
    // versions only (the fixture's version 2 is in review); managers approve; only people named
    // in the roles acknowledge (the fixture names none of the users).
    ("GET", "/plans", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/plans.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/plans/new", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/plans", [Login, Ok, Ok, Ok, Deny]),
    ("GET", "/plans/pack.zip", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/plans/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/plans/{id}/pack", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/plans/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/revise", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/retire", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/reviewed", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/flag", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/plans/{id}/interval", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/plans/{id}/acknowledge",
        [Login, Deny, Deny, Deny, Deny],
    ),
    (
        "GET",
        "/plans/{id}/versions/{number}",
        [Login, Ok, Ok, Deny, Ok],
    ),
    (
        "POST",
        "/plans/{id}/versions/{number}/submit",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/plans/{id}/versions/{number}/return",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/plans/{id}/versions/{number}/approve",
        [Login, Ok, Ok, Deny, Deny],
    ),
    // The people directory: owners and managers keep it (plans name people); auditors read.
    ("GET", "/people", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/people.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/people/new", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/people", [Login, Ok, Ok, Ok, Deny]),
    ("GET", "/people/{id}", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/people/{id}/edit", [Login, Ok, Ok, Ok, Deny]),
    ("POST", "/people/{id}", [Login, Ok, Ok, Ok, Deny]),
    // Suppliers and contracts: managers keep them; auditors read all; service owners read only
    // those linked to their services (the fixtures are linked to nobody's), so lists answer
    // them with what they may see and the pages refuse.
    ("GET", "/suppliers", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/suppliers.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/suppliers/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/suppliers", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/suppliers/{id}", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/suppliers/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/suppliers/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/suppliers/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/suppliers/{id}/restore",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/contracts", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/contracts.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/contracts/renewals", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/contracts/gaps", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/contracts/new", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/contracts", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/contracts/{id}", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/contracts/{id}/edit", [Login, Ok, Ok, Deny, Deny]),
    ("POST", "/contracts/{id}", [Login, Ok, Ok, Deny, Deny]),
    (
        "POST",
        "/contracts/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/contracts/{id}/restore",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/contracts/{id}/documents",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "GET",
        "/contracts/{id}/documents/{document}",
        [Login, Ok, Ok, Deny, Ok],
    ),
    ("GET", "/posture", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/posture.csv", [Login, Ok, Ok, Ok, Ok]),
    ("GET", "/posture/strategy", [Login, Ok, Ok, Ok, Ok]),
    (
        "GET",
        "/posture/strategy/templates/new",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/posture/strategy/templates",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "GET",
        "/posture/strategy/templates/{id}",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/posture/strategy/templates/{id}",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "GET",
        "/posture/strategy/templates/{id}/apply",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/posture/strategy/templates/{id}/apply",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "GET",
        "/services/{id}/strategy",
        [Login, Ok, Ok, Deny, Deny],
    ),
    (
        "POST",
        "/services/{id}/strategy",
        [Login, Ok, Ok, Deny, Deny],
    ),
    ("GET", "/scenarios", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/scenarios/run", [Login, Ok, Ok, Deny, Ok]),
    ("POST", "/scenarios", [Login, Ok, Ok, Deny, Deny]),
    ("GET", "/scenarios/{id}", [Login, Ok, Ok, Deny, Ok]),
    (
        "POST",
        "/scenarios/{id}/archive",
        [Login, Ok, Ok, Deny, Deny],
    ),
];

const ROLES: [Option<Role>; 5] = [
    None,
    Some(Role::Administrator),
    Some(Role::ContinuityManager),
    Some(Role::ServiceOwner),
    Some(Role::Auditor),
];

#[test]
fn the_matrix_covers_every_route() {
    let served: BTreeSet<(String, String)> = route_list()
        .into_iter()
        .map(|route| (route.method.to_string(), route.path.to_string()))
        .collect();
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the access matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::spawn().await;
    let target = app.create_user(Role::ServiceOwner).await;
    let mut failures = Vec::new();
    for (column, role) in ROLES.iter().enumerate() {
        let client = match role {
            Some(role) => app.signed_in(*role).await.0,
            None => app.client(),
        };
        // Fresh objects for each role: a manager's delete must not starve the next role's checks.
        let fixtures = Fixtures::create(&app).await;
        // Deleting and signing out remove what later requests need, so they go last.
        let mut rows: Vec<_> = MATRIX.iter().collect();
        rows.sort_by_key(|(_, path, _)| (*path == "/logout", path.ends_with("/delete")));
        for (method, pattern, expected) in rows {
            let path = fixtures.path(pattern, target.id);
            let response = match *method {
                "GET" => app.get(&client, &path).await,
                _ => app.post_form(&client, &path, &fixtures.body(pattern)).await,
            };
            let status = response.status().as_u16();
            let actual = match status {
                403 => Some(Deny),
                303 if location(&response).starts_with("/login")
                    && !location(&response).contains("signed_out") =>
                {
                    Some(Login)
                }
                404 | 405 | 500.. => None,
                _ => Some(Ok),
            };
            if actual != Some(expected[column]) {
                failures.push(format!(
                    "{method} {pattern} as {role:?}: expected {:?}, got {status}",
                    expected[column]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}

/// Until someone whose password was set for them chooses their own, every route that needs a
/// session leads to the password change (pages) or refuses (writes) — even for an administrator,
/// who may do everything otherwise.
#[tokio::test]
async fn a_user_who_must_change_their_password_reaches_only_the_password_change_and_sign_out() {
    let app = TestApp::spawn().await;
    let (client, admin) = app.signed_in(Role::Administrator).await;
    sqlx::query("update users set password_must_change = true where id = $1")
        .bind(admin.id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let fixtures = Fixtures::create(&app).await;
    let open = [
        ("GET", "/healthz"),
        ("GET", "/static/{*path}"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("GET", "/account"),
        ("POST", "/account/password"),
        ("POST", "/logout"),
    ];
    let mut rows: Vec<_> = MATRIX.iter().collect();
    rows.sort_by_key(|(_, path, _)| *path == "/logout");
    let mut failures = Vec::new();
    for (method, pattern, _) in rows {
        let path = fixtures.path(pattern, admin.id);
        let response = match *method {
            "GET" => app.get(&client, &path).await,
            _ => app.post_form(&client, &path, &fixtures.body(pattern)).await,
        };
        let status = response.status().as_u16();
        let to_password = status == 303 && location(&response) == "/account#password";
        let refused = status == 403;
        let fine = if open.contains(&(*method, *pattern)) {
            !to_password && !refused && status < 500
        } else if *method == "GET" {
            to_password
        } else {
            refused
        };
        if !fine {
            failures.push(format!("{method} {pattern}: got {status}"));
        }
    }
    assert!(
        failures.is_empty(),
        "a user who must change their password got through:\n{}",
        failures.join("\n")
    );
}

/// One object of each kind (owned by nobody), for the `{id}` in the routes.
struct Fixtures {
    site: Uuid,
    service: Uuid,
    component: Uuid,
    process: Uuid,
    dependency: Uuid,
    import: Uuid,
    exercise: Uuid,
    assessment: Uuid,
    unit: Uuid,
    plan: Uuid,
    person: Uuid,
    supplier: Uuid,
    contract: Uuid,
    document: Uuid,
    risk: Uuid,
    action: Uuid,
    test: Uuid,
    finding: Uuid,
    test_document: Uuid,
    threat: Uuid,
    measure: Uuid,
    template: Uuid,
    scenario: Uuid,
}

impl Fixtures {
    async fn create(app: &TestApp) -> Self {
        let catalogue = crate::support::catalogue::Catalogue::new(app);
        let site = catalogue.site("Matrix site").await;
        let component = catalogue.component("Matrix component", Some(site)).await;
        let service = catalogue.service("Matrix service", None).await;
        let process = catalogue.process("Matrix process").await;
        let dependency = catalogue.depend(service, component).await;
        let import = catalogue
            .stored_import(
                "services",
                "external_id,name,type\nSVC-M,Matrix import,business\n",
            )
            .await;
        let (exercise, assessment) = crate::support::bia::open_exercise(app, &[service]).await;
        let suppliers = crate::support::suppliers::Suppliers::new(app);
        let supplier = suppliers.supplier("Matrix supplier").await;
        let contract = suppliers.contract(supplier, "MX", |_| {}).await;
        let (threat, measure) = crate::support::risks::first_threat_and_measure(app).await;
        let risk = crate::support::risks::risk(app, &[site], None, (4, 5), None).await;
        let someone = app.create_user(Role::ServiceOwner).await;
        let plan = matrix_plan(app, service).await;
        let (test, finding, test_document) =
            crate::support::exercises::matrix_test(app, plan).await;
        Self {
            template: crate::support::posture::template(app, "Matrix template").await,
            scenario: crate::support::posture::scenario(app, "Matrix scenario", &[site]).await,
            test,
            finding,
            test_document,
            action: crate::support::risks::action(app, risk, someone.id).await,
            risk,
            threat,
            measure,
            site,
            service,
            component,
            process,
            dependency,
            import,
            exercise,
            assessment: assessment[0],
            unit: catalogue.org_unit("Matrix unit").await,
            plan,
            person: crate::support::plans::person(app, "Matrix person", None).await,
            supplier,
            contract,
            document: crate::support::suppliers::document(app, contract).await,
        }
    }

    fn path(&self, pattern: &str, user: Uuid) -> String {
        let area = if pattern.starts_with("/bia/assessments/") {
            Some("assessments")
        } else if pattern.starts_with("/risks/threats/") {
            Some("threats")
        } else if pattern.starts_with("/risks/measures/") {
            Some("measures")
        } else if pattern.starts_with("/posture/strategy/templates/") {
            Some("templates")
        } else {
            pattern.split('/').nth(1)
        };
        let id = match area {
            Some("bia") => self.exercise,
            Some("assessments") => self.assessment,
            Some("sites") => self.site,
            Some("services") => self.service,
            Some("components") => self.component,
            Some("processes") => self.process,
            Some("dependencies") => self.dependency,
            Some("import") => self.import,
            Some("org-units") => self.unit,
            Some("plans") => self.plan,
            Some("suppliers") => self.supplier,
            Some("contracts") => self.contract,
            Some("people") => self.person,
            Some("risks") => self.risk,
            Some("actions") => self.action,
            Some("tests") => self.test,
            Some("threats") => self.threat,
            Some("measures") => self.measure,
            Some("templates") => self.template,
            Some("scenarios") => self.scenario,
            _ => user,
        };
        let document = if area == Some("tests") {
            self.test_document
        } else {
            self.document
        };
        pattern
            .replace("{id}", &id.to_string())
            .replace("{finding}", &self.finding.to_string())
            .replace("{*path}", "app.css")
            .replace("{file}", "services.csv")
            .replace("{number}", "2")
            .replace("{document}", &document.to_string())
    }

    /// Adding a dependency needs a real "from" for the access check to apply.
    fn body(&self, pattern: &str) -> Vec<(&'static str, String)> {
        if pattern == "/dependencies" {
            vec![
                ("from_id", self.service.to_string()),
                ("to_id", self.component.to_string()),
                ("relation", "uses".into()),
                ("redundancy", "none".into()),
            ]
        } else {
            Vec::new()
        }
    }
}

/// A plan over `service` with version 1 approved and version 2 in review, so that every plan
/// route has something to act on.
async fn matrix_plan(app: &TestApp, service: Uuid) -> Uuid {
    use crate::support::plans;
    let cast = plans::Cast::new(app, None).await;
    let content = plans::complete_content(&[service], &cast);
    let plan = plans::plan(app, &content, None, "approved").await;
    plans::next_version(app, plan, "in_review").await;
    plan
}
