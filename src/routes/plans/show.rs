//! `GET /plans/{id}`: the plan in force — its timeline, call tree and steps — with its review
//! status, who holds which offline copy, who has read the current version, its versions and its
//! history.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use time::OffsetDateTime;
use uuid::Uuid;

use super::history::{EventView, history};
use super::view::{ContentView, Medium, build};
use super::{
    content_of, directory, interval_months, kind_of, load_plan, may_draft, may_read_version,
    plan_status, version_status,
};
use crate::auth::CurrentUser;
use crate::db::plans::contact_changes;
use crate::db::plans::records::{self as plan_rows, Plan};
use crate::db::plans::versions::{self, PlanVersion, VersionSummary};
use crate::db::plans::{distribution, people};
use crate::domain::plan::content::PlanKind;
use crate::domain::plan::workflow::{PlanStatus, VersionStatus};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::{Area, PageContext, format_in_zone};

pub struct HolderView {
    pub name: String,
    pub email: String,
    pub number: i32,
    pub when: String,
    pub channel: &'static str,
    pub outdated: bool,
    /// Why an outdated copy is outdated, for the register's reader.
    pub why: &'static str,
}

pub struct AckView {
    pub name: String,
    pub roles: String,
    pub when: Option<String>,
}

pub struct VersionLine {
    pub number: i32,
    pub status: &'static str,
    pub class: &'static str,
    pub author: String,
    pub approved: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/show.html")]
pub struct PlanPage {
    ctx: PageContext,
    plan: Plan,
    kind: PlanKind,
    retired: bool,
    shown: Option<PlanVersion>,
    shown_is_current: bool,
    view: Option<ContentView>,
    online: bool,
    open: Option<(i32, &'static str)>,
    /// The number of the draft this user may edit now, if any.
    editable_draft: Option<i32>,
    /// Why the open draft came back, when a continuity manager returned it.
    returned: Option<String>,
    approved_on: String,
    interval: u8,
    interval_from_tiers: bool,
    overdue: bool,
    can_manage: bool,
    can_start_version: bool,
    acknowledgements: Vec<AckView>,
    can_acknowledge: bool,
    holders: Vec<HolderView>,
    /// The plan's last test and when the next is due (operational plans with a version in force).
    tested: Option<crate::routes::exercises::evidence::Evidence>,
    versions: Vec<VersionLine>,
    events: Vec<EventView>,
}

pub fn status_badge(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Draft => "badge-blue",
        VersionStatus::InReview => "badge-amber",
        VersionStatus::Approved => "badge-green",
        VersionStatus::Superseded => "badge-grey",
    }
}

fn summary_line(summary: &VersionSummary, zone: &jiff::tz::TimeZone) -> VersionLine {
    let status = VersionStatus::parse(&summary.status).unwrap_or(VersionStatus::Draft);
    VersionLine {
        number: summary.number,
        status: status.label(),
        class: status_badge(status),
        author: summary.author_name.clone().unwrap_or_default(),
        approved: match (&summary.approver_name, summary.approved_at) {
            (Some(name), Some(at)) => format!("{name}, {}", format_in_zone(at, zone, "%Y-%m-%d")),
            _ => String::new(),
        },
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<PlanPage> {
    let plan = load_plan(&state, &id).await?;
    let mut conn = state.db.acquire().await?;
    let current = versions::current(&mut conn, plan.id).await?;
    let open = versions::open(&mut conn, plan.id).await?;
    drop(conn);
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    let directory = directory(&state).await?;
    // Unfinished work is shown only to those who may read it.
    let readable = |status: VersionStatus| may_read_version(&user, &covered, status);
    let shown = current.clone().or_else(|| {
        open.clone()
            .filter(|version| readable(version_status(version)))
    });
    let shown_content = shown.as_ref().map(content_of);
    let services = match &shown_content {
        Some(content) => plan_rows::services_by_ids(&state.db, &content.services).await?,
        None => Vec::new(),
    };
    let view = shown_content
        .as_ref()
        .map(|content| build(content, &directory, &services, Medium::Page));
    let zone = &user.time_zone;
    let (acknowledgements, can_acknowledge) = match &current {
        Some(version) => acknowledgements(&state, &user, version, &directory).await?,
        None => (Vec::new(), false),
    };
    let current_number = current.as_ref().map(|version| version.number);
    let contact_changes = contact_changes::of_plan(&state.db, plan.id).await?;
    // A copy of the version in force is outdated too once what it prints about someone changed.
    let contacts_changed_at = contact_changes
        .iter()
        .filter(|change| Some(change.version_number) == current_number)
        .map(|change| change.at)
        .max();
    let holders = distribution::holdings(&state.db, plan.id)
        .await?
        .into_iter()
        .map(|holding| {
            let superseded = current_number.is_some_and(|number| holding.number < number);
            let contacts_changed = contacts_changed_at.is_some_and(|at| holding.downloaded_at < at);
            HolderView {
                outdated: superseded || contacts_changed,
                why: if superseded {
                    "A later version is in force."
                } else if contacts_changed {
                    "Contact details it prints changed after it was taken."
                } else {
                    ""
                },
                name: holding.user_name,
                email: holding.email,
                number: holding.number,
                when: format_in_zone(holding.downloaded_at, zone, "%Y-%m-%d %H:%M"),
                channel: if holding.channel == "zip" {
                    "all-plans zip"
                } else {
                    "offline copy"
                },
            }
        })
        .collect();
    let retired = plan_status(&plan) == PlanStatus::Retired;
    let can_draft = !retired && may_draft(&user, &covered);
    // The return comment is part of the unfinished version: only its readers see it.
    let returned = match &open {
        Some(version) if readable(version_status(version)) => {
            super::return_note(&state, &user, version).await?
        }
        _ => None,
    };
    let today = OffsetDateTime::now_utc().date();
    let tested = if current.is_some() && kind_of(&plan).is_operational() && !retired {
        let ranks: Vec<i32> = covered
            .iter()
            .filter_map(|service| service.tier_rank)
            .collect();
        Some(crate::routes::exercises::evidence::of_plan(&state, plan.id, &ranks).await?)
    } else {
        None
    };
    Ok(PlanPage {
        tested,
        ctx: PageContext::new(&user, Area::Plans, plan.title.clone())
            .crumb("Plans", "/plans")
            .here(plan.title.clone()),
        kind: kind_of(&plan),
        retired,
        shown_is_current: current.is_some(),
        approved_on: current
            .as_ref()
            .and_then(|version| version.approved_at)
            .map(|at| format_in_zone(at, zone, "%Y-%m-%d"))
            .unwrap_or_default(),
        open: open
            .as_ref()
            .filter(|version| readable(version_status(version)))
            .map(|version| (version.number, version_status(version).label())),
        interval: interval_months(plan.review_interval_months, &covered),
        interval_from_tiers: plan.review_interval_months.is_none(),
        overdue: !retired && plan.next_review_on.is_some_and(|date| date < today),
        editable_draft: open
            .as_ref()
            .filter(|version| can_draft && version_status(version).editable())
            .map(|version| version.number),
        returned,
        can_manage: user.role.manages_continuity() && !retired,
        can_start_version: can_draft && open.is_none() && current.is_some(),
        acknowledgements,
        can_acknowledge,
        holders,
        versions: versions::list(&state.db, plan.id)
            .await?
            .iter()
            .filter(|summary| {
                readable(VersionStatus::parse(&summary.status).unwrap_or(VersionStatus::Draft))
            })
            .map(|summary| summary_line(summary, zone))
            .collect(),
        events: history(
            &plan_rows::events(&state.db, plan.id).await?,
            &contact_changes,
            zone,
            readable(VersionStatus::Draft),
        ),
        view,
        online: true,
        shown,
        plan,
    })
}

/// Everyone the version's roles name, whether and when they acknowledged it, and whether the
/// signed-in user is one of them still to do so.
async fn acknowledgements(
    state: &AppState,
    user: &CurrentUser,
    version: &PlanVersion,
    directory: &HashMap<Uuid, crate::db::plans::people::Person>,
) -> AppResult<(Vec<AckView>, bool)> {
    let content = content_of(version);
    let done: HashMap<Uuid, OffsetDateTime> = distribution::acknowledgements(&state.db, version.id)
        .await?
        .into_iter()
        .collect();
    let me = people::of_user(&state.db, user.id).await?;
    let holders = content.role_holders();
    let can_acknowledge = me.is_some_and(|me| holders.contains(&me) && !done.contains_key(&me));
    let views = holders
        .iter()
        .map(|person| AckView {
            name: directory.get(person).map_or_else(
                || "Someone no longer in the directory".into(),
                |p| p.name.clone(),
            ),
            roles: content
                .roles
                .iter()
                .filter(|role| role.person == Some(*person) || role.alternate == Some(*person))
                .map(|role| {
                    if role.person == Some(*person) {
                        role.name.clone()
                    } else {
                        format!("{} (alternate)", role.name)
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            when: done
                .get(person)
                .map(|at| format_in_zone(*at, &user.time_zone, "%Y-%m-%d")),
        })
        .collect();
    Ok((views, can_acknowledge))
}
