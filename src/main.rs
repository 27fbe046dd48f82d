//! The `continuity` binary: parse the command line, start logging, serve (or only migrate, or
//! generate a large estate).

use std::process::ExitCode;

use clap::Parser;
use continuity::config::{Cli, Command};
use continuity::generator::{self, EstateSize};
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
    let outcome = match &cli.command {
        Some(Command::GenerateEstate(args)) => {
            let size = EstateSize::services(args.services);
            generator::run(&args.database_url, size, args.password.clone()).await
        }
        Some(Command::Migrate(_)) => {
            continuity::server::migrate(&cli.into_serve_args().into()).await
        }
        _ => continuity::server::run(cli.into_serve_args().into()).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "Continuity stopped");
            ExitCode::FAILURE
        }
    }
}
