//! The `continuity` binary: parse the command line, start logging, serve (or only migrate).

use std::process::ExitCode;

use clap::Parser;
use continuity::config::Cli;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
    let cli = Cli::parse();
    let migrate_only = cli.migrate_only();
    let config = cli.into_serve_args().into();
    let outcome = if migrate_only {
        continuity::server::migrate(&config).await
    } else {
        continuity::server::run(config).await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Continuity stopped");
            ExitCode::FAILURE
        }
    }
}
