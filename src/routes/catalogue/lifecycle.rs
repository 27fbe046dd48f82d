//! Archiving, restoring and deleting any catalogue node. Something that others reference is
//! archived, never deleted: the refusal says what references it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::parse_id;
use crate::auth::CurrentUser;
use crate::auth::ownership::may_edit_owned;
use crate::db::catalogue::entries::{self, Entry};
use crate::db::catalogue::keep;
use crate::domain::graph::NodeKind;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::flash::{self, Flash};

/// The same three actions under each kind's address; the handler finds the kind from the id.
pub fn routes() -> Routes {
    Routes::new()
        .post("/sites/{id}/archive", archive)
        .post("/sites/{id}/restore", restore)
        .post("/sites/{id}/delete", delete)
        .post("/services/{id}/archive", archive)
        .post("/services/{id}/restore", restore)
        .post("/services/{id}/delete", delete)
        .post("/components/{id}/archive", archive)
        .post("/components/{id}/restore", restore)
        .post("/components/{id}/delete", delete)
        .post("/processes/{id}/archive", archive)
        .post("/processes/{id}/restore", restore)
        .post("/processes/{id}/delete", delete)
}

/// What a detail page needs to offer these actions.
pub struct LifecycleView {
    pub base: String,
    pub archived: bool,
    pub allowed: bool,
}

impl LifecycleView {
    pub fn new(entry: &Entry, allowed: bool) -> Self {
        Self {
            base: entry.href(),
            archived: entry.archived,
            allowed,
        }
    }
}

/// Managers act on every node; a service owner on the services they own.
pub fn may_change(user: &CurrentUser, entry: &Entry) -> bool {
    match entry.kind {
        NodeKind::Service => may_edit_owned(user, entry.owner_id),
        _ => user.role.manages_continuity(),
    }
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Entry> {
    let entry = entries::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    // Archiving and deleting change what everyone sees: continuity managers decide, while a
    // service owner edits their own service's details and dependencies.
    if !user.role.manages_continuity() {
        return Err(AppError::Forbidden);
    }
    Ok(entry)
}

async fn set_archived(
    state: &AppState,
    user: &CurrentUser,
    entry: &Entry,
    archived: bool,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    keep::set_archived(&mut tx, &user.actor(), entry.kind, entry.id, archived).await?;
    let message = if archived {
        format!(
            "{} is archived: it stays in the history and can be restored.",
            entry.name
        )
    } else {
        format!("{} is restored.", entry.name)
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn archive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let entry = load(&state, &user, &id).await?;
    set_archived(&state, &user, &entry, true).await?;
    Ok(Redirect::to(&entry.href()).into_response())
}

pub async fn restore(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let entry = load(&state, &user, &id).await?;
    set_archived(&state, &user, &entry, false).await?;
    Ok(Redirect::to(&entry.href()).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let entry = load(&state, &user, &id).await?;
    let mut references: Vec<String> = entries::referencing(&state.db, entry.id)
        .await?
        .iter()
        .map(|other| format!("{} ({})", other.name, other.kind.label().to_lowercase()))
        .collect();
    if entry.kind == NodeKind::Service {
        references.extend(
            entries::bia_exercises_of(&state.db, entry.id)
                .await?
                .into_iter()
                .map(|exercise| format!("{exercise} (BIA exercise)")),
        );
        references.extend(
            entries::plans_of(&state.db, entry.id)
                .await?
                .into_iter()
                .map(|plan| format!("{plan} (plan)")),
        );
    }
    if !references.is_empty() {
        let more = references.len().saturating_sub(5);
        let message = format!(
            "{} cannot be deleted because {} reference{} it: {}{}. Archive it instead.",
            entry.name,
            references.len(),
            if references.len() == 1 { "s" } else { "" },
            references
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        );
        flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
        return Ok(Redirect::to(&entry.href()).into_response());
    }
    let list = match entry.kind {
        NodeKind::Site => "/sites",
        NodeKind::Service => "/services",
        NodeKind::Component => "/components",
        NodeKind::Process => "/processes",
        NodeKind::Contract => return Err(AppError::NotFound),
    };
    let mut tx = state.db.begin().await?;
    keep::delete(&mut tx, &user.actor(), entry.kind, entry.id).await?;

    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("{} is deleted.", entry.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(list).into_response())
}
