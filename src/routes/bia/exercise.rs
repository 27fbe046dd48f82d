//! `GET /bia/{id}`: an exercise at a glance — progress, who is late, results — with the
//! manager's actions; `POST /bia/{id}/advance` moves it on (with a confirmation when moving to
//! review leaves questionnaires unanswered), `POST /bia/{id}/reopen` takes a review back to open;
//! its results as CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::TryStreamExt;
use serde::Deserialize;
use uuid::Uuid;

use super::assessment_list::STATES;
use super::minutes;
use crate::auth::extract::{ManageContinuity, ReadEverything};
use crate::auth::{Authorized, CurrentUser};
use crate::db::bia::assessments::{self, ProgressRow};
use crate::db::bia::exercises::{self, Exercise};
use crate::domain::bia::method::Method;
use crate::domain::workflow::{
    AssessmentStatus, ExerciseStatus, advance_exercise, reopen_exercise,
};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
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
}

/// One of the exercise's progress counts, leading to the questionnaires it counts.
pub struct StateCount {
    pub label: &'static str,
    pub count: i64,
    pub href: String,
}

/// How many questionnaires the exercise page lists; the rest are a click away, filtered.
const SHOWN: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "bia/exercise.html")]
pub struct ExercisePage {
    ctx: PageContext,
    exercise: Exercise,
    status_label: &'static str,
    due: String,
    rows: Vec<RowView>,
    total: i64,
    answered: i64,
    counts: Vec<StateCount>,
    all_href: String,
    next_label: Option<&'static str>,
    /// What moving to review leaves behind, when anything does: the confirmation states it.
    outstanding: Option<String>,
    can_reopen: bool,
    can_manage: bool,
    scope: Vec<String>,
}

impl ExercisePage {
    /// Whether the exercise has more questionnaires than the page lists.
    fn shows_only_some(&self) -> bool {
        self.total > self.rows.len() as i64
    }
}

/// The state shown for an assessment: "not started" is a draft nobody has saved yet.
fn state_of(row: &ProgressRow) -> (&'static str, &'static str) {
    let key = if row.status == AssessmentStatus::Draft.as_str() && row.last_saved_at.is_none() {
        "not_started"
    } else {
        row.status.as_str()
    };
    STATES
        .iter()
        .find(|(state, _, _)| *state == key)
        .map_or(("Unknown", "badge-grey"), |(_, label, class)| {
            (*label, *class)
        })
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

/// "19 not started, 3 draft and 2 returned", or `None` when every questionnaire is submitted
/// or approved.
fn outstanding(counts: &[(String, i64)]) -> Option<String> {
    let parts: Vec<String> = ["not_started", "draft", "returned"]
        .iter()
        .filter_map(|key| {
            let count = counts.iter().find(|(state, _)| state == key)?.1;
            let label = STATES.iter().find(|(state, _, _)| state == key)?.1;
            (count > 0).then(|| format!("{count} {}", label.to_lowercase()))
        })
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
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
    let state_counts = assessments::state_counts(&state.db, exercise.id).await?;
    let progress = assessments::needing_attention(&state.db, exercise.id, SHOWN).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let overdue_date = exercise.due_date.is_some_and(|due| due < today);
    let count_of = |key: &str| {
        state_counts
            .iter()
            .find(|(state, _)| state == key)
            .map_or(0, |(_, count)| *count)
    };
    let total: i64 = state_counts.iter().map(|(_, count)| count).sum();
    let all_href = format!("/bia/assessments?exercise={}", exercise.id);
    let counts = STATES
        .iter()
        .map(|(key, label, _)| StateCount {
            label,
            count: count_of(key),
            href: format!("{all_href}&state={key}"),
        })
        .collect();
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
            }
        })
        .collect();
    let scope = if total == 0 {
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
        total,
        answered: count_of("submitted") + count_of("approved"),
        counts,
        all_href,
        next_label: status.next().map(|next| match next {
            ExerciseStatus::Open => "Open the exercise: send the questionnaires",
            ExerciseStatus::InReview => "Move to review",
            ExerciseStatus::Approved => "Approve the exercise",
            _ => "Close the exercise",
        }),
        outstanding: (status == ExerciseStatus::Open)
            .then(|| outstanding(&state_counts))
            .flatten(),
        can_reopen: can_manage && reopen_exercise(status).is_ok(),
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
    /// "yes" when the manager confirmed moving to review with questionnaires still outstanding.
    #[serde(default)]
    confirm: String,
}

