//! The `continuity` binary: parse the command line, start logging, serve.

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
    let config = Cli::parse().into_serve_args().into();
    match continuity::server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Continuity stopped");
            ExitCode::FAILURE
        }
    }
}
