//! A continuity manager's review: return with a comment, approve as derived or with overridden
//! objectives (RTO never above MTPD), reassign, remind.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::load;
use super::page::{DerivedPanel, build, shape};
use crate::auth::Authorized;
use crate::auth::extract::ManageContinuity;
use crate::db::bia::assessments::{self, Approval};
use crate::db::users;
use crate::domain::bia::overrides::check_override;
use crate::domain::duration::Duration;
use crate::domain::questionnaire::Answers;
use crate::domain::workflow::{AssessmentMove, AssessmentStatus, ExerciseStatus, move_assessment};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: i32,
}

/// Where a move lands, or the sentence that refuses it.
fn moved(
    exercise: &str,
    status: &str,
    requested: AssessmentMove,
) -> Result<AssessmentStatus, String> {
    let exercise = ExerciseStatus::parse(exercise).unwrap_or(ExerciseStatus::Planned);
    let from = AssessmentStatus::parse(status).unwrap_or(AssessmentStatus::Draft);
    move_assessment(exercise, from, requested).map_err(|refused| refused.0)
}

pub async fn return_to_owner(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ReturnForm>,
) -> AppResult<Response> {
    let (assessment, _) = load(&state, &user, &id).await?;
    let back = format!("/bia/assessments/{}", assessment.id);
    let comment = form.comment.trim();
    let outcome = match moved(
        &assessment.exercise_status,
        &assessment.status,
        AssessmentMove::Return,
    ) {
        Err(refusal) => Err(refusal),
        Ok(_) if comment.is_empty() => Err(
            "Say what the owner should look at again: a comment is required to return it.".into(),
        ),
        Ok(to) => {
            let mut tx = state.db.begin().await?;
            if assessments::set_status(
                &mut tx,
                &user.actor(),
                assessment.id,
                form.version,
                to.as_str(),
                comment,
            )
            .await?
            {
                tx.commit().await?;
                Ok(format!(
                    "Returned to {} with your comment.",
                    assessment.assignee_name.as_deref().unwrap_or("its owner")
                ))
            } else {
                Err("Someone changed this assessment meanwhile; here it is as it is now.".into())
            }
        }
    };
    let flash = outcome.map_or_else(Flash::error, Flash::success);
    flash::set(&state.db, &user.session_token_hash, flash).await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    rto: String,
    #[serde(default)]
    rpo: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    version: i32,
    /// "yes" once the manager has seen the RTO + WRT warning for these values and approves.
    #[serde(default)]
    confirm: String,
}

pub async fn approve(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ApproveForm>,
) -> AppResult<Response> {
    let (assessment, method) = load(&state, &user, &id).await?;
    let back = format!("/bia/assessments/{}", assessment.id);
    if let Err(refusal) = moved(
        &assessment.exercise_status,
        &assessment.status,
        AssessmentMove::Approve,
    ) {
        flash::set(&state.db, &user.session_token_hash, Flash::error(refusal)).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let (categories, buckets, data_loss) = shape(&method);
    let answers = Answers::from_json(&assessment.answers, &categories, buckets, data_loss);
    let (_, derivation) = DerivedPanel::new(&method, &answers);
    // Each refusal stands next to the field that caused it, in the approval form.
    let mut problems = FieldErrors::default();
    let rto = Duration::parse(&form.rto).unwrap_or_else(|error| {
        problems.add("rto", format!("RTO: {error}"));
        derivation.rto
    });
    let rpo = Duration::parse(&form.rpo).unwrap_or_else(|error| {
        problems.add("rpo", format!("RPO: {error}"));
        derivation.rpo
    });
    let overridden = rto != derivation.rto || rpo != derivation.rpo;
    let wrt = Duration::parse(&answers.wrt).ok();
    let justification = if overridden {
        form.justification.as_str()
    } else {
        "as derived"
    };
    let warnings = match check_override(derivation.mtpd, rto, wrt, justification) {
        Ok(warnings) => warnings,
        Err(refusals) => {
            for refusal in refusals {
                problems.add(refusal.field, refusal.message);
            }
            Vec::new()
        }
    };
    // An override that breaks the recovery budget is approved only with the warning in view.
    let unconfirmed_warning = overridden && !warnings.is_empty() && form.confirm != "yes";
    if !problems.is_empty() || unconfirmed_warning {
        let mut page = build(&state, &user, assessment, &method, answers).await?;
        page.review.rto = form.rto;
        page.review.rpo = form.rpo;
        page.review.justification = form.justification;
        page.review.errors = problems;
        if unconfirmed_warning {
            page.review.budget_warning = Some(warnings.join(" "));
            page.review.confirming = true;
        }
        return Ok(form::rejected(page));
    }
    let tier = method.tier_for(rto);
    let to_i32 = |minutes: i64| i32::try_from(minutes).unwrap_or(i32::MAX);
    let mut tx = state.db.begin().await?;
    let approval = Approval {
        mtpd_minutes: derivation.mtpd.map(|mtpd| to_i32(mtpd.minutes())),
        rto_minutes: to_i32(rto.minutes()),
        rpo_minutes: to_i32(rpo.minutes()),
        tier_rank: i32::from(tier.rank),
        tier_name: &tier.name,
        override_justification: if overridden {
            form.justification.trim()
        } else {
            ""
        },
    };
    let message = if assessments::approve(
        &mut tx,
        &user.actor(),
        assessment.id,
        form.version,
        approval,
    )
    .await?
    {
        let mut message = format!(
            "Approved: {} now carries RTO {rto}, RPO {rpo}, {}.",
            assessment.service_name, tier.name
        );
        for warning in warnings {
            message.push(' ');
            message.push_str(&warning);
        }
        tx.commit().await?;
        Flash::success(message)
    } else {
        // Give the connection back before the flash takes one (STYLE 16).
        tx.rollback().await?;
        Flash::error("Someone changed this assessment meanwhile; here it is as it is now.")
    };
    flash::set(&state.db, &user.session_token_hash, message).await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct ReassignForm {
    #[serde(default)]
    assignee_id: String,
}

pub async fn reassign(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ReassignForm>,
) -> AppResult<Response> {
    let (assessment, _) = load(&state, &user, &id).await?;
    let owners = users::owner_options(&state.db).await?;
    let chosen: Option<&(Uuid, String)> = form
        .assignee_id
        .parse::<Uuid>()
        .ok()
        .and_then(|id| owners.iter().find(|(owner, _)| *owner == id));
    let flash = match chosen {
        Some((assignee, name)) => {
            let mut tx = state.db.begin().await?;
            assessments::reassign(&mut tx, &user.actor(), assessment.id, *assignee).await?;
            tx.commit().await?;
            Flash::success(format!(
                "{} now answers for {}.",
                name, assessment.service_name
            ))
        }
        None => Flash::error("Choose who should answer from the list."),
    };
    flash::set(&state.db, &user.session_token_hash, flash).await?;
    Ok(Redirect::to(&format!("/bia/assessments/{}#reassign", assessment.id)).into_response())
}

pub async fn remind(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (assessment, _) = load(&state, &user, &id).await?;
    let mut tx = state.db.begin().await?;
    assessments::remind(&mut tx, &user.actor(), assessment.id).await?;
    tx.commit().await?;
    let who = assessment.assignee_name.as_deref().unwrap_or("the owner");
    flash::set(
        &state.db,
        &user.session_token_hash,
        Flash::success(format!(
            "Reminder recorded for {who}; it shows on their home page and in the exercise."
        )),
    )
    .await?;
    Ok(Redirect::to(&format!("/bia/{}", assessment.exercise_id)).into_response())
}
