//! `POST /account/password`: change your own password (knowing the current one). Other sessions
//! of the same user end, this one stays.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::show::AccountPage;
use crate::auth::{CurrentUser, password};
use crate::db::{sessions, users};
use crate::domain::password_policy;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let stored = users::password_hash(&state.db, user.id).await?;
    if !password::verify(Some(stored), form.current_password.clone()).await {
        errors.add("current_password", "This is not your current password.");
    }
    if let Err(advice) =
        password_policy::check(&form.new_password, &[&user.email, &user.display_name])
    {
        errors.add("new_password", advice);
    } else if form.new_password == form.current_password {
        errors.add(
            "new_password",
            "Choose a password different from the current one.",
        );
    }
    if form.confirm_password != form.new_password {
        errors.add(
            "confirm_password",
            "The two new passwords are not the same.",
        );
    }
    if !errors.is_empty() {
        let mut page = AccountPage::new(&user);
        page.password_errors = errors;
        return Ok(form::rejected(page));
    }

    let hash = password::hash(form.new_password).await?;
    let mut tx = state.db.begin().await?;
    users::set_password(&mut tx, &user.actor(), user.id, &hash, false).await?;
    sessions::delete_others(&mut *tx, user.id, &user.session_token_hash).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("Your password has been changed. Your other sessions have been signed out."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/account").into_response())
}
