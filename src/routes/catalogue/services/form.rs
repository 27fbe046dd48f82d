//! Creating (continuity managers) and editing (managers, or the service's owner — who cannot
//! hand the service to someone else) an IT service.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::super::parse_id;
use crate::auth::extract::ManageContinuity;
use crate::auth::ownership::ensure_may_edit_owned;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::catalogue::services::{self, Service, ServiceFields};
use crate::db::users;
use crate::domain::catalogue::{LIFECYCLES, SERVICE_TYPES, is_choice, label_of};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

#[derive(Deserialize, Default, garde::Validate)]
pub struct ServiceForm {
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
    service_type: String,
    #[serde(default)]
    #[garde(skip)]
    lifecycle: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    sla_reference: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    support_hours: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    external_id: String,
    #[serde(default)]
    #[garde(skip)]
    version: i32,
}

impl ServiceForm {
    fn from_service(service: &Service) -> Self {
        Self {
            name: service.name.clone(),
            description: service.description.clone(),
            owner_id: service
                .owner_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            service_type: service.service_type.clone(),
            lifecycle: service.lifecycle.clone(),
            sla_reference: service.sla_reference.clone(),
            support_hours: service.support_hours.clone(),
            external_id: service.external_id.clone().unwrap_or_default(),
            version: service.version,
        }
    }

