//! `/services`: the IT services the business depends on.

mod form;
mod list;
mod show;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/services", list::page)
        .get("/services.csv", list::csv)
        .get("/services/new", form::new)
        .post("/services", form::create)
        .get("/services/{id}", show::show)
        .get("/services/{id}/edit", form::edit)
        .post("/services/{id}", form::update)
}
