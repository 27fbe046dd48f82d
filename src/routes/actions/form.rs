//! Recording and editing an improvement action: what must be done, what it comes from (a risk's
//! treatment, named by `?risk=`, or a service's posture gap, named by `?gap=`), who does it and by
//! when. Continuity managers assign anyone; a service owner records actions for themselves on the
//! risks they own and the gaps of their own services.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::writable;
use crate::auth::extract::DraftPlans;
use crate::auth::ownership::may_edit_owned;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::actions::{self, Action, ActionFields};
use crate::db::audit::Actor;
use crate::db::catalogue::WriteError;
use crate::db::catalogue::services::{self, Service};
use crate::db::risks::records::{self as risks, Risk};
use crate::db::users;
use crate::domain::action::ActionSource;
use crate::domain::date::parse_date;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::FieldErrors;
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::record::{self, RecordForm};

const MAX_TEXT: usize = 5000;

#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    /// The risk whose treatment the action carries out (set from `?risk=`, kept on edit).
    #[serde(default)]
    risk: String,
    /// The service whose posture gap the action closes (set from `?gap=`, kept on edit).
    #[serde(default)]
    gap: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    version: i32,
}

impl ActionForm {
    fn from_action(action: &Action) -> Self {
        Self {
            title: action.title.clone(),
            description: action.description.clone(),
            risk: action.risk_id.map(|id| id.to_string()).unwrap_or_default(),
            gap: action
                .gap_service_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            owner: action.owner_id.to_string(),
            due_on: action.due_on.to_string(),
            version: action.version,
        }
    }
}

/// What the form chooses from: the people who can own an action, and the risk or the service's
/// gap it comes from.
pub struct Choices {
    owners: Vec<(Uuid, String)>,
    risk: Option<Risk>,
    gap: Option<Service>,
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

pub struct ActionRecords;

impl RecordForm for ActionRecords {
    type Form = ActionForm;
    type Record = Action;
    type Choices = Choices;
    type Fields = ActionFields;
    type Page = ActionFormPage;

    async fn choices(
        state: &AppState,
        _user: &CurrentUser,
        form: &ActionForm,
        existing: Option<&Action>,
    ) -> AppResult<Choices> {
        let risk_id = match existing {
            Some(action) => action.risk_id,
            None => form.risk.trim().parse::<Uuid>().ok(),
        };
        let risk = match risk_id {
            Some(id) => risks::find(&state.db, id).await?,
            None => None,
        };
        let gap_id = match existing {
            Some(action) => action.gap_service_id,
            None => form.gap.trim().parse::<Uuid>().ok(),
        };
        let gap = match gap_id {
            Some(id) => services::find(&mut *state.db.acquire().await?, id).await?,
            None => None,
        };
        let mut owners = users::owner_options(&state.db).await?;
        // Who does it now stays offered, even if their account was closed since.
        if let Some(action) = existing
            && !owners.iter().any(|(id, _)| *id == action.owner_id)
        {
            owners.push((action.owner_id, format!("{} (inactive)", action.owner_name)));
        }
        Ok(Choices { owners, risk, gap })
    }

