//! `GET`/`POST /services/{id}/strategy`: a service's recovery strategy — the ITIL option, where
//! it recovers, the contract behind it, how fast and with how much data lost, with what capacity
//! for how long, at what yearly cost, and whether it is in place. It may start from a template
//! ("Use the template" fills the form, nothing saved). Continuity managers edit every service's
//! strategy; a service owner their own services'.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::strategy_fields::{self, Lookups, StrategyInput};
use crate::auth::contracts::ContractAccess;
use crate::auth::ownership::may_edit_owned;
use crate::auth::{Authorized, CurrentUser, extract::DraftPlans};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::{WriteError, services, sites};
use crate::db::strategies::{self, Strategy, StrategyWrite, Template as StrategyTemplate};
use crate::domain::posture::StrategyStatus;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::FieldErrors;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{self, RecordForm};

#[derive(Deserialize, Default, Clone)]
pub struct StrategyForm {
    /// Set from the address, never from the body.
    #[serde(skip)]
    service: Option<(Uuid, String)>,
    #[serde(flatten)]
    input: StrategyInput,
    #[serde(default)]
    template: String,
    /// The "Use the template" button: fill the form from the template, save nothing.
    #[serde(default)]
    use_template: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: i32,
}

pub struct Choices {
    lookups: Lookups,
    templates: Vec<StrategyTemplate>,
}

pub struct StrategyRecords;

impl RecordForm for StrategyRecords {
    type Form = StrategyForm;
    type Record = Strategy;
    type Choices = Choices;
    type Fields = StrategyWrite;
    type Page = StrategyPage;

    async fn choices(
        state: &AppState,
        user: &CurrentUser,
        form: &StrategyForm,
        _existing: Option<&Strategy>,
    ) -> AppResult<Choices> {
        let contract = match form.input.contract.trim() {
            "" => None,
            reference => strategies::contract_by_reference(&state.db, reference).await?,
        };
        Ok(Choices {
            lookups: Lookups {
                sites: sites::options(&state.db).await?,
                contract,
                access: ContractAccess::of(state, user).await?,
            },
            templates: strategies::templates(&state.db)
                .await?
                .into_iter()
                .filter(|template| !template.archived)
                .collect(),
        })
    }

    fn finding(form: &StrategyForm) -> bool {
        !form.use_template.is_empty()
    }

    fn check(
        form: &StrategyForm,
        _user: &CurrentUser,
        choices: &Choices,
        _existing: Option<&Strategy>,
    ) -> Result<StrategyWrite, FieldErrors> {
        let mut errors = FieldErrors::default();
        let fields = strategy_fields::check(&form.input, &choices.lookups, &mut errors);
        let status = StrategyStatus::parse(form.status.trim());
        if status.is_none() {
            errors.add(
                "status",
                "Choose whether it is proposed, approved or in place.",
            );
        }
        let template_id = match form.template.trim() {
            "" => None,
            text => {
                let found = choices
                    .templates
                    .iter()
                    .find(|template| template.id.to_string() == text)
                    .map(|template| template.id);
                if found.is_none() {
                    errors.add("template", "Choose one of the templates offered.");
                }
                found
            }
        };
        if form.notes.chars().count() > 5000 {
            errors.add("notes", "Keep the notes under 5 000 characters.");
        }
        let Some((service_id, _)) = form.service.clone() else {
            return Err(errors);
        };
        match status {
            Some(status) if errors.is_empty() => Ok(StrategyWrite {
                service_id,
                template_id,
                fields,
                status: status.as_str().to_owned(),
                notes: form.notes.clone(),
            }),
            _ => Err(errors),
        }
    }

    fn page(
        user: &CurrentUser,
        mut form: StrategyForm,
        errors: FieldErrors,
        choices: Choices,
        existing: Option<&Strategy>,
    ) -> StrategyPage {
        // "Use the template": its figures replace what the form held.
        if !form.use_template.is_empty()
            && let Some(template) = choices
                .templates
                .iter()
                .find(|template| template.id.to_string() == form.template.trim())
        {
            form.input = StrategyInput::from_fields(
                &template.fields,
                template.contract_reference.as_deref(),
            );
        }
        let (service_id, service_name) = form.service.clone().unwrap_or_default();
        StrategyPage {
            ctx: PageContext::new(
                user,
                Area::Posture,
                format!("Recovery strategy of {service_name}"),
            )
            .crumb("IT services", "/services")
            .crumb(service_name.clone(), format!("/services/{service_id}"))
            .here("Recovery strategy"),
            options: form.input.options(),
            sites: choices::from_rows(&choices.lookups.sites, &form.input.alternate_site),
            templates: choices
                .templates
                .iter()
                .map(|template| OptionView {
                    value: template.id.to_string(),
                    label: template.name.clone(),
                    help: "",
                    selected: template.id.to_string() == form.template.trim(),
                })
                .collect(),
            statuses: StrategyStatus::ALL
                .iter()
                .map(|status| OptionView {
                    value: status.as_str().to_owned(),
                    label: status.label().to_owned(),
                    help: status.help(),
                    selected: status.as_str() == form.status,
                })
                .collect(),
            action: format!("/services/{service_id}/strategy"),
            cancel: format!("/services/{service_id}"),
            is_new: existing.is_none(),
            service_name,
            form,
            errors,
        }
    }

