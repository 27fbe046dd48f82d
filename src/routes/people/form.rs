//! Adding and editing a person in the directory (continuity managers and service owners, who
//! both write plans that name people; whom an owner may edit is decided in `rights`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::rights;
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::plans::people::{self, Person, PersonFields};
use crate::db::users;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{Written, conclude};

#[derive(Deserialize, Default, garde::Validate)]
pub struct PersonForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200), custom(crate::web::form::not_blank))]
    name: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    organisation: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    job_title: String,
    #[serde(default)]
    #[garde(skip)]
    user_id: String,
    #[serde(default)]
    #[garde(length(max = 200))]
    email: String,
    #[serde(default)]
    #[garde(length(max = 60))]
    office_phone: String,
    #[serde(default)]
    #[garde(length(max = 60))]
    mobile_phone: String,
    #[serde(default)]
    #[garde(length(max = 2000))]
    notes: String,
    #[serde(default)]
    #[garde(skip)]
    version: i32,
}

impl PersonForm {
    /// Only continuity managers link a person to a user account: the link lets that account
    /// acknowledge plans as the person. Anyone else's form keeps the stored link.
    fn with_account_link_of(mut self, user: &CurrentUser, existing: Option<&Person>) -> Self {
        if !user.role.manages_continuity() {
            self.user_id = existing
                .and_then(|person| person.user_id)
                .map(|id| id.to_string())
                .unwrap_or_default();
        }
        self
    }

    fn from_person(person: &Person) -> Self {
        Self {
            name: person.name.clone(),
            organisation: person.organisation.clone(),
            job_title: person.job_title.clone(),
            user_id: person.user_id.map(|id| id.to_string()).unwrap_or_default(),
            email: person.email.clone(),
            office_phone: person.office_phone.clone(),
            mobile_phone: person.mobile_phone.clone(),
            notes: person.notes.clone(),
            version: person.version,
        }
    }

