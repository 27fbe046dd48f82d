//! `/bia/method`: the impact categories and their criteria, levels, time buckets, unacceptable
//! level, data-loss buckets and tiers that new exercises copy. Managers change it; everyone reads.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::bia::method;
use crate::domain::bia::method_form::MethodForm;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "bia/method.html")]
pub struct MethodPage {
    ctx: PageContext,
    form: MethodForm,
    version: i32,
    problems: Vec<String>,
    can_edit: bool,
}

fn page(user: &CurrentUser, form: MethodForm, version: i32, problems: Vec<String>) -> MethodPage {
    MethodPage {
        ctx: PageContext::new(user, Area::Bia, "BIA method")
            .crumb("BIA", "/bia")
            .here("Method"),
        form,
        version,
        problems,
        can_edit: user.role.manages_continuity(),
    }
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> AppResult<MethodPage> {
    let (current, version) = method::current(&state.db).await?;
    Ok(page(
        &user,
        MethodForm::from_method(&current),
        version,
        Vec::new(),
    ))
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = MethodForm::from_pairs(&pairs);
    let version = pairs
        .iter()
        .find(|(name, _)| name == "version")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(-1);
    let new_method = match form.to_method() {
        Ok(new_method) => new_method,
        Err(problems) => return Ok(form::rejected(page(&user, form, version, problems))),
    };
    let mut tx = state.db.begin().await?;
    if !method::save(&mut tx, &user.actor(), &new_method, version).await? {
        tx.rollback().await?;
        let (_, current_version) = method::current(&state.db).await?;
        let problems = vec![
            "Someone else saved the method while you were editing. Your changes are below, not saved: check them against the current method (open it in another tab) and save again.".to_string(),
        ];
        let mut page = page(&user, form, current_version, problems);
        page.ctx.title = "Someone else saved first".into();
        return Ok((axum::http::StatusCode::CONFLICT, page).into_response());
    }
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("Method saved. New exercises use it; existing exercises keep the method they started with."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/bia/method").into_response())
}
