//! Saving a draft (any time, losing nothing), submitting (only when complete, saying exactly what
//! is missing), and the live preview of the derived objectives while the grid changes.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::page::{DerivedPanel, build, grid, shape};
use super::{load, may_answer};
use crate::auth::CurrentUser;
use crate::db::Versioned;
use crate::db::bia::assessments::{self, Assessment, Derived};
use crate::domain::bia::derive::missing_answers;
use crate::domain::bia::method::Method;
use crate::domain::questionnaire::Answers;
use crate::domain::workflow::{AssessmentMove, AssessmentStatus, ExerciseStatus, move_assessment};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::flash::{self, Flash};
use crate::web::form;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

type Pairs = Vec<(String, String)>;

fn version(pairs: &Pairs) -> i32 {
    pairs
        .iter()
        .find(|(name, _)| name == "version")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or_default()
}

/// Refuses changes when the exercise or the assessment no longer takes answers.
fn ensure_editable(user: &CurrentUser, assessment: &Assessment) -> AppResult<Option<String>> {
    if !may_answer(user, assessment) {
        return Err(AppError::Forbidden);
    }
    let exercise =
        ExerciseStatus::parse(&assessment.exercise_status).unwrap_or(ExerciseStatus::Planned);
    let status = AssessmentStatus::parse(&assessment.status).unwrap_or(AssessmentStatus::Draft);
    Ok(if !exercise.accepts_answers() {
        Some(format!(
            "The exercise is {}: answers can no longer change.",
            exercise.label().to_lowercase()
        ))
    } else if !status.editable() {
        Some(format!(
            "This assessment is {}: it can change only when returned.",
            status.label().to_lowercase()
        ))
    } else if !status.answerable_in(exercise) {
        Some(
            "The exercise is in review: answers are frozen unless a continuity manager returns \
             this questionnaire or reopens the exercise."
                .to_owned(),
        )
    } else {
        None
    })
}

enum Saved {
    Done(Box<Assessment>),
    Conflict(Response),
}

/// Stores the answers as typed and what they derive, unless someone saved in between.
async fn store(
    state: &AppState,
    user: &CurrentUser,
    assessment: &Assessment,
    method: &Method,
    pairs: &Pairs,
) -> AppResult<(Saved, Answers)> {
    let (categories, buckets, data_loss) = shape(method);
    let answers = Answers::from_form(pairs, &categories, buckets, data_loss);
    let (_, derivation) = DerivedPanel::new(method, &answers);
    let to_i32 = |minutes: i64| i32::try_from(minutes).ok();
    let derived = if answers.is_started() {
        Derived {
            mtpd_minutes: derivation.mtpd.and_then(|mtpd| to_i32(mtpd.minutes())),
            rto_minutes: to_i32(derivation.rto.minutes()),
            rpo_minutes: to_i32(derivation.rpo.minutes()),
            tier_rank: Some(i32::from(derivation.tier.rank)),
        }
    } else {
        Derived::default()
    };
    let json = serde_json::to_value(&answers).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    match assessments::save_answers(
        &mut tx,
        &user.actor(),
        assessment.id,
        version(pairs),
        &json,
        derived,
    )
    .await?
    {
        Versioned::Saved(saved) => {
            tx.commit().await?;
            Ok((Saved::Done(Box::new(saved)), answers))
        }
        Versioned::Stale(current) => {
            tx.rollback().await?;
            Ok((Saved::Conflict(conflict(user, pairs, &current)?), answers))
        }
    }
}

fn conflict(user: &CurrentUser, pairs: &Pairs, current: &Assessment) -> AppResult<Response> {
    let href = format!("/bia/assessments/{}", current.id);
    let saved_at = current
        .last_saved_at
        .map(|at| crate::web::page::format_in_zone(at, &user.time_zone, "%Y-%m-%d %H:%M"))
        .unwrap_or_default();
    ConflictPage {
        ctx: PageContext::new(user, Area::Bia, "Someone else saved first")
            .crumb("BIA", "/bia")
            .here("Conflict"),
        subject: format!("the BIA questionnaire of {}", current.service_name),
        fields: vec![
            ConflictField::new(
                "Last saved",
                "your answers, not saved yet",
                format!("{saved_at} (version {})", current.version),
            ),
            ConflictField::new(
                "Derived RTO",
                "recomputed when you save",
                crate::routes::bia::minutes(current.derived_rto_minutes),
            ),
        ],
        hidden: pairs
            .iter()
            .filter(|(name, _)| name != "version")
            .cloned()
            .collect(),
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}

pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let (assessment, method) = load(&state, &user, &id).await?;
    let back = format!("/bia/assessments/{}", assessment.id);
    if let Some(refusal) = ensure_editable(&user, &assessment)? {
        flash::set(&state.db, &user.session_token_hash, Flash::error(refusal)).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    match store(&state, &user, &assessment, &method, &pairs).await?.0 {
        Saved::Done(_) => {
            flash::set(
                &state.db,
                &user.session_token_hash,
                Flash::success("Draft saved. You can come back to it any time."),
            )
            .await?;
            Ok(Redirect::to(&back).into_response())
        }
        Saved::Conflict(response) => Ok(response),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let (assessment, method) = load(&state, &user, &id).await?;
    let back = format!("/bia/assessments/{}", assessment.id);
    if let Some(refusal) = ensure_editable(&user, &assessment)? {
        flash::set(&state.db, &user.session_token_hash, Flash::error(refusal)).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    // The answers are kept whatever happens next.
    let (saved, answers) = match store(&state, &user, &assessment, &method, &pairs).await? {
        (Saved::Done(saved), answers) => (*saved, answers),
        (Saved::Conflict(response), _) => return Ok(response),
    };
    let missing = missing_answers(
        &method,
        &grid(&answers),
        &answers.data_loss,
        &answers.justifications,
    );
    if !missing.is_empty() {
        let mut page = build(&state, &user, saved, &method, answers).await?;
        page.missing = missing;
        return Ok(form::rejected(page));
    }
    let exercise = ExerciseStatus::parse(&saved.exercise_status).unwrap_or(ExerciseStatus::Planned);
    let from = AssessmentStatus::parse(&saved.status).unwrap_or(AssessmentStatus::Draft);
    let to = move_assessment(exercise, from, AssessmentMove::Submit)
        .map_err(|refused| AppError::BadRequest(refused.0))?;
    let mut tx = state.db.begin().await?;
    let moved = assessments::set_status(
        &mut tx,
        &user.actor(),
        saved.id,
        saved.version,
        to.as_str(),
        "",
    )
    .await?;
    let message = if moved {
        Flash::success(
            "Submitted. A continuity manager will review it; you will see any comment here.",
        )
    } else {
        // Someone changed it between the save above and the move: the answers are saved, the
        // submission is not.
        Flash::error(
            "Saved, but not submitted: someone changed this questionnaire meanwhile. Check it and submit again.",
        )
    };
    flash::set(&mut *tx, &user.session_token_hash, message).await?;
    tx.commit().await?;
    Ok(Redirect::to(&back).into_response())
}

/// `POST /bia/assessments/{id}/preview`: the derived panel for the answers as they stand in the
/// browser (nothing is saved), for htmx to swap in while the owner fills the grid.
pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let (_, method) = load(&state, &user, &id).await?;
    let (categories, buckets, data_loss) = shape(&method);
    let answers = Answers::from_form(&pairs, &categories, buckets, data_loss);
    let (panel, _) = DerivedPanel::new(&method, &answers);
    Ok(Html(panel.render().map_err(anyhow::Error::from)?).into_response())
}
