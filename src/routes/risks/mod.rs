//! `/risks`: the risk register with its heat maps, each risk's page (how its level was reached,
//! what it bears on, the services exposed through the graph, its acceptance and history), the
//! method, and the threat and measure catalogues. Everyone signed in reads; continuity managers
//! do everything; service owners propose risks on their own services and edit the risks they own.

mod acceptance;
mod catalogues;
mod form;
mod list;
mod method;
mod show;
mod watch;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::risks::records::{self, Risk};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;

pub use show::{LevelView, ServiceExposure, exposure_for_service};
pub use watch::{RiskFigures, risk_watch};

pub fn routes() -> Routes {
    Routes::new()
        .get("/risks", list::page)
        .get("/risks.csv", list::csv)
        .get("/risks/new", form::new)
        .post("/risks", form::create)
        .get("/risks/method", method::show)
        .post("/risks/method", method::save)
        .get("/risks/threats", catalogues::threats)
        .post("/risks/threats", catalogues::create_threat)
        .post("/risks/threats/{id}", catalogues::update_threat)
        .get("/risks/measures", catalogues::measures)
        .post("/risks/measures", catalogues::create_measure)
        .post("/risks/measures/{id}", catalogues::update_measure)
        .get("/risks/{id}", show::page)
        .get("/risks/{id}/edit", form::edit)
        .post("/risks/{id}", form::update)
        .post("/risks/{id}/review", show::review)
        .post("/risks/{id}/archive", show::archive)
        .post("/risks/{id}/acceptance", acceptance::propose)
        .post("/risks/{id}/acceptance/decide", acceptance::decide)
}

async fn load(state: &AppState, id: &str) -> AppResult<Risk> {
    records::find(&state.db, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// The risk `user` is about to change, or what to answer instead: an archived risk's page saying
/// to restore it first (rather than a refusal), or a refusal for someone who may not edit it.
async fn writable(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<Result<Risk, axum::response::Response>> {
    let risk = load(state, id).await?;
    if risk.archived {
        let notice = crate::web::flash::Flash::error(format!(
            "Risk {} is archived: restore it to change it.",
            risk.reference()
        ));
        let href = format!("/risks/{}", risk.id);
        return Ok(Err(
            crate::web::record::notice(state, user, notice, &href).await?
        ));
    }
    if !may_edit(user, &risk) {
        return Err(AppError::Forbidden);
    }
    Ok(Ok(risk))
}

/// Continuity managers edit every risk; a service owner the risks they own. An archived risk
/// changes only by being restored.
fn may_edit(user: &CurrentUser, risk: &Risk) -> bool {
    !risk.archived
        && (user.role.manages_continuity()
            || (user.role == crate::domain::role::Role::ServiceOwner
                && risk.owner_id == Some(user.id)))
}
