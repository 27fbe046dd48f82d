//! `GET /admin/users/{id}`: one account, with its edit form and actions; also the page the
//! edit and reset forms re-render into when refused.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use super::{parse_id, role_choices};
use crate::auth::extract::ManageUsers;
use crate::auth::{Authorized, CurrentUser, throttle};
use crate::db::login_failures;
use crate::db::users::{self, User};
use crate::domain::login_throttle::FailureRecord;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::form::FieldErrors;
use crate::web::page::{Area, PageContext};

/// The edit form's fields as typed (kept when refused).
pub struct ProfileFields {
    pub display_name: String,
    pub role: String,
    pub version: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users/show.html")]
pub struct UserPage {
    pub ctx: PageContext,
    pub subject: User,
    pub is_self: bool,
    pub fields: ProfileFields,
    pub errors: FieldErrors,
    pub reset_errors: FieldErrors,
    pub roles: Vec<(&'static str, &'static str, &'static str)>,
    /// Failed sign-ins counted against the account (shown with a button to lift their delay).
    pub sign_in_failures: Option<FailureRecord>,
}

impl UserPage {
    pub fn new(user: &CurrentUser, subject: User) -> Self {
        Self {
            ctx: PageContext::new(user, Area::Admin, subject.display_name.clone())
                .crumb("Administration", "/admin/users")
                .crumb("Users", "/admin/users")
                .here(subject.display_name.clone()),
            is_self: subject.id == user.id,
            fields: ProfileFields {
                display_name: subject.display_name.clone(),
                role: subject.role.as_str().to_string(),
                version: subject.version,
            },
            subject,
            errors: FieldErrors::default(),
            reset_errors: FieldErrors::default(),
            roles: role_choices(),
            sign_in_failures: None,
        }
    }
}

pub async fn load(state: &AppState, id: &str) -> AppResult<User> {
    users::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
) -> AppResult<UserPage> {
    let subject = load(&state, &id).await?;
    let failures = login_failures::find(&state.db, &throttle::account_key(&subject.email)).await?;
    let mut page = UserPage::new(&user, subject);
    let now = time::OffsetDateTime::now_utc();
    page.sign_in_failures =
        failures
            .filter(|record| record.failures > 0)
            .map(|record| FailureRecord {
                locked_until: record.locked_until.filter(|until| *until > now),
                ..record
            });
    Ok(page)
}
