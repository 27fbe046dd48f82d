//! `/risks/threats` and `/risks/measures`: the catalogues new risks pick from. Everyone reads;
//! continuity managers add entries, edit them and archive them (an archived entry stays on the
//! risks that name it but is no longer offered). Each row edits in place; a refused entry comes
//! back with what was typed and the reason.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::catalogue::WriteError;
use crate::db::risks::catalogues::{self, Measure, MeasureFields, Threat, ThreatFields};
use crate::db::users;
use crate::domain::risk::catalogue::{MeasureStatus, MeasureType, ThreatCategory};
use crate::error::AppResult;
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

#[derive(Deserialize, Default)]
pub struct EntryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    measure_type: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    archived: String,
    #[serde(default)]
    version: i32,
}

impl EntryForm {
    /// What the new-entry form shows in `field`: what was typed when that form was refused,
    /// otherwise nothing (a refused edit of a row keeps its text in the row).
    fn new_value(&self, field: &str, editing: Option<Uuid>) -> &str {
        if editing.is_some() {
            return "";
        }
        match field {
            "name" => &self.name,
            "description" => &self.description,
            "evidence" => &self.evidence,
            _ => "",
        }
    }
}

fn check_name(form: &EntryForm, errors: &mut FieldErrors) {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add("name", "Give it a name (at most 200 characters).");
    }
    for (field, value) in [
        ("description", &form.description),
        ("evidence", &form.evidence),
    ] {
        if value.chars().count() > 5000 {
            errors.add(field, "Keep this under 5000 characters.");
        }
    }
}

pub struct Choice {
    value: String,
    label: String,
}

fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|item| Choice {
            value: value(*item).to_owned(),
            label: label(*item).to_owned(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "risks/threats.html")]
pub struct ThreatsPage {
    ctx: PageContext,
    threats: Vec<Threat>,
    categories: Vec<Choice>,
    form: EntryForm,
    errors: FieldErrors,
    /// The entry the refused form was for (`None`: the new-entry form).
    editing: Option<Uuid>,
    can_edit: bool,
}

impl ThreatsPage {
    fn category(&self, value: &str) -> &'static str {
        ThreatCategory::parse(value).map_or("", ThreatCategory::label)
    }

    fn is_editing(&self, id: &Uuid) -> bool {
        self.editing == Some(*id)
    }

    fn new_value(&self, field: &str) -> &str {
        self.form.new_value(field, self.editing)
    }
}

