//! Test harness: spawns the real application on a random port with its own database.

pub mod bia;
pub mod browser;
pub mod catalogue;
mod database;
pub mod exercises;
pub mod plans;
pub mod posture;
pub mod proxy;
pub mod risks;
pub mod statements;
pub mod suppliers;

use std::net::SocketAddr;

use continuity::auth::password;
use continuity::config::Config;
use continuity::db::audit::Actor;
use continuity::db::users::{self, NewUser};
use continuity::domain::role::Role;
use continuity::state::AppState;
use reqwest::header::{HeaderMap, HeaderValue};
use uuid::Uuid;

pub use database::TestDatabase;

/// The password every test user gets; strong enough for the policy.
pub const PASSWORD: &str = "vivid-otter-lantern-91";
pub const ADMIN_EMAIL: &str = "first.admin@test.example";

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    _database: TestDatabase,
}

pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub password: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns the app after letting the test adjust its configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let database = TestDatabase::create().await;
        let mut config = Config::defaults();
        config.database_url = database.url.clone();
        config.admin_email = Some(ADMIN_EMAIL.to_string());
        config.admin_password = Some(PASSWORD.to_string());
        adjust(&mut config);
        let state = AppState::new(config).expect("state");
        continuity::server::prepare(&state)
            .await
            .expect("database prepared");
        state.mark_ready();
        let address = serve(state.clone()).await;
        TestApp {
            address,
            state,
            _database: database,
        }
    }

    /// A connection as the database's owner (the app itself serves as a role that owns
    /// nothing): for tests that must do what the application cannot.
    pub async fn owner(&self) -> sqlx::PgConnection {
        use sqlx::ConnectOptions;
        self.state
            .config
            .owner_connect_options()
            .expect("owner URL")
            .connect()
            .await
            .expect("owner connection")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Creates a user directly in the database.
    pub async fn create_user(&self, role: Role) -> TestUser {
        let email = format!(
            "{}-{}@test.example",
            role.as_str().replace('_', "-"),
            &Uuid::new_v4().simple().to_string()[..8]
        );
        self.create_user_with(role, &email, &format!("Test {}", role.label()))
            .await
    }

    pub async fn create_user_with(&self, role: Role, email: &str, name: &str) -> TestUser {
        let hash = password::hash(PASSWORD.to_string()).await.expect("hash");
        let mut conn = self.state.db.acquire().await.expect("connection");
        let user = users::create(
            &mut conn,
            &Actor::system("test"),
            NewUser {
                email,
                display_name: name,
                role,
                password_hash: &hash,
                password_must_change: false,
                time_zone: "UTC",
            },
        )
        .await
        .expect("user created");
        TestUser {
            id: user.id,
            email: user.email,
            password: PASSWORD.to_string(),
        }
    }

    /// A browser-like client that sends our Origin (as browsers do on form posts) and keeps cookies.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert(
            "origin",
            HeaderValue::from_str(&self.address).expect("origin"),
        );
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client")
    }

    /// A client without any Origin or Sec-Fetch-Site header (as a cross-site forger might be).
    pub fn client_without_origin(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .expect("login request")
    }

    /// A new client signed in as a new user of this role.
    pub async fn signed_in(&self, role: Role) -> (reqwest::Client, TestUser) {
        let user = self.create_user(role).await;
        let client = self.client();
        let response = self.sign_in(&client, &user.email, &user.password).await;
        assert_eq!(response.status(), 303, "sign-in as {role:?} should succeed");
        (client, user)
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    /// The body of a page, whatever its status.
    pub async fn text(&self, client: &reqwest::Client, path: &str) -> String {
        self.get(client, path).await.text().await.expect("body")
    }

    pub async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// A GET carrying exactly this cookie (and no other).
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        bare_client()
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET")
    }

    /// Posts any serialisable form (e.g. a `Vec` of owned pairs).
    pub async fn post_form<T: serde::Serialize + ?Sized>(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &T,
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// How many audit rows match an entity and action.
    pub async fn audit_count(&self, entity: &str, action: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from audit_log where entity = $1 and action = $2",
        )
        .bind(entity)
        .bind(action)
        .fetch_one(&self.state.db)
        .await
        .expect("audit count")
    }
}

async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let router = continuity::build_router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .ok();
    });
    format!("http://{address}")
}

/// The `name=value` of the cookie a response sets.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a set-cookie header")
        .to_string()
}

/// A client that keeps no cookies of its own and follows no redirects: it sends exactly the
/// cookie a test gives it, as an attacker replaying one would.
pub fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The `Location` header of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
