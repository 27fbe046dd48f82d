//! `POST /dependencies` adds "this needs that" from a node's page; a dependency that would close
//! a cycle is refused with the cycle's path. `POST /dependencies/{id}/delete` removes one.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::lifecycle::may_change;
use super::parse_id;
use crate::auth::CurrentUser;
use crate::db::catalogue::dependencies::{self, DependencyFields};
use crate::db::catalogue::entries::{self, Entry};
use crate::domain::catalogue::{
    REDUNDANCIES, RELATIONS, dependency_allowed, dependency_refusal, is_choice,
};
use crate::domain::graph::NodeKind;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;

pub fn routes() -> Routes {
    Routes::new()
        .get("/pick", crate::web::picker::matches)
        .get("/pick/multi", crate::web::picker::multi::boxes)
        .post("/dependencies", add)
        .post("/dependencies/{id}/delete", remove)
}

#[derive(Deserialize)]
pub struct DependencyForm {
    #[serde(default)]
    from_id: String,
    #[serde(default)]
    to_id: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    redundancy: String,
    #[serde(default)]
    notes: String,
    /// "to" when the form sits on the page of what is depended on (a contract linking the
    /// services it supplies): the person goes back there, not to the other end.
    #[serde(default)]
    back: String,
}

pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<DependencyForm>,
) -> AppResult<Response> {
    let Ok(from_id) = parse_id(&form.from_id) else {
        // The contract's link form, sent before anything was chosen in its picker.
        if form.back == "to"
            && let Ok(to_id) = form.to_id.parse()
            && let Some(to) = entries::find(&mut *state.db.acquire().await?, to_id).await?
        {
            let message = "Choose the service or component to link: type part of its name.";
            flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
            return Ok(Redirect::to(&to.href()).into_response());
        }
        return Err(AppError::BadRequest(
            "dependency without a valid from".into(),
        ));
    };
    let from = entries::find(&mut *state.db.acquire().await?, from_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_change(&user, &from) {
        return Err(AppError::Forbidden);
    }
    let back_to_target = match (form.back.as_str(), form.to_id.parse()) {
        ("to", Ok(to_id)) => entries::find(&mut *state.db.acquire().await?, to_id).await?,
        _ => None,
    };
    let back =
        back_to_target.map_or_else(|| format!("{}#dependencies", from.href()), |to| to.href());
    let flash = match record(&state, &user, &from, form).await? {
        Ok(message) => Flash::success(message),
        Err(refusal) => Flash::error(refusal),
    };
    flash::set(&state.db, &user.session_token_hash, flash).await?;
    Ok(Redirect::to(&back).into_response())
}

/// Checks and records the dependency; `Ok(Err(sentence))` when it is refused.
async fn record(
    state: &AppState,
    user: &CurrentUser,
    from: &Entry,
    form: DependencyForm,
) -> AppResult<Result<String, String>> {
    let mut tx = state.db.begin().await?;
    let to = match form.to_id.parse() {
        Ok(to_id) => entries::find(&mut tx, to_id).await?,
        Err(_) => None,
    };
    let Some(to) = to else {
        return Ok(Err("Choose what it depends on.".into()));
    };
    if !dependency_allowed(from.kind, to.kind) {
        return Ok(Err(dependency_refusal(from.kind, to.kind)));
    }
    // A link to a contract is what lets an owner read it: only managers make such links.
    if to.kind == NodeKind::Contract && !user.role.manages_continuity() {
        return Ok(Err(
            "Only a continuity manager links a service or component to a supplier contract.".into(),
        ));
    }
    if !is_choice(RELATIONS, &form.relation) || !is_choice(REDUNDANCIES, &form.redundancy) {
        return Ok(Err(
            "Choose a relation and a redundancy from the lists.".into()
        ));
    }
    if form.notes.chars().count() > 2000 {
        return Ok(Err("Keep the notes under 2000 characters.".into()));
    }
    dependencies::lock_graph(&mut tx).await?;
    let graph = state.graph.get_with(&mut tx).await?;
    if let Some(cycle) = graph.cycle_if_added(from.id, to.id) {
        let names = entries::by_ids(&mut *tx, &cycle).await?;
        let path: Vec<String> = cycle
            .iter()
            .map(|id| {
                names
                    .iter()
                    .find(|entry| entry.id == *id)
                    .map_or_else(|| id.to_string(), |entry| entry.name.clone())
            })
            .collect();
        return Ok(Err(format!(
            "{} cannot depend on {}: that would close a cycle {}.",
            from.name,
            to.name,
            path.join(" → ")
        )));
    }
    let fields = DependencyFields {
        relation: form.relation,
        redundancy: form.redundancy,
        notes: form.notes,
    };
    // Only a manager's edge carries rights (an owner's opens no contract until confirmed).
    if user.role.manages_continuity() {
        dependencies::upsert(&mut tx, &user.actor(), from.id, to.id, &fields).await?;
    } else {
        dependencies::upsert_unconfirmed(&mut tx, &user.actor(), from.id, to.id, &fields).await?;
    }
    tx.commit().await?;
    Ok(Ok(format!("{} now depends on {}.", from.name, to.name)))
}

pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
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
    if !may_change(&user, &from) {
        return Err(AppError::Forbidden);
    }
    dependencies::delete(&mut tx, &user.actor(), edge.id).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("{} no longer depends on {}.", from.name, to.name)),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#dependencies", from.href())).into_response())
}