    fn check(&self, accounts: &[(Uuid, String)]) -> Result<PersonFields, FieldErrors> {
        let mut errors = FieldErrors::validate(
            self,
            &[
                ("name", "Enter the person's name (at most 200 characters)."),
                (
                    "organisation",
                    "Keep the organisation under 200 characters.",
                ),
                ("job_title", "Keep the job title under 200 characters."),
                ("email", "Keep the email address under 200 characters."),
                ("office_phone", "Keep the phone number under 60 characters."),
                ("mobile_phone", "Keep the phone number under 60 characters."),
                ("notes", "Keep the notes under 2000 characters."),
            ],
        );
        let user_id = choices::parse_optional_id(&self.user_id, accounts).unwrap_or_else(|_| {
            errors.add("user_id", "Choose one of the listed accounts, or none.");
            None
        });
        if !self.email.trim().is_empty() && !self.email.contains('@') {
            errors.add("email", "Enter an email address such as name@example.com.");
        }
        if self.office_phone.trim().is_empty() && self.mobile_phone.trim().is_empty() {
            errors.add(
                "office_phone",
                "Give at least one phone number: the call tree is worthless without one.",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PersonFields {
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            job_title: self.job_title.clone(),
            user_id,
            email: self.email.clone(),
            office_phone: self.office_phone.clone(),
            mobile_phone: self.mobile_phone.clone(),
            notes: self.notes.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    ctx: PageContext,
    form: PersonForm,
    errors: FieldErrors,
    accounts: Vec<OptionView>,
    /// Whether this user may link the person to an account.
    can_link: bool,
    action: String,
    is_new: bool,
}

fn page(
    user: &CurrentUser,
    form: PersonForm,
    errors: FieldErrors,
    accounts: &[(Uuid, String)],
    existing: Option<&Person>,
) -> PersonFormPage {
    let title = existing.map_or("Add a person".to_string(), |person| {
        format!("Edit {}", person.name)
    });
    let mut ctx = PageContext::new(user, Area::People, title).crumb("People", "/people");
    if let Some(person) = existing {
        ctx = ctx.crumb(person.name.clone(), format!("/people/{}", person.id));
    }
    PersonFormPage {
        ctx: ctx.here(if existing.is_some() { "Edit" } else { "Add" }),
        accounts: choices::from_rows(accounts, &form.user_id),
        can_link: user.role.manages_continuity(),
        form,
        errors,
        action: existing.map_or("/people".to_string(), |person| {
            format!("/people/{}", person.id)
        }),
        is_new: existing.is_none(),
    }
}

async fn load(state: &AppState, id: &str) -> AppResult<Person> {
    people::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
) -> AppResult<PersonFormPage> {
    let accounts = users::account_options(&state.db).await?;
    Ok(page(
        &user,
        PersonForm::default(),
        FieldErrors::default(),
        &accounts,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let form = form.with_account_link_of(&user, None);
    let accounts = users::account_options(&state.db).await?;
    let fields = match form.check(&accounts) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(&user, form, errors, &accounts, None)));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = people::create(&mut tx, &user.actor(), &fields)
        .await
        .map(Versioned::Saved);
    let created = |person: &Person| {
        (
            format!("{} added to the directory.", person.name),
            format!("/people/{}", person.id),
        )
    };
    match conclude(tx, &user, outcome, created).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => {
            Ok(form::rejected(page(&user, form, errors, &accounts, None)))
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<PersonFormPage> {
    let person = load(&state, &id).await?;
    rights::ensure_may_edit(&state.db, &user, &person).await?;
    let accounts = users::account_options(&state.db).await?;
    Ok(page(
        &user,
        PersonForm::from_person(&person),
        FieldErrors::default(),
        &accounts,
        Some(&person),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let person = load(&state, &id).await?;
    rights::ensure_may_edit(&state.db, &user, &person).await?;
    let form = form.with_account_link_of(&user, Some(&person));
    let accounts = users::account_options(&state.db).await?;
    let fields = match form.check(&accounts) {
        Ok(fields) => fields,
        Err(errors) => {
            return Ok(form::rejected(page(
                &user,
                form,
                errors,
                &accounts,
                Some(&person),
            )));
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome = people::update(&mut tx, &user.actor(), person.id, form.version, &fields).await;
    let saved = |saved: &Person| {
        (
            format!("Saved {}.", saved.name),
            format!("/people/{}", saved.id),
        )
    };
    match conclude(tx, &user, outcome, saved).await? {
        Written::Saved(href) => Ok(Redirect::to(&href).into_response()),
        Written::Stale(current) => conflict(&user, &form, &current),
        Written::Duplicate(errors) => Ok(form::rejected(page(
            &user,
            form,
            errors,
            &accounts,
            Some(&person),
        ))),
    }
}

fn conflict(user: &CurrentUser, form: &PersonForm, current: &Person) -> AppResult<Response> {
    let href = format!("/people/{}", current.id);
    ConflictPage {
        ctx: PageContext::new(user, Area::People, "Someone else saved first")
            .crumb("People", "/people")
            .crumb(current.name.clone(), href.clone())
            .here("Conflict"),
        subject: format!("the directory entry of {}", current.name),
        fields: vec![
            ConflictField::new("Name", &form.name, &current.name),
            ConflictField::new("Job title", &form.job_title, &current.job_title),
            ConflictField::new("Office phone", &form.office_phone, &current.office_phone),
            ConflictField::new("Out of office", &form.mobile_phone, &current.mobile_phone),
            ConflictField::new("Email", &form.email, &current.email),
        ],
        hidden: vec![
            ("name".into(), form.name.clone()),
            ("organisation".into(), form.organisation.clone()),
            ("job_title".into(), form.job_title.clone()),
            ("user_id".into(), form.user_id.clone()),
            ("email".into(), form.email.clone()),
            ("office_phone".into(), form.office_phone.clone()),
            ("mobile_phone".into(), form.mobile_phone.clone()),
            ("notes".into(), form.notes.clone()),
        ],
        form_action: href.clone(),
        current_version: current.version,
        current_href: href,
    }
    .into_response()
}
