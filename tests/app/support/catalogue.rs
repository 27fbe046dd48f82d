//! Catalogue fixtures written straight to the database (through the same db functions the app
//! uses, so they are audited like any write).

use continuity::db::audit::Actor;
use continuity::db::catalogue::components::{self, ComponentFields};
use continuity::db::catalogue::dependencies::{self, DependencyFields};
use continuity::db::catalogue::processes::{self, ProcessFields};
use continuity::db::catalogue::services::{self, ServiceFields};
use continuity::db::catalogue::sites::{self, SiteFields};
use uuid::Uuid;

use super::TestApp;

pub struct Catalogue<'a> {
    app: &'a TestApp,
    actor: Actor,
}

impl<'a> Catalogue<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            actor: Actor::system("test fixtures"),
        }
    }

    async fn conn(&self) -> sqlx::pool::PoolConnection<sqlx::Postgres> {
        self.app.state.db.acquire().await.expect("connection")
    }

    fn unique(name: &str) -> String {
        format!("{name} {}", &Uuid::new_v4().simple().to_string()[..6])
    }

    pub async fn site(&self, name: &str) -> Uuid {
        let fields = SiteFields {
            name: Self::unique(name),
            kind: "data_centre".into(),
            location: String::new(),
            description: String::new(),
            external_id: String::new(),
        };
        sites::create(&mut *self.conn().await, &self.actor, &fields)
            .await
            .expect("site")
            .id
    }

    pub async fn service(&self, name: &str, owner: Option<Uuid>) -> Uuid {
        let fields = ServiceFields {
            name: Self::unique(name),
            description: String::new(),
            owner_id: owner,
            service_type: "business".into(),
            lifecycle: "live".into(),
            sla_reference: String::new(),
            support_hours: String::new(),
            external_id: String::new(),
        };
        services::create(&mut *self.conn().await, &self.actor, &fields)
            .await
            .expect("service")
            .id
    }

    pub async fn component(&self, name: &str, site: Option<Uuid>) -> Uuid {
        let fields = ComponentFields {
            name: Self::unique(name),
            class: "application".into(),
            environment: "production".into(),
            site_id: site,
            description: String::new(),
            external_id: String::new(),
        };
        components::create(&mut *self.conn().await, &self.actor, &fields)
            .await
            .expect("component")
            .id
    }

    pub async fn process(&self, name: &str) -> Uuid {
        let fields = ProcessFields {
            name: Self::unique(name),
            description: String::new(),
            owner_id: None,
            org_unit_id: None,
            peak_periods: String::new(),
        };
        processes::create(&mut *self.conn().await, &self.actor, &fields)
            .await
            .expect("process")
            .id
    }

    /// An uploaded import file waiting for confirmation, stored as the first administrator's.
    pub async fn stored_import(&self, kind: &str, content: &str) -> Uuid {
        let mut conn = self.conn().await;
        let admin: Uuid = sqlx::query_scalar("select id from users order by created_at limit 1")
            .fetch_one(&mut *conn)
            .await
            .expect("a user");
        continuity::db::catalogue::imports::save(&mut conn, admin, kind, "matrix.csv", content)
            .await
            .expect("import stored")
    }

    pub async fn org_unit(&self, name: &str) -> Uuid {
        continuity::db::catalogue::org_units::create(
            &mut *self.conn().await,
            &self.actor,
            &Self::unique(name),
            "",
        )
        .await
        .expect("unit")
        .id
    }

    /// `from` needs `to`; returns the dependency's id.
    pub async fn depend(&self, from: Uuid, to: Uuid) -> Uuid {
        let fields = DependencyFields {
            relation: "uses".into(),
            redundancy: "none".into(),
            notes: String::new(),
        };
        dependencies::upsert(&mut *self.conn().await, &self.actor, from, to, &fields)
            .await
            .expect("dependency")
            .id
    }
}
