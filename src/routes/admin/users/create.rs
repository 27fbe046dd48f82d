//! `GET /admin/users/new` and `POST /admin/users`: a new account with an initial password that
//! its owner must change at first sign-in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::role_choices;
use crate::auth::extract::ManageUsers;
use crate::auth::{Authorized, CurrentUser, password};
use crate::db::users::{self, CreateUserError, NewUser};
use crate::domain::password_policy;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

#[derive(Deserialize, Default, garde::Validate)]
pub struct NewUserForm {
    #[serde(default)]
    #[garde(email, length(max = 254))]
    pub email: String,
    #[serde(default)]
    #[garde(length(min = 1, max = 200))]
    pub display_name: String,
    #[serde(default)]
    #[garde(skip)]
    pub role: String,
    #[serde(default)]
    #[garde(skip)]
    pub password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users/new.html")]
pub struct NewUserPage {
    ctx: PageContext,
    form: NewUserForm,
    errors: FieldErrors,
    roles: Vec<(&'static str, &'static str, &'static str)>,
    min_chars: usize,
}

fn page(user: &CurrentUser, form: NewUserForm, errors: FieldErrors) -> NewUserPage {
    NewUserPage {
        ctx: PageContext::new(user, Area::Admin, "New user")
            .crumb("Administration", "/admin/users")
            .crumb("Users", "/admin/users")
            .here("New user"),
        form,
        errors,
        roles: role_choices(),
        min_chars: password_policy::MIN_CHARS,
    }
}

pub async fn form(Authorized { user, .. }: Authorized<ManageUsers>) -> NewUserPage {
    let form = NewUserForm {
        role: Role::ServiceOwner.as_str().to_string(),
        ..NewUserForm::default()
    };
    page(&user, form, FieldErrors::default())
}

pub async fn submit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Form(mut form): Form<NewUserForm>,
) -> AppResult<Response> {
    form.email = form.email.trim().to_string();
    form.display_name = form.display_name.trim().to_string();
    let mut errors = FieldErrors::validate(
        &form,
        &[
            (
                "email",
                "Enter the person's email address, such as jane.doe@example.com.",
            ),
            (
                "display_name",
                "Enter the person's name as colleagues know it (at most 200 characters).",
            ),
        ],
    );
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.add("role", "Choose one of the four roles.");
    }
    if let Err(advice) = password_policy::check(&form.password, &[&form.email, &form.display_name])
    {
        errors.add("password", advice);
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        return Ok(form::rejected(page(&user, form, errors)));
    };

    let email = form.email.trim().to_lowercase();
    let hash = password::hash(form.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let new_user = NewUser {
        email: &email,
        display_name: form.display_name.trim(),
        role,
        password_hash: &hash,
        password_must_change: true,
        time_zone: &state.config.default_time_zone,
    };
    let created = match users::create(&mut tx, &user.actor(), new_user).await {
        Ok(created) => created,
        Err(CreateUserError::EmailTaken) => {
            errors.add("email", "A user with this email already exists.");
            return Ok(form::rejected(page(&user, form, errors)));
        }
        Err(CreateUserError::Database(error)) => return Err(error.into()),
    };
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "{} can now sign in as {} with the password you chose; they will be asked to change it.",
            created.display_name, created.email
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{}", created.id)).into_response())
}