async fn threats_page(
    state: &AppState,
    user: &CurrentUser,
    form: EntryForm,
    errors: FieldErrors,
    editing: Option<Uuid>,
) -> AppResult<ThreatsPage> {
    Ok(ThreatsPage {
        ctx: PageContext::new(user, Area::Risks, "Threats")
            .crumb("Risks", "/risks")
            .here("Threats"),
        threats: catalogues::threats(&state.db, true).await?,
        categories: choices(
            ThreatCategory::ALL,
            ThreatCategory::as_str,
            ThreatCategory::label,
        ),
        form,
        errors,
        editing,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn threats(State(state): State<AppState>, user: CurrentUser) -> AppResult<ThreatsPage> {
    threats_page(
        &state,
        &user,
        EntryForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

fn threat_fields(form: &EntryForm) -> Result<ThreatFields, FieldErrors> {
    let mut errors = FieldErrors::default();
    check_name(form, &mut errors);
    if ThreatCategory::parse(&form.category).is_none() {
        errors.add("category", "Choose the threat's category.");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ThreatFields {
        name: form.name.clone(),
        category: form.category.clone(),
        description: form.description.clone(),
    })
}

/// One catalogue write in its own transaction: back to the list with `done` (or, when someone
/// else saved the entry first, with a note to make the change again), or the messages for the
/// refused form (a duplicate name).
async fn save_entry<T>(
    state: &AppState,
    user: &CurrentUser,
    href: &str,
    done: String,
    write: impl AsyncFnOnce(&mut PgConnection) -> Result<Versioned<T>, WriteError>,
) -> AppResult<Result<Response, FieldErrors>> {
    let mut tx = state.db.begin().await?;
    let message = match write(&mut tx).await {
        Ok(Versioned::Saved(_)) => Flash::success(done),
        Ok(Versioned::Stale(_)) => Flash::error(
            "Someone else changed this entry while you were editing: it is shown as saved now; make your change again.",
        ),
        Err(WriteError::Duplicate { field, message }) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            return Ok(Err(errors));
        }
        Err(WriteError::Database(error)) => return Err(error.into()),
    };
    flash::set(&mut *tx, &user.session_token_hash, message).await?;
    tx.commit().await?;
    Ok(Ok(Redirect::to(href).into_response()))
}

pub async fn create_threat(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let errors = match threat_fields(&form) {
        Ok(fields) => {
            let done = format!("Threat “{}” added.", fields.name.trim());
            let actor = user.actor();
            let written = save_entry(&state, &user, "/risks/threats", done, async |conn| {
                catalogues::create_threat(conn, &actor, &fields)
                    .await
                    .map(Versioned::Saved)
            });
            match written.await? {
                Ok(response) => return Ok(response),
                Err(errors) => errors,
            }
        }
        Err(errors) => errors,
    };
    Ok(form::rejected(
        threats_page(&state, &user, form, errors, None).await?,
    ))
}

pub async fn update_threat(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    catalogues::find_threat(&state.db, id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let errors = match threat_fields(&form) {
        Ok(fields) => {
            let done = format!("Threat “{}” saved.", fields.name.trim());
            let (actor, archived) = (user.actor(), form.archived == "true");
            let written = save_entry(&state, &user, "/risks/threats", done, async |conn| {
                catalogues::update_threat(conn, &actor, id, form.version, &fields, archived).await
            });
            match written.await? {
                Ok(response) => return Ok(response),
                Err(errors) => errors,
            }
        }
        Err(errors) => errors,
    };
    Ok(form::rejected(
        threats_page(&state, &user, form, errors, Some(id)).await?,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "risks/measures.html")]
pub struct MeasuresPage {
    ctx: PageContext,
    measures: Vec<Measure>,
    types: Vec<Choice>,
    statuses: Vec<Choice>,
    owners: Vec<(Uuid, String)>,
    form: EntryForm,
    errors: FieldErrors,
    editing: Option<Uuid>,
    can_edit: bool,
}

impl MeasuresPage {
    fn kind(&self, value: &str) -> &'static str {
        MeasureType::parse(value).map_or("", MeasureType::label)
    }

    fn status(&self, value: &str) -> &'static str {
        MeasureStatus::parse(value).map_or("", MeasureStatus::label)
    }

    fn is_editing(&self, id: &Uuid) -> bool {
        self.editing == Some(*id)
    }

    fn owner_is(&self, measure: &Measure, owner: &Uuid) -> bool {
        measure.owner_id == Some(*owner)
    }

    fn new_value(&self, field: &str) -> &str {
        self.form.new_value(field, self.editing)
    }
}

async fn measures_page(
    state: &AppState,
    user: &CurrentUser,
    form: EntryForm,
    errors: FieldErrors,
    editing: Option<Uuid>,
) -> AppResult<MeasuresPage> {
    Ok(MeasuresPage {
        ctx: PageContext::new(user, Area::Risks, "Measures")
            .crumb("Risks", "/risks")
            .here("Measures"),
        measures: catalogues::measures(&state.db, true).await?,
        types: choices(MeasureType::ALL, MeasureType::as_str, MeasureType::label),
        statuses: choices(
            MeasureStatus::ALL,
            MeasureStatus::as_str,
            MeasureStatus::label,
        ),
        owners: users::owner_options(&state.db).await?,
        form,
        errors,
        editing,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn measures(State(state): State<AppState>, user: CurrentUser) -> AppResult<MeasuresPage> {
    let form = EntryForm {
        status: MeasureStatus::Planned.as_str().to_owned(),
        ..EntryForm::default()
    };
    measures_page(&state, &user, form, FieldErrors::default(), None).await
}

async fn measure_fields(
    state: &AppState,
    form: &EntryForm,
) -> AppResult<Result<MeasureFields, FieldErrors>> {
    let mut errors = FieldErrors::default();
    check_name(form, &mut errors);
    if MeasureType::parse(&form.measure_type).is_none() {
        errors.add(
            "measure_type",
            "Choose whether it prevents, detects or corrects.",
        );
    }
    if MeasureStatus::parse(&form.status).is_none() {
        errors.add("status", "Choose how far the measure has got.");
    }
    let owner = match form.owner.trim() {
        "" => None,
        value => {
            let owners = users::owner_options(&state.db).await?;
            let found = owners
                .iter()
                .find(|(id, _)| id.to_string() == value)
                .map(|(id, _)| *id);
            if found.is_none() {
                errors.add("owner", "Choose the owner among the people listed.");
            }
            found
        }
    };
    if form.status == MeasureStatus::Verified.as_str() && form.evidence.trim().is_empty() {
        errors.add(
            "evidence",
            "A verified measure needs its evidence: the test, report or inspection that shows it works.",
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(MeasureFields {
        name: form.name.clone(),
        measure_type: form.measure_type.clone(),
        status: form.status.clone(),
        owner_id: owner,
        description: form.description.clone(),
        evidence: form.evidence.clone(),
    }))
}

pub async fn create_measure(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let errors = match measure_fields(&state, &form).await? {
        Ok(fields) => {
            let done = format!("Measure “{}” added.", fields.name.trim());
            let actor = user.actor();
            let written = save_entry(&state, &user, "/risks/measures", done, async |conn| {
                catalogues::create_measure(conn, &actor, &fields)
                    .await
                    .map(Versioned::Saved)
            });
            match written.await? {
                Ok(response) => return Ok(response),
                Err(errors) => errors,
            }
        }
        Err(errors) => errors,
    };
    Ok(form::rejected(
        measures_page(&state, &user, form, errors, None).await?,
    ))
}

pub async fn update_measure(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    catalogues::find_measure(&state.db, id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let errors = match measure_fields(&state, &form).await? {
        Ok(fields) => {
            let done = format!("Measure “{}” saved.", fields.name.trim());
            let (actor, archived) = (user.actor(), form.archived == "true");
            let written = save_entry(&state, &user, "/risks/measures", done, async |conn| {
                catalogues::update_measure(conn, &actor, id, form.version, &fields, archived).await
            });
            match written.await? {
                Ok(response) => return Ok(response),
                Err(errors) => errors,
            }
        }
        Err(errors) => errors,
    };
    Ok(form::rejected(
        measures_page(&state, &user, form, errors, Some(id)).await?,
    ))
}
