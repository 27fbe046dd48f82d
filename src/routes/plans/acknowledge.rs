//! `POST /plans/{id}/acknowledge`: a person named in the roles of the version in force says "I
//! have read version N". Only they can say it, through their linked user account.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{content_of, load_plan};
use crate::auth::CurrentUser;
use crate::db::plans::{distribution, people, versions};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let current = versions::current(&mut *state.db.acquire().await?, plan.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(person) = people::of_user(&state.db, user.id).await? else {
        return Err(AppError::Forbidden);
    };
    if !content_of(&current).role_holders().contains(&person) {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    distribution::acknowledge(&mut tx, &user.actor(), current.id, person, user.id).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Thank you: recorded that you have read version {}.",
            current.number
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response())
}
