//! Moving a version on: submit (freezes it), return with a comment, approve (four-eyes; it then
//! becomes the version in force and the review clock restarts), start the next version from the
//! one in force, and retire a plan. Every rule comes from `domain::plan::workflow`; this file
//! only loads, asks, writes and says what happened.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::{
    back, content_of, interval_months, kind_of, load_plan, may_draft, plan_status, version_href,
    version_status, workflow_actor,
};
use crate::auth::extract::{DraftPlans, ManageContinuity};
use crate::auth::{Authorized, CurrentUser};
use crate::db::plans::records::{self as plan_rows, Plan, ReviewUpdate};
use crate::db::plans::versions::{self, PlanVersion};
use crate::domain::plan::workflow::{self, Actor, PlanStatus, VersionStatus, next_review};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
}

async fn load_version(state: &AppState, plan: &Plan, number: &str) -> AppResult<PlanVersion> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    versions::find(&mut *state.db.acquire().await?, plan.id, number)
        .await?
        .ok_or(AppError::NotFound)
}

const STALE: &str = "Someone changed this version while you were looking at it: check it again.";

pub async fn submit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path((id, number)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    if !may_draft(&user, &covered) {
        return Err(AppError::Forbidden);
    }
    let version = load_version(&state, &plan, &number).await?;
    let href = version_href(plan.id, version.number);
    let to = match workflow::submit(
        plan_status(&plan),
        version_status(&version),
        workflow_actor(&user, &version),
    ) {
        Ok(to) => to,
        Err(refused) => return back(&state, &user, &href, Flash::error(refused.0)).await,
    };
    let missing = content_of(&version).missing_for_submission(kind_of(&plan));
    if !missing.is_empty() {
        return back(
            &state,
            &user,
            &href,
            Flash::error(format!(
                "Not submitted: the draft is incomplete. {}",
                missing.join(" ")
            )),
        )
        .await;
    }
    let mut tx = state.db.begin().await?;
    if !versions::set_status(&mut tx, &user.actor(), &version, form.version, to.as_str()).await? {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        Some(version.number),
        "submitted",
        "",
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Version {} submitted for review: it can no longer change.",
            version.number
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn return_for_changes(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path((id, number)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let version = load_version(&state, &plan, &number).await?;
    let href = version_href(plan.id, version.number);
    let to = match workflow::return_for_changes(
        plan_status(&plan),
        version_status(&version),
        workflow_actor(&user, &version),
        &form.comment,
    ) {
        Ok(to) => to,
        Err(refused) => return back(&state, &user, &href, Flash::error(refused.0)).await,
    };
    let mut tx = state.db.begin().await?;
    if !versions::set_status(&mut tx, &user.actor(), &version, form.version, to.as_str()).await? {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        Some(version.number),
        "returned",
        &form.comment,
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Version {} returned to its authors with your comment.",
            version.number
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn approve(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path((id, number)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let version = load_version(&state, &plan, &number).await?;
    let href = version_href(plan.id, version.number);
    let to = match workflow::approve(
        plan_status(&plan),
        version_status(&version),
        workflow_actor(&user, &version),
    ) {
        Ok(to) => to,
        Err(refused) => return back(&state, &user, &href, Flash::error(refused.0)).await,
    };
    let months = interval_months(
        plan.review_interval_months,
        &plan_rows::covered_services(&state.db, plan.id).await?,
    );
    let today = OffsetDateTime::now_utc().date();
    let mut tx = state.db.begin().await?;
    // Approving restarts the plan's review clock: hold the plan so no review or flag slips in.
    let plan_version = plan_rows::lock(&mut tx, plan.id).await?;
    if !versions::set_status(&mut tx, &user.actor(), &version, form.version, to.as_str()).await? {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    restart_review_clock(
        &mut tx,
        &user,
        &plan,
        plan_version,
        (today, months),
        "approve",
    )
    .await?;
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        Some(version.number),
        "approved",
        &form.comment,
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Version {} approved: it is now the plan in force. Next review by {}.",
            version.number,
            next_review(today, months)
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response())
}

/// After an approval or a review without change: next review one interval from today, and the
/// "review required" flag cleared; false when the plan is no longer at `expected_version`.
pub(super) async fn restart_review_clock(
    conn: &mut PgConnection,
    user: &CurrentUser,
    plan: &Plan,
    expected_version: i32,
    (today, months): (time::Date, u8),
    action: &str,
) -> AppResult<bool> {
    let update = ReviewUpdate {
        next_review_on: Some(next_review(today, months)),
        last_reviewed_on: Some(today),
        review_required: false,
        reason: "",
    };
    Ok(plan_rows::set_review(
        conn,
        &user.actor(),
        plan.id,
        expected_version,
        &update,
        action,
    )
    .await?)
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
}

/// Starts the next version as a draft copied from the version in force.
pub async fn revise(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    if !may_draft(&user, &covered) {
        return Err(AppError::Forbidden);
    }
    let href = format!("/plans/{}", plan.id);
    if plan_status(&plan) == PlanStatus::Retired {
        return back(&state, &user, &href, Flash::error("This plan is retired.")).await;
    }
    let mut tx = state.db.begin().await?;
    // Two clicks on "Start version" must not both start one.
    plan_rows::lock(&mut tx, plan.id).await?;
    if versions::open(&mut tx, plan.id).await?.is_some() {
        tx.rollback().await?;
        return back(
            &state,
            &user,
            &href,
            Flash::error("A version is already being drafted or reviewed: finish that one first."),
        )
        .await;
    }
    let Some(current) = versions::current(&mut tx, plan.id).await? else {
        tx.rollback().await?;
        return back(
            &state,
            &user,
            &href,
            Flash::error("There is no approved version to start from."),
        )
        .await;
    };
    let number = versions::start_next(
        &mut tx,
        &user.actor(),
        plan.id,
        &current.content,
        current.estimated_recovery_minutes,
    )
    .await?;
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        Some(number),
        "new_version",
        "",
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Version {number} started as a copy of version {}. Version {} stays in force until this one is approved.",
            current.number, current.number
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{}/edit", plan.id)).into_response())
}

pub async fn retire(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let href = format!("/plans/{}", plan.id);
    let actor = Actor {
        is_author: false,
        is_manager: true,
    };
    if let Err(refused) = workflow::retire(plan_status(&plan), actor) {
        return back(&state, &user, &href, Flash::error(refused.0)).await;
    }
    let mut tx = state.db.begin().await?;
    if !plan_rows::retire(&mut tx, &user.actor(), plan.id, form.version, &form.comment).await? {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "“{}” is retired. Its versions stay readable.",
            plan.title
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

/// Whether a version in this status offers the given move to this user, for showing buttons.
pub(super) fn offers(
    plan: PlanStatus,
    status: VersionStatus,
    actor: Actor,
    requested: workflow::VersionMove,
) -> bool {
    workflow::move_version(plan, status, requested, actor, "comment").is_ok()
}
