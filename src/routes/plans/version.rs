//! `GET /plans/{id}/versions/{number}`: one version, what changed since the approved version
//! before it, and the moves its status allows the signed-in user (submit, return, approve).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::show::status_badge;
use super::view::{ContentView, Medium, build};
use super::workflow::offers;
use super::{
    content_of, directory, kind_of, load_plan, may_draft, may_read_version, plan_status,
    version_status, workflow_actor,
};
use crate::auth::CurrentUser;
use crate::db::plans::records::{self as plan_rows, Plan};
use crate::db::plans::versions::{self, PlanVersion};
use crate::domain::plan::diff::{DiffPart, LineChange, Names, compare};
use crate::domain::plan::workflow::{VersionMove, VersionStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::page::{Area, PageContext, format_in_zone};

#[derive(Template, WebTemplate)]
#[template(path = "plans/version.html")]
pub struct VersionPage {
    ctx: PageContext,
    plan: Plan,
    version: PlanVersion,
    status: &'static str,
    status_class: &'static str,
    submitted: String,
    approved: String,
    view: ContentView,
    online: bool,
    compared_with: Option<i32>,
    changes: Vec<PartView>,
    missing: Vec<String>,
    can_edit: bool,
    can_submit: bool,
    can_review: bool,
    can_approve: bool,
    own_work: bool,
    last_return: Option<String>,
}

pub struct LineView {
    pub class: &'static str,
    pub sign: &'static str,
    pub text: String,
}

/// A changed part of the plan, ready to show.
pub struct PartView {
    pub heading: String,
    pub lines: Vec<LineView>,
}

fn changed_parts(parts: Vec<DiffPart>) -> Vec<PartView> {
    parts
        .into_iter()
        .filter(|part| part.changed)
        .map(|part| PartView {
            heading: part.heading,
            lines: part
                .lines
                .into_iter()
                .map(|line| {
                    let (class, sign) = match line.change {
                        LineChange::Same => ("same", " "),
                        LineChange::Added => ("added", "+"),
                        LineChange::Removed => ("removed", "−"),
                    };
                    LineView {
                        class,
                        sign,
                        text: line.text,
                    }
                })
                .collect(),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> AppResult<VersionPage> {
    let plan = load_plan(&state, &id).await?;
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let version = versions::find(&mut conn, plan.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let previous = versions::previous_approved(&mut conn, plan.id, number).await?;
    drop(conn);
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    let status = version_status(&version);
    if !may_read_version(&user, &covered, status) {
        return Err(AppError::Forbidden);
    }
    let content = content_of(&version);
    let directory = directory(&state).await?;
    let mut service_ids = content.services.clone();
    if let Some(previous) = &previous {
        service_ids.extend(content_of(previous).services);
    }
    let services = plan_rows::services_by_ids(&state.db, &service_ids).await?;
    let changes = match &previous {
        Some(previous) => {
            let people: HashMap<_, _> = directory
                .iter()
                .map(|(id, person)| (*id, person.name.clone()))
                .collect();
            let service_names: HashMap<_, _> = services
                .iter()
                .map(|service| (service.id, service.name.clone()))
                .collect();
            compare(
                &content_of(previous),
                &content,
                &Names {
                    people: &people,
                    services: &service_names,
                },
            )
        }
        None => Vec::new(),
    };
    let actor = workflow_actor(&user, &version);
    let plan_state = plan_status(&plan);
    let can_draft = may_draft(&user, &covered);
    let zone = &user.time_zone;
    // Only a draft is waiting on its return comment.
    let last_return = super::return_note(&state, &user, &version).await?;
    Ok(VersionPage {
        ctx: PageContext::new(&user, Area::Plans, format!("{} v{number}", plan.title))
            .crumb("Plans", "/plans")
            .crumb(plan.title.clone(), format!("/plans/{}", plan.id))
            .here(format!("Version {number}")),
        status: status.label(),
        status_class: status_badge(status),
        submitted: version
            .submitted_at
            .map(|at| format_in_zone(at, zone, "%Y-%m-%d %H:%M"))
            .unwrap_or_default(),
        approved: version
            .approved_at
            .map(|at| format_in_zone(at, zone, "%Y-%m-%d %H:%M"))
            .unwrap_or_default(),
        view: build(&content, &directory, &services, Medium::Page),
        online: true,
        compared_with: previous.as_ref().map(|previous| previous.number),
        changes: changed_parts(changes),
        missing: if status == VersionStatus::Draft {
            content.missing_for_submission(kind_of(&plan))
        } else {
            Vec::new()
        },
        can_edit: can_draft && status.editable() && plan_state.is_active(),
        can_submit: can_draft && offers(plan_state, status, actor, VersionMove::Submit),
        can_review: offers(plan_state, status, actor, VersionMove::Return),
        can_approve: offers(plan_state, status, actor, VersionMove::Approve),
        own_work: actor.is_manager && actor.is_author && status == VersionStatus::InReview,
        last_return,
        plan,
        version,
    })
}
