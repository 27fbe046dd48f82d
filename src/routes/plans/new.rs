//! `GET /plans/new` and `POST /plans`: starting a plan. It begins as version 1, a draft with the
//! kind's usual sections, and opens in the draft editor.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::draft_form::check_title;
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::catalogue::WriteError;
use crate::db::plans::records as plans;
use crate::domain::graph::NodeKind;
use crate::domain::plan::content::{PlanContent, PlanKind};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};

#[derive(Deserialize, Default)]
pub struct NewPlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    service: Vec<String>,
    /// The services picker's search text, and whether its Find button sent the form.
    #[serde(default)]
    pick: String,
    #[serde(default)]
    find: String,
}

pub struct KindChoice {
    value: &'static str,
    label: &'static str,
    help: &'static str,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/new.html")]
pub struct NewPlanPage {
    ctx: PageContext,
    form: NewPlanForm,
    errors: FieldErrors,
    kinds: Vec<KindChoice>,
    services: MultiPicker,
    owner_only: bool,
}

impl NewPlanPage {
    fn services_help(&self) -> &'static str {
        if self.owner_only {
            "Your services. The plan's estimated recovery time is checked against each one's RTO, and its review interval follows the most critical tier."
        } else {
            "The plan's estimated recovery time is checked against each one's RTO, and its review interval follows the most critical tier."
        }
    }
}

/// The services picker with what the form ticked: owners choose among their own services;
/// managers among all.
async fn picker(
    state: &AppState,
    user: &CurrentUser,
    form: &NewPlanForm,
) -> AppResult<MultiPicker> {
    let owner = (!user.role.manages_continuity()).then_some(user.id);
    MultiPicker::build(
        state,
        "service",
        &[NodeKind::Service],
        owner,
        (&multi::ids(&form.service), &[]),
        &form.pick,
    )
    .await
}

fn page(
    user: &CurrentUser,
    form: NewPlanForm,
    errors: FieldErrors,
    services: MultiPicker,
) -> NewPlanPage {
    NewPlanPage {
        ctx: PageContext::new(user, Area::Plans, "New plan")
            .crumb("Plans", "/plans")
            .here("New plan"),
        kinds: PlanKind::ALL
            .iter()
            .filter(|kind| kind.is_operational() || user.role.manages_continuity())
            .map(|kind| KindChoice {
                value: kind.as_str(),
                label: kind.label(),
                help: kind.description(),
                checked: form.kind == kind.as_str(),
            })
            .collect(),
        services,
        owner_only: !user.role.manages_continuity(),
        form,
        errors,
    }
}

pub async fn form(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
) -> AppResult<NewPlanPage> {
    let form = NewPlanForm {
        kind: PlanKind::Recovery.as_str().to_owned(),
        ..NewPlanForm::default()
    };
    let services = picker(&state, &user, &form).await?;
    Ok(page(&user, form, FieldErrors::default(), services))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Form(form): Form<NewPlanForm>,
) -> AppResult<Response> {
    let services = picker(&state, &user, &form).await?;
    if !form.find.is_empty() {
        return Ok(page(&user, form, FieldErrors::default(), services).into_response());
    }
    let mut errors = FieldErrors::default();
    let kind = PlanKind::parse(&form.kind)
        .filter(|kind| kind.is_operational() || user.role.manages_continuity());
    if kind.is_none() {
        errors.add("kind", "Choose what kind of plan this is.");
    }
    check_title(&form.title, &mut errors);
    let title = form.title.trim();
    let chosen = services.chosen_ids();
    if chosen.len() < multi::ids(&form.service).len() {
        errors.add("service", "Choose among the listed services.");
    }
    if chosen.is_empty() && kind.is_some_and(PlanKind::is_operational) {
        errors.add(
            "service",
            if user.role.manages_continuity() {
                "Choose the services this plan covers."
            } else {
                "Choose at least one of your services: owners write plans for their own services."
            },
        );
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return Ok(form::rejected(page(&user, form, errors, services)));
    };
    let content = PlanContent::starting(kind, chosen.clone());
    let json = serde_json::to_value(&content).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    match plans::create(
        &mut tx,
        &user.actor(),
        kind.as_str(),
        title,
        &chosen,
        &json,
        None,
    )
    .await
    {
        Ok(id) => {
            flash::set(
                &mut *tx,
                &user.session_token_hash,
                Flash::success(format!(
                    "Plan “{title}” started: version 1 is a draft. Fill it in and save."
                )),
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/plans/{id}/edit")).into_response())
        }
        Err(WriteError::Duplicate { field, message }) => {
            errors.add(field, message);
            Ok(form::rejected(page(&user, form, errors, services)))
        }
        Err(WriteError::Database(error)) => Err(error.into()),
    }
}
