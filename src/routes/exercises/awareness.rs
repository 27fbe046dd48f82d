//! `GET /tests/awareness`: the awareness register. Everyone holding a role, or standing in as
//! alternate, in an approved plan is expected to have acknowledged the version in force and to
//! have taken part in a test or a training session of the plan within its tier's interval; the
//! register shows per plan and person who is current, who is not and why. Also recording a
//! training session (continuity managers).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::exercises::awareness::{self, TrainingFields};
use crate::db::exercises::records;
use crate::db::plans::people;
use crate::domain::date::parse_date;
use crate::domain::exercise::awareness::{Practice, currency};
use crate::domain::exercise::programme::interval_months;
use crate::domain::plan::content::PlanContent;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::choices::OptionView;
use crate::web::flash::{self, Flash};
use crate::web::form::FieldErrors;
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::paging::Pages;

pub struct PersonLine {
    pub plan: String,
    pub plan_href: String,
    pub person: String,
    pub roles: String,
    pub acknowledged: bool,
    pub practised: String,
    pub current: bool,
    pub reasons: Vec<String>,
}

pub struct TrainingView {
    pub topic: String,
    pub plan: String,
    pub plan_href: String,
    pub held_on: String,
    pub trainer: String,
    pub attendees: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/awareness.html")]
pub struct AwarenessPage {
    ctx: PageContext,
    lines: Vec<PersonLine>,
    pages: Pages,
    current: usize,
    not_current: usize,
    only_lapsed: bool,
    training: Vec<TrainingView>,
    may_train: bool,
}

#[derive(Deserialize, Default)]
pub struct AwarenessQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    page: String,
}

