//! Strategy templates (`/posture/strategy/templates/…`): a recovery strategy kept under a name
//! ("Warm standby at the recovery centre") for continuity managers to start many services'
//! strategies from. The same figures as a strategy, through the shared create/edit machinery.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::strategy_fields::{self, Lookups, StrategyInput};
use crate::auth::contracts::ContractAccess;
use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::{WriteError, sites};
use crate::db::strategies::{self, Template as StrategyTemplate, TemplateWrite};
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
pub struct TemplateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(flatten)]
    input: StrategyInput,
    #[serde(default)]
    version: i32,
}

pub struct TemplateRecords;

impl RecordForm for TemplateRecords {
    type Form = TemplateForm;
    type Record = StrategyTemplate;
    type Choices = Lookups;
    type Fields = TemplateWrite;
    type Page = TemplatePage;

    async fn choices(
        state: &AppState,
        _user: &CurrentUser,
        form: &TemplateForm,
        _existing: Option<&StrategyTemplate>,
    ) -> AppResult<Lookups> {
        let contract = match form.input.contract.trim() {
            "" => None,
            reference => strategies::contract_by_reference(&state.db, reference).await?,
        };
        Ok(Lookups {
            sites: sites::options(&state.db).await?,
            contract,
            access: ContractAccess::All,
        })
    }

    fn check(
        form: &TemplateForm,
        _user: &CurrentUser,
        lookups: &Lookups,
        _existing: Option<&StrategyTemplate>,
    ) -> Result<TemplateWrite, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errors.add(
                "name",
                "Name it in a few words, e.g. “Warm standby at the recovery centre” (at most 200 characters).",
            );
        }
        if form.description.chars().count() > 5000 {
            errors.add("description", "Keep this under 5 000 characters.");
        }
        let fields = strategy_fields::check(&form.input, lookups, &mut errors);
        if errors.is_empty() {
            Ok(TemplateWrite {
                name: name.to_owned(),
                description: form.description.clone(),
                fields,
            })
        } else {
            Err(errors)
        }
    }

    fn page(
        user: &CurrentUser,
        form: TemplateForm,
        errors: FieldErrors,
        lookups: Lookups,
        existing: Option<&StrategyTemplate>,
    ) -> TemplatePage {
        let title = existing.map_or("New strategy template".to_owned(), |template| {
            format!("Template {}", template.name)
        });
        TemplatePage {
            ctx: PageContext::new(user, Area::Posture, title.clone())
                .crumb("Posture", "/posture")
                .crumb("Strategy", "/posture/strategy")
                .here(title),
            options: form.input.options(),
            sites: choices::from_rows(&lookups.sites, &form.input.alternate_site),
            action: existing.map_or("/posture/strategy/templates".to_owned(), |template| {
                format!("/posture/strategy/templates/{}", template.id)
            }),
            is_new: existing.is_none(),
            form,
            errors,
        }
    }

    async fn insert(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        fields: &TemplateWrite,
    ) -> Result<StrategyTemplate, WriteError> {
        strategies::create_template(conn, actor, fields).await
    }

    async fn update(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        existing: &StrategyTemplate,
        version: i32,
        fields: &TemplateWrite,
    ) -> Result<Versioned<StrategyTemplate>, WriteError> {
        strategies::update_template(conn, actor, existing, version, fields).await
    }

    fn version(form: &TemplateForm) -> i32 {
        form.version
    }

    fn saved(template: &StrategyTemplate, created: bool) -> (String, String) {
        let verb = if created { "created" } else { "saved" };
        (
            format!(
                "Template “{}” {verb}. Services already started from it keep their own figures.",
                template.name
            ),
            "/posture/strategy".to_owned(),
        )
    }

    fn conflict(
        user: &CurrentUser,
        form: &TemplateForm,
        current: &StrategyTemplate,
    ) -> AppResult<Response> {
        let href = format!("/posture/strategy/templates/{}", current.id);
        let stored =
            StrategyInput::from_fields(&current.fields, current.contract_reference.as_deref());
        ConflictPage {
            ctx: PageContext::new(user, Area::Posture, "Someone else saved first")
                .crumb("Strategy", "/posture/strategy")
                .here("Conflict"),
            subject: format!("the template {}", current.name),
            fields: vec![
                ConflictField::new("Name", &form.name, &current.name),
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
            ],
            hidden: vec![
                ("name".into(), form.name.clone()),
                ("description".into(), form.description.clone()),
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
            ],
            form_action: href.clone(),
            current_version: current.version,
            current_href: href,
        }
        .into_response()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/template_form.html")]
pub struct TemplatePage {
    ctx: PageContext,
    form: TemplateForm,
    errors: FieldErrors,
    options: Vec<OptionView>,
    sites: Vec<OptionView>,
    action: String,
    is_new: bool,
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<Response> {
    record::new_page::<TemplateRecords>(&state, &user, TemplateForm::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    record::create::<TemplateRecords>(&state, &user, form).await
}

async fn load(state: &AppState, id: &str) -> AppResult<StrategyTemplate> {
    strategies::template(&state.db, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let template = load(&state, &id).await?;
    let form = TemplateForm {
        name: template.name.clone(),
        description: template.description.clone(),
        input: StrategyInput::from_fields(&template.fields, template.contract_reference.as_deref()),
        version: template.version,
    };
    record::edit_page::<TemplateRecords>(&state, &user, &template, form).await
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    let template = load(&state, &id).await?;
    record::update::<TemplateRecords>(&state, &user, template, form).await
}