    /// `owner`: the owner to keep when the user may not choose one (a service owner editing).
    fn check(
        &self,
        owners: &[(Uuid, String)],
        fixed_owner: Option<Option<Uuid>>,
    ) -> Result<ServiceFields, FieldErrors> {
        let mut errors = FieldErrors::validate(
            self,
            &[
                ("name", "Enter the service's name (at most 200 characters)."),
                ("description", "Keep the description under 5000 characters."),
                (
                    "sla_reference",
                    "Keep the SLA reference under 200 characters.",
                ),
                (
                    "support_hours",
                    "Keep the support hours under 200 characters.",
                ),
                ("external_id", "Keep the external id under 200 characters."),
            ],
        );
        if !is_choice(SERVICE_TYPES, &self.service_type) {
            errors.add(
                "service_type",
                "Choose whether this is a business or a technical service.",
            );
        }
        if !is_choice(LIFECYCLES, &self.lifecycle) {
            errors.add("lifecycle", "Choose where the service is in its life.");
        }
        let owner_id = match fixed_owner {
            Some(owner) => owner,
            None => choices::parse_optional_id(&self.owner_id, owners).unwrap_or_else(|_| {
                errors.add("owner_id", "Choose the owner from the list.");
                None
            }),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ServiceFields {
            name: self.name.clone(),
            description: self.description.clone(),
            owner_id,
            service_type: self.service_type.clone(),
            lifecycle: self.lifecycle.clone(),
            sla_reference: self.sla_reference.clone(),
            support_hours: self.support_hours.clone(),
            external_id: self.external_id.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/services/form.html")]
pub struct ServiceFormPage {
    ctx: PageContext,
    form: ServiceForm,
    errors: FieldErrors,
    owners: Vec<OptionView>,
    types: Vec<OptionView>,
    lifecycles: Vec<OptionView>,
    /// Only continuity managers choose the owner.
    can_choose_owner: bool,
    owner_name: String,
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: ServiceForm,
    errors: FieldErrors,
    owners: &[(Uuid, String)],
    existing: Option<&Service>,
) -> ServiceFormPage {
    let title = existing.map_or("New IT service".to_string(), |service| {
        format!("Edit {}", service.name)
    });
    let mut ctx = PageContext::new(user, Area::Catalogue, title).crumb("IT services", "/services");
    if let Some(service) = existing {
        ctx = ctx.crumb(service.name.clone(), format!("/services/{}", service.id));
    }
    ServiceFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New IT service"
        }),
        owners: choices::from_rows(owners, &form.owner_id),
        types: choices::from_choices(SERVICE_TYPES, &form.service_type),
        lifecycles: choices::from_choices(LIFECYCLES, &form.lifecycle),
        can_choose_owner: user.role.manages_continuity(),
        owner_name: existing
            .and_then(|service| service.owner_name.clone())
            .unwrap_or_else(|| "nobody".into()),
        form,
        errors,
        action: existing.map_or("/services".to_string(), |service| {
            format!("/services/{}", service.id)
        }),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Service> {
    services::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<ServiceFormPage> {
    let owners = users::owner_options(&state.db).await?;
    let form = ServiceForm {
        service_type: "business".into(),
        lifecycle: "live".into(),
        ..ServiceForm::default()
    };
    Ok(page(&user, form, FieldErrors::default(), &owners, None))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<ServiceForm>,
) -> AppResult<Response> {
    let owners = users::owner_options(&state.db).await?;
    let fields = match form.check(&owners, None) {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, &owners, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = services::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |service: &Service| {
        (
            format!("Service {} created.", service.name),
            format!("/services/{}", service.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &owners),
        Written::Duplicate(errors) => Ok(form::rejected(page(&user, form, errors, &owners, None))),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<ServiceFormPage> {
    let service = load(&state, &id).await?;
    ensure_may_edit_owned(&user, service.owner_id)?;
    let owners = users::owner_options(&state.db).await?;
    Ok(page(
        &user,
        ServiceForm::from_service(&service),
        FieldErrors::default(),
        &owners,
        Some(&service),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> AppResult<Response> {
    let service = load(&state, &id).await?;
    ensure_may_edit_owned(&user, service.owner_id)?;
    let owners = users::owner_options(&state.db).await?;
    let fixed_owner = (!user.role.manages_continuity()).then_some(service.owner_id);
    let fields = match form.check(&owners, fixed_owner) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(
                &user,
                form,
                errors,
                &owners,
                Some(&service),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = services::update(&mut tx, &user.actor(), service.id, form.version, &fields).await;
    let saved = |saved: &Service| {
        (
            format!("Saved {}.", saved.name),
            format!("/services/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current, &owners),
        Written::Duplicate(errors) => Ok(form::rejected(page(
            &user,
            form,
            errors,
            &owners,
            Some(&service),
        ))),
    }
}

fn conflict(
    user: &CurrentUser,
    form: &ServiceForm,
    current: &Service,
    owners: &[(Uuid, String)],
) -> AppResult<Response> {
    let href = format!("/services/{}", current.id);
    let owner_name = |id: &str| {
        owners
            .iter()
            .find(|(owner, _)| owner.to_string() == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    ConflictPage {
        ctx: PageContext::new(user, Area::Catalogue, "Someone else saved first")
            .crumb("IT services", "/services")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the service {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new("Description", &form.description, &current.description),
            ConflictField::new(
                "Owner",
                owner_name(&form.owner_id),
                current.owner_name.clone().unwrap_or_default(),
            ),
            ConflictField::new(
                "Type",
                label_of(SERVICE_TYPES, &form.service_type),
                label_of(SERVICE_TYPES, &current.service_type),
            ),
            ConflictField::new(
                "Lifecycle",
                label_of(LIFECYCLES, &form.lifecycle),
                label_of(LIFECYCLES, &current.lifecycle),
            ),
            ConflictField::new("SLA reference", &form.sla_reference, &current.sla_reference),
            ConflictField::new("Support hours", &form.support_hours, &current.support_hours),
            ConflictField::new(
                "External id",
                &form.external_id,
                current.external_id.clone().unwrap_or_default(),
            ),
        ],
        hidden: vec![
            ("name".into(), form.name.clone()),
            ("description".into(), form.description.clone()),
            ("owner_id".into(), form.owner_id.clone()),
            ("service_type".into(), form.service_type.clone()),
            ("lifecycle".into(), form.lifecycle.clone()),
            ("sla_reference".into(), form.sla_reference.clone()),
            ("support_hours".into(), form.support_hours.clone()),
            ("external_id".into(), form.external_id.clone()),
        ],
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
