//! `POST /logout`: ends the session on the server and clears the cookie.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::login::set_cookie;
use crate::auth::extract::EvenIfPasswordMustChange;
use crate::auth::session_cookie;
use crate::db::audit::{self, Change};
use crate::db::sessions;
use crate::error::AppResult;
use crate::state::AppState;

pub async fn submit(
    State(state): State<AppState>,
    EvenIfPasswordMustChange(user): EvenIfPasswordMustChange,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    sessions::delete(&mut *tx, &user.session_token_hash).await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Change::new("session", user.id, "sign_out"),
    )
    .await?;
    tx.commit().await?;
    let mut response = Redirect::to("/login?signed_out=1").into_response();
    set_cookie(
        response.headers_mut(),
        session_cookie::removal_cookie(state.config.cookie_secure),
    )?;
    Ok(response)
}
