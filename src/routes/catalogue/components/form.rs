//! Creating and editing a component (continuity managers). Its site also becomes its
//! "hosted at" dependency.

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
use crate::db::catalogue::components::{self, Component, ComponentFields};
use crate::db::catalogue::sites;
use crate::domain::catalogue::{COMPONENT_CLASSES, ENVIRONMENTS, is_choice, label_of};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

#[derive(Deserialize, Default, garde::Validate)]
pub struct ComponentForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200), custom(crate::web::form::not_blank))]
    name: String,
    #[serde(default)]
    #[garde(skip)]
    class: String,
    #[serde(default)]
    #[garde(skip)]
    environment: String,
    #[serde(default)]
    #[garde(skip)]
    site_id: String,
    #[serde(default)]
    #[garde(length(max = 5000))]
    description: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    external_id: String,
    #[serde(default)]
    #[garde(skip)]
    version: i32,
}

impl ComponentForm {
    fn from_component(component: &Component) -> Self {
        Self {
            name: component.name.clone(),
            class: component.class.clone(),
            environment: component.environment.clone(),
            site_id: component
                .site_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            description: component.description.clone(),
            external_id: component.external_id.clone().unwrap_or_default(),
            version: component.version,
        }
    }

    fn check(&self, site_rows: &[(Uuid, String)]) -> Result<ComponentFields, FieldErrors> {
        let mut errors = FieldErrors::validate(
            self,
            &[
                (
                    "name",
                    "Enter the component's name (at most 200 characters).",
                ),
                ("description", "Keep the description under 5000 characters."),
                ("external_id", "Keep the external id under 200 characters."),
            ],
        );
        if !is_choice(COMPONENT_CLASSES, &self.class) {
            errors.add("class", "Choose what class of component this is.");
        }
        if !is_choice(ENVIRONMENTS, &self.environment) {
            errors.add("environment", "Choose the environment it belongs to.");
        }
        let site_id = choices::parse_optional_id(&self.site_id, site_rows).unwrap_or_else(|_| {
            errors.add("site_id", "Choose the site from the list.");
            None
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ComponentFields {
            name: self.name.clone(),
            class: self.class.clone(),
            environment: self.environment.clone(),
            site_id,
            description: self.description.clone(),
            external_id: self.external_id.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/components/form.html")]
pub struct ComponentFormPage {
    ctx: PageContext,
    form: ComponentForm,
    errors: FieldErrors,
    classes: Vec<OptionView>,
    environments: Vec<OptionView>,
    sites: Vec<OptionView>,
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: ComponentForm,
    errors: FieldErrors,
    site_rows: &[(Uuid, String)],
    existing: Option<&Component>,
) -> ComponentFormPage {
    let title = existing.map_or("New component".to_string(), |component| {
        format!("Edit {}", component.name)
    });
    let mut ctx = PageContext::new(user, Area::Catalogue, title).crumb("Components", "/components");
    if let Some(component) = existing {
        ctx = ctx.crumb(
            component.name.clone(),
            format!("/components/{}", component.id),
        );
    }
    ComponentFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New component"
        }),
        classes: choices::from_choices(COMPONENT_CLASSES, &form.class),
        environments: choices::from_choices(ENVIRONMENTS, &form.environment),
        sites: choices::from_rows(site_rows, &form.site_id),
        form,
        errors,
        action: existing.map_or("/components".to_string(), |component| {
            format!("/components/{}", component.id)
        }),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Component> {
    components::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<ComponentFormPage> {
    let site_rows = sites::options(&state.db).await?;
    let form = ComponentForm {
        class: "application".into(),
        environment: "production".into(),
        ..ComponentForm::default()
    };
    Ok(page(&user, form, FieldErrors::default(), &site_rows, None))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<ComponentForm>,
) -> AppResult<Response> {
    let site_rows = sites::options(&state.db).await?;
    let fields = match form.check(&site_rows) {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, &site_rows, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = components::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |component: &Component| {
        (
            format!("Component {} created.", component.name),
            format!("/components/{}", component.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &site_rows),
        Written::Duplicate(errors) => {
            Ok(form::rejected(page(&user, form, errors, &site_rows, None)))
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<ComponentFormPage> {
    let component = load(&state, &id).await?;
    let site_rows = sites::options(&state.db).await?;
    Ok(page(
        &user,
        ComponentForm::from_component(&component),
        FieldErrors::default(),
        &site_rows,
        Some(&component),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ComponentForm>,
) -> AppResult<Response> {
    let component = load(&state, &id).await?;
    let site_rows = sites::options(&state.db).await?;
    let fields = match form.check(&site_rows) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(
                &user,
                form,
                errors,
                &site_rows,
                Some(&component),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome =
        components::update(&mut tx, &user.actor(), component.id, form.version, &fields).await;
    let saved = |saved: &Component| {
        (
            format!("Saved {}.", saved.name),
            format!("/components/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &site_rows),
        Written::Duplicate(errors) => Ok(form::rejected(page(
            &user,
            form,
            errors,
            &site_rows,
            Some(&component),
        ))),
    }
}

fn conflict(
    user: &CurrentUser,
    form: &ComponentForm,
    current: &Component,
    site_rows: &[(Uuid, String)],
) -> AppResult<Response> {
    let href = format!("/components/{}", current.id);
    let site_name = |id: &str| {
        site_rows
            .iter()
            .find(|(site, _)| site.to_string() == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    ConflictPage {
        ctx: PageContext::new(user, Area::Catalogue, "Someone else saved first")
            .crumb("Components", "/components")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the component {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new(
                "Class",
                label_of(COMPONENT_CLASSES, &form.class),
                label_of(COMPONENT_CLASSES, &current.class),
            ),
            ConflictField::new(
                "Environment",
                label_of(ENVIRONMENTS, &form.environment),
                label_of(ENVIRONMENTS, &current.environment),
            ),
            ConflictField::new(
                "Site",
                site_name(&form.site_id),
                current.site_name.clone().unwrap_or_default(),
            ),
            ConflictField::new("Description", &form.description, &current.description),
            ConflictField::new(
                "External id",
                &form.external_id,
                current.external_id.clone().unwrap_or_default(),
            ),
        ],
        hidden: vec![
            ("name".into(), form.name.clone()),
            ("class".into(), form.class.clone()),
            ("environment".into(), form.environment.clone()),
            ("site_id".into(), form.site_id.clone()),
            ("description".into(), form.description.clone()),
            ("external_id".into(), form.external_id.clone()),
        ],
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
