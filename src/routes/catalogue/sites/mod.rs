//! `/sites`: offices, data centres, alternate sites and cloud regions.

mod form;
mod list;
mod show;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/sites", list::page)
        .get("/sites.csv", list::csv)
        .get("/sites/new", form::new)
        .post("/sites", form::create)
        .get("/sites/{id}", show::show)
        .get("/sites/{id}/edit", form::edit)
        .post("/sites/{id}", form::update)
}
