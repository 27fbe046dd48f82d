//! `/people`: the directory of people plans name, users of the application or not, with the
//! contact details the call tree prints.

mod form;
mod list;
mod rights;
mod show;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/people", list::page)
        .get("/people.csv", list::csv)
        .get("/people/new", form::new)
        .post("/people", form::create)
        .get("/people/{id}", show::show)
        .get("/people/{id}/edit", form::edit)
        .post("/people/{id}", form::update)
}
