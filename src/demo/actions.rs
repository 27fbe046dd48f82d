//! The demo's improvement actions: the treatment of several above-appetite risks, one of each
//! stage — open, in progress, one overdue on the service owner's home page, one done and
//! waiting for the manager's verification, one verified.

use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::actions::{self, ActionFields};
use crate::db::audit::Actor;
use crate::domain::action::{ActionSource, Mover, Step, take};

/// Who does it in the demo.
#[derive(Clone, Copy)]
enum Who {
    Manager,
    Owner,
}

struct DemoAction {
    risk: &'static str,
    title: &'static str,
    description: &'static str,
    who: Who,
    /// Days from today to the due date (negative: overdue).
    due_in: i64,
    /// The steps taken so far, with their evidence or note, and who took them.
    steps: &'static [(Step, &'static str, Who)],
}

const ACTIONS: &[DemoAction] = &[
    DemoAction {
        risk: "Loss of the Frankfurt data centre",
        title: "Fail the ERP over to Amsterdam in a weekend test",
        description: "Switch ERP finance and logistics to the Amsterdam replicas, run the month-end batch there, and measure how long it took against the 8-hour RTO.",
        who: Who::Owner,
        due_in: -12,
        steps: &[],
    },
    DemoAction {
        risk: "Prolonged power cut in Frankfurt",
        title: "Contract a second fuel supplier for the generators",
        description: "Today one supplier refuels within 12 hours; the tanks hold 8 hours at full load.",
        who: Who::Manager,
        due_in: 45,
        steps: &[(Step::Start, "", Who::Manager)],
    },
    DemoAction {
        risk: "Ransomware encrypts the ERP",
        title: "Keep the ERP backups immutable for 30 days",
        description: "Object lock on the backup bucket, with a restore test from a locked copy.",
        who: Who::Owner,
        due_in: 20,
        steps: &[
            (Step::Start, "", Who::Owner),
            (
                Step::MarkDone,
                "Object lock enabled on 30-day retention; restore test of 14 November recorded in change CHG-2291.",
                Who::Owner,
            ),
        ],
    },
    DemoAction {
        risk: "Backup service cannot restore",
        title: "Restore test of every mission-critical database each quarter",
        description: "A scheduled restore of each tier-1 database into the test environment, with its duration.",
        who: Who::Owner,
        due_in: -30,
        steps: &[
            (Step::Start, "", Who::Owner),
            (
                Step::MarkDone,
                "Quarterly restore job in place; the first run restored all 6 databases in 3h10 (report RPT-77).",
                Who::Owner,
            ),
            (
                Step::Verify,
                "Read RPT-77 and checked the job in the scheduler.",
                Who::Manager,
            ),
        ],
    },
    DemoAction {
        risk: "Identity platform down",
        title: "Break-glass accounts for the identity platform",
        description: "Two sealed administrator accounts that work without single sign-on, kept in the safe.",
        who: Who::Manager,
        due_in: 60,
        steps: &[],
    },
];

pub async fn load(conn: &mut PgConnection, manager: &Actor, owner: &Actor) -> anyhow::Result<()> {
    let today = OffsetDateTime::now_utc().date();
    let actor = |who: Who| match who {
        Who::Manager => manager,
        Who::Owner => owner,
    };
    for demo in ACTIONS {
        let risk: Uuid = sqlx::query_scalar!("select id from risks where title = $1", demo.risk)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo action {}: no risk {}", demo.title, demo.risk))?;
        let owner_id = actor(demo.who)
            .user_id
            .ok_or_else(|| anyhow::anyhow!("demo actors are users"))?;
        let mut action = actions::create(
            &mut *conn,
            manager,
            &ActionFields {
                title: demo.title.to_owned(),
                description: demo.description.to_owned(),
                source: ActionSource::Risk,
                risk_id: Some(risk),
                finding_id: None,
                gap_service_id: None,
                owner_id,
                due_on: today + Duration::days(demo.due_in),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo action {}: {error}", demo.title))?;
        for (step, text, who) in demo.steps {
            let mover = Mover {
                user: actor(*who).user_id.unwrap_or_default(),
                manages_continuity: matches!(who, Who::Manager),
            };
            let to = take(*step, &action.state(), mover, text)
                .map_err(|reason| anyhow::anyhow!("demo action {}: {reason}", demo.title))?;
            action = match actions::take_step(&mut *conn, actor(*who), &action, *step, to, text)
                .await?
            {
                Versioned::Saved(action) => action,
                Versioned::Stale(_) => anyhow::bail!("demo action {} changed", demo.title),
            };
        }
    }
    Ok(())
}
