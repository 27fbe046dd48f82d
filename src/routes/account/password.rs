//! `POST /account/password`: change your own password (knowing the current one). Other sessions
//! of the same user end, this one stays. Wrong current passwords are throttled like sign-ins.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::show::AccountPage;
use crate::auth::extract::EvenIfPasswordMustChange;
use crate::auth::{password, throttle};
use crate::db::{sessions, users};
use crate::domain::{login_throttle, password_policy};
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
    EvenIfPasswordMustChange(user): EvenIfPasswordMustChange,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    // Wrong current passwords are throttled like sign-ins, so a borrowed session cannot be used
    // to guess the password.
    let now = OffsetDateTime::now_utc();
    let key = throttle::password_change_key(user.id);
    let keys = [(key.clone(), login_throttle::DEVICE)];
    let attempt = match throttle::admit(&state.db, &keys, now).await? {
        Ok(attempt) => attempt,
        Err(until) => {
            let seconds = login_throttle::seconds_until(until, now);
            errors.add(
                "current_password",
                format!(
                    "Too many wrong current passwords: try again in {}.",
                    login_throttle::wait_in_words(seconds)
                ),
            );
            let mut page = AccountPage::new(&user);
            page.password_errors = errors;
            let mut response = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            return Ok(response);
        }
    };
    let stored = users::password_hash(&state.db, user.id).await?;
    if password::verify(Some(stored), form.current_password.clone()).await {
        throttle::succeeded(&state.db, attempt, &[key.as_str()]).await?;
    } else {
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
