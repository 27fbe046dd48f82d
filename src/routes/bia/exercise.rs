//! `GET /bia/{id}`: an exercise at a glance — progress, who is late, results — with the
//! manager's actions; `POST /bia/{id}/advance` moves it on; its results as CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::minutes;
use crate::auth::Authorized;
use crate::auth::extract::{ManageContinuity, ReadEverything};
use crate::db::bia::assessments::{self, ProgressRow};
use crate::db::bia::exercises::{self, Exercise};
use crate::db::users;
use crate::domain::bia::method::Method;
use crate::domain::workflow::{AssessmentStatus, ExerciseStatus, advance_exercise};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::csv_export;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

pub struct RowView {
    pub id: Uuid,
    pub service_name: String,
    pub assignee: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub overdue: bool,
    pub last_saved: String,
    pub reminded: String,
    pub mtpd: String,
    pub rto: String,
    pub rpo: String,
    pub tier: String,
    pub owners: Vec<OptionView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "bia/exercise.html")]
pub struct ExercisePage {
    ctx: PageContext,
    exercise: Exercise,
    status_label: &'static str,
    due: String,
    rows: Vec<RowView>,
    total: usize,
    not_started: usize,
    drafts: usize,
    submitted: usize,
    returned: usize,
    approved: usize,
    next_label: Option<&'static str>,
    can_manage: bool,
    scope: Vec<String>,
}

/// The state shown for an assessment: "not started" is a draft nobody has saved yet.
fn state_of(row: &ProgressRow) -> (&'static str, &'static str) {
    match AssessmentStatus::parse(&row.status) {
        Some(AssessmentStatus::Draft) if row.last_saved_at.is_none() => {
            ("Not started", "badge-grey")
        }
        Some(AssessmentStatus::Draft) => ("Draft", "badge-blue"),
        Some(AssessmentStatus::Submitted) => ("Submitted", "badge-amber"),
        Some(AssessmentStatus::Returned) => ("Returned", "badge-red"),
        Some(AssessmentStatus::Approved) => ("Approved", "badge-green"),
        None => ("Unknown", "badge-grey"),
    }
}

fn tier_name(method: &Method, rank: Option<i32>) -> String {
    rank.and_then(|rank| {
        method
            .tiers
            .iter()
            .find(|tier| i32::from(tier.rank) == rank)
    })
    .map_or_else(|| "—".to_string(), |tier| tier.name.clone())
}

