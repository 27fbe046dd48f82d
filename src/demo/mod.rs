//! The demo organisation, loaded by `--demo` into an empty database. Each feature adds its part
//! here (`estate` for the catalogue), so the demo grows with the product.

mod actions;
mod bia;
mod estate;
mod exercises;
mod plans;
mod risks;
mod strategies;
mod suppliers;

use sqlx::PgPool;

use crate::auth::password;
use crate::config::DemoSettings;
use crate::db::audit::Actor;
use crate::db::users::{self, NewUser};
use crate::domain::role::Role;

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
}

/// One demo user per role; all share the demo password.
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@demo.test",
        name: "Alex Morgan",
        role: Role::Administrator,
    },
    DemoAccount {
        email: "manager@demo.test",
        name: "Maria Lopez",
        role: Role::ContinuityManager,
    },
    DemoAccount {
        email: "owner@demo.test",
        name: "Owen Price",
        role: Role::ServiceOwner,
    },
    DemoAccount {
        email: "auditor@demo.test",
        name: "Aisha Khan",
        role: Role::Auditor,
    },
];

const DEMO_TIME_ZONE: &str = "Europe/London";
const DEMO_LOCK: i64 = 0x636f_6e74_0002;

/// Loads the demo when the database has no users yet; otherwise leaves it alone.
pub async fn load_if_empty(db: &PgPool, settings: &DemoSettings) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", DEMO_LOCK)
        .execute(&mut *tx)
        .await?;
    if users::count(&mut tx).await? > 0 {
        tracing::info!("the database already has users: demo data not loaded");
        return Ok(());
    }
    let actor = Actor::system("demo loader");
    let hash = password::hash(settings.password.clone()).await?;
    let mut demo_owner = None;
    let mut demo_manager = None;
    for account in ACCOUNTS {
        let user = users::create(
            &mut tx,
            &actor,
            NewUser {
                email: account.email,
                display_name: account.name,
                role: account.role,
                password_hash: &hash,
                password_must_change: false,
                time_zone: DEMO_TIME_ZONE,
            },
        )
        .await?;
        if account.role == Role::ServiceOwner {
            demo_owner = Some(user.id);
        }
        if account.role == Role::ContinuityManager {
            demo_manager = Some((user.id, account.email));
        }
    }
    let demo_owner = demo_owner.ok_or_else(|| anyhow::anyhow!("the demo has a service owner"))?;
    estate::load(&mut tx, &actor, demo_owner, &hash).await?;
    let services: Vec<(uuid::Uuid, String)> = sqlx::query!(
        "select id, external_id from services where external_id is not null order by external_id"
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| (row.id, row.external_id.unwrap_or_default()))
    .collect();
    bia::load(&mut tx, &actor, &services).await?;
    plans::load(&mut tx, &actor).await?;
    suppliers::load(&mut tx, &actor).await?;
    let (manager_id, manager_email) =
        demo_manager.ok_or_else(|| anyhow::anyhow!("the demo has a continuity manager"))?;
    let as_user = |id, email: &str| Actor {
        user_id: Some(id),
        label: email.to_owned(),
        request_id: None,
    };
    risks::load(
        &mut tx,
        &actor,
        &as_user(manager_id, manager_email),
        &as_user(demo_owner, "owner@demo.test"),
    )
    .await?;
    actions::load(
        &mut tx,
        &as_user(manager_id, manager_email),
        &as_user(demo_owner, "owner@demo.test"),
    )
    .await?;
    exercises::load(
        &mut tx,
        &as_user(manager_id, manager_email),
        &as_user(demo_owner, "owner@demo.test"),
    )
    .await?;
    plans::revise_after_failover(&mut tx, &as_user(manager_id, manager_email)).await?;
    strategies::load(&mut tx, &as_user(manager_id, manager_email)).await?;
    tx.commit().await?;
    tracing::info!(
        demo_accounts = ACCOUNTS.len(),
        "loaded the demo organisation: estate, owners, BIA exercises, plans, suppliers, risks, improvement actions, a year of tests, strategies and scenarios"
    );
    Ok(())
}
