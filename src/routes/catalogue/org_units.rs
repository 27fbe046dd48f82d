//! `/org-units`: the organisation's units, which own business processes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::catalogue::{WriteError, org_units};
use crate::error::AppResult;
use crate::routes::Routes;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new()
        .get("/org-units", page)
        .post("/org-units", create)
        .post("/org-units/{id}", rename)
        .post("/org-units/{id}/archive", archive)
}

#[derive(Deserialize, Default, garde::Validate)]
pub struct UnitForm {
    #[serde(default)]
    #[garde(length(min = 1, max = 200), custom(crate::web::form::not_blank))]
    name: String,
    #[serde(default)]
    #[garde(length(max = 2000))]
    description: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/org_units.html")]
pub struct UnitsPage {
    ctx: PageContext,
    units: Vec<(uuid::Uuid, String, i32)>,
    form: UnitForm,
    errors: FieldErrors,
    can_edit: bool,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    form: UnitForm,
    errors: FieldErrors,
) -> AppResult<UnitsPage> {
    Ok(UnitsPage {
        ctx: PageContext::new(user, Area::Catalogue, "Organisation units")
            .crumb("Business processes", "/processes")
            .here("Organisation units"),
        units: org_units::listed(&state.db).await?,
        form,
        errors,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> AppResult<UnitsPage> {
    render(&state, &user, UnitForm::default(), FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::validate(
        &form,
        &[("name", "Enter the unit's name (at most 200 characters).")],
    );
    if errors.is_empty() {
        let mut tx = state.db.begin().await?;
        match org_units::create(&mut tx, &user.actor(), &form.name, &form.description).await {
            Ok(unit) => {
                flash::set(
                    &mut *tx,
                    &user.session_token_hash,
                    Flash::success(format!("Unit {} added.", unit.name)),
                )
                .await?;
                tx.commit().await?;
                return Ok(Redirect::to("/org-units").into_response());
            }
            Err(WriteError::Duplicate { field, message }) => errors.add(field, message),
            Err(WriteError::Database(error)) => return Err(error.into()),
        }
    }
    Ok(form::rejected(render(&state, &user, form, errors).await?))
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: i32,
}

pub async fn rename(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<RenameForm>,
) -> AppResult<Response> {
    let id = super::parse_id(&id)?;
    let name = form.name.trim();
    let flash = if name.is_empty() || name.chars().count() > 200 {
        Flash::error("A unit needs a name of at most 200 characters.")
    } else {
        let mut tx = state.db.begin().await?;
        match org_units::rename(&mut tx, &user.actor(), id, form.version, name).await {
            Ok(true) => {
                tx.commit().await?;
                Flash::success(format!("Renamed to {name}."))
            }
            Ok(false) => {
                Flash::error("Someone changed this unit meanwhile; here it is as it is now.")
            }
            Err(WriteError::Duplicate { message, .. }) => Flash::error(message),
            Err(WriteError::Database(error)) => return Err(error.into()),
        }
    };
    flash::set(&state.db, &user.session_token_hash, flash).await?;
    Ok(Redirect::to("/org-units").into_response())
}

pub async fn archive(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = super::parse_id(&id)?;
    let mut tx = state.db.begin().await?;
    org_units::archive(&mut tx, &user.actor(), id).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("Unit archived: it no longer appears in pickers; its processes keep it."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/org-units").into_response())
}
