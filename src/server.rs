//! Running the server: listen at once, make the database ready in the background (503 pages
//! until then), tidy expired sessions periodically, stop gracefully on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::{login_failures, sessions, setup};
use crate::state::AppState;
use crate::{bootstrap, build_router, demo};

pub async fn run(config: Config) -> anyhow::Result<()> {
    let bind_addr = config.bind_addr;
    let state = AppState::new(config)?;
    let listener = TcpListener::bind(bind_addr).await.with_context(|| {
        format!("cannot listen on {bind_addr} (is another program using it? set BIND_ADDR)")
    })?;
    tracing::info!("Continuity is listening on http://{bind_addr}");
    crate::auth::password::warm_up();
    tokio::spawn(prepare_until_ready(state.clone()));
    tokio::spawn(housekeeping(state.clone()));
    axum::serve(
        listener,
        build_router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server error")?;
    tracing::info!("Continuity stopped");
    Ok(())
}

/// Creates and migrates the database and grants the serving role (as the owner), then loads the
/// demo when asked and ensures an administrator (as the serving role).
pub async fn prepare(state: &AppState) -> anyhow::Result<()> {
    setup::prepare_as_owner(&state.config).await?;
    if let Some(demo) = &state.config.demo {
        demo::load_if_empty(&state.db, demo).await?;
    }
    bootstrap::ensure_administrator(&state.db, &state.config).await?;
    crate::db::risks::catalogues::seed_if_empty(&mut *state.db.acquire().await?).await?;
    Ok(())
}

/// `continuity migrate`: prepares the database as its owner and stops, so that a deployment can
/// migrate in a step of its own.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    setup::prepare_as_owner(config).await?;
    tracing::info!(
        role = config.app_database_role,
        "database ready: migrated, serving role granted"
    );
    Ok(())
}

/// Retries every half second (each attempt fails fast while PostgreSQL refuses connections), so
/// the instance is ready within about a second of the database's return, however long it was away.
pub async fn prepare_until_ready(state: AppState) {
    const RETRY: Duration = Duration::from_millis(500);
    let mut attempts: u64 = 0;
    loop {
        match prepare(&state).await {
            Ok(()) => {
                state.mark_ready();
                tracing::info!("database ready: serving pages");
                return;
            }
            Err(error) => {
                attempts += 1;
                // Say it once, then every half minute, not at every attempt.
                if attempts == 1 || attempts.is_multiple_of(60) {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        attempts,
                        "database not ready; pages answer 503 until it is (retrying twice a second)"
                    );
                }
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// Deletes expired sessions and forgotten sign-in failures. Idempotent, so any number of
/// instances may run it.
async fn housekeeping(state: AppState) {
    let mut ticker = tokio::time::interval(Duration::from_secs(600));
    loop {
        ticker.tick().await;
        if !state.is_ready() {
            continue;
        }
        let config = &state.config;
        let now = time::OffsetDateTime::now_utc();
        let sessions = sessions::purge_expired(
            &state.db,
            config.session_idle_timeout,
            config.session_absolute_timeout,
        )
        .await;
        let failures = login_failures::purge_stale(&state.db, now).await;
        if let (Err(error), _) | (_, Err(error)) = (&sessions, &failures) {
            tracing::warn!(error = %error, "housekeeping could not reach the database");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
