//! Archiving and restoring suppliers and contracts (continuity managers). Nothing here is ever
//! deleted: contracts are evidence, and the audit log refers to them.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::catalogue::WriteError;
use crate::db::suppliers::contracts;
use crate::db::suppliers::suppliers_table as supplier_rows;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

/// The sentence to show when restoring meets an active namesake; database errors pass through.
fn refusal(outcome: Result<(), WriteError>) -> AppResult<Option<String>> {
    match outcome {
        Ok(()) => Ok(None),
        Err(WriteError::Duplicate { message, .. }) => Ok(Some(format!(
            "Not restored: {message} Rename one of them first."
        ))),
        Err(WriteError::Database(error)) => Err(error.into()),
    }
}

async fn supplier(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
    archived: bool,
) -> AppResult<Response> {
    let id = parse_id(id)?;
    let mut tx = state.db.begin().await?;
    let found = supplier_rows::find(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let href = format!("/suppliers/{id}");
    if let Some(refused) =
        refusal(supplier_rows::set_archived(&mut tx, &user.actor(), id, archived).await)?
    {
        tx.rollback().await?;
        flash::set(&state.db, &user.session_token_hash, Flash::error(refused)).await?;
        return Ok(Redirect::to(&href).into_response());
    }
    let message = if archived {
        format!(
            "{} is archived: it leaves the lists and renewals; its history stays.",
            found.name
        )
    } else {
        format!("{} is restored.", found.name)
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

async fn contract(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: &str,
    archived: bool,
) -> AppResult<Response> {
    let id = parse_id(id)?;
    let mut tx = state.db.begin().await?;
    let found = contracts::find(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let href = format!("/contracts/{id}");
    if let Some(refused) =
        refusal(contracts::set_archived(&mut tx, &user.actor(), id, archived).await)?
    {
        tx.rollback().await?;
        flash::set(&state.db, &user.session_token_hash, Flash::error(refused)).await?;
        return Ok(Redirect::to(&href).into_response());
    }
    let message = if archived {
        format!(
            "{} is archived: it no longer counts for gaps or renewals.",
            found.reference
        )
    } else {
        format!("{} is restored.", found.reference)
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn archive_supplier(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    supplier(&state, &user, &id, true).await
}

pub async fn restore_supplier(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    supplier(&state, &user, &id, false).await
}

pub async fn archive_contract(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    contract(&state, &user, &id, true).await
}

pub async fn restore_contract(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    contract(&state, &user, &id, false).await
}