async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    back: &str,
    message: String,
) -> AppResult<Response> {
    flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
    Ok(Redirect::to(back).into_response())
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
        return refuse(&state, &user, &back, "This exercise is closed.".into()).await;
    };
    if let Err(refused) = advance_exercise(from, to) {
        return refuse(&state, &user, &back, refused.0).await;
    }
    let counts = assessments::state_counts(&state.db, exercise.id).await?;
    // Moving to review freezes what owners have not submitted: only with the manager's eyes open.
    if to == ExerciseStatus::InReview
        && form.confirm != "yes"
        && let Some(left) = outstanding(&counts)
    {
        let message = format!(
            "Not moved to review: {left} questionnaire(s) are not submitted yet. Confirm to move \
             anyway; their owners can then no longer change them."
        );
        return refuse(&state, &user, &back, message).await;
    }
    // An exercise is approved only when every one of its assessments is.
    if to == ExerciseStatus::Approved {
        let waiting: i64 = counts
            .iter()
            .filter(|(state, _)| state != AssessmentStatus::Approved.as_str())
            .map(|(_, count)| count)
            .sum();
        if waiting > 0 {
            let message = format!(
                "{waiting} assessment{} still wait{} for approval; approve or return {} first.",
                if waiting == 1 { "" } else { "s" },
                if waiting == 1 { "s" } else { "" },
                if waiting == 1 { "it" } else { "them" }
            );
            return refuse(&state, &user, &back, message).await;
        }
    }
    move_exercise(&state, &user, &exercise, form.version, to).await
}

/// `POST /bia/{id}/reopen`: back from review to open, so that owners can answer again.
pub async fn reopen(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<AdvanceForm>,
) -> AppResult<Response> {
    let exercise = load(&state, &id).await?;
    let from = ExerciseStatus::parse(&exercise.status).unwrap_or(ExerciseStatus::Planned);
    match reopen_exercise(from) {
        Ok(to) => move_exercise(&state, &user, &exercise, form.version, to).await,
        Err(refused) => refuse(&state, &user, &format!("/bia/{}", exercise.id), refused.0).await,
    }
}

/// Records the move (guarded by the row version) and says what it did.
async fn move_exercise(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    version: i32,
    to: ExerciseStatus,
) -> AppResult<Response> {
    let back = format!("/bia/{}", exercise.id);
    let mut tx = state.db.begin().await?;
    if !exercises::set_status(&mut tx, &user.actor(), exercise.id, version, to.as_str()).await? {
        tx.rollback().await?;
        let message = "Someone else changed this exercise meanwhile; here it is as it is now.";
        return refuse(state, user, &back, message.into()).await;
    }
    let message = if to == ExerciseStatus::Open && exercise.status == "planned" {
        let created = exercises::create_assessments(&mut tx, &user.actor(), exercise.id).await?;
        format!("The exercise is open: {created} questionnaires are waiting for their owners.")
    } else if to == ExerciseStatus::Open {
        "The exercise is open again: owners can answer and submit their questionnaires.".to_owned()
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
    let db = state.db.clone();
    let exercise_id = exercise.id;
    Ok(csv_export::stream_download(
        "bia-results",
        &header,
        move |mut sink| async move {
            let mut rows = assessments::stream_for_exercise(&db, exercise_id);
            while let Some(row) = rows.try_next().await? {
                let cells = [
                    row.service_name.clone(),
                    row.assignee_name.clone().unwrap_or_default(),
                    state_of(&row).0.to_string(),
                    minutes(row.derived_mtpd_minutes),
                    minutes(row.derived_rto_minutes),
                    minutes(row.derived_rpo_minutes),
                    tier_name(&method, row.derived_tier_rank),
                    minutes(row.approved_rto_minutes),
                    row.approved_tier_name.clone().unwrap_or_default(),
                ];
                if !sink.row(&cells).await? {
                    break;
                }
            }
            drop(rows);
            Ok(sink)
        },
    )?)
}
