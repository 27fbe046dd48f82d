//! `POST /admin/users/{id}/sign-in-delay`: an administrator lifts the wait that failed sign-ins
//! (perhaps someone else's, on purpose) put on an account, and its password-change wait.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::show::load;
use crate::auth::extract::ManageUsers;
use crate::auth::{Authorized, throttle};
use crate::db::audit::{self, Change};
use crate::db::login_failures;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub async fn lift(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let subject = load(&state, &id).await?;
    let account_key = throttle::account_key(&subject.email);
    let mut tx = state.db.begin().await?;
    let before = login_failures::find(&mut *tx, &account_key).await?;
    login_failures::clear(&mut *tx, &account_key).await?;
    login_failures::clear(&mut *tx, &throttle::password_change_key(subject.id)).await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Change::new("user", subject.id, "sign_in_delay_lifted").before(&serde_json::json!({
            "failed_attempts": before.map_or(0, |record| record.failures),
            "locked_until": before.and_then(|record| record.locked_until),
        })),
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "{} can sign in again at once: their failed attempts are forgotten.",
            subject.display_name
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{}", subject.id)).into_response())
}
