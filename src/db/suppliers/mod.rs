//! Suppliers, their contracts (nodes of the dependency graph) and the documents attached to them.

pub mod contract_import;
pub mod contracts;
pub mod documents;
pub mod readable;
pub mod suppliers_table;
