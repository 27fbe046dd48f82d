//! Creating and editing a site (continuity managers).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::parse_id;
use crate::auth::Authorized;
use crate::auth::CurrentUser;
use crate::auth::extract::ManageContinuity;
use crate::db::Versioned;
use crate::db::catalogue::sites::{self, Site, SiteFields};
use crate::domain::catalogue::{SITE_KINDS, is_choice};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

#[derive(Deserialize, Default, garde::Validate)]
pub struct SiteForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200), custom(crate::web::form::not_blank))]
    name: String,
    #[serde(default)]
    #[garde(skip)]
    kind: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    location: String,
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

impl SiteForm {
    fn from_site(site: &Site) -> Self {
        Self {
            name: site.name.clone(),
            kind: site.kind.clone(),
            location: site.location.clone(),
            description: site.description.clone(),
            external_id: site.external_id.clone().unwrap_or_default(),
            version: site.version,
        }
    }

    fn check(&self) -> Result<SiteFields, FieldErrors> {
        let mut errors = FieldErrors::validate(
            self,
            &[
                ("name", "Enter the site's name (at most 200 characters)."),
                ("location", "Keep the location under 200 characters."),
                ("description", "Keep the description under 5000 characters."),
                ("external_id", "Keep the external id under 200 characters."),
            ],
        );
        if !is_choice(SITE_KINDS, &self.kind) {
            errors.add("kind", "Choose what kind of site this is.");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteFields {
            name: self.name.clone(),
            kind: self.kind.clone(),
            location: self.location.clone(),
            description: self.description.clone(),
            external_id: self.external_id.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/sites/form.html")]
pub struct SiteFormPage {
    ctx: PageContext,
    form: SiteForm,
    errors: FieldErrors,
    kinds: Vec<OptionView>,
    /// Where the form posts: `/sites` or `/sites/{id}`.
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: SiteForm,
    errors: FieldErrors,
    existing: Option<&Site>,
) -> SiteFormPage {
    let title = existing.map_or("New site".to_string(), |site| format!("Edit {}", site.name));
    let mut ctx = PageContext::new(user, Area::Catalogue, title.clone()).crumb("Sites", "/sites");
    if let Some(site) = existing {
        ctx = ctx.crumb(site.name.clone(), format!("/sites/{}", site.id));
    }
    SiteFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New site"
        }),
        kinds: choices::from_choices(SITE_KINDS, &form.kind),
        form,
        errors,
        action: existing.map_or("/sites".to_string(), |site| format!("/sites/{}", site.id)),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Site> {
    sites::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(Authorized { user, .. }: Authorized<ManageContinuity>) -> SiteFormPage {
    let form = SiteForm {
        kind: "data_centre".into(),
        ..SiteForm::default()
    };
    page(&user, form, FieldErrors::default(), None)
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<SiteForm>,
) -> AppResult<Response> {
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = sites::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |site: &Site| {
        (
            format!("Site {} created.", site.name),
            format!("/sites/{}", site.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(page(&user, form, errors, None))),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<SiteFormPage> {
    let site = load(&state, &id).await?;
    Ok(page(
        &user,
        SiteForm::from_site(&site),
        FieldErrors::default(),
        Some(&site),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<SiteForm>,
) -> AppResult<Response> {
    let site = load(&state, &id).await?;
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, Some(&site)))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = sites::update(&mut tx, &user.actor(), site.id, form.version, &fields).await;
    let saved = |saved: &Site| {
        (
            format!("Saved {}.", saved.name),
            format!("/sites/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(page(&user, form, errors, Some(&site)))),
    }
}

fn conflict(user: &CurrentUser, form: &SiteForm, current: &Site) -> AppResult<Response> {
    let href = format!("/sites/{}", current.id);
    ConflictPage {
        ctx: PageContext::new(user, Area::Catalogue, "Someone else saved first")
            .crumb("Sites", "/sites")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the site {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new("Kind", &form.kind, &current.kind),
            ConflictField::new("Location", &form.location, &current.location),
            ConflictField::new("Description", &form.description, &current.description),
            ConflictField::new(
                "External id",
                &form.external_id,
                current.external_id.clone().unwrap_or_default(),
            ),
        ],
        hidden: vec![
            ("name".into(), form.name.clone()),
            ("kind".into(), form.kind.clone()),
            ("location".into(), form.location.clone()),
            ("description".into(), form.description.clone()),
            ("external_id".into(), form.external_id.clone()),
        ],
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
