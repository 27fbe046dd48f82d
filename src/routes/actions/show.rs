//! `GET /actions/{id}`: one improvement action — what it asks, where it comes from, who does it
//! by when, its evidence and its story — with the steps the viewer may take now (start, mark
//! done with evidence, verify or send back), and archiving for continuity managers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::{load, may_edit};
use crate::auth::extract::{DraftPlans, ManageContinuity};
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::actions::{self, Action, StepRow};
use crate::domain::action::{self as rules, ActionStatus, Mover, Step};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{self, ArchiveForm, ArchiveWords};

/// A step button; `needs_text` asks for evidence or a note with it.
pub struct StepButton {
    value: &'static str,
    label: &'static str,
    needs_text: bool,
    text_label: &'static str,
    primary: bool,
}

fn button(step: Step) -> StepButton {
    let (needs_text, text_label) = match step {
        Step::Start => (false, ""),
        Step::MarkDone => (true, "Evidence: what was done, and where it can be checked"),
        Step::Verify => (
            true,
            "How you checked the evidence — or, to send it back, what is still missing",
        ),
        Step::SendBack => (true, "What is still missing"),
    };
    StepButton {
        value: step.as_str(),
        label: step.label(),
        needs_text,
        text_label,
        primary: matches!(step, Step::MarkDone | Step::Verify),
    }
}

/// What was typed into a refused step, shown again with its message.
#[derive(Default)]
pub struct Attempt {
    step: String,
    text: String,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "actions/show.html")]
pub struct ActionPage {
    ctx: PageContext,
    action: Action,
    reference: String,
    status: ActionStatus,
    overdue: bool,
    due_phrase: String,
    source: String,
    risk_href: Option<String>,
    risk_label: String,
    story: Vec<StepRow>,
    text_steps: Vec<StepButton>,
    plain_steps: Vec<StepButton>,
    attempt: Attempt,
    can_edit: bool,
    can_archive: bool,
    time_zone: jiff::tz::TimeZone,
}

impl ActionPage {
    fn at(&self, at: &OffsetDateTime) -> String {
        crate::web::page::format_in_zone(*at, &self.time_zone, "%Y-%m-%d %H:%M")
    }

    fn status_label(&self, value: &str) -> &'static str {
        ActionStatus::parse(value).map_or("", ActionStatus::label)
    }
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn mover(user: &CurrentUser) -> Mover {
    Mover {
        user: user.id,
        manages_continuity: user.role.manages_continuity(),
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    action: Action,
    attempt: Attempt,
) -> AppResult<ActionPage> {
    let story = actions::story(&state.db, action.id).await?;
    let reference = action.reference();
    let status = action.status();
    let steps: Vec<StepButton> = rules::steps_open_to(&action.state(), mover(user))
        .into_iter()
        .map(button)
        .collect();
    let (text_steps, plain_steps) = steps.into_iter().partition(|step| step.needs_text);
    Ok(ActionPage {
        ctx: PageContext::new(user, Area::Actions, format!("{reference} {}", action.title))
            .crumb("Actions", "/actions")
            .here(reference.clone()),
        reference,
        status,
        overdue: rules::is_overdue(status, action.due_on, today()),
        due_phrase: rules::due_phrase(action.due_on, today()),
        source: action.source().label().to_owned(),
        risk_href: action
            .risk_id
            .map(|id| format!("/risks/{id}"))
            .or_else(|| {
                action
                    .finding_test_id
                    .map(|test| format!("/tests/{test}#findings"))
            })
            .or_else(|| {
                action
                    .gap_service_id
                    .map(|service| format!("/services/{service}#strategy"))
            }),
        risk_label: match (action.risk_number, action.finding_number) {
            (Some(number), _) => format!(
                "{} {}",
                crate::db::risks::records::reference(number),
                action.risk_title.clone().unwrap_or_default()
            ),
            (None, Some(number)) => format!("finding F-{number:04}"),
            (None, None) => action
                .gap_service_name
                .as_ref()
                .map(|name| format!("the recovery gap of {name}"))
                .unwrap_or_default(),
        },
        story,
        text_steps,
        plain_steps,
        attempt,
        can_edit: may_edit(user, &action),
        can_archive: user.role.manages_continuity(),
        time_zone: user.time_zone.clone(),
        action,
    })
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<ActionPage> {
    let action = load(&state, &id).await?;
    render(&state, &user, action, Attempt::default()).await
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    /// The evidence or the verifier's note: a text area (several lines kept).
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: i32,
}

const MAX_TEXT: usize = 5000;

pub async fn step(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> AppResult<Response> {
    let action = load(&state, &id).await?;
    // Who may take a step at all is a matter of rights (403); the rest is said on the page.
    let mover = mover(&user);
    if !mover.manages_continuity && action.owner_id != user.id {
        return Err(AppError::Forbidden);
    }
    let Some(step) = Step::parse(form.step.trim()) else {
        return Err(AppError::BadRequest(
            "Choose a step from the action's page.".into(),
        ));
    };
    if matches!(step, Step::Verify | Step::SendBack) && !mover.manages_continuity {
        return Err(AppError::Forbidden);
    }
    let href = format!("/actions/{}", action.id);
    let refuse = |error: String| Attempt {
        step: step.as_str().to_owned(),
        text: form.notes.clone(),
        error,
    };
    if form.notes.chars().count() > MAX_TEXT {
        let attempt = refuse(format!("Keep this under {MAX_TEXT} characters."));
        return Ok(form::rejected(
            render(&state, &user, action, attempt).await?,
        ));
    }
    if form.version != action.version {
        let attempt = refuse(
            "Someone changed this action while you were reading it: here it is as it stands now. Take the step again if it still applies."
                .to_owned(),
        );
        return Ok((
            axum::http::StatusCode::CONFLICT,
            render(&state, &user, action, attempt).await?,
        )
            .into_response());
    }
    let to = match rules::take(step, &action.state(), mover, &form.notes) {
        Ok(to) => to,
        Err(reason) => {
            let attempt = refuse(reason.to_owned());
            return Ok(form::rejected(
                render(&state, &user, action, attempt).await?,
            ));
        }
    };
    let mut tx = state.db.begin().await?;
    match actions::take_step(&mut tx, &user.actor(), &action, step, to, &form.notes).await? {
        Versioned::Saved(saved) => {
            let message = format!(
                "Action {}: {}.",
                saved.reference(),
                to.label().to_lowercase()
            );
            flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
            tx.commit().await?;
            Ok(Redirect::to(&href).into_response())
        }
        Versioned::Stale(current) => {
            tx.rollback().await?;
            let attempt = refuse(
                "Someone changed this action just now: here it is as it stands. Take the step again if it still applies."
                    .to_owned(),
            );
            Ok((
                axum::http::StatusCode::CONFLICT,
                render(&state, &user, current, attempt).await?,
            )
                .into_response())
        }
    }
}

pub async fn archive(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ArchiveForm>,
) -> AppResult<Response> {
    let action = load(&state, &id).await?;
    let archived = form.archives();
    let mut tx = state.db.begin().await?;
    let changed = actions::set_archived(&mut tx, &user.actor(), action.id, archived)
        .await
        .map_err(Into::into);
    let words = ArchiveWords {
        subject: format!("Action {}", action.reference()),
        consequence: "it leaves the lists of work and no longer counts as overdue.",
    };
    let href = format!("/actions/{}", action.id);
    record::conclude_archive(&state, tx, &user, archived, changed, words, &href).await
}
