//! `POST /admin/users/{id}`: change a user's name and role, guarded by the version the form was
//! loaded with; a stale form gets the conflict page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::show::{ProfileFields, UserPage, load};
use crate::auth::Authorized;
use crate::auth::extract::ManageUsers;
use crate::db::Versioned;
use crate::db::users::{self, ProfileChange};
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

#[derive(Deserialize, garde::Validate)]
pub struct ProfileForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200))]
    display_name: String,
    #[serde(default)]
    #[garde(skip)]
    role: String,
    #[serde(default)]
    #[garde(skip)]
    version: i32,
}

pub async fn submit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Path(id): Path<String>,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let subject = load(&state, &id).await?;
    let mut errors = FieldErrors::validate(
        &form,
        &[(
            "display_name",
            "Enter the person's name (at most 200 characters).",
        )],
    );
    let role = Role::parse(&form.role);
    match role {
        None => errors.add("role", "Choose one of the four roles."),
        Some(new_role) if subject.id == user.id && new_role != subject.role => errors.add(
            "role",
            "You cannot change your own role; ask another administrator.",
        ),
        Some(_) => {}
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        let mut page = UserPage::new(&user, subject);
        page.fields = ProfileFields {
            display_name: form.display_name,
            role: form.role,
            version: form.version,
        };
        page.errors = errors;
        return Ok(form::rejected(page));
    };

    let mut tx = state.db.begin().await?;
    let change = ProfileChange {
        display_name: form.display_name.trim(),
        role,
        expected_version: form.version,
    };
    match users::update_profile(&mut tx, &user.actor(), subject.id, change).await? {
        Versioned::Saved(saved) => {
            flash::set(
                &mut *tx,
                &user.session_token_hash,
                Flash::success(format!("Saved {}.", saved.display_name)),
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/admin/users/{}", saved.id)).into_response())
        }
        Versioned::Stale(current) => {
            tx.rollback().await?;
            let yours_role = Role::parse(&form.role).map(Role::label).unwrap_or_default();
            ConflictPage {
                ctx: PageContext::new(&user, Area::Admin, "Someone else saved first")
                    .crumb("Users", "/admin/users")
                    .crumb(
                        current.display_name.clone(),
                        format!("/admin/users/{}", current.id),
                    )
                    .here("Conflict"),
                subject: format!("the user {}", current.display_name),
                fields: vec![
                    ConflictField::new(
                        "Name",
                        form.display_name.clone(),
                        current.display_name.clone(),
                    ),
                    ConflictField::new("Role", yours_role, current.role.label()),
                ],
                hidden: vec![
                    ("display_name".into(), form.display_name),
                    ("role".into(), form.role),
                ],
                form_action: format!("/admin/users/{}", current.id),
                current_version: current.version,
                current_href: format!("/admin/users/{}", current.id),
            }
            .into_response()
        }
    }
}
