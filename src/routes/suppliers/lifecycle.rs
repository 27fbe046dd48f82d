//! Archiving and restoring suppliers and contracts (continuity managers). Nothing here is ever
//! deleted: contracts are evidence, and the audit log refers to them.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::suppliers::contracts;
use crate::db::suppliers::suppliers_table as supplier_rows;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::record::{self, ArchiveWords};

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
    let changed = supplier_rows::set_archived(&mut tx, &user.actor(), id, archived)
        .await
        .map(|()| true);
    let words = ArchiveWords {
        subject: found.name,
        consequence: "it leaves the lists and renewals; its history stays.",
    };
    let href = format!("/suppliers/{id}");
    record::conclude_archive(state, tx, user, archived, changed, words, &href).await
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
    let changed = contracts::set_archived(&mut tx, &user.actor(), id, archived)
        .await
        .map(|()| true);
    let words = ArchiveWords {
        subject: found.reference,
        consequence: "it no longer counts for gaps or renewals.",
    };
    let href = format!("/contracts/{id}");
    record::conclude_archive(state, tx, user, archived, changed, words, &href).await
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
