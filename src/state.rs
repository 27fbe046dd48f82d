//! The one shared application state: the connection pool, the configuration and readiness.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState(Arc<App>);

pub struct App {
    pub db: PgPool,
    pub config: Config,
    /// False until the database exists and is migrated; pages answer 503 meanwhile.
    ready: AtomicBool,
    pub graph: crate::graph_cache::GraphCache,
    /// Set when a request found PostgreSQL unreachable; pages answer 503 at once meanwhile.
    pub database_health: crate::database_health::DatabaseHealth,
    /// The practice-wide supplier figures of a manager's home page (see `routes::suppliers::supplier_watch`).
    pub supplier_watch: crate::web::derived_cache::DerivedCache<SupplierFigures>,
    /// The home page's posture figures, for every role (see `db::posture`).
    pub posture: crate::web::derived_cache::DerivedCache<crate::db::posture::Posture>,
    /// The home page's risk figures and heat maps (see `routes::risks::risk_watch`).
    pub risk_watch: crate::web::derived_cache::DerivedCache<crate::routes::risks::RiskFigures>,
    /// The continuity posture of the whole estate (see `recovery_cache`).
    pub recovery: crate::web::derived_cache::DerivedCache<Arc<crate::recovery_cache::Computed>>,
    /// Each service owner's readable contracts (see `auth::contracts`).
    pub readable_contracts: crate::web::derived_cache::KeyedCache<
        uuid::Uuid,
        Arc<std::collections::HashSet<uuid::Uuid>>,
    >,
}

/// Contracts with gaps, notice dates soon and expired evidence, across the practice.
#[derive(Debug, Clone, Copy, Default)]
pub struct SupplierFigures {
    pub with_gaps: usize,
    pub notice_soon: usize,
    pub expired_evidence: i64,
}

impl AppState {
    /// Builds the state without touching the database: connections are made on first use,
    /// so the server can start (and say it is unavailable) while PostgreSQL is down.
    pub fn new(config: Config) -> anyhow::Result<Self> {
        // Pages run as the serving role, which owns nothing (see `db::serving_role`).
        let options = config.serving_connect_options()?;
        let db = PgPoolOptions::new()
            .max_connections(config.database_max_connections)
            .acquire_timeout(std::time::Duration::from_secs(3))
            .connect_lazy_with(options);
        Ok(Self(Arc::new(App {
            db,
            config,
            ready: AtomicBool::new(false),
            graph: Default::default(),
            database_health: Default::default(),
            // Long enough to spare a busy home page, short enough that no count misleads.
            supplier_watch: crate::web::derived_cache::DerivedCache::new(
                std::time::Duration::from_secs(30),
            ),
            posture: crate::web::derived_cache::DerivedCache::new(std::time::Duration::from_secs(
                30,
            )),
            risk_watch: crate::web::derived_cache::DerivedCache::new(
                std::time::Duration::from_secs(30),
            ),
            recovery: crate::web::derived_cache::DerivedCache::new(std::time::Duration::from_secs(
                30,
            )),
            readable_contracts: crate::web::derived_cache::KeyedCache::new(
                crate::auth::contracts::KEPT_FOR,
                10_000,
            ),
        })))
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub fn mark_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}
