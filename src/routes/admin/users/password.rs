//! `POST /admin/users/{id}/password`: an administrator sets a new password for someone who lost
//! theirs. Their sessions end and they must choose their own at next sign-in.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::show::{UserPage, load};
use crate::auth::extract::ManageUsers;
use crate::auth::{Authorized, password};
use crate::db::{sessions, users};
use crate::domain::password_policy;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let subject = load(&state, &id).await?;
    if let Err(advice) =
        password_policy::check(&form.new_password, &[&subject.email, &subject.display_name])
    {
        let mut page = UserPage::new(&user, subject);
        let mut errors = FieldErrors::default();
        errors.add("new_password", advice);
        page.reset_errors = errors;
        return Ok(form::rejected(page));
    }
    let hash = password::hash(form.new_password).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, &user.actor(), subject.id, &hash, true).await?;
    if subject.id != user.id {
        sessions::delete_for_user(&mut *tx, subject.id).await?;
    }
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "The password of {} has been reset; they will be asked to choose their own at next sign-in.",
            subject.display_name
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{}", subject.id)).into_response())
}
