//! `POST /import/{id}/confirm`: plans the stored file again against the catalogue as it is now
//! (under the graph lock) and writes the accepted rows in one transaction.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::preview::plan_stored;
use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::catalogue::{dependencies, imports};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

pub async fn apply(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    // Plans made under the lock cannot be overtaken by another import or dependency edit.
    dependencies::lock_graph(&mut tx).await?;
    let (stored, kind, rows) = plan_stored(&mut tx, &id).await?;
    if !imports::mark_applied(&mut tx, stored.id).await? {
        flash::set(
            &mut *tx,
            &user.session_token_hash,
            Flash::info("This file has already been imported."),
        )
        .await?;
        tx.commit().await?;
        return Ok(Redirect::to(&format!("/import/{}", stored.id)).into_response());
    }
    let summary = imports::apply(&mut tx, &user.actor(), &rows).await?;
    let message = format!(
        "Imported {} from {}: {} created, {} updated, {} unchanged, {} refused.",
        kind.label().to_lowercase(),
        stored.file_name,
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.refused
    );
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    let list = match kind {
        crate::domain::import::ImportKind::Sites => "/sites",
        crate::domain::import::ImportKind::Components => "/components",
        crate::domain::import::ImportKind::Contracts => "/contracts",
        crate::domain::import::ImportKind::Risks => "/risks",
        _ => "/services",
    };
    Ok(Redirect::to(list).into_response())
}
