//! Keeping an approved plan current: "reviewed, no change" (restarts the review clock), flagging
//! a plan for review with a reason, and setting its review interval. Continuity managers only.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::workflow::restart_review_clock;
use super::{back, interval_months, load_plan, plan_status};
use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::plans::records::{self as plan_rows, ReviewUpdate};
use crate::db::plans::versions;
use crate::domain::plan::workflow::{PlanStatus, next_review};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    months: String,
}

const RETIRED: &str = "This plan is retired: it can no longer change.";
const STALE: &str = "Someone changed this plan while you were looking at it: check it again.";

pub async fn reviewed(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let href = format!("/plans/{}", plan.id);
    let current = versions::current(&mut *state.db.acquire().await?, plan.id).await?;
    let refusal = if plan_status(&plan) == PlanStatus::Retired {
        Some(RETIRED)
    } else if current.is_none() {
        Some("Only an approved plan can be reviewed: approve a version first.")
    } else if plan.version != form.version {
        Some(STALE)
    } else {
        None
    };
    if let Some(message) = refusal {
        return back(&state, &user, &href, Flash::error(message)).await;
    }
    let months = interval_months(
        plan.review_interval_months,
        &plan_rows::covered_services(&state.db, plan.id).await?,
    );
    let today = OffsetDateTime::now_utc().date();
    let mut tx = state.db.begin().await?;
    if !restart_review_clock(
        &mut tx,
        &user,
        &plan,
        form.version,
        (today, months),
        "reviewed",
    )
    .await?
    {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        current.map(|version| version.number),
        "reviewed",
        &form.comment,
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Recorded: reviewed, no change. Next review by {}.",
            next_review(today, months)
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn flag(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let href = format!("/plans/{}", plan.id);
    if plan_status(&plan) == PlanStatus::Retired {
        return back(&state, &user, &href, Flash::error(RETIRED)).await;
    }
    if form.comment.trim().is_empty() {
        return back(
            &state,
            &user,
            &href,
            Flash::error("Say why the plan needs a review."),
        )
        .await;
    }
    let update = ReviewUpdate {
        next_review_on: plan.next_review_on,
        last_reviewed_on: plan.last_reviewed_on,
        review_required: true,
        reason: &form.comment,
    };
    let mut tx = state.db.begin().await?;
    if !plan_rows::set_review(
        &mut tx,
        &user.actor(),
        plan.id,
        form.version,
        &update,
        "flag",
    )
    .await?
    {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    plan_rows::record_event(
        &mut tx,
        &user.actor(),
        plan.id,
        None,
        "flagged",
        &form.comment,
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("The plan is flagged for review."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn interval(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let plan = load_plan(&state, &id).await?;
    let href = format!("/plans/{}", plan.id);
    if plan_status(&plan) == PlanStatus::Retired {
        return back(&state, &user, &href, Flash::error(RETIRED)).await;
    }
    let months = match form.months.trim() {
        "" => Ok(None),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|months| (1..=60).contains(months))
            .map(Some)
            .ok_or(()),
    };
    let Ok(months) = months else {
        return back(&state, &user, &href, Flash::error("Enter a review interval between 1 and 60 months, or leave it empty to follow the tiers.")).await;
    };
    let effective = interval_months(
        months,
        &plan_rows::covered_services(&state.db, plan.id).await?,
    );
    let next = plan
        .last_reviewed_on
        .map(|reviewed| next_review(reviewed, effective))
        .or(plan.next_review_on);
    let mut tx = state.db.begin().await?;
    if !plan_rows::set_interval(&mut tx, &user.actor(), plan.id, form.version, months, next).await?
    {
        tx.rollback().await?;
        return back(&state, &user, &href, Flash::error(STALE)).await;
    }
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!("Review interval set to {effective} months.")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}
