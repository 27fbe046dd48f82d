//! `/suppliers` and `/contracts`: supplier agreements and their continuity terms, the gaps
//! between what they guarantee and what the services depending on them need, and what is due
//! (renewals, notice dates, reviews). Continuity managers keep them; service owners read those
//! their services rely on; auditors read all.

mod assess;
mod contract_form;
mod contract_input;
mod contract_list;
mod contract_show;
mod documents;
mod lifecycle;
mod renewals;
mod supplier_form;
mod supplier_list;
mod supplier_show;

pub(crate) use assess::{ServiceSupplier, suppliers_of_service};

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/suppliers", supplier_list::page)
        .get("/suppliers.csv", supplier_list::csv)
        .get("/suppliers/new", supplier_form::new)
        .post("/suppliers", supplier_form::create)
        .get("/suppliers/{id}", supplier_show::show)
        .get("/suppliers/{id}/edit", supplier_form::edit)
        .post("/suppliers/{id}", supplier_form::update)
        .post("/suppliers/{id}/archive", lifecycle::archive_supplier)
        .post("/suppliers/{id}/restore", lifecycle::restore_supplier)
        .get("/contracts", contract_list::page)
        .get("/contracts.csv", contract_list::csv)
        .get("/contracts/renewals", renewals::page)
        .get("/contracts/new", contract_form::new)
        .post("/contracts", contract_form::create)
        .get("/contracts/{id}", contract_show::show)
        .get("/contracts/{id}/edit", contract_form::edit)
        .post("/contracts/{id}", contract_form::update)
        .post("/contracts/{id}/archive", lifecycle::archive_contract)
        .post("/contracts/{id}/restore", lifecycle::restore_contract)
        .post("/contracts/{id}/documents", documents::upload)
        .get("/contracts/{id}/documents/{document}", documents::download)
}
