//! Creating and editing a supplier with its escalation matrix (continuity managers).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::suppliers::suppliers_table::{
    self as supplier_rows, EscalationLevel, Supplier, SupplierFields,
};
use crate::domain::catalogue::is_choice;
use crate::domain::supplier::CATEGORIES;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

/// Blank escalation rows offered for adding levels.
const BLANK_LEVELS: usize = 2;

#[derive(Deserialize, Default)]
pub struct SupplierForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    level_name: Vec<String>,
    #[serde(default)]
    level_role: Vec<String>,
    #[serde(default)]
    level_phone: Vec<String>,
    #[serde(default)]
    level_hours: Vec<String>,
    #[serde(default)]
    version: i32,
}

fn at(values: &[String], index: usize) -> String {
    values
        .get(index)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

impl SupplierForm {
    fn from_supplier(supplier: &Supplier) -> Self {
        Self {
            name: supplier.name.clone(),
            category: supplier.category.clone(),
            website: supplier.website.clone(),
            email: supplier.email.clone(),
            phone: supplier.phone.clone(),
            address: supplier.address.clone(),
            notes: supplier.notes.clone(),
            level_name: supplier.escalation.iter().map(|l| l.name.clone()).collect(),
            level_role: supplier.escalation.iter().map(|l| l.role.clone()).collect(),
            level_phone: supplier
                .escalation
                .iter()
                .map(|l| l.phone.clone())
                .collect(),
            level_hours: supplier
                .escalation
                .iter()
                .map(|l| l.hours.clone())
                .collect(),
            version: supplier.version,
        }
    }

    /// The escalation rows typed (blank ones dropped), numbered from 1.
    fn levels(&self) -> Vec<EscalationLevel> {
        (0..self.level_name.len())
            .map(|i| EscalationLevel {
                level: 0,
                name: at(&self.level_name, i),
                role: at(&self.level_role, i),
                phone: at(&self.level_phone, i),
                hours: at(&self.level_hours, i),
            })
            .filter(|level| {
                !(level.name.is_empty()
                    && level.role.is_empty()
                    && level.phone.is_empty()
                    && level.hours.is_empty())
            })
            .enumerate()
            .map(|(index, mut level)| {
                level.level = u8::try_from(index + 1).unwrap_or(u8::MAX);
                level
            })
            .collect()
    }

    fn check(&self) -> Result<SupplierFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errors.add(
                "name",
                "Enter the supplier's name (at most 200 characters).",
            );
        }
        if !is_choice(CATEGORIES, &self.category) {
            errors.add("category", "Choose how important the supplier is to us.");
        }
        if !self.email.trim().is_empty() && !self.email.contains('@') {
            errors.add(
                "email",
                "Enter an email address such as support@supplier.example.",
            );
        }
        for (field, value, limit) in [
            ("website", &self.website, 300),
            ("phone", &self.phone, 60),
            ("address", &self.address, 500),
            ("notes", &self.notes, 5000),
        ] {
            if value.chars().count() > limit {
                errors.add(field, format!("Keep this under {limit} characters."));
            }
        }
        let levels = self.levels();
        if levels.len() > 10 {
            errors.add("escalation", "Keep the escalation matrix to ten levels.");
        }
        if levels
            .iter()
            .any(|level| level.name.is_empty() || level.phone.is_empty())
        {
            errors.add(
                "escalation",
                "Each escalation level needs a name and a phone number.",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SupplierFields {
            name: name.to_owned(),
            category: self.category.clone(),
            website: self.website.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            notes: self.notes.clone(),
            escalation: levels,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/form.html")]
pub struct SupplierFormPage {
    ctx: PageContext,
    form: SupplierForm,
    errors: FieldErrors,
    categories: Vec<OptionView>,
    levels: Vec<EscalationLevel>,
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: SupplierForm,
    errors: FieldErrors,
    existing: Option<&Supplier>,
) -> SupplierFormPage {
    let title = existing.map_or("New supplier".to_owned(), |s| format!("Edit {}", s.name));
    let mut ctx = PageContext::new(user, Area::Suppliers, title).crumb("Suppliers", "/suppliers");
    if let Some(supplier) = existing {
        ctx = ctx.crumb(supplier.name.clone(), format!("/suppliers/{}", supplier.id));
    }
    let mut levels = form.levels();
    levels.extend((0..BLANK_LEVELS).map(|_| EscalationLevel::default()));
    SupplierFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New supplier"
        }),
        categories: choices::from_choices(CATEGORIES, &form.category),
        levels,
        form,
        errors,
        action: existing.map_or("/suppliers".to_owned(), |s| format!("/suppliers/{}", s.id)),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Supplier> {
    supplier_rows::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(Authorized { user, .. }: Authorized<ManageContinuity>) -> SupplierFormPage {
    let form = SupplierForm {
        category: "operational".into(),
        ..SupplierForm::default()
    };
    page(&user, form, FieldErrors::default(), None)
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<SupplierForm>,
) -> AppResult<Response> {
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = supplier_rows::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |supplier: &Supplier| {
        (
            format!(
                "Supplier {} created. Add its contracts next.",
                supplier.name
            ),
            format!("/suppliers/{}", supplier.id),
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
) -> AppResult<SupplierFormPage> {
    let supplier = load(&state, &id).await?;
    Ok(page(
        &user,
        SupplierForm::from_supplier(&supplier),
        FieldErrors::default(),
        Some(&supplier),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<SupplierForm>,
) -> AppResult<Response> {
    let supplier = load(&state, &id).await?;
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, Some(&supplier)))),
    };
    let mut tx = state.db.begin().await?;
    let outcome =
        supplier_rows::update(&mut tx, &user.actor(), supplier.id, form.version, &fields).await;
    let saved = |saved: &Supplier| {
        (
            format!("Saved {}.", saved.name),
            format!("/suppliers/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => {
            Ok(form::rejected(page(&user, form, errors, Some(&supplier))))
        }
    }
}

fn conflict(user: &CurrentUser, form: &SupplierForm, current: &Supplier) -> AppResult<Response> {
    let href = format!("/suppliers/{}", current.id);
    let mut hidden: Vec<(String, String)> = vec![
        ("name".into(), form.name.clone()),
        ("category".into(), form.category.clone()),
        ("website".into(), form.website.clone()),
        ("email".into(), form.email.clone()),
        ("phone".into(), form.phone.clone()),
        ("address".into(), form.address.clone()),
        ("notes".into(), form.notes.clone()),
    ];
    for (name, values) in [
        ("level_name", &form.level_name),
        ("level_role", &form.level_role),
        ("level_phone", &form.level_phone),
        ("level_hours", &form.level_hours),
    ] {
        hidden.extend(values.iter().map(|value| (name.to_owned(), value.clone())));
    }
    ConflictPage {
        ctx: PageContext::new(user, Area::Suppliers, "Someone else saved first")
            .crumb("Suppliers", "/suppliers")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the supplier {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new("Category", &form.category, &current.category),
            ConflictField::new("Phone", &form.phone, &current.phone),
            ConflictField::new(
                "Escalation levels",
                form.levels().len().to_string(),
                current.escalation.len().to_string(),
            ),
        ],
        hidden,
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
