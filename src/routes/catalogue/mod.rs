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

/// How a catalogue form's write ended (see [`conclude`]).
pub(crate) enum Written<T> {
    /// Saved and committed; go here.
    Saved(String),
    /// Someone saved first; this is what is stored now.
    Stale(T),
    /// A unique name or external id is taken; the message is on its field.
    Duplicate(crate::web::form::FieldErrors),
}

/// Commits a successful write with its flash message, or rolls back and says why not — the
/// same ending for every catalogue create and update. `saved` gives the message and the page to
/// show next.
pub(crate) async fn conclude<T>(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    user: &crate::auth::CurrentUser,
    outcome: Result<crate::db::Versioned<T>, crate::db::catalogue::WriteError>,
    saved: impl FnOnce(&T) -> (String, String),
) -> crate::error::AppResult<Written<T>> {
    use crate::db::Versioned;
    use crate::db::catalogue::WriteError;
    match outcome {
        Ok(Versioned::Saved(value)) => {
            let (message, href) = saved(&value);
            crate::web::flash::set(
                &mut *tx,
                &user.session_token_hash,
                crate::web::flash::Flash::success(message),
            )
            .await?;
            tx.commit().await?;
            Ok(Written::Saved(href))
        }
        Ok(Versioned::Stale(current)) => {
            tx.rollback().await?;
            Ok(Written::Stale(current))
        }
        Err(WriteError::Duplicate { field, message }) => {
            let mut errors = crate::web::form::FieldErrors::default();
            errors.add(field, message);
            Ok(Written::Duplicate(errors))
        }
        Err(WriteError::Database(error)) => Err(error.into()),
    }
}