    fn check(
        form: &ActionForm,
        user: &CurrentUser,
        choices: &Choices,
        existing: Option<&Action>,
    ) -> Result<ActionFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.add(
                "title",
                "Say what must be done in a few words, e.g. “Add a second power feed to DC1” (at most 200 characters).",
            );
        }
        if form.description.chars().count() > MAX_TEXT {
            errors.add(
                "description",
                format!("Keep this under {MAX_TEXT} characters."),
            );
        }
        let manages = user.role.manages_continuity();
        // The source is fixed once recorded; a new action names its risk, its service's gap, or
        // (managers) none.
        if existing.is_none() && form.risk.trim().is_empty() && !form.gap.trim().is_empty() {
            let gap_service_id = gap_source(user, choices, &mut errors);
            return finish(
                form,
                user,
                choices,
                existing,
                errors,
                (ActionSource::Gap, None, gap_service_id),
            );
        }
        let (source, risk_id) = match (existing, &choices.risk) {
            (Some(action), _) => (action.source(), action.risk_id),
            (None, Some(risk)) if risk.archived => {
                errors.add(
                    "risk",
                    "This risk is archived: restore it before adding actions to it.",
                );
                (ActionSource::Risk, Some(risk.id))
            }
            (None, Some(risk)) if !manages && risk.owner_id != Some(user.id) => {
                errors.add("risk", "Service owners add actions to the risks they own.");
                (ActionSource::Risk, Some(risk.id))
            }
            (None, Some(risk)) => (ActionSource::Risk, Some(risk.id)),
            (None, None) if !form.risk.trim().is_empty() => {
                errors.add("risk", "This risk does not exist (any more).");
                (ActionSource::Other, None)
            }
            (None, None) if !manages => {
                errors.add(
                    "risk",
                    "Service owners add actions from a risk they own: open the risk and choose “Add an action”.",
                );
                (ActionSource::Other, None)
            }
            (None, None) => (ActionSource::Other, None),
        };
        let gap_service_id = existing.and_then(|action| action.gap_service_id);
        finish(
            form,
            user,
            choices,
            existing,
            errors,
            (source, risk_id, gap_service_id),
        )
    }

    fn page(
        user: &CurrentUser,
        form: ActionForm,
        errors: FieldErrors,
        choices: Choices,
        existing: Option<&Action>,
    ) -> ActionFormPage {
        let title = existing.map_or("New improvement action".to_owned(), |action| {
            format!("Edit {} {}", action.reference(), action.title)
        });
        let mut ctx = PageContext::new(user, Area::Actions, title).crumb("Actions", "/actions");
        if let Some(action) = existing {
            ctx = ctx.crumb(action.reference(), format!("/actions/{}", action.id));
        }
        ActionFormPage {
            ctx: ctx.here(if existing.is_some() {
                "Edit"
            } else {
                "New action"
            }),
            owners: choices::from_rows(&choices.owners, &form.owner),
            owner_only: !user.role.manages_continuity(),
            risk: choices.risk.as_ref().map(|risk| RiskLink {
                href: format!("/risks/{}", risk.id),
                label: format!("{} {}", risk.reference(), risk.title),
                treatment_note: risk.treatment_note.clone(),
            }),
            gap: choices.gap.as_ref().map(|service| RiskLink {
                href: format!("/services/{}#strategy", service.id),
                label: service.name.clone(),
                treatment_note: String::new(),
            }),
            action: existing.map_or("/actions".to_owned(), |action| {
                format!("/actions/{}", action.id)
            }),
            cancel: existing.map_or_else(
                || {
                    choices
                        .risk
                        .as_ref()
                        .map_or("/actions".to_owned(), |risk| format!("/risks/{}", risk.id))
                },
                |action| format!("/actions/{}", action.id),
            ),
            is_new: existing.is_none(),
            form,
            errors,
        }
    }

    async fn insert(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        fields: &ActionFields,
    ) -> Result<Action, WriteError> {
        actions::create(conn, actor, fields).await
    }

    async fn update(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        existing: &Action,
        version: i32,
        fields: &ActionFields,
    ) -> Result<Versioned<Action>, WriteError> {
        actions::update(conn, actor, existing.id, version, fields).await
    }

    fn version(form: &ActionForm) -> i32 {
        form.version
    }

    fn saved(action: &Action, created: bool) -> (String, String) {
        let message = if created {
            format!(
                "Action {} recorded for {}, due {}.",
                action.reference(),
                action.owner_name,
                action.due_on
            )
        } else {
            format!("Action {} saved.", action.reference())
        };
        (message, format!("/actions/{}", action.id))
    }

    fn conflict(user: &CurrentUser, form: &ActionForm, current: &Action) -> AppResult<Response> {
        let href = format!("/actions/{}", current.id);
        ConflictPage {
            ctx: PageContext::new(user, Area::Actions, "Someone else saved first")
                .crumb("Actions", "/actions")
                .crumb(current.reference(), href.clone())
                .here("Conflict"),
            subject: format!("the action {} {}", current.reference(), current.title),
            fields: vec![
                ConflictField::new("Title", &form.title, &current.title),
                ConflictField::new("Description", &form.description, &current.description),
                ConflictField::new("Due", &form.due_on, current.due_on.to_string()),
                ConflictField::new(
                    "Owner",
                    if form.owner.trim() == current.owner_id.to_string() {
                        current.owner_name.clone()
                    } else {
                        "someone else".to_owned()
                    },
                    &current.owner_name,
                ),
            ],
            hidden: vec![
                ("title".into(), form.title.clone()),
                ("description".into(), form.description.clone()),
                ("risk".into(), form.risk.clone()),
                ("gap".into(), form.gap.clone()),
                ("owner".into(), form.owner.clone()),
                ("due_on".into(), form.due_on.clone()),
            ],
            form_action: href.clone(),
            current_version: current.version,
            current_href: href,
        }
        .into_response()
    }
}

