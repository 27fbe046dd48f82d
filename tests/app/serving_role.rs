//! The application serves as a role that owns nothing: it cannot switch the audit log off or
//! rewrite it, while every page and write still works (the whole suite runs as that role).
//! Preparing the database is safe when instances start together.

use continuity::config::Config;
use continuity::db::{serving_role, setup};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};
use uuid::Uuid;

use crate::support::TestApp;

async fn refused(app: &TestApp, statement: &str) -> String {
    let mut conn = app.state.db.acquire().await.expect("connection");
    match sqlx::query(statement).execute(&mut *conn).await {
        Ok(_) => panic!("the serving role could run: {statement}"),
        Err(sqlx::Error::Database(error)) => error.code().unwrap_or_default().to_string(),
        Err(error) => panic!("unexpected error for {statement}: {error}"),
    }
}

#[tokio::test]
async fn pages_are_served_as_the_serving_role_which_is_no_superuser_and_owns_nothing() {
    let app = TestApp::spawn().await;
    let (user, superuser, owns): (String, bool, bool) = sqlx::query_as(
        "select current_user::text, r.rolsuper,
                exists(select 1 from pg_class c where c.relowner = r.oid)
                or exists(select 1 from pg_database d where d.datdba = r.oid)
         from pg_roles r where r.rolname = current_user",
    )
    .fetch_one(&app.state.db)
    .await
    .expect("who am i");
    assert_eq!(user, "continuity_app");
    assert!(!superuser, "not a superuser");
    assert!(!owns, "owns no table and no database");
}

#[tokio::test]
async fn the_serving_role_cannot_update_delete_or_truncate_the_audit_log() {
    let app = TestApp::spawn().await;
    let before = app.audit_count("user", "create").await;
    assert!(before > 0, "the first administrator's creation is audited");
    // 42501: insufficient privilege, before any trigger runs.
    assert_eq!(
        refused(&app, "update audit_log set actor_label = 'someone else'").await,
        "42501"
    );
    assert_eq!(refused(&app, "delete from audit_log").await, "42501");
    assert_eq!(refused(&app, "truncate audit_log").await, "42501");
    assert_eq!(app.audit_count("user", "create").await, before);
}

#[tokio::test]
async fn the_serving_role_cannot_disable_the_audit_triggers_or_replication_role() {
    let app = TestApp::spawn().await;
    // 42501 (must be owner) for the table, and for the parameter only superusers may set.
    assert_eq!(
        refused(&app, "alter table audit_log disable trigger user").await,
        "42501"
    );
    assert_eq!(
        refused(&app, "alter table audit_log disable trigger all").await,
        "42501"
    );
    assert_eq!(
        refused(&app, "drop trigger audit_log_no_update on audit_log").await,
        "42501"
    );
    assert_eq!(
        refused(&app, "set session_replication_role = replica").await,
        "42501"
    );
    assert_eq!(refused(&app, "create table shadow (id int)").await, "42501");
}

#[tokio::test]
async fn even_the_owner_cannot_rewrite_audit_rows_while_the_triggers_stand() {
    let app = TestApp::spawn().await;
    let mut owner = app.owner().await;
    for statement in [
        "update audit_log set actor_label = 'someone else'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        assert!(
            sqlx::query(statement).execute(&mut owner).await.is_err(),
            "the append-only trigger refuses: {statement}"
        );
    }
}

#[tokio::test]
async fn a_table_a_later_migration_adds_is_granted_to_the_serving_role() {
    let app = TestApp::spawn().await;
    sqlx::query("create table later_feature (id bigserial primary key, note text)")
        .execute(&mut app.owner().await)
        .await
        .expect("the owner adds a table");
    sqlx::query("insert into later_feature (note) values ('works')")
        .execute(&app.state.db)
        .await
        .expect("the serving role writes the new table");
}

#[tokio::test]
async fn a_serving_role_that_could_undo_the_audit_log_is_refused() {
    let app = TestApp::spawn().await;
    let mut owner = app.owner().await;
    let error = serving_role::ensure(&mut owner, "postgres", None)
        .await
        .expect_err("a superuser is no serving role");
    assert!(
        format!("{error:#}").contains("must own nothing"),
        "{error:#}"
    );
}

fn server() -> PgConnectOptions {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
        .parse::<PgConnectOptions>()
        .expect("TEST_DATABASE_URL")
}

/// Drops what a test created on the shared server, however the test ends.
async fn drop_database(name: &str) {
    let mut conn = server().connect().await.expect("server");
    sqlx::query(&format!("drop database if exists \"{name}\" with (force)"))
        .execute(&mut conn)
        .await
        .ok();
    conn.close().await.ok();
}

#[tokio::test]
async fn two_instances_preparing_a_missing_database_at_once_both_succeed() {
    for _ in 0..5 {
        // Named like every test database (`continuity_test_<seconds>_…`), so that another test
        // starting meanwhile does not take it for one left behind an hour ago and drop it.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        let name = format!("continuity_test_{now}_{}_race", Uuid::new_v4().simple());
        let mut config = Config::defaults();
        config.database_url = server().database(&name).to_url_lossy().to_string();
        let (first, second) = {
            let (a, b) = (config.clone(), config.clone());
            tokio::join!(
                tokio::spawn(async move { setup::prepare_as_owner(&a).await }),
                tokio::spawn(async move { setup::prepare_as_owner(&b).await }),
            )
        };
        let outcomes = (first.expect("task"), second.expect("task"));
        drop_database(&name).await;
        assert!(
            outcomes.0.is_ok() && outcomes.1.is_ok(),
            "both instances start: {:?} / {:?}",
            outcomes.0.err(),
            outcomes.1.err()
        );
    }
}

#[tokio::test]
async fn two_instances_creating_the_missing_serving_role_at_once_both_succeed() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let role = format!(
            "continuity_test_role_{}",
            &Uuid::new_v4().simple().to_string()[..12]
        );
        let (mut a, mut b): (PgConnection, PgConnection) = (app.owner().await, app.owner().await);
        let (first, second) = tokio::join!(
            serving_role::ensure(&mut a, &role, None),
            serving_role::ensure(&mut b, &role, None),
        );
        // The role holds grants in this database: drop them before the role.
        let cleanup = format!("drop owned by \"{role}\"; drop role \"{role}\"");
        sqlx::raw_sql(&cleanup)
            .execute(&mut a)
            .await
            .expect("cleanup");
        assert!(
            first.is_ok() && second.is_ok(),
            "both instances start: {:?} / {:?}",
            first.err(),
            second.err()
        );
    }
}
