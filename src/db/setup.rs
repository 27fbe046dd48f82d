//! Making the database ready at start, as its owner: create it when missing, apply the embedded
//! migrations, then create and grant the role that pages are served as (`serving_role`).

use anyhow::Context;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use super::serving_role;
use crate::config::Config;

/// Everything the owner does before pages can be served; safe when several instances start at
/// once (each step either takes a lock or treats "already there" as success).
pub async fn prepare_as_owner(config: &Config) -> anyhow::Result<()> {
    let options = config.owner_connect_options()?;
    create_database_if_missing(&options).await?;
    let mut owner = connect(&options)
        .await
        .context("cannot connect to the database as its owner (DATABASE_URL)")?;
    migrate(&mut owner).await?;
    serving_role::ensure(
        &mut owner,
        &config.app_database_role,
        config.app_database_password.as_deref(),
    )
    .await?;
    owner.close().await.ok();
    Ok(())
}

/// Creates the database named in `options` if it does not exist yet.
pub async fn create_database_if_missing(options: &PgConnectOptions) -> anyhow::Result<()> {
    let name = options.get_database().unwrap_or("postgres").to_string();
    let mut maintenance = connect(&options.clone().database("postgres"))
        .await
        .context("cannot reach PostgreSQL")?;
    let exists: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from pg_database where datname = $1) as "exists!""#,
        name
    )
    .fetch_one(&mut maintenance)
    .await?;
    if !exists {
        let statement = format!("create database {}", quote_identifier(&name));
        match sqlx::query(&statement).execute(&mut maintenance).await {
            Ok(_) => tracing::info!(database = name, "created the database"),
            Err(error) if already_exists(&error) => {}
            Err(error) => return Err(error).context("cannot create the database"),
        }
    }
    maintenance.close().await.ok();
    Ok(())
}

/// A connection, given up after a few seconds: a server that drops packets instead of refusing
/// them must not stall the start-up retries for minutes.
async fn connect(options: &PgConnectOptions) -> anyhow::Result<PgConnection> {
    match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
        Ok(connection) => Ok(connection?),
        Err(_) => anyhow::bail!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
    }
}

const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether a `create database` or `create role` failed only because another instance created
/// the same thing at the same moment: PostgreSQL says so with 42P04 or 42710, or, when both
/// got past the existence check together, with a unique violation (23505) on its catalogue.
pub fn already_exists(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Database(error)
            if matches!(error.code().as_deref(), Some("42P04" | "42710" | "23505"))
    )
}

/// A name as a quoted SQL identifier, for the statements that take no parameters.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Applies the migrations compiled into the binary; safe when several instances start at once
/// (sqlx takes an advisory lock).
pub async fn migrate(owner: &mut PgConnection) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations")
        .run_direct(owner)
        .await
        .context("cannot apply database migrations")
}
