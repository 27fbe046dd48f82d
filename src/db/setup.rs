//! Making the database ready at start: create it when missing, then apply the embedded migrations.

use anyhow::Context;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgPool};

/// Creates the database named in `database_url` if it does not exist yet.
pub async fn create_database_if_missing(database_url: &str) -> anyhow::Result<()> {
    let options: PgConnectOptions = database_url
        .parse()
        .context("DATABASE_URL is not a valid PostgreSQL URL")?;
    let name = options.get_database().unwrap_or("postgres").to_string();
    let mut maintenance = options
        .clone()
        .database("postgres")
        .connect()
        .await
        .context("cannot reach PostgreSQL")?;
    let exists: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from pg_database where datname = $1) as "exists!""#,
        name
    )
    .fetch_one(&mut maintenance)
    .await?;
    if !exists {
        let statement = format!("create database \"{}\"", name.replace('"', "\"\""));
        match sqlx::query(&statement).execute(&mut maintenance).await {
            Ok(_) => tracing::info!(database = name, "created the database"),
            // Another instance created it at the same moment.
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("42P04") => {}
            Err(error) => return Err(error).context("cannot create the database"),
        }
    }
    maintenance.close().await.ok();
    Ok(())
}

/// Applies the migrations compiled into the binary; safe when several instances start at once.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations")
        .run(pool)
        .await
        .context("cannot apply database migrations")
}
