//! `/import`: bring services, components, sites and dependencies in from CSV files. Upload →
//! preview (row by row: created, updated, unchanged or refused, and why) → confirm, which applies
//! the accepted rows in one transaction. Continuity managers only.

mod confirm;
mod page;
mod preview;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/import", page::show)
        .post("/import", preview::upload)
        .get("/import/examples/{file}", page::example)
        .get("/import/{id}", preview::show)
        .post("/import/{id}/confirm", confirm::apply)
}
