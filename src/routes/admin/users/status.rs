//! `POST /admin/users/{id}/deactivate` and `/activate`. Deactivation ends the user's sessions at
//! once; the last active administrator, and yourself, cannot be deactivated.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::show::load;
use crate::auth::Authorized;
use crate::auth::extract::ManageUsers;
use crate::db::users;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub async fn deactivate(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let subject = load(&state, &id).await?;
    let back = format!("/admin/users/{}", subject.id);
    let mut tx = state.db.begin().await?;
    // Locks the administrators' rows, so two administrators deactivating each other at the same
    // moment cannot leave nobody in charge.
    let refusal = if subject.id == user.id {
        Some("You cannot deactivate your own account.")
    } else if subject.role == Role::Administrator
        && subject.active
        && users::lock_active_administrators(&mut tx).await? <= 1
    {
        Some("This is the last active administrator; make someone else an administrator first.")
    } else {
        None
    };
    if let Some(message) = refusal {
        tx.rollback().await?;
        flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let saved = users::set_active(&mut tx, &user.actor(), subject.id, false).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "{} is deactivated and has been signed out everywhere.",
            saved.display_name
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&back).into_response())
}

pub async fn activate(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let subject = load(&state, &id).await?;
    let mut tx = state.db.begin().await?;
    let saved = users::set_active(&mut tx, &user.actor(), subject.id, true).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("{} can sign in again.", saved.display_name)),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{}", saved.id)).into_response())
}
