//! `/suppliers` and `/contracts`: supplier agreements and their continuity terms, the gaps
//! between what they guarantee and what the services depending on them need, and what is due
//! (renewals, notice dates, reviews). Continuity managers keep them; service owners read those
//! their services rely on; auditors read all.

mod assess;
mod contract_form;
mod contract_input;
mod contract_list;
mod contract_show;
pub(crate) mod documents;
mod gaps;
mod lifecycle;
mod renewals;
mod supplier_form;
mod supplier_list;
mod supplier_show;

pub(crate) use assess::{ServiceSupplier, suppliers_of_service};
pub(crate) use gaps::supplier_watch;

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
        .get("/contracts/gaps", gaps::page)
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

/// The state of a supplier's continuity evidence in words, with its badge: not required,
/// missing, received (valid until …), or expired. The contract and supplier pages say the same.
pub(crate) fn evidence(
    contract: &crate::db::suppliers::contracts::Contract,
    today: time::Date,
) -> (String, &'static str) {
    match (
        contract.bcp_evidence_received_on,
        contract.bcp_evidence_expires_on,
    ) {
        (_, Some(expires)) if expires < today => (format!("Expired on {expires}"), "badge-red"),
        (Some(received), Some(expires)) => (
            format!("Received {received}, valid until {expires}"),
            "badge-green",
        ),
        (Some(received), None) => (format!("Received {received}"), "badge-green"),
        (None, _) if contract.bcp_required => ("Required but missing".into(), "badge-red"),
        (None, _) => ("None required".into(), "badge-none"),
    }
}