async fn load(state: &AppState, id: &str) -> AppResult<Exercise> {
    exercises::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// Service owners see their own questionnaires (on `/bia` and their home page), not the whole
/// exercise's results.
pub async fn show(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadEverything>,
    Path(id): Path<String>,
) -> AppResult<ExercisePage> {
    let exercise = load(&state, &id).await?;
    let method: Method = serde_json::from_value(exercise.method.clone())
        .unwrap_or_else(|_| Method::default_method());
    let status = ExerciseStatus::parse(&exercise.status).unwrap_or(ExerciseStatus::Planned);
    let progress = assessments::for_exercise(&state.db, exercise.id).await?;
    let owners = users::owner_options(&state.db).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let overdue_date = exercise.due_date.is_some_and(|due| due < today);
    let count = |label: &str| {
        progress
            .iter()
            .filter(|row| state_of(row).0 == label)
            .count()
    };
    let can_manage = user.role.manages_continuity();
    let rows = progress
        .iter()
        .map(|row| {
            let (state_label, state_class) = state_of(row);
            RowView {
                id: row.id,
                service_name: row.service_name.clone(),
                assignee: row.assignee_name.clone().unwrap_or_else(|| "Nobody".into()),
                state: state_label,
                state_class,
                overdue: overdue_date
                    && matches!(state_label, "Not started" | "Draft" | "Returned"),
                last_saved: row
                    .last_saved_at
                    .map(|at| {
                        crate::web::page::format_in_zone(at, &user.time_zone, "%Y-%m-%d %H:%M")
                    })
                    .unwrap_or_default(),
                reminded: row
                    .reminded_at
                    .map(|at| crate::web::page::format_in_zone(at, &user.time_zone, "%Y-%m-%d"))
                    .unwrap_or_default(),
                mtpd: minutes(row.derived_mtpd_minutes),
                rto: minutes(row.approved_rto_minutes.or(row.derived_rto_minutes)),
                rpo: minutes(row.derived_rpo_minutes),
                tier: row
                    .approved_tier_name
                    .clone()
                    .unwrap_or_else(|| tier_name(&method, row.derived_tier_rank)),
                owners: if can_manage {
                    choices::from_rows(
                        &owners,
                        &row.assignee_id.map(|id| id.to_string()).unwrap_or_default(),
                    )
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let scope = if progress.is_empty() {
        exercises::scope(&state.db, exercise.id)
            .await?
            .into_iter()
            .map(|(_, name, _)| name)
            .collect()
    } else {
        Vec::new()
    };
    Ok(ExercisePage {
        ctx: PageContext::new(&user, Area::Bia, exercise.name.clone())
            .crumb("BIA", "/bia")
            .here(exercise.name.clone()),
        status_label: status.label(),
        due: exercise
            .due_date
            .map(|date| date.to_string())
            .unwrap_or_else(|| "—".into()),
        total: progress.len(),
        not_started: count("Not started"),
        drafts: count("Draft"),
        submitted: count("Submitted"),
        returned: count("Returned"),
        approved: count("Approved"),
        next_label: status.next().map(|next| match next {
            ExerciseStatus::Open => "Open the exercise: send the questionnaires",
            ExerciseStatus::InReview => "Move to review",
            ExerciseStatus::Approved => "Approve the exercise",
            _ => "Close the exercise",
        }),
        can_manage,
        rows,
        scope,
        exercise,
    })
}

#[derive(Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    version: i32,
}

pub async fn advance(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<AdvanceForm>,
) -> AppResult<Response> {
    let exercise = load(&state, &id).await?;
    let back = format!("/bia/{}", exercise.id);
    let from = ExerciseStatus::parse(&exercise.status).unwrap_or(ExerciseStatus::Planned);
    let Some(to) = from.next() else {
        flash::set(
            &state.db,
            &user.session_token_hash,
            Flash::error("This exercise is closed."),
        )
        .await?;
        return Ok(Redirect::to(&back).into_response());
    };
    if let Err(refused) = advance_exercise(from, to) {
        flash::set(&state.db, &user.session_token_hash, Flash::error(refused.0)).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    // An exercise is approved only when every one of its assessments is.
    if to == ExerciseStatus::Approved {
        let waiting = assessments::for_exercise(&state.db, exercise.id)
            .await?
            .iter()
            .filter(|row| row.status != AssessmentStatus::Approved.as_str())
            .count();
        if waiting > 0 {
            let message = format!(
                "{waiting} assessment{} still wait{} for approval; approve or return {} first.",
                if waiting == 1 { "" } else { "s" },
                if waiting == 1 { "s" } else { "" },
                if waiting == 1 { "it" } else { "them" }
            );
            flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
            return Ok(Redirect::to(&back).into_response());
        }
    }
    let mut tx = state.db.begin().await?;
    if !exercises::set_status(
        &mut tx,
        &user.actor(),
        exercise.id,
        form.version,
        to.as_str(),
    )
    .await?
    {
        tx.rollback().await?;
        flash::set(
            &state.db,
            &user.session_token_hash,
            Flash::error("Someone else changed this exercise meanwhile; here it is as it is now."),
        )
        .await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let message = if to == ExerciseStatus::Open {
        let created = exercises::create_assessments(&mut tx, &user.actor(), exercise.id).await?;
        format!("The exercise is open: {created} questionnaires are waiting for their owners.")
    } else {
        format!("The exercise is now {}.", to.label().to_lowercase())
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&back).into_response())
}

/// `GET /bia/{id}/results.csv`: one line per service with its derived and approved objectives.
pub async fn results_csv(
    State(state): State<AppState>,
    _reader: Authorized<ReadEverything>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let exercise = load(&state, &id).await?;
    let method: Method = serde_json::from_value(exercise.method.clone())
        .unwrap_or_else(|_| Method::default_method());
    let rows = assessments::for_exercise(&state.db, exercise.id).await?;
    let lines = rows.iter().map(|row| {
        vec![
            row.service_name.clone(),
            row.assignee_name.clone().unwrap_or_default(),
            state_of(row).0.to_string(),
            minutes(row.derived_mtpd_minutes),
            minutes(row.derived_rto_minutes),
            minutes(row.derived_rpo_minutes),
            tier_name(&method, row.derived_tier_rank),
            minutes(row.approved_rto_minutes),
            row.approved_tier_name.clone().unwrap_or_default(),
        ]
    });
    let header = [
        "Service",
        "Owner",
        "State",
        "Derived MTPD",
        "Derived RTO",
        "Derived RPO",
        "Derived tier",
        "Approved RTO",
        "Approved tier",
    ];
    let body = csv_export::to_csv(&header, lines)?;
    Ok(csv_export::download("bia-results", body))
}
