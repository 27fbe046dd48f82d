//! `/components`: configuration items — applications, databases, servers, networks … at sites.

mod form;
mod list;
mod show;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/components", list::page)
        .get("/components.csv", list::csv)
        .get("/components/new", form::new)
        .post("/components", form::create)
        .get("/components/{id}", show::show)
        .get("/components/{id}/edit", form::edit)
        .post("/components/{id}", form::update)
}
