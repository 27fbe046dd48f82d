//! Creating and editing a business process (continuity managers).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::super::parse_id;
use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::catalogue::org_units;
use crate::db::catalogue::processes::{self, Process, ProcessFields};
use crate::db::users;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

#[derive(Deserialize, Default, garde::Validate)]
pub struct ProcessForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200), custom(crate::web::form::not_blank))]
    name: String,
    #[serde(default)]
    #[garde(length(max = 5000))]
    description: String,
    #[serde(default)]
    #[garde(skip)]
    owner_id: String,
    #[serde(default)]
    #[garde(skip)]
    org_unit_id: String,
    #[serde(default)]
    #[garde(length(max = 500))]
    peak_periods: String,
    #[serde(default)]
    #[garde(skip)]
    version: i32,
}

/// The choices a process form offers, loaded once per request.
struct Choices {
    owners: Vec<(Uuid, String)>,
    units: Vec<(Uuid, String)>,
}

async fn choices_for(state: &AppState) -> AppResult<Choices> {
    Ok(Choices {
        owners: users::owner_options(&state.db).await?,
        units: org_units::options(&state.db).await?,
    })
}

impl ProcessForm {
    fn from_process(process: &Process) -> Self {
        Self {
            name: process.name.clone(),
            description: process.description.clone(),
            owner_id: process
                .owner_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            org_unit_id: process
                .org_unit_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            peak_periods: process.peak_periods.clone(),
            version: process.version,
        }
    }

    fn check(&self, choices: &Choices) -> Result<ProcessFields, FieldErrors> {
        let mut errors = FieldErrors::validate(
            self,
            &[
                ("name", "Enter the process's name (at most 200 characters)."),
                ("description", "Keep the description under 5000 characters."),
                (
                    "peak_periods",
                    "Keep the peak periods under 500 characters.",
                ),
            ],
        );
        let owner_id =
            choices::parse_optional_id(&self.owner_id, &choices.owners).unwrap_or_else(|_| {
                errors.add("owner_id", "Choose the owner from the list.");
                None
            });
        let org_unit_id = choices::parse_optional_id(&self.org_unit_id, &choices.units)
            .unwrap_or_else(|_| {
                errors.add("org_unit_id", "Choose the unit from the list.");
                None
            });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ProcessFields {
            name: self.name.clone(),
            description: self.description.clone(),
            owner_id,
            org_unit_id,
            peak_periods: self.peak_periods.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/processes/form.html")]
pub struct ProcessFormPage {
    ctx: PageContext,
    form: ProcessForm,
    errors: FieldErrors,
    owners: Vec<OptionView>,
    units: Vec<OptionView>,
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: ProcessForm,
    errors: FieldErrors,
    choices: &Choices,
    existing: Option<&Process>,
) -> ProcessFormPage {
    let title = existing.map_or("New business process".to_string(), |process| {
        format!("Edit {}", process.name)
    });
    let mut ctx =
        PageContext::new(user, Area::Catalogue, title).crumb("Business processes", "/processes");
    if let Some(process) = existing {
        ctx = ctx.crumb(process.name.clone(), format!("/processes/{}", process.id));
    }
    ProcessFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New business process"
        }),
        owners: choices::from_rows(&choices.owners, &form.owner_id),
        units: choices::from_rows(&choices.units, &form.org_unit_id),
        form,
        errors,
        action: existing.map_or("/processes".to_string(), |process| {
            format!("/processes/{}", process.id)
        }),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Process> {
    processes::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<ProcessFormPage> {
    let choices = choices_for(&state).await?;
    Ok(page(
        &user,
        ProcessForm::default(),
        FieldErrors::default(),
        &choices,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<ProcessForm>,
) -> AppResult<Response> {
    let choices = choices_for(&state).await?;
    let fields = match form.check(&choices) {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, &choices, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = processes::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |process: &Process| {
        (
            format!("Process {} created.", process.name),
            format!("/processes/{}", process.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &choices),
        Written::Duplicate(errors) => Ok(form::rejected(page(&user, form, errors, &choices, None))),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<ProcessFormPage> {
    let process = load(&state, &id).await?;
    let choices = choices_for(&state).await?;
    Ok(page(
        &user,
        ProcessForm::from_process(&process),
        FieldErrors::default(),
        &choices,
        Some(&process),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ProcessForm>,
) -> AppResult<Response> {
    let process = load(&state, &id).await?;
    let choices = choices_for(&state).await?;
    let fields = match form.check(&choices) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(
                &user,
                form,
                errors,
                &choices,
                Some(&process),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome =
        processes::update(&mut tx, &user.actor(), process.id, form.version, &fields).await;
    let saved = |saved: &Process| {
        (
            format!("Saved {}.", saved.name),
            format!("/processes/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &choices),
        Written::Duplicate(errors) => Ok(form::rejected(page(
            &user,
            form,
            errors,
            &choices,
            Some(&process),
        ))),
    }
}

fn conflict(
    user: &CurrentUser,
    form: &ProcessForm,
    current: &Process,
    choices: &Choices,
) -> AppResult<Response> {
    let href = format!("/processes/{}", current.id);
    let name_of = |rows: &[(Uuid, String)], id: &str| {
        rows.iter()
            .find(|(row, _)| row.to_string() == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    ConflictPage {
        ctx: PageContext::new(user, Area::Catalogue, "Someone else saved first")
            .crumb("Business processes", "/processes")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the process {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new("Description", &form.description, &current.description),
            ConflictField::new(
                "Owner",
                name_of(&choices.owners, &form.owner_id),
                current.owner_name.clone().unwrap_or_default(),
            ),
            ConflictField::new(
                "Unit",
                name_of(&choices.units, &form.org_unit_id),
                current.org_unit_name.clone().unwrap_or_default(),
            ),
            ConflictField::new("Peak periods", &form.peak_periods, &current.peak_periods),
        ],
        hidden: vec![
            ("name".into(), form.name.clone()),
            ("description".into(), form.description.clone()),
            ("owner_id".into(), form.owner_id.clone()),
            ("org_unit_id".into(), form.org_unit_id.clone()),
            ("peak_periods".into(), form.peak_periods.clone()),
        ],
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
