//! A fresh database per test on the server named by `TEST_DATABASE_URL`, dropped afterwards.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

const PREFIX: &str = "continuity_test_";

pub struct TestDatabase {
    pub url: String,
    name: String,
    server: PgConnectOptions,
}

fn server_options() -> PgConnectOptions {
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    url.parse::<PgConnectOptions>()
        .expect("TEST_DATABASE_URL is a PostgreSQL URL")
        .database("postgres")
}

impl TestDatabase {
    pub async fn create() -> Self {
        let server = server_options();
        let mut conn = server.connect().await.expect(
            "cannot reach PostgreSQL for tests: start it, or set TEST_DATABASE_URL (scripts/test does both)",
        );
        drop_stale_databases(&mut conn).await;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let name = format!(
            "{PREFIX}{now}_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        sqlx::query(&format!("create database {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let url = server.clone().database(&name).to_url_lossy().to_string();
        Self { url, name, server }
    }
}

/// Databases left behind by a test run that was killed are dropped after an hour.
async fn drop_stale_databases(conn: &mut PgConnection) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname like $1")
            .bind(format!("{PREFIX}%"))
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let created = name
            .trim_start_matches(PREFIX)
            .split('_')
            .next()
            .and_then(|secs| secs.parse::<u64>().ok())
            .unwrap_or(0);
        if created + 3600 < now {
            sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&mut *conn)
                .await
                .ok();
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let server = self.server.clone();
        let name = self.name.clone();
        // Drop runs outside async; a small runtime of its own does the work.
        std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut conn) = server.connect().await {
                    sqlx::query(&format!("drop database if exists {name} with (force)"))
                        .execute(&mut conn)
                        .await
                        .ok();
                }
            });
        })
        .join()
        .ok();
    }
}
