//! The access matrix: every route × every role (and anonymous) with the expected outcome.
//! Adding a route without adding it here fails `the_matrix_covers_every_route`.

use std::collections::BTreeSet;

use continuity::domain::role::Role;
use continuity::routes::route_list;

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
    ("GET", "/audit", [Login, Ok, Ok, Deny, Ok]),
    ("GET", "/audit.csv", [Login, Ok, Ok, Deny, Ok]),
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
        // Signing out ends the session, so it goes last.
        let mut rows: Vec<_> = MATRIX.iter().collect();
        rows.sort_by_key(|(_, path, _)| *path == "/logout");
        for (method, pattern, expected) in rows {
            let path = pattern
                .replace("{id}", &target.id.to_string())
                .replace("{*path}", "app.css");
            let response = match *method {
                "GET" => app.get(&client, &path).await,
                _ => app.post(&client, &path, &[]).await,
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
