//! Supplier fixtures: suppliers, contracts with chosen terms, and documents, written through the
//! app's db functions.

use continuity::db::audit::Actor;
use continuity::db::suppliers::contracts::{self, ContractFields};
use continuity::db::suppliers::documents::{self, NewDocument};
use continuity::db::suppliers::suppliers_table::{self as supplier_rows, SupplierFields};
use uuid::Uuid;

use super::TestApp;

pub struct Suppliers<'a> {
    app: &'a TestApp,
    actor: Actor,
}

fn unique(name: &str) -> String {
    format!("{name} {}", &Uuid::new_v4().simple().to_string()[..6])
}

impl<'a> Suppliers<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            actor: Actor::system("test fixtures"),
        }
    }

    pub async fn supplier(&self, name: &str) -> Uuid {
        let fields = SupplierFields {
            name: unique(name),
            category: "strategic".into(),
            website: String::new(),
            email: String::new(),
            phone: "+44 20 7946 0000".into(),
            address: String::new(),
            notes: String::new(),
            escalation: Vec::new(),
        };
        supplier_rows::create(
            &mut self.app.state.db.acquire().await.expect("connection"),
            &self.actor,
            &fields,
        )
        .await
        .expect("supplier")
        .id
    }

    /// A contract of `supplier` with 24×7 support and no terms, adjusted by `adjust`.
    pub async fn contract(
        &self,
        supplier: Uuid,
        reference: &str,
        adjust: impl FnOnce(&mut ContractFields),
    ) -> Uuid {
        let mut fields = ContractFields {
            supplier_id: supplier,
            reference: unique(reference),
            support_hours: "24x7".into(),
            support_days: "1111100".into(),
            support_from_minute: 540,
            support_to_minute: 1020,
            regional_priority: "unspecified".into(),
            ..ContractFields::default()
        };
        adjust(&mut fields);
        contracts::create(
            &mut self.app.state.db.acquire().await.expect("connection"),
            &self.actor,
            &fields,
        )
        .await
        .expect("contract")
        .id
    }
}

/// A small PDF attached to `contract`.
pub async fn document(app: &TestApp, contract: Uuid) -> Uuid {
    documents::add(
        &mut app.state.db.acquire().await.expect("connection"),
        &Actor::system("test fixtures"),
        contract,
        &NewDocument {
            file_name: "terms.pdf",
            content_type: "application/pdf",
            sha256: "00",
            content: b"%PDF-1.4 test",
        },
    )
    .await
    .expect("document")
}
