//! The service catalogue: sites, services, components, business processes, organisation units,
//! their dependencies, the dependency map and the CSV import.

mod components;
mod dependencies;
mod dependency_confirm;
mod graph_view;
mod import;
mod lifecycle;
mod map;
mod org_units;
mod processes;
mod services;
mod sites;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .merge(sites::routes())
        .merge(services::routes())
        .merge(components::routes())
        .merge(processes::routes())
        .merge(org_units::routes())
        .merge(dependencies::routes())
        .merge(dependency_confirm::routes())
        .merge(lifecycle::routes())
        .merge(map::routes())
        .merge(import::routes())
}

/// Parses the `{id}` of a catalogue address; a malformed id is simply not found.
pub(crate) fn parse_id(id: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    id.parse().map_err(|_| crate::error::AppError::NotFound)
}

/// The options of the "State" filter that hides archived rows by default.
pub(crate) fn archived_options() -> Vec<crate::web::list::FilterOption> {
    use crate::web::list::FilterOption;
    vec![
        FilterOption::new("false", "Active"),
        FilterOption::new("true", "Archived"),
    ]
}
