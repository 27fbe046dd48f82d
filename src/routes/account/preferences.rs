//! `POST /account/preferences`: the time zone dates are shown in.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::show::AccountPage;
use crate::auth::CurrentUser;
use crate::db::users;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    time_zone: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PreferencesForm>,
) -> AppResult<Response> {
    let time_zone = form.time_zone.trim();
    if jiff::tz::TimeZone::get(time_zone).is_err() {
        let mut page = AccountPage::new(&user);
        page.time_zone = form.time_zone.clone();
        let mut errors = FieldErrors::default();
        errors.add(
            "time_zone",
            "Choose a time zone from the list, such as Europe/London.",
        );
        page.time_zone_errors = errors;
        return Ok(form::rejected(page));
    }
    let mut tx = state.db.begin().await?;
    users::set_time_zone(&mut tx, &user.actor(), user.id, time_zone).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("Dates are now shown in {time_zone} time.")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/account").into_response())
}
