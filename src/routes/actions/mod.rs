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

/// Continuity managers change what an outstanding action asks; so does an owner who recorded it
/// for themselves (on a risk they own), except its due date. Once done, what was asked stays as
/// it was when the evidence was given. Everyone else works on it through its steps only.
fn may_edit(user: &CurrentUser, action: &Action) -> bool {
    action.status().is_outstanding() && !action.archived && edits(user, action)
}

/// Whether `user` is one who edits this action at all (whatever its state).
fn edits(user: &CurrentUser, action: &Action) -> bool {
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
    if !edits(user, &action) {
        return Err(AppError::Forbidden);
    }
    let refusal = if action.archived {
        format!(
            "Action {} is archived: restore it to change it.",
            action.reference()
        )
    } else if !action.status().is_outstanding() {
        format!(
            "Action {} is {}: what it asked stays as it was when its evidence was given.",
            action.reference(),
            action.status().label().to_lowercase()
        )
    } else {
        return Ok(Ok(action));
    };
    let href = format!("/actions/{}", action.id);
    let notice = crate::web::record::notice(state, user, Flash::error(refusal), &href).await?;
    Ok(Err(notice))
}