/// The service whose gap a new action closes, if it exists and `user` may act on it.
fn gap_source(user: &CurrentUser, choices: &Choices, errors: &mut FieldErrors) -> Option<Uuid> {
    match &choices.gap {
        None => {
            errors.add("gap", "This service does not exist (any more).");
            None
        }
        Some(service) if service.archived => {
            errors.add(
                "gap",
                "This service is archived: it is no longer in the posture.",
            );
            None
        }
        Some(service) if !may_edit_owned(user, service.owner_id) => {
            errors.add(
                "gap",
                "Service owners add actions for the gaps of their own services.",
            );
            None
        }
        Some(service) => Some(service.id),
    }
}

/// The checks every action shares once its source is known: who does it and by when.
fn finish(
    form: &ActionForm,
    user: &CurrentUser,
    choices: &Choices,
    existing: Option<&Action>,
    mut errors: FieldErrors,
    (source, risk_id, gap_service_id): (ActionSource, Option<Uuid>, Option<Uuid>),
) -> Result<ActionFields, FieldErrors> {
    let manages = user.role.manages_continuity();
    let title = form.title.trim();
    // An owner who is not a manager records actions for themselves.
    let owner = if !manages {
        Some(existing.map_or(user.id, |action| action.owner_id))
    } else {
        let found = choices
            .owners
            .iter()
            .find(|(id, _)| id.to_string() == form.owner.trim())
            .map(|(id, _)| *id);
        if found.is_none() {
            errors.add("owner", "Choose who does the action.");
        }
        found
    };
    let unchanged_due =
        existing.is_some_and(|action| action.due_on.to_string() == form.due_on.trim());
    // The due date is the manager's: an owner cannot move their own deadline.
    let due_text = match existing {
        Some(action) if !manages => action.due_on.to_string(),
        _ => form.due_on.clone(),
    };
    let due_on = match parse_date(&due_text) {
        Ok(date) if date < today() && !unchanged_due => {
            errors.add(
                "due_on",
                "The due date has passed: choose today or a later date.",
            );
            None
        }
        Ok(date) => Some(date),
        Err(error) => {
            errors.add("due_on", format!("Enter the due date as a date. {error}"));
            None
        }
    };
    match (owner, due_on) {
        (Some(owner_id), Some(due_on)) if errors.is_empty() => Ok(ActionFields {
            title: title.to_owned(),
            description: form.description.clone(),
            source,
            risk_id,
            finding_id: existing.and_then(|action| action.finding_id),
            gap_service_id,
            owner_id,
            due_on,
        }),
        _ => Err(errors),
    }
}

pub struct RiskLink {
    href: String,
    label: String,
    treatment_note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "actions/form.html")]
pub struct ActionFormPage {
    ctx: PageContext,
    form: ActionForm,
    errors: FieldErrors,
    owners: Vec<OptionView>,
    owner_only: bool,
    risk: Option<RiskLink>,
    /// The service whose posture gap the action closes.
    gap: Option<RiskLink>,
    action: String,
    cancel: String,
    is_new: bool,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    risk: String,
    #[serde(default)]
    gap: String,
    /// A suggested title, e.g. the posture's recommendation for the gap.
    #[serde(default)]
    title: String,
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let form = ActionForm {
        owner: user.id.to_string(),
        risk: query.risk,
        gap: query.gap,
        title: query.title.trim().chars().take(200).collect(),
        due_on: (today() + time::Duration::days(30)).to_string(),
        ..ActionForm::default()
    };
    record::new_page::<ActionRecords>(&state, &user, form).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    record::create::<ActionRecords>(&state, &user, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let action = match writable(&state, &user, &id).await? {
        Ok(action) => action,
        Err(answer) => return Ok(answer),
    };
    let form = ActionForm::from_action(&action);
    record::edit_page::<ActionRecords>(&state, &user, &action, form).await
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let action = match writable(&state, &user, &id).await? {
        Ok(action) => action,
        Err(answer) => return Ok(answer),
    };
    record::update::<ActionRecords>(&state, &user, action, form).await
}