fn ranks(values: &[i32]) -> Vec<u8> {
    values
        .iter()
        .filter_map(|rank| u8::try_from(*rank).ok())
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AwarenessQuery>,
) -> AppResult<AwarenessPage> {
    let today = OffsetDateTime::now_utc().date();
    let mut conn = state.db.acquire().await?;
    let (method, _) = crate::db::bia::method::current(&mut *conn).await?;
    let plans = awareness::plans(&mut *conn).await?;
    let versions: Vec<Uuid> = plans.iter().map(|plan| plan.version_id).collect();
    let contents: Vec<PlanContent> = plans
        .iter()
        .map(|plan| serde_json::from_value(plan.content.clone()).unwrap_or_default())
        .collect();
    let holders: Vec<Uuid> = contents
        .iter()
        .flat_map(PlanContent::role_holders)
        .collect();
    let practice = awareness::practice(&mut conn, &versions, &holders).await?;
    let training = awareness::recent_training(&mut *conn, 20).await?;
    drop(conn);
    let mut lines = Vec::new();
    for (plan, content) in plans.iter().zip(&contents) {
        let months = interval_months(&method.tiers, &ranks(&plan.tier_ranks));
        let mut roles_of: Vec<(Uuid, Vec<String>)> = Vec::new();
        for role in &content.roles {
            for (person, label) in [
                (role.person, role.name.clone()),
                (role.alternate, format!("{} (alternate)", role.name)),
            ] {
                let Some(person) = person else { continue };
                match roles_of.iter_mut().find(|(id, _)| *id == person) {
                    Some((_, labels)) => labels.push(label),
                    None => roles_of.push((person, vec![label])),
                }
            }
        }
        for (person, roles) in roles_of {
            let acknowledged = practice.acknowledged.contains(&(plan.version_id, person));
            let standing = currency(
                acknowledged,
                practice.last_tested.get(&(plan.plan_id, person)).copied(),
                practice.last_trained.get(&(plan.plan_id, person)).copied(),
                months,
                today,
            );
            lines.push(PersonLine {
                plan: format!("{} (version {})", plan.title, plan.version_number),
                plan_href: format!("/plans/{}", plan.plan_id),
                person: practice
                    .names
                    .get(&person)
                    .cloned()
                    .unwrap_or_else(|| "someone no longer in the directory".to_owned()),
                roles: roles.join(", "),
                acknowledged,
                practised: match standing.practice {
                    Practice::Within { last, until } => format!("{last}, current until {until}"),
                    Practice::Lapsed { last, .. } => last.to_string(),
                    Practice::Never => "never".to_owned(),
                },
                current: standing.is_current(),
                reasons: standing.reasons(),
            });
        }
    }
    let current = lines.iter().filter(|line| line.current).count();
    let not_current = lines.len() - current;
    let only_lapsed = query.show == "not_current";
    if only_lapsed {
        lines.retain(|line| !line.current);
    }
    let pages = Pages::of_size(lines.len(), &query.page, 100);
    Ok(AwarenessPage {
        ctx: PageContext::new(&user, Area::Tests, "Awareness register")
            .crumb("Tests", "/tests")
            .here("Awareness"),
        lines: pages.slice_of(lines, 100),
        pages,
        current,
        not_current,
        only_lapsed,
        training: training
            .into_iter()
            .map(|session| TrainingView {
                topic: session.topic,
                plan: session.plan_title,
                plan_href: format!("/plans/{}", session.plan_id),
                held_on: session.held_on.to_string(),
                trainer: session.trainer,
                attendees: session.attendees,
            })
            .collect(),
        may_train: user.role.manages_continuity(),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct TrainingForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    trainer: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    attendee: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/training.html")]
pub struct TrainingPage {
    ctx: PageContext,
    form: TrainingForm,
    errors: FieldErrors,
    plans: Vec<OptionView>,
    people: Vec<OptionView>,
}

async fn training_page(
    state: &AppState,
    user: &CurrentUser,
    form: TrainingForm,
    errors: FieldErrors,
) -> AppResult<TrainingPage> {
    let plans: Vec<(Uuid, String)> = records::plan_choices(&state.db)
        .await?
        .into_iter()
        .map(|plan| (plan.id, plan.title))
        .collect();
    let people: Vec<OptionView> = people::all(&state.db)
        .await?
        .into_iter()
        .map(|person| OptionView {
            selected: form
                .attendee
                .iter()
                .any(|a| a.trim() == person.id.to_string()),
            value: person.id.to_string(),
            label: person.name,
            help: "",
        })
        .collect();
    Ok(TrainingPage {
        ctx: PageContext::new(user, Area::Tests, "Record a training session")
            .crumb("Tests", "/tests")
            .crumb("Awareness", "/tests/awareness")
            .here("Training"),
        plans: crate::web::choices::from_rows(&plans, &form.plan),
        people,
        form,
        errors,
    })
}

pub async fn new_training(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<TrainingPage> {
    let form = TrainingForm {
        held_on: OffsetDateTime::now_utc().date().to_string(),
        ..TrainingForm::default()
    };
    training_page(&state, &user, form, FieldErrors::default()).await
}

pub async fn create_training(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<TrainingForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let topic = form.topic.trim();
    if topic.is_empty() || topic.chars().count() > 200 {
        errors.add("topic", "Say what the session covered, e.g. “Walk-through of the ERP recovery runbook” (at most 200 characters).");
    }
    let plans = records::plan_choices(&state.db).await?;
    let plan = form
        .plan
        .trim()
        .parse::<Uuid>()
        .ok()
        .filter(|id| plans.iter().any(|plan| plan.id == *id));
    if plan.is_none() {
        errors.add("plan", "Choose the approved plan the session trained.");
    }
    let today = OffsetDateTime::now_utc().date();
    let held_on = match parse_date(&form.held_on) {
        Ok(date) if date > today => {
            errors.add(
                "held_on",
                "Record a session once it was held: the date cannot be in the future.",
            );
            None
        }
        Ok(date) => Some(date),
        Err(error) => {
            errors.add("held_on", format!("Enter the date it was held. {error}"));
            None
        }
    };
    if form.trainer.chars().count() > 200 {
        errors.add("trainer", "Keep the trainer's name under 200 characters.");
    }
    if form.notes.chars().count() > 5000 {
        errors.add("notes", "Keep the notes under 5000 characters.");
    }
    let directory: HashMap<Uuid, ()> = people::all(&state.db)
        .await?
        .into_iter()
        .map(|person| (person.id, ()))
        .collect();
    let mut attendees = Vec::new();
    for value in form.attendee.iter().filter(|v| !v.trim().is_empty()) {
        match value
            .trim()
            .parse::<Uuid>()
            .ok()
            .filter(|id| directory.contains_key(id))
        {
            Some(id) if !attendees.contains(&id) => attendees.push(id),
            Some(_) => {}
            None => errors.add(
                "attendee",
                "One of the attendees is not in the directory (any more).",
            ),
        }
    }
    if attendees.is_empty() && !errors.has("attendee") {
        errors.add("attendee", "Tick who attended.");
    }
    let (Some(plan_id), Some(held_on)) = (plan, held_on) else {
        let page = training_page(&state, &user, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    if !errors.is_empty() {
        let page = training_page(&state, &user, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let fields = TrainingFields {
        topic: topic.to_owned(),
        plan_id,
        held_on,
        trainer: form.trainer.trim().to_owned(),
        notes: form.notes.clone(),
        attendees,
    };
    let mut tx = state.db.begin().await?;
    awareness::create_training(&mut tx, &user.actor(), &fields).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Training recorded: {} attendee{} now practised in the plan.",
            fields.attendees.len(),
            if fields.attendees.len() == 1 { "" } else { "s" }
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/tests/awareness").into_response())
}
