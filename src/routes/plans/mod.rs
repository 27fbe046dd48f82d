//! `/plans`: continuity and recovery plans, and the ITSCM policy. Owners draft plans for their
//! services, continuity managers approve them (never their own work), everyone signed in reads
//! them and takes offline copies, and the people a plan names acknowledge the version in force.

mod acknowledge;
mod draft;
mod draft_form;
mod draft_rows;
mod history;
mod list;
mod new;
mod pack;
mod review;
mod show;
mod version;
mod view;
mod workflow;

use std::collections::HashMap;

use uuid::Uuid;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::plans::people::{self, Person};
use crate::db::plans::records::{self as plan_rows, CoveredService, Plan};
use crate::db::plans::versions::PlanVersion;
use crate::domain::plan::content::{PlanContent, PlanKind};
use crate::domain::plan::workflow::{Actor, PlanStatus, VersionStatus};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/plans", list::page)
        .get("/plans.csv", list::csv)
        .get("/plans/new", new::form)
        .post("/plans", new::create)
        .get("/plans/pack.zip", pack::zip_of_current)
        .get("/plans/{id}", show::show)
        .get("/plans/{id}/pack", pack::single)
        .get("/plans/{id}/edit", draft::edit)
        .post("/plans/{id}/edit", draft::save)
        .post("/plans/{id}/revise", workflow::revise)
        .post("/plans/{id}/retire", workflow::retire)
        .post("/plans/{id}/reviewed", review::reviewed)
        .post("/plans/{id}/flag", review::flag)
        .post("/plans/{id}/interval", review::interval)
        .post("/plans/{id}/acknowledge", acknowledge::acknowledge)
        .get("/plans/{id}/versions/{number}", version::show)
        .post("/plans/{id}/versions/{number}/submit", workflow::submit)
        .post(
            "/plans/{id}/versions/{number}/return",
            workflow::return_for_changes,
        )
        .post("/plans/{id}/versions/{number}/approve", workflow::approve)
}

async fn load_plan(state: &AppState, id: &str) -> AppResult<Plan> {
    plan_rows::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

fn kind_of(plan: &Plan) -> PlanKind {
    PlanKind::parse(&plan.kind).unwrap_or(PlanKind::Itscm)
}

fn plan_status(plan: &Plan) -> PlanStatus {
    PlanStatus::parse(&plan.status).unwrap_or(PlanStatus::Active)
}

fn version_status(version: &PlanVersion) -> VersionStatus {
    VersionStatus::parse(&version.status).unwrap_or(VersionStatus::Draft)
}

/// "Returned by Maria Lopez on 2026-11-30: …" when `version` is a draft sent back for changes:
/// the plan page, the version page and the editor all show it at the top, so the owner who must
/// act sees why.
async fn return_note(
    state: &AppState,
    user: &CurrentUser,
    version: &PlanVersion,
) -> AppResult<Option<String>> {
    if version_status(version) != VersionStatus::Draft {
        return Ok(None);
    }
    Ok(
        plan_rows::last_return(&state.db, version.plan_id, version.number)
            .await?
            .map(|event| {
                format!(
                    "Returned by {} on {}: {}",
                    event.actor_label,
                    crate::web::page::format_in_zone(event.at, &user.time_zone, "%Y-%m-%d"),
                    event.comment
                )
            }),
    )
}

fn content_of(version: &PlanVersion) -> PlanContent {
    serde_json::from_value(version.content.clone()).unwrap_or_default()
}

/// Whether `user` may write this plan's drafts: managers always; service owners when the plan
/// covers one of their services. Auditors never write.
fn may_draft(user: &CurrentUser, covered: &[CoveredService]) -> bool {
    user.role.manages_continuity()
        || covered
            .iter()
            .any(|service| crate::auth::ownership::may_edit_owned(user, service.owner_id))
}

/// Whether `user` may read a version in `status`: approved and superseded versions are read by
/// everyone; drafts and versions in review only by managers, auditors and those who may draft
/// the plan (owners of a covered service) — another owner's unfinished work is not theirs to read.
fn may_read_version(user: &CurrentUser, covered: &[CoveredService], status: VersionStatus) -> bool {
    matches!(status, VersionStatus::Approved | VersionStatus::Superseded)
        || user.role != crate::domain::role::Role::ServiceOwner
        || may_draft(user, covered)
}

/// The user as the workflow rules see them for one version: having saved any part of it makes
/// them one of its authors.
fn workflow_actor(user: &CurrentUser, version: &PlanVersion) -> Actor {
    Actor {
        is_author: version.author_id == Some(user.id) || version.contributors.contains(&user.id),
        is_manager: user.role.manages_continuity(),
    }
}

/// Ends a request that changed nothing with a message on the page at `href`.
async fn back(
    state: &AppState,
    user: &CurrentUser,
    href: &str,
    message: crate::web::flash::Flash,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    crate::web::flash::set(&state.db, &user.session_token_hash, message).await?;
    Ok(axum::response::Redirect::to(href).into_response())
}

/// The review interval in force: `setting` when the plan has one, otherwise the one the most
/// critical covered tier calls for.
fn interval_months(setting: Option<i32>, covered: &[CoveredService]) -> u8 {
    if let Some(months) = setting {
        return u8::try_from(months).unwrap_or(12);
    }
    let ranks: Vec<u8> = covered
        .iter()
        .filter_map(|service| service.tier_rank.and_then(|rank| u8::try_from(rank).ok()))
        .collect();
    crate::domain::plan::workflow::review_interval_months(&ranks)
}

/// The directory by id, archived people included, for showing whom a version names.
async fn directory(state: &AppState) -> AppResult<HashMap<Uuid, Person>> {
    Ok(people::all(&state.db)
        .await?
        .into_iter()
        .map(|person| (person.id, person))
        .collect())
}

/// The plan's page, or one of its versions.
fn version_href(plan: Uuid, number: i32) -> String {
    format!("/plans/{plan}/versions/{number}")
}
