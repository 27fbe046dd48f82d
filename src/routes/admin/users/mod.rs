//! `/admin/users`: administrators create accounts, change names and roles, deactivate and
//! reactivate, reset passwords and lift sign-in delays.

mod create;
mod list;
mod password;
mod show;
mod status;
mod unlock;
mod update;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/users", list::page)
        .get("/admin/users.csv", list::csv)
        .get("/admin/users/new", create::form)
        .post("/admin/users", create::submit)
        .get("/admin/users/{id}", show::show)
        .post("/admin/users/{id}", update::submit)
        .post("/admin/users/{id}/deactivate", status::deactivate)
        .post("/admin/users/{id}/activate", status::activate)
        .post("/admin/users/{id}/password", password::reset)
        .post("/admin/users/{id}/sign-in-delay", unlock::lift)
}

/// Parses the `{id}` of a user address; a malformed id is simply not found.
fn parse_id(id: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    id.parse().map_err(|_| crate::error::AppError::NotFound)
}

/// The role choices for forms: value, label, description.
fn role_choices() -> Vec<(&'static str, &'static str, &'static str)> {
    crate::domain::role::Role::ALL
        .iter()
        .map(|role| (role.as_str(), role.label(), role.description()))
        .collect()
}
