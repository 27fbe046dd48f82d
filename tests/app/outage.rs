//! Database outages: 503 with `Retry-After` at once while the database is known to be down, and
//! pages back within two seconds of its return, at start-up and while running. The outage is a
//! proxy of the test's own in front of the shared PostgreSQL.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use continuity::config::Config;
use continuity::domain::role::Role;
use continuity::state::AppState;
use sqlx::ConnectOptions;
use sqlx::postgres::PgConnectOptions;

use crate::support::proxy::DatabaseProxy;
use crate::support::{TestApp, TestDatabase};

/// The URL with its port moved to the proxy's.
fn through(url: &str, proxy: &DatabaseProxy) -> String {
    url.parse::<PgConnectOptions>()
        .expect("URL")
        .port(proxy.port)
        .to_url_lossy()
        .to_string()
}

fn target(url: &str) -> String {
    let options: PgConnectOptions = url.parse().expect("URL");
    format!("{}:{}", options.get_host(), options.get_port())
}

async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let router = continuity::build_router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .ok()
    });
    address
}

fn retry_after(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// Asks `path` every 100 ms until it answers 200; how long that took.
async fn time_until_200(client: &reqwest::Client, url: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(response) = client.get(url).send().await
            && response.status() == 200
        {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer 200 within {limit:?}");
}

#[tokio::test]
async fn a_database_known_to_be_down_gets_503_with_retry_after_at_once() {
    let mut config = Config::defaults();
    // Nothing listens on port 1.
    config.database_url = "postgres://postgres@127.0.0.1:1/continuity".to_string();
    let state = AppState::new(config).expect("state");
    let address = serve(state.clone()).await;
    let client = reqwest::Client::new();

    let starting = client.get(format!("{address}/login")).send().await.unwrap();
    assert_eq!(starting.status(), 503, "not ready yet");
    assert!(retry_after(&starting).is_some(), "a 503 says when to retry");

    state.mark_ready();
    let sign_in = || {
        client
            .post(format!("{address}/login"))
            .header("origin", &address)
            .form(&[("email", "a@b.c"), ("password", "whatever-password")])
            .send()
    };
    let first = sign_in().await.unwrap();
    assert_eq!(first.status(), 503);
    assert_eq!(retry_after(&first).as_deref(), Some("2"));
    assert!(state.database_health.is_down(), "the failure is remembered");

    let started = Instant::now();
    let next = sign_in().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(next.status(), 503);
    assert!(retry_after(&next).is_some());
    assert!(
        elapsed < Duration::from_millis(500),
        "known down: answered in {elapsed:?}, not after the pool's timeout"
    );
    let health = client
        .get(format!("{address}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    assert!(retry_after(&health).is_some(), "the health check too");
}

#[tokio::test]
async fn pages_return_within_two_seconds_of_the_database_after_an_outage() {
    let database = TestDatabase::create().await;
    let proxy = DatabaseProxy::start(target(&database.url)).await;
    let app = TestApp::spawn_with(|config| {
        config.database_url = through(&database.url, &proxy);
    })
    .await;
    let (client, _) = app.signed_in(Role::Auditor).await;
    assert_eq!(app.get(&client, "/services").await.status(), 200);

    proxy.down();
    let during = app.get(&client, "/services").await;
    assert_eq!(during.status(), 503);
    assert!(retry_after(&during).is_some());
    let started = Instant::now();
    assert_eq!(app.get(&client, "/services").await.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "503 at once"
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    proxy.up();
    let back = time_until_200(&client, &app.url("/services"), Duration::from_secs(5)).await;
    eprintln!("pages back {back:?} after the database");
    assert!(back < Duration::from_secs(2), "back after {back:?}");
    drop(database);
}

#[tokio::test]
async fn an_instance_started_while_the_database_is_down_is_ready_within_two_seconds_of_its_return()
{
    let database = TestDatabase::create().await;
    let mut config = Config::defaults();
    config.database_url = database.url.clone();
    // An instance restarting: the database exists and is migrated from an earlier start.
    continuity::db::setup::prepare_as_owner(&config)
        .await
        .expect("migrated");
    let proxy = DatabaseProxy::start(target(&database.url)).await;
    proxy.down();
    config.database_url = through(&database.url, &proxy);
    config.admin_email = Some(crate::support::ADMIN_EMAIL.to_string());
    config.admin_password = Some(crate::support::PASSWORD.to_string());
    let state = AppState::new(config).expect("state");
    let address = serve(state.clone()).await;
    tokio::spawn(continuity::server::prepare_until_ready(state.clone()));

    // Long enough for an exponential back-off to have grown past a few seconds.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let client = reqwest::Client::new();
    let waiting = client.get(format!("{address}/login")).send().await.unwrap();
    assert_eq!(waiting.status(), 503);
    assert!(retry_after(&waiting).is_some());

    proxy.up();
    let ready = time_until_200(
        &client,
        &format!("{address}/login"),
        Duration::from_secs(10),
    )
    .await;
    eprintln!("ready {ready:?} after the database");
    assert!(ready < Duration::from_secs(2), "ready after {ready:?}");
}

/// A measurement rather than a check: eight signed-in clients read pages without pause while the
/// database goes away for five seconds. Run by hand:
/// `cargo test --test app restart_under_load -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement, run by hand"]
async fn restart_under_load() {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    let database = TestDatabase::create().await;
    let proxy = DatabaseProxy::start(target(&database.url)).await;
    let app = TestApp::spawn_with(|config| {
        config.database_url = through(&database.url, &proxy);
    })
    .await;
    let started = Instant::now();
    let log: Arc<Mutex<Vec<(Duration, u16, Duration)>>> = Arc::default();
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (client, _) = app.signed_in(Role::Auditor).await;
        let (url, log) = (app.url("/services"), log.clone());
        clients.push(tokio::spawn(async move {
            while started.elapsed() < Duration::from_secs(15) {
                let sent = Instant::now();
                let status = match client.get(&url).send().await {
                    Ok(response) => response.status().as_u16(),
                    Err(_) => 0,
                };
                log.lock()
                    .unwrap()
                    .push((sent - started, status, sent.elapsed()));
            }
        }));
    }
    tokio::time::sleep_until((started + Duration::from_secs(4)).into()).await;
    proxy.down();
    let down_at = started.elapsed();
    tokio::time::sleep_until((started + Duration::from_secs(9)).into()).await;
    proxy.up();
    let up_at = started.elapsed();
    for client in clients {
        client.await.unwrap();
    }
    let log = log.lock().unwrap();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for (_, status, _) in log.iter() {
        *by_status.entry(*status).or_default() += 1;
    }
    let last_failure = log
        .iter()
        .filter(|(_, status, _)| *status != 200)
        .map(|(at, _, took)| *at + *took)
        .max();
    let slowest_503 = log
        .iter()
        .filter(|(_, status, _)| *status == 503)
        .map(|(_, _, took)| *took)
        .max();
    eprintln!(
        "requests {}, by status {by_status:?}; database down at {down_at:?}, back at {up_at:?}; \
         last failure answered at {last_failure:?} (recovered {:?} after the database); slowest 503 {slowest_503:?}",
        log.len(),
        last_failure.map(|at| at.saturating_sub(up_at)),
    );
}
