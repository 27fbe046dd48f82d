//! `POST /dependencies/{id}/confirm`: a continuity manager vouches for a dependency a service
//! owner made, which lets that owner read the supplier contracts it leads to.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::parse_id;
use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::catalogue::dependencies;
use crate::db::catalogue::entries;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub fn routes() -> Routes {
    Routes::new().post("/dependencies/{id}/confirm", confirm)
}

pub async fn confirm(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let edge = dependencies::find(&mut tx, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let from = entries::find(&mut tx, edge.from_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = entries::find(&mut tx, edge.to_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let message = if dependencies::confirm(&mut tx, &user.actor(), edge.id).await? {
        format!("Confirmed: {} depends on {}.", from.name, to.name)
    } else {
        format!(
            "{} depending on {} was confirmed already.",
            from.name, to.name
        )
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#dependencies", from.href())).into_response())
}
