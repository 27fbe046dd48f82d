//! The continuity posture (`/posture`), the practice's recovery strategy (`/posture/strategy`,
//! each service's strategy at `/services/{id}/strategy`) and disaster scenarios (`/scenarios`):
//! required against achievable recovery along the dependency graph, and what a loss would do.

pub(crate) mod page;
mod scenarios;
pub(crate) mod strategy;
mod strategy_fields;
mod strategy_form;
mod template_apply;
mod template_form;
pub(crate) mod view;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/posture", page::page)
        .get("/posture.csv", page::csv)
        .get("/posture/strategy", strategy::page)
        .get("/posture/strategy/templates/new", template_form::new)
        .post("/posture/strategy/templates", template_form::create)
        .get("/posture/strategy/templates/{id}", template_form::edit)
        .post("/posture/strategy/templates/{id}", template_form::update)
        .get(
            "/posture/strategy/templates/{id}/apply",
            template_apply::choose,
        )
        .post(
            "/posture/strategy/templates/{id}/apply",
            template_apply::apply,
        )
        .get("/scenarios", scenarios::list)
        .get("/scenarios/run", scenarios::run)
        .post("/scenarios", scenarios::save)
        .get("/scenarios/{id}", scenarios::show)
        .post("/scenarios/{id}/archive", scenarios::archive)
        .get("/services/{id}/strategy", strategy_form::edit)
        .post("/services/{id}/strategy", strategy_form::save)
}
