//! `/actions`: the practice's improvement actions — what must be done, by whom, by when, to close
//! a weakness a risk's treatment names (and later a test finding, a gap or a change). Everyone
//! signed in reads; continuity managers do everything; an action's owner works on it (start, mark
//! done with evidence); a second person verifies it.

mod form;
mod list;
mod show;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::actions::{self, Action};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::Flash;

pub fn routes() -> Routes {
    Routes::new()
        .get("/actions", list::page)
        .get("/actions.csv", list::csv)
        .get("/actions/new", form::new)
        .post("/actions", form::create)
        .get("/actions/{id}", show::page)
        .get("/actions/{id}/edit", form::edit)
        .post("/actions/{id}", form::update)
        .post("/actions/{id}/step", show::step)
        .post("/actions/{id}/archive", show::archive)
}

async fn load(state: &AppState, id: &str) -> AppResult<Action> {
    actions::find(&state.db, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// Continuity managers change what an action asks; so does an owner who recorded it for
/// themselves (on a risk they own). Everyone else works on it through its steps only.
fn may_edit(user: &CurrentUser, action: &Action) -> bool {
    user.role.manages_continuity()
        || (action.owner_id == user.id && action.created_by == Some(user.id))
}

/// The action `user` is about to edit, or what to answer instead: an archived action's page
/// saying to restore it first, or a refusal for someone who may not edit it.
async fn writable(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<Result<Action, axum::response::Response>> {
    let action = load(state, id).await?;
    if !may_edit(user, &action) {
        return Err(AppError::Forbidden);
    }
    if action.archived {
        let notice = Flash::error(format!(
            "Action {} is archived: restore it to change it.",
            action.reference()
        ));
        let href = format!("/actions/{}", action.id);
        return Ok(Err(
            crate::web::record::notice(state, user, notice, &href).await?
        ));
    }
    Ok(Ok(action))
}
