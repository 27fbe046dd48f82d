//! A large generated estate for measuring the application at scale (issue 11): thousands of
//! services with their components, dependencies, suppliers, BIA exercises, plans and audit
//! history, built with set-based SQL so 10 000 services load in seconds, not hours.
//!
//! Only for scratch databases: rows get ids derived from their number (`md5('svc' || n)`), so
//! each statement can reach the rows of another without a lookup. The generation itself is
//! audited as one row; the audit history it fabricates is there to be read, not believed.

mod catalogue;
mod records;

use std::time::Instant;

use anyhow::Context;
use sqlx::{Connection, PgConnection};

use crate::auth::password;
use crate::db::audit::{self, Actor, Change};
use crate::db::setup;

/// The estate's size, everything scaled from the number of services the way issue 11 measured
/// it: at 10 000 services, 30 000 components, 25 sites, 500 processes, ~67 000 dependencies,
/// 300 suppliers, 2 000 contracts, 300 plans and 130 000 audit rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EstateSize {
    pub services: i32,
}

impl EstateSize {
    pub fn services(services: i32) -> Self {
        Self {
            services: services.max(1),
        }
    }
    pub fn components(self) -> i32 {
        self.services * 3
    }
    pub fn sites(self) -> i32 {
        25
    }
    pub fn processes(self) -> i32 {
        (self.services / 20).max(1)
    }
    pub fn owners(self) -> i32 {
        (self.services / 100).max(1) + 1
    }
    pub fn suppliers(self) -> i32 {
        (self.services * 3 / 100).max(1)
    }
    pub fn contracts(self) -> i32 {
        (self.services / 5).max(1)
    }
    pub fn plans(self) -> i32 {
        (self.services * 3 / 100).max(1)
    }
    pub fn audit_rows(self) -> i32 {
        self.services * 13
    }
}

/// The accounts a generated estate signs in with (all share one password).
pub const MANAGER_EMAIL: &str = "manager@estate.test";
/// Owns one service in every `owners()`.
pub const OWNER_EMAIL: &str = "owner@estate.test";
pub const AUDITOR_EMAIL: &str = "auditor@estate.test";

/// Builds the estate on `conn` inside one transaction. The database must hold no services yet.
pub async fn generate(
    conn: &mut PgConnection,
    size: EstateSize,
    password_hash: &str,
) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    let existing: i64 = sqlx::query_scalar!(r#"select count(*) as "count!" from services"#)
        .fetch_one(&mut *tx)
        .await?;
    anyhow::ensure!(
        existing == 0,
        "the database already has {existing} services: generate into an empty (scratch) database"
    );
    catalogue::users(&mut tx, size, password_hash).await?;
    catalogue::estate(&mut tx, size).await?;
    catalogue::dependencies(&mut tx, size).await?;
    records::suppliers(&mut tx, size).await?;
    records::bia(&mut tx, size).await?;
    records::plans(&mut tx, size).await?;
    records::tests(&mut tx, size).await?;
    records::audit_history(&mut tx, size).await?;
    audit::record(
        &mut tx,
        &Actor::system("estate generator"),
        Change::new("estate", "generated", "generate")
            .after(&serde_json::json!({ "services": size.services })),
    )
    .await?;
    tx.commit().await?;
    // Fresh statistics and visibility maps, as autovacuum leaves a database that has been in use
    // a while: the planner sees the estate as it now is, and counts read the indexes alone.
    sqlx::query!("vacuum analyze").execute(&mut *conn).await?;
    Ok(())
}

/// The `generate-estate` command: create and migrate the database, then generate into it.
pub async fn run(database_url: &str, size: EstateSize, password: String) -> anyhow::Result<()> {
    let started = Instant::now();
    // As the app's own start does: create and migrate the database, and grant the serving role.
    let mut config = crate::config::Config::defaults();
    config.database_url = database_url.to_owned();
    setup::prepare_as_owner(&config).await?;
    let pool = sqlx::PgPool::connect(database_url)
        .await
        .context("cannot reach the database")?;
    let hash = password::hash(password).await?;
    let mut conn = pool.acquire().await?;
    generate(&mut conn, size, &hash).await?;
    tracing::info!(
        services = size.services,
        components = size.components(),
        processes = size.processes(),
        contracts = size.contracts(),
        plans = size.plans(),
        audit_rows = size.audit_rows(),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "generated the estate; sign in as {MANAGER_EMAIL}, {OWNER_EMAIL} or {AUDITOR_EMAIL}"
    );
    Ok(())
}
