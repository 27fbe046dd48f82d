//! `/tests`: the test programme and the tests themselves — planned, run and recorded, with their
//! findings turned into improvement actions, their evidence files and the post-test report — and
//! the awareness register of who is practised in which plan. Everyone signed in reads;
//! continuity managers do everything; a service owner plans tests of the plans covering their
//! services and records the results of the tests that cover them.

mod awareness;
mod documents;
pub mod evidence;
mod findings;
mod form;
mod loaded;
mod programme;
mod record;
mod register;
pub(crate) mod show;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::exercises::records::{self, PlanTest};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/tests", programme::page)
        .get("/tests/all", register::page)
        .get("/tests/all.csv", register::csv)
        .get("/tests/awareness", awareness::page)
        .get("/tests/training/new", awareness::new_training)
        .post("/tests/training", awareness::create_training)
        .get("/tests/new", form::new)
        .post("/tests", form::create)
        .get("/tests/{id}", show::page)
        .get("/tests/{id}/edit", form::edit)
        .post("/tests/{id}", form::update)
        .post("/tests/{id}/conclude", show::conclude)
        .get("/tests/{id}/record", record::form)
        .post("/tests/{id}/record", record::save)
        .post("/tests/{id}/findings", findings::add)
        .post("/tests/{id}/findings/{finding}/action", findings::to_action)
        .post("/tests/{id}/documents", documents::upload)
        .get("/tests/{id}/documents/{document}", documents::download)
}

async fn load(state: &AppState, id: &str) -> AppResult<PlanTest> {
    records::find(&state.db, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether `user` records results of `test`: managers; a service owner when a service in its
/// scope is theirs (service ownership is set by managers, never by the owner themselves).
async fn may_record(state: &AppState, user: &CurrentUser, test: &PlanTest) -> AppResult<bool> {
    if user.role.manages_continuity() {
        return Ok(true);
    }
    if user.role != crate::domain::role::Role::ServiceOwner {
        return Ok(false);
    }
    Ok(records::covers_service_of(&state.db, test.id, user.id).await?)
}

/// Whether `user` changes the plan of `test` (what, when, who) or concludes it: managers, and
/// the service owner who planned it while every plan it exercises still covers one of their
/// services (ownership is set by managers).
async fn may_plan(state: &AppState, user: &CurrentUser, test: &PlanTest) -> AppResult<bool> {
    if user.role.manages_continuity() {
        return Ok(true);
    }
    if user.role != crate::domain::role::Role::ServiceOwner || test.created_by != Some(user.id) {
        return Ok(false);
    }
    Ok(records::owner_of_every_plan(&state.db, test.id, user.id).await?)
}
