//! The first administrator: when no active administrator exists, one is created from
//! `ADMIN_EMAIL`/`ADMIN_PASSWORD`, or with a generated password printed once in the log.

use sqlx::PgPool;

use crate::auth::password;
use crate::config::Config;
use crate::db::audit::Actor;
use crate::db::users::{self, NewUser};
use crate::domain::password_policy;
use crate::domain::role::Role;

const DEFAULT_ADMIN_EMAIL: &str = "admin@continuity.local";
/// Serialises the check-then-create across instances that start together.
const BOOTSTRAP_LOCK: i64 = 0x636f_6e74_0001;

pub async fn ensure_administrator(db: &PgPool, config: &Config) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", BOOTSTRAP_LOCK)
        .execute(&mut *tx)
        .await?;
    if users::count_active_administrators(&mut tx).await? > 0 {
        return Ok(());
    }
    let email = config
        .admin_email
        .as_deref()
        .map(|email| email.trim().to_lowercase())
        .filter(|email| email.contains('@'))
        .unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.to_string());
    let chosen = config.admin_password.clone().filter(|chosen| {
        match password_policy::check(chosen, &[&email]) {
            Ok(()) => true,
            Err(advice) => {
                tracing::error!(
                    advice,
                    "ADMIN_PASSWORD is refused by the password policy; generating one instead"
                );
                false
            }
        }
    });
    let generated = chosen.is_none();
    let initial_password = chosen.unwrap_or_else(password::generate);
    let hash = password::hash(initial_password.clone()).await?;
    let actor = Actor::system("start-up");
    match users::id_by_email(&mut tx, &email).await? {
        Some(id) => users::make_administrator(&mut tx, &actor, id, &hash, generated).await?,
        None => {
            users::create(
                &mut tx,
                &actor,
                NewUser {
                    email: &email,
                    display_name: "Administrator",
                    role: Role::Administrator,
                    password_hash: &hash,
                    password_must_change: generated,
                    time_zone: &config.default_time_zone,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    if generated {
        tracing::warn!(
            "No active administrator existed, so one was created. Sign in as {email} with the password {initial_password} \
             and change it; this password is shown only once."
        );
    } else {
        tracing::info!(
            email,
            "created the first administrator from ADMIN_EMAIL and ADMIN_PASSWORD"
        );
    }
    Ok(())
}
