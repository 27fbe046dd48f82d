//! Command line and environment: every setting has a default that works with PostgreSQL on localhost.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
use sqlx::postgres::PgConnectOptions;

use crate::domain::duration::Duration;

/// Continuity: IT service continuity management — services, BIA, plans, tests and recovery gaps.
#[derive(Debug, Parser)]
#[command(name = "continuity", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve`, which runs when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default): creates the database if needed and applies migrations.
    Serve(ServeArgs),
    /// Only prepare the database as its owner (create it, apply migrations, create and grant the
    /// serving role), then exit. Takes the same settings as `serve`; only the database ones matter.
    Migrate(ServeArgs),
    /// Fill an empty scratch database with a large generated estate, to measure the application
    /// at scale (see the README's "Scale" section).
    GenerateEstate(GenerateEstateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct GenerateEstateArgs {
    /// Services to generate; everything else scales from it (10 000 gives issue 11's estate).
    #[arg(long, default_value_t = 10_000)]
    pub services: i32,
    /// The scratch database to fill; created and migrated if needed, and must hold no services.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
    /// Password of the generated accounts (manager@estate.test, owner@estate.test, …).
    #[arg(long, env = "ESTATE_PASSWORD", default_value = DEFAULT_DEMO_PASSWORD, hide_env_values = true)]
    pub password: String,
}

impl Cli {
    pub fn into_serve_args(self) -> ServeArgs {
        match self.command {
            Some(Command::Serve(args) | Command::Migrate(args)) => args,
            // Generating an estate does not serve; its caller does not ask.
            Some(Command::GenerateEstate(_)) | None => self.serve,
        }
    }

    /// Whether the command asks only for the database to be prepared.
    pub fn migrate_only(&self) -> bool {
        matches!(self.command, Some(Command::Migrate(_)))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Load the demo organisation and its four demo users when the database is empty.
    #[arg(long)]
    pub demo: bool,

    /// PostgreSQL URL of the database's owner: creates the database when missing, applies the
    /// migrations and grants the serving role its rights. Pages are never served through it.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@localhost:5432/continuity",
        hide_env_values = true
    )]
    pub database_url: String,

    /// The login role pages are served as (same server and database as DATABASE_URL): created
    /// when missing, granted reading and writing of the tables but owning nothing, and unable to
    /// change or delete the audit log.
    #[arg(long, env = "APP_DATABASE_ROLE", default_value = "continuity_app")]
    pub app_database_role: String,

    /// The serving role's password, set on the role at every start (leave unset with trust or
    /// peer authentication).
    #[arg(long, env = "APP_DATABASE_PASSWORD", hide_env_values = true)]
    pub app_database_password: Option<String>,

    /// Most connections this instance keeps open to PostgreSQL.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10)]
    pub database_max_connections: u32,

    /// Address and port to listen on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: SocketAddr,

    /// Mark the session cookie `Secure` (set this when users reach the app over HTTPS).
    #[arg(long, env = "COOKIE_SECURE", default_value_t = false, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,

    /// The address users type, e.g. https://continuity.example.com. When set, a form post must
    /// come from this origin; otherwise its origin must match the request's Host header.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Trust the first address of `X-Forwarded-For` as the client's (only behind your own proxy).
    #[arg(long, env = "TRUST_PROXY_HEADERS", default_value_t = false, action = clap::ArgAction::Set)]
    pub trust_proxy_headers: bool,

    /// A session ends after this long without a request (e.g. 30m, 2h).
    #[arg(long, env = "SESSION_IDLE_TIMEOUT", default_value = "1h", value_parser = parse_duration)]
    pub session_idle_timeout: Duration,

    /// A session ends this long after sign-in, however active.
    #[arg(long, env = "SESSION_ABSOLUTE_TIMEOUT", default_value = "12h", value_parser = parse_duration)]
    pub session_absolute_timeout: Duration,

    /// Email of the first administrator, created when no active administrator exists.
    #[arg(long, env = "ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    /// Password of the first administrator; when unset a strong one is generated and logged once.
    #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Password of the four demo users (with --demo).
    #[arg(long, env = "DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Time zone given to new users (IANA name such as Europe/Paris); each user can change theirs.
    #[arg(long, env = "DEFAULT_TIME_ZONE", default_value = "UTC")]
    pub default_time_zone: String,

    /// Largest request body accepted, in bytes (uploads included).
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// A request taking longer than this many seconds is abandoned with an error page.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
}

