//! `GET /bia/{id}/report`: a printable summary of an exercise — services per tier, and each
//! service's objectives — for a board pack or an auditor. Each tier lists its strictest
//! [`LINES_PER_TIER`] services, so the page stays printable over 10 000 services; the full
//! results are the exercise's CSV export.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::minutes;
use crate::auth::Authorized;
use crate::auth::extract::ReadEverything;
use crate::db::bia::assessments;
use crate::db::bia::exercises;
use crate::domain::bia::method::Method;
use crate::domain::workflow::ExerciseStatus;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::bar_chart::{self, Bar};
use crate::web::page::{Area, PageContext};

/// How many services each tier of the report lists; the rest are counted and left to the CSV.
pub const LINES_PER_TIER: usize = 200;

pub struct ServiceLine {
    rto_minutes: Option<i32>,
    pub name: String,
    pub owner: String,
    pub mtpd: String,
    pub rto: String,
    pub rpo: String,
    pub approved: bool,
}

pub struct TierGroup {
    pub name: String,
    pub limit: String,
    pub services: Vec<ServiceLine>,
    /// How many services the tier holds, listed or not.
    pub count: usize,
}

impl TierGroup {
    /// Services of the tier that the page does not list.
    pub fn more(&self) -> usize {
        self.count - self.services.len()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "bia/report.html")]
pub struct ReportPage {
    ctx: PageContext,
    name: String,
    status: &'static str,
    due: String,
    total: usize,
    approved: usize,
    groups: Vec<TierGroup>,
    unassessed: Vec<String>,
    unassessed_count: usize,
    results_href: String,
    chart: String,
}

impl ReportPage {
    fn unassessed_more(&self) -> usize {
        self.unassessed_count - self.unassessed.len()
    }
}

/// Tier colours, most critical first (as on the dependency map).
const COLOURS: [&str; 4] = ["#d64545", "#e8a33d", "#9cc75a", "#7fb8a4"];

pub async fn show(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadEverything>,
    Path(id): Path<String>,
) -> AppResult<ReportPage> {
    let exercise = exercises::find(&mut *state.db.acquire().await?, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let method: Method = serde_json::from_value(exercise.method.clone())
        .unwrap_or_else(|_| Method::default_method());
    let rows = assessments::for_exercise(&state.db, exercise.id).await?;
    let mut groups: Vec<TierGroup> = method
        .tiers
        .iter()
        .map(|tier| TierGroup {
            name: tier.name.clone(),
            limit: tier.rto_max.map_or_else(
                || "no limit".to_string(),
                |max| format!("RTO ≤ {}", crate::domain::bia::method::duration_label(max)),
            ),
            services: Vec::new(),
            count: 0,
        })
        .collect();
    let mut unassessed = Vec::new();
    for row in &rows {
        let rank = row
            .approved_tier_name
            .as_ref()
            .and_then(|name| method.tiers.iter().position(|tier| &tier.name == name));
        let rank = rank.or_else(|| {
            row.derived_tier_rank.and_then(|rank| {
                method
                    .tiers
                    .iter()
                    .position(|tier| i32::from(tier.rank) == rank)
            })
        });
        match rank {
            Some(index) => groups[index].services.push(ServiceLine {
                rto_minutes: row.approved_rto_minutes.or(row.derived_rto_minutes),
                name: row.service_name.clone(),
                owner: row.assignee_name.clone().unwrap_or_default(),
                mtpd: minutes(row.derived_mtpd_minutes),
                rto: minutes(row.approved_rto_minutes.or(row.derived_rto_minutes)),
                rpo: minutes(row.derived_rpo_minutes),
                approved: row.approved_rto_minutes.is_some(),
            }),
            None => unassessed.push(row.service_name.clone()),
        }
    }
    for group in &mut groups {
        group.count = group.services.len();
        group.services.sort_by_key(|line| {
            (
                line.rto_minutes.unwrap_or(i32::MAX),
                line.name.to_lowercase(),
            )
        });
        group.services.truncate(LINES_PER_TIER);
    }
    let unassessed_count = unassessed.len();
    unassessed.truncate(LINES_PER_TIER);
    let bars: Vec<Bar> = groups
        .iter()
        .enumerate()
        .map(|(index, group)| Bar {
            label: group.name.clone(),
            value: group.count,
            colour: COLOURS.get(index).copied().unwrap_or("#9aa5b1"),
        })
        .collect();
    Ok(ReportPage {
        ctx: PageContext::new(&user, Area::Bia, format!("{} — report", exercise.name))
            .crumb("BIA", "/bia")
            .crumb(exercise.name.clone(), format!("/bia/{}", exercise.id))
            .here("Report"),
        status: ExerciseStatus::parse(&exercise.status).map_or("", ExerciseStatus::label),
        due: exercise
            .due_date
            .map(|date| date.to_string())
            .unwrap_or_else(|| "—".into()),
        total: rows.len(),
        approved: rows.iter().filter(|row| row.status == "approved").count(),
        chart: bar_chart::render("Services per tier", &bars),
        results_href: format!("/bia/{}/results.csv", exercise.id),
        unassessed_count,
        name: exercise.name,
        groups,
        unassessed,
    })
}
