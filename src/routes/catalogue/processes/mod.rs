//! `/processes`: business processes, the reason services matter.

mod form;
mod list;
mod show;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/processes", list::page)
        .get("/processes.csv", list::csv)
        .get("/processes/new", form::new)
        .post("/processes", form::create)
        .get("/processes/{id}", show::show)
        .get("/processes/{id}/edit", form::edit)
        .post("/processes/{id}", form::update)
}
