//! Whether this instance currently believes PostgreSQL is down. Once a request has found it
//! unreachable, later requests answer 503 at once instead of each waiting for the pool's acquire
//! timeout, while one background probe re-checks every half second so pages come back as soon as
//! the database does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::state::AppState;

/// What a 503 tells clients to wait before trying again, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 2;

/// How often the probe asks the database whether it is back.
const PROBE_INTERVAL: Duration = Duration::from_millis(500);

/// How long one probe may wait for an answer (far below the pool's acquire timeout).
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct DatabaseHealth {
    down: AtomicBool,
}

impl DatabaseHealth {
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// Records that the database could not be reached. True for the one caller that turned
    /// "up" into "down": that caller starts the probe, so there is only ever one.
    pub fn mark_down(&self) -> bool {
        !self.down.swap(true, Ordering::AcqRel)
    }

    pub fn mark_up(&self) {
        self.down.store(false, Ordering::Release);
    }
}

/// What a 503 from a handler says of the database, as a response extension for the readiness
/// middleware: `Certain` when a connection failed, `Suspected` when the pool only timed out,
/// which a loaded but healthy database also causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    Certain,
    Suspected,
}

/// Handles a handler's 503: a failed connection marks the database down at once; a pool
/// timeout does so only if a fresh connection, outside the busy pool, cannot be made either.
pub fn report(state: &AppState, what: Unreachable) {
    match what {
        Unreachable::Certain => report_unreachable(state),
        Unreachable::Suspected if !state.database_health.is_down() => {
            tokio::spawn(confirm_outage(state.clone()));
        }
        Unreachable::Suspected => {}
    }
}

async fn confirm_outage(state: AppState) {
    let Ok(options) = state.config.serving_connect_options() else {
        return;
    };
    let attempt = tokio::time::timeout(PROBE_TIMEOUT, async move {
        use sqlx::{ConnectOptions, Connection};
        let connection = options.connect().await?;
        connection.close().await
    });
    if !matches!(attempt.await, Ok(Ok(()))) {
        report_unreachable(&state);
    }
}

/// Records a failure and, when it is the first, starts the probe that clears it.
pub fn report_unreachable(state: &AppState) {
    if state.database_health.mark_down() {
        tracing::warn!("database unreachable: pages answer 503 until it answers again");
        tokio::spawn(probe_until_up(state.clone()));
    }
}

async fn probe_until_up(state: AppState) {
    loop {
        tokio::time::sleep(PROBE_INTERVAL).await;
        let ping = sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.db);
        if let Ok(Ok(_)) = tokio::time::timeout(PROBE_TIMEOUT, ping).await {
            state.database_health.mark_up();
            tracing::info!("database answers again: serving pages");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseHealth;

    #[test]
    fn the_database_is_presumed_up_until_a_request_finds_it_down() {
        assert!(!DatabaseHealth::default().is_down());
    }

    #[test]
    fn only_the_first_failure_starts_a_probe_and_recovery_clears_it() {
        let health = DatabaseHealth::default();
        assert!(health.mark_down(), "the first failure starts the probe");
        assert!(health.is_down());
        assert!(!health.mark_down(), "later failures while down start none");
        health.mark_up();
        assert!(!health.is_down());
        assert!(health.mark_down(), "a new outage starts a new probe");
    }
}