/// The documented default demo password, shown on the login page when it is in use.
pub const DEFAULT_DEMO_PASSWORD: &str = "resilient-harbour-2026";

fn parse_duration(value: &str) -> Result<Duration, String> {
    Duration::parse(value).map_err(|error| error.to_string())
}

/// The settings the running application needs, resolved from [`ServeArgs`].
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub app_database_role: String,
    pub app_database_password: Option<String>,
    pub database_max_connections: u32,
    pub bind_addr: SocketAddr,
    pub cookie_secure: bool,
    pub public_origin: Option<String>,
    pub trust_proxy_headers: bool,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    pub demo: Option<DemoSettings>,
    pub default_time_zone: String,
    pub max_body_bytes: usize,
    pub request_timeout: std::time::Duration,
}

#[derive(Debug, Clone)]
pub struct DemoSettings {
    pub password: String,
    /// Whether the password is the documented default, so the login page may show it.
    pub password_is_default: bool,
}

impl From<ServeArgs> for Config {
    fn from(args: ServeArgs) -> Self {
        let demo = args.demo.then(|| match args.demo_password {
            Some(password) => DemoSettings {
                password_is_default: password == DEFAULT_DEMO_PASSWORD,
                password,
            },
            None => DemoSettings {
                password: DEFAULT_DEMO_PASSWORD.to_string(),
                password_is_default: true,
            },
        });
        Config {
            database_url: args.database_url,
            app_database_role: args.app_database_role,
            app_database_password: args.app_database_password,
            database_max_connections: args.database_max_connections,
            bind_addr: args.bind_addr,
            cookie_secure: args.cookie_secure,
            public_origin: args
                .public_url
                .map(|url| url.trim_end_matches('/').to_string()),
            trust_proxy_headers: args.trust_proxy_headers,
            session_idle_timeout: args.session_idle_timeout,
            session_absolute_timeout: args.session_absolute_timeout,
            admin_email: args.admin_email,
            admin_password: args.admin_password,
            demo,
            default_time_zone: args.default_time_zone,
            max_body_bytes: args.max_body_bytes,
            request_timeout: std::time::Duration::from_secs(args.request_timeout_secs),
        }
    }
}

impl Config {
    /// Defaults as the command line would give them, for tests and tools.
    pub fn defaults() -> Self {
        Cli::parse_from(["continuity"]).into_serve_args().into()
    }

    /// How to connect as the database's owner (migrations and grants only).
    pub fn owner_connect_options(&self) -> anyhow::Result<PgConnectOptions> {
        use anyhow::Context;
        self.database_url
            .parse()
            .context("DATABASE_URL is not a valid PostgreSQL URL")
    }

    /// How pages connect: the owner's server and database, as the serving role.
    pub fn serving_connect_options(&self) -> anyhow::Result<PgConnectOptions> {
        // Dates are reckoned in UTC on both sides: `current_date` in SQL is the day the code's
        // `now_utc().date()` says, whatever the server's own time zone (overdue is overdue alike).
        // Page queries are short: compiling them just in time costs more than it saves (the test
        // programme's plan list at 300 plans: 36 ms without, 131 ms with).
        let options = self
            .owner_connect_options()?
            .username(&self.app_database_role)
            .options([("timezone", "UTC"), ("jit", "off")]);
        Ok(match &self.app_database_password {
            Some(password) => options.password(password),
            // Without a password of its own, never fall back to the owner's.
            None => options.password(""),
        })
    }
}