    async fn insert(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        fields: &StrategyWrite,
    ) -> Result<Strategy, WriteError> {
        strategies::create(conn, actor, fields).await
    }

    async fn update(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        existing: &Strategy,
        version: i32,
        fields: &StrategyWrite,
    ) -> Result<Versioned<Strategy>, WriteError> {
        strategies::update(conn, actor, existing, version, fields).await
    }

    fn version(form: &StrategyForm) -> i32 {
        form.version
    }

    fn saved(strategy: &Strategy, created: bool) -> (String, String) {
        let verb = if created { "recorded" } else { "saved" };
        (
            format!("Recovery strategy {verb}: the posture counts it from now on."),
            format!("/services/{}#strategy", strategy.service_id),
        )
    }

    fn conflict(
        user: &CurrentUser,
        form: &StrategyForm,
        current: &Strategy,
    ) -> AppResult<Response> {
        let href = format!("/services/{}/strategy", current.service_id);
        let stored =
            StrategyInput::from_fields(&current.fields, current.contract_reference.as_deref());
        ConflictPage {
            ctx: PageContext::new(user, Area::Posture, "Someone else saved first")
                .crumb("IT services", "/services")
                .here("Conflict"),
            subject: "this recovery strategy".to_owned(),
            fields: vec![
                ConflictField::new(
                    "Option",
                    &form.input.recovery_option,
                    &stored.recovery_option,
                ),
                ConflictField::new("Estimated recovery", &form.input.estimate, &stored.estimate),
                ConflictField::new(
                    "Achievable RPO",
                    &form.input.achievable_rpo,
                    &stored.achievable_rpo,
                ),
                ConflictField::new("Contract", &form.input.contract, &stored.contract),
                ConflictField::new("Status", &form.status, &current.status),
                ConflictField::new("Notes", &form.notes, &current.notes),
            ],
            hidden: vec![
                ("recovery_option".into(), form.input.recovery_option.clone()),
                ("alternate_site".into(), form.input.alternate_site.clone()),
                ("contract".into(), form.input.contract.clone()),
                ("estimate".into(), form.input.estimate.clone()),
                ("achievable_rpo".into(), form.input.achievable_rpo.clone()),
                (
                    "capacity_percent".into(),
                    form.input.capacity_percent.clone(),
                ),
                ("usable_for".into(), form.input.usable_for.clone()),
                ("yearly_cost".into(), form.input.yearly_cost.clone()),
                ("template".into(), form.template.clone()),
                ("status".into(), form.status.clone()),
                ("notes".into(), form.notes.clone()),
            ],
            form_action: href.clone(),
            current_version: current.version,
            current_href: href,
        }
        .into_response()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/strategy_form.html")]
pub struct StrategyPage {
    ctx: PageContext,
    service_name: String,
    form: StrategyForm,
    errors: FieldErrors,
    options: Vec<OptionView>,
    sites: Vec<OptionView>,
    templates: Vec<OptionView>,
    statuses: Vec<OptionView>,
    action: String,
    cancel: String,
    is_new: bool,
}

/// The service, if `user` may edit its strategy.
async fn service_for(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Uuid, String)> {
    let id = parse_id(id)?;
    let service = services::find(&mut *state.db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_edit_owned(user, service.owner_id) {
        return Err(AppError::Forbidden);
    }
    Ok((service.id, service.name))
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let service = service_for(&state, &user, &id).await?;
    match strategies::find(&state.db, service.0).await? {
        Some(strategy) => {
            let form = StrategyForm {
                service: Some(service),
                input: StrategyInput::from_fields(
                    &strategy.fields,
                    strategy.contract_reference.as_deref(),
                ),
                template: strategy
                    .template_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                status: strategy.status.clone(),
                notes: strategy.notes.clone(),
                version: strategy.version,
                ..StrategyForm::default()
            };
            record::edit_page::<StrategyRecords>(&state, &user, &strategy, form).await
        }
        None => {
            let form = StrategyForm {
                service: Some(service),
                status: StrategyStatus::Proposed.as_str().to_owned(),
                ..StrategyForm::default()
            };
            record::new_page::<StrategyRecords>(&state, &user, form).await
        }
    }
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(mut form): Form<StrategyForm>,
) -> AppResult<Response> {
    let service = service_for(&state, &user, &id).await?;
    form.service = Some(service.clone());
    match strategies::find(&state.db, service.0).await? {
        Some(strategy) => record::update::<StrategyRecords>(&state, &user, strategy, form).await,
        None => record::create::<StrategyRecords>(&state, &user, form).await,
    }
}
