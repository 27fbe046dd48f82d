//! Creating and editing a contract (continuity managers): the pages and the writes. Every field
//! is explained on the form; durations are written as elsewhere (`4h`, `2d`), dates as
//! YYYY-MM-DD. What the form checks lives in `contract_input`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::contract_input::ContractForm;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::suppliers::contracts::{self, Contract};
use crate::db::suppliers::suppliers_table as supplier_rows;
use crate::db::users;
use crate::domain::supplier::{REGIONAL_PRIORITIES, SUPPORT_HOURS};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub struct DayChoice {
    value: usize,
    label: &'static str,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/contract_form.html")]
pub struct ContractFormPage {
    ctx: PageContext,
    form: ContractForm,
    errors: FieldErrors,
    suppliers: Vec<OptionView>,
    owners: Vec<OptionView>,
    support_hours: Vec<OptionView>,
    priorities: Vec<OptionView>,
    days: Vec<DayChoice>,
    action: String,
    is_new: bool,
}

struct Options {
    suppliers: Vec<(Uuid, String)>,
    owners: Vec<(Uuid, String)>,
}

/// Active suppliers, plus the contract's own when it has been archived since, so that the
/// contract can still be edited.
async fn options(state: &AppState, existing: Option<&Contract>) -> AppResult<Options> {
    let mut suppliers = supplier_rows::options(&state.db).await?;
    if let Some(contract) = existing
        && !suppliers.iter().any(|(id, _)| *id == contract.supplier_id)
    {
        suppliers.push((contract.supplier_id, contract.supplier_name.clone()));
    }
    Ok(Options {
        suppliers,
        owners: users::owner_options(&state.db).await?,
    })
}

fn page(
    user: &CurrentUser,
    form: ContractForm,
    errors: FieldErrors,
    options: &Options,
    existing: Option<&Contract>,
) -> ContractFormPage {
    let title = existing.map_or("New contract".to_owned(), |c| format!("Edit {}", c.label()));
    let mut ctx = PageContext::new(user, Area::Suppliers, title).crumb("Contracts", "/contracts");
    if let Some(contract) = existing {
        ctx = ctx.crumb(contract.label(), format!("/contracts/{}", contract.id));
    }
    ContractFormPage {
        ctx: ctx.here(if existing.is_some() {
            "Edit"
        } else {
            "New contract"
        }),
        suppliers: choices::from_rows(&options.suppliers, &form.supplier_id),
        owners: choices::from_rows(&options.owners, &form.owner_id),
        support_hours: choices::from_choices(SUPPORT_HOURS, &form.support_hours),
        priorities: choices::from_choices(REGIONAL_PRIORITIES, &form.regional_priority),
        days: DAY_NAMES
            .iter()
            .enumerate()
            .map(|(value, label)| DayChoice {
                value,
                label,
                checked: form.support_day.contains(&value.to_string()),
            })
            .collect(),
        action: existing.map_or("/contracts".to_owned(), |c| format!("/contracts/{}", c.id)),
        is_new: existing.is_none(),
        form,
        errors,
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Contract> {
    contracts::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct NewQuery {
    supplier: Option<String>,
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Query(query): Query<NewQuery>,
) -> AppResult<ContractFormPage> {
    let options = options(&state, None).await?;
    let form = ContractForm {
        supplier_id: query.supplier.unwrap_or_default(),
        support_hours: "business".into(),
        support_day: (0..5).map(|d| d.to_string()).collect(),
        support_from: "09:00".into(),
        support_to: "17:00".into(),
        regional_priority: "unspecified".into(),
        ..ContractForm::default()
    };
    Ok(page(&user, form, FieldErrors::default(), &options, None))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<ContractForm>,
) -> AppResult<Response> {
    let options = options(&state, None).await?;
    let fields = match form.check(&options.suppliers, &options.owners) {
        Ok(fields) => fields,
        Err(errors) => return Ok(form::rejected(page(&user, form, errors, &options, None))),
    };
    let mut tx = state.db.begin().await?;
    let outcome = contracts::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |contract: &Contract| {
        (
            format!(
                "Contract {} recorded. Link the services or components that rely on it.",
                contract.reference
            ),
            format!("/contracts/{}", contract.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(page(&user, form, errors, &options, None))),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<ContractFormPage> {
    let contract = load(&state, &id).await?;
    let options = options(&state, Some(&contract)).await?;
    Ok(page(
        &user,
        ContractForm::from_contract(&contract),
        FieldErrors::default(),
        &options,
        Some(&contract),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ContractForm>,
) -> AppResult<Response> {
    let contract = load(&state, &id).await?;
    let options = options(&state, Some(&contract)).await?;
    let fields = match form.check(&options.suppliers, &options.owners) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(
                &user,
                form,
                errors,
                &options,
                Some(&contract),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome =
        contracts::update(&mut tx, &user.actor(), contract.id, form.version, &fields).await;
    let saved = |saved: &Contract| {
        (
            format!("Saved {}.", saved.reference),
            format!("/contracts/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(page(
            &user,
            form,
            errors,
            &options,
            Some(&contract),
        ))),
    }
}

fn conflict(user: &CurrentUser, form: &ContractForm, current: &Contract) -> AppResult<Response> {
    let href = format!("/contracts/{}", current.id);
    let stored = ContractForm::from_contract(current);
    let flag = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut hidden: Vec<(String, String)> = [
        ("supplier_id", form.supplier_id.clone()),
        ("reference", form.reference.clone()),
        ("title", form.title.clone()),
        ("start_date", form.start_date.clone()),
        ("end_date", form.end_date.clone()),
        ("renewal_notice_days", form.renewal_notice_days.clone()),
        (
            "termination_notice_days",
            form.termination_notice_days.clone(),
        ),
        ("support_hours", form.support_hours.clone()),
        ("support_from", form.support_from.clone()),
        ("support_to", form.support_to.clone()),
        ("response_time", form.response_time.clone()),
        ("onsite_time", form.onsite_time.clone()),
        ("guaranteed_recovery", form.guaranteed_recovery.clone()),
        ("guaranteed_rpo", form.guaranteed_rpo.clone()),
        ("availability", form.availability.clone()),
        ("regional_priority", form.regional_priority.clone()),
        (
            "bcp_evidence_received_on",
            form.bcp_evidence_received_on.clone(),
        ),
        (
            "bcp_evidence_expires_on",
            form.bcp_evidence_expires_on.clone(),
        ),
        ("exit_plan", form.exit_plan.clone()),
        ("owner_id", form.owner_id.clone()),
        ("next_review_on", form.next_review_on.clone()),
        ("notes", form.notes.clone()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    for (name, value) in [
        ("auto_renewal", &form.auto_renewal),
        ("right_to_audit", &form.right_to_audit),
        ("test_participation", &form.test_participation),
        ("bcp_required", &form.bcp_required),
    ] {
        if value.is_some() {
            hidden.push((name.to_owned(), flag(value)));
        }
    }
    hidden.extend(
        form.support_day
            .iter()
            .map(|day| ("support_day".to_owned(), day.clone())),
    );
    ConflictPage {
        ctx: PageContext::new(user, Area::Suppliers, "Someone else saved first")
            .crumb("Contracts", "/contracts")
            .crumb(current.label(), href.clone())
            .here("Conflict"),
        subject: format!("the contract {}", current.reference),
        fields: vec![
            ConflictField::new("Reference", &form.reference, &stored.reference),
            ConflictField::new("Ends", &form.end_date, &stored.end_date),
            ConflictField::new(
                "Guaranteed recovery",
                &form.guaranteed_recovery,
                &stored.guaranteed_recovery,
            ),
            ConflictField::new(
                "Guaranteed RPO",
                &form.guaranteed_rpo,
                &stored.guaranteed_rpo,
            ),
            ConflictField::new("Support", &form.support_hours, &stored.support_hours),
        ],
        hidden,
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
