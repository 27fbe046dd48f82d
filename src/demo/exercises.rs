//! The demo's year of testing: a tabletop on ransomware, a full failover of the Frankfurt data
//! centre that met most RTOs but overran on Identity and access (its finding became an action,
//! now overdue), a call-tree test in which two people could not be reached, a restore of the ERP
//! finance database, a tabletop still to come, and a training session. Several mission-critical
//! plans stay never tested, and the online shop's plan has a new version since its failover, so
//! the programme shows every standing.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::db::actions::{self, ActionFields};
use crate::db::audit::Actor;
use crate::db::exercises::awareness::{self, TrainingFields};
use crate::db::exercises::records::{self, TestFields};
use crate::db::exercises::results::{
    self, CallEntry, ObjectiveEntry, Recording, ServiceEntry, StepEntry,
};
use crate::domain::action::ActionSource;
use crate::domain::exercise::recording::{ExercisedPlan, service_outcome};
use crate::domain::exercise::{ServiceResult, Severity, TestStatus, TestType};
use crate::domain::plan::content::PlanContent;

struct DemoTest {
    title: &'static str,
    kind: TestType,
    /// Days from today (negative: held in the past and completed).
    on: i64,
    plans: &'static [&'static str],
    people: &'static [&'static str],
    scenario: &'static str,
    objectives: &'static [(&'static str, Option<bool>, &'static str)],
    /// Actual step minutes by (plan, step key) where they differ from the estimate; every step of
    /// a measuring test is recorded.
    overruns: &'static [(&'static str, &'static str, i64)],
    /// Callees not reached in a call-tree test.
    unreached: &'static [&'static str],
    /// Data lost by plan, in minutes.
    data_lost: &'static [(&'static str, i32)],
    conclusion: &'static str,
}

const TESTS: &[DemoTest] = &[
    DemoTest {
        title: "Tabletop: ransomware encrypts ERP finance",
        kind: TestType::Tabletop,
        on: -300,
        plans: &["ERP finance recovery plan"],
        people: &["Maria Lopez", "Sofia Rossi", "Tom Becker", "Alex Morgan"],
        scenario: "Monday 07:00: ERP finance shows a ransom note. The backups of the last 3 days may be encrypted too.",
        objectives: &[
            (
                "Agree who decides, within 30 minutes, to restore rather than negotiate",
                Some(true),
                "Alex Morgan decided after 20 minutes.",
            ),
            (
                "Find the last clean backup within one hour",
                Some(false),
                "Nobody could say which backup was clean: no immutable copy.",
            ),
        ],
        overruns: &[],
        unreached: &[],
        data_lost: &[],
        conclusion: "The decision path works; the backups do not prove they are clean. Immutable backups became an action on the ransomware risk.",
    },
    DemoTest {
        title: "Full failover of the Frankfurt data centre",
        kind: TestType::FullFailover,
        on: -190,
        plans: &[
            "Online shop recovery plan",
            "Payments gateway recovery plan",
            "Order management recovery plan",
            "Identity and access recovery plan",
            "Network and connectivity recovery plan",
        ],
        people: &[
            "Maria Lopez",
            "Alex Morgan",
            "Priya Shah",
            "Lena Novak",
            "Tom Becker",
            "Owen Price",
            "Sofia Rossi",
            "Marco Bianchi",
        ],
        scenario: "Saturday 06:00: the Frankfurt data centre is declared lost (simulated by cutting its uplinks). Everything runs from Amsterdam until Sunday evening.",
        objectives: &[
            (
                "Shop, payments and orders back at the recovery centre within their 4h RTO",
                Some(true),
                "",
            ),
            (
                "Identity and access back within 4h",
                Some(false),
                "Directory replica needed a full resync.",
            ),
            (
                "Fail back before Monday 06:00",
                Some(true),
                "Failed back Sunday 21:40.",
            ),
        ],
        overruns: &[
            ("Identity and access recovery plan", "S4", 200),
            ("Payments gateway recovery plan", "S6", 60),
        ],
        unreached: &[],
        data_lost: &[
            ("Online shop recovery plan", 5),
            ("Payments gateway recovery plan", 0),
            ("Order management recovery plan", 10),
            ("Identity and access recovery plan", 30),
            ("Network and connectivity recovery plan", 0),
        ],
        conclusion: "Four of five services came back within their RTO. Identity and access took 4h 50m: the directory replica in Amsterdam had drifted and needed a full resync.",
    },
    DemoTest {
        title: "Call-tree test of the network team",
        kind: TestType::CallTree,
        on: -60,
        plans: &["Network and connectivity recovery plan"],
        people: &[
            "Alex Morgan",
            "Maria Lopez",
            "Lena Novak",
            "Sofia Rossi",
            "Tom Becker",
        ],
        scenario: "Unannounced, on a Tuesday at 19:30: the cascade is started from the top as if the network were down.",
        objectives: &[(
            "Reach every role in the call tree within 30 minutes",
            Some(false),
            "Two people could not be reached.",
        )],
        overruns: &[],
        unreached: &["Hannah Weber", "Claire Dubois"],
        data_lost: &[],
        conclusion: "Most of the cascade took 18 minutes. Hannah Weber's mobile number was out of date and Stratus Cloud's emergency line went to voicemail.",
    },
    DemoTest {
        title: "Restore of the ERP finance database",
        kind: TestType::ComponentRestore,
        on: -30,
        plans: &["ERP finance recovery plan"],
        people: &["Sofia Rossi", "Tom Becker"],
        scenario: "Restore last night's backup of the ERP finance database into the recovery environment and check the month-end balances.",
        objectives: &[(
            "Database restored and balances reconciled within 8h",
            Some(true),
            "",
        )],
        overruns: &[("ERP finance recovery plan", "S4", 220)],
        unreached: &[],
        data_lost: &[("ERP finance recovery plan", 20)],
        conclusion: "Restored in 3h 40m, within the estimate; 20 minutes of journal entries had to be re-keyed.",
    },
    DemoTest {
        title: "Tabletop: loss of the identity provider",
        kind: TestType::Tabletop,
        on: 21,
        plans: &["Identity and access recovery plan"],
        people: &["Maria Lopez", "Lena Novak", "Alex Morgan"],
        scenario: "The cloud identity provider is down for a day: nobody can sign in to anything that uses single sign-on.",
        objectives: &[(
            "Every administrator can reach the break-glass accounts within 15 minutes",
            None,
            "",
        )],
        overruns: &[],
        unreached: &[],
        data_lost: &[],
        conclusion: "",
    },
];

fn person(directory: &HashMap<String, Uuid>, name: &str) -> anyhow::Result<Uuid> {
    directory
        .get(name)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("demo test: nobody called {name}"))
}

pub async fn load(conn: &mut PgConnection, manager: &Actor, owner: &Actor) -> anyhow::Result<()> {
    let today = OffsetDateTime::now_utc().date();
    let directory: HashMap<String, Uuid> = sqlx::query!("select id, name from people")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| (row.name, row.id))
        .collect();
    let plans: HashMap<String, Uuid> = sqlx::query!("select id, title from plans")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| (row.title, row.id))
        .collect();
    for demo in TESTS {
        let plan_ids = demo
            .plans
            .iter()
            .map(|title| {
                plans
                    .get(*title)
                    .copied()
                    .ok_or_else(|| anyhow::anyhow!("demo test {}: no plan {title}", demo.title))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let participants = demo
            .people
            .iter()
            .map(|name| person(&directory, name))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let on = today + Duration::days(demo.on);
        let test = records::create(
            conn,
            manager,
            &TestFields {
                title: demo.title.to_owned(),
                test_type: demo.kind,
                test_on: on,
                facilitator_id: directory.get("Maria Lopez").copied(),
                scenario: demo.scenario.to_owned(),
                disaster_scenario_id: None,
                plans: plan_ids,
                suppliers: Vec::new(),
                participants,
                objectives: demo
                    .objectives
                    .iter()
                    .map(|(text, _, _)| (*text).to_owned())
                    .collect(),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo test {}: {error}", demo.title))?;
        if demo.on >= 0 {
            continue;
        }
        let recording = recording(conn, demo, test.id, &directory).await?;
        let test = records::find(&mut *conn, test.id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        let before = results::services(&mut *conn, test.id).await?;
        results::record(conn, manager, test.id, test.version, &before, &recording).await?;
        let test = records::find(&mut *conn, test.id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        records::conclude(
            conn,
            manager,
            &test,
            TestStatus::Completed,
            demo.conclusion,
            on,
        )
        .await?;
    }
    actions_from_findings(conn, manager, owner, today).await?;
    training(conn, manager, &directory, &plans, today).await?;
    Ok(())
}

/// What the demo test recorded: every step of a measuring test at its estimate or its overrun,
/// the services' results computed as the recording form does, objectives and calls.
async fn recording(
    conn: &mut PgConnection,
    demo: &DemoTest,
    test: Uuid,
    directory: &HashMap<String, Uuid>,
) -> anyhow::Result<Recording> {
    let exercised = results::plans(&mut *conn, test).await?;
    let services = results::services(&mut *conn, test).await?;
    let contents: Vec<(String, Uuid, PlanContent)> = exercised
        .iter()
        .map(|row| {
            let content: PlanContent =
                serde_json::from_value(row.content.clone()).unwrap_or_default();
            (row.title.clone(), row.plan_id, content)
        })
        .collect();
    let mut recording = Recording::default();
    let mut actual: HashMap<Uuid, HashMap<String, crate::domain::duration::Duration>> =
        HashMap::new();
    if demo.kind.measures_recovery() {
        for (title, plan_id, content) in &contents {
            for step in &content.steps {
                let minutes = demo
                    .overruns
                    .iter()
                    .find(|(plan, key, _)| plan == title && *key == step.id)
                    .map_or(step.duration.minutes(), |(_, _, minutes)| *minutes);
                let taken =
                    crate::domain::duration::Duration::from_minutes(minutes).unwrap_or_default();
                actual
                    .entry(*plan_id)
                    .or_default()
                    .insert(step.id.clone(), taken);
                recording.steps.push(StepEntry {
                    plan_id: *plan_id,
                    key: step.id.clone(),
                    time: Some((None, None, i32::try_from(minutes).unwrap_or(0))),
                    deviation: if minutes > step.duration.minutes() {
                        "Took longer than planned; see the findings.".to_owned()
                    } else {
                        String::new()
                    },
                });
            }
        }
    }
    let missed = demo
        .objectives
        .iter()
        .any(|(_, met, _)| *met == Some(false));
    let minutes = |value: Option<i32>| {
        value.and_then(|m| crate::domain::duration::Duration::from_minutes(i64::from(m)))
    };
    for service in &services {
        let covering: Vec<ExercisedPlan<'_>> = contents
            .iter()
            .filter(|(_, _, content)| content.services.contains(&service.service_id))
            .map(|(_, plan_id, content)| ExercisedPlan {
                steps: &content.steps,
                actual: actual.get(plan_id).cloned().unwrap_or_default(),
                deviations: false,
            })
            .collect();
        let lost = contents
            .iter()
            .filter(|(_, _, content)| content.services.contains(&service.service_id))
            .find_map(|(title, _, _)| demo.data_lost.iter().find(|(plan, _)| plan == title))
            .map(|(_, lost)| *lost);
        let outcome = service_outcome(
            &covering,
            None,
            minutes(lost),
            minutes(service.rto_minutes),
            minutes(service.rpo_minutes),
            missed,
        );
        let finding = (outcome.result == Some(ServiceResult::NotMet)).then(|| {
            (
                Severity::of_missed_rto(service.tier_rank)
                    .as_str()
                    .to_owned(),
                format!(
                    "{} was recovered in {} against an RTO of {}. The biggest overrun: {}.",
                    service.name,
                    outcome
                        .achieved
                        .map_or_else(String::new, crate::domain::bia::method::duration_label),
                    minutes(service.rto_minutes)
                        .map_or_else(String::new, crate::domain::bia::method::duration_label),
                    outcome.overrun
                ),
            )
        });
        recording.services.push(ServiceEntry {
            service_id: service.service_id,
            achieved_minutes: outcome
                .achieved
                .and_then(|d| i32::try_from(d.minutes()).ok()),
            achieved_from_steps: outcome.from_steps,
            data_lost_minutes: lost,
            rto_minutes: service.rto_minutes,
            rpo_minutes: service.rpo_minutes,
            result: outcome.result.map(|r| r.as_str().to_owned()),
            overrun: outcome.overrun,
            note: String::new(),
            entered: outcome.result.is_some(),
            finding,
        });
    }
    recording.objectives = demo
        .objectives
        .iter()
        .enumerate()
        .map(|(index, (_, met, note))| ObjectiveEntry {
            position: i32::try_from(index + 1).unwrap_or(1),
            met: *met,
            note: (*note).to_owned(),
        })
        .collect();
    if demo.kind == TestType::CallTree {
        let unreached: Vec<Uuid> = demo
            .unreached
            .iter()
            .filter_map(|name| directory.get(*name).copied())
            .collect();
        let mut seen = Vec::new();
        for (_, _, content) in &contents {
            for (index, call) in content.call_tree.iter().enumerate() {
                if seen.contains(&call.callee) {
                    continue;
                }
                seen.push(call.callee);
                let reached = !unreached.contains(&call.callee);
                recording.calls.push(CallEntry {
                    person_id: call.callee,
                    reached: Some(reached),
                    minutes: reached.then(|| i32::try_from(3 + 3 * index).unwrap_or(0)),
                    note: if reached {
                        String::new()
                    } else {
                        "No answer; number out of date or voicemail.".to_owned()
                    },
                });
            }
        }
    }
    Ok(recording)
}

/// The failover's "not met" finding became an action for the service's owner, now overdue; the
/// call-tree test's finding is written by hand.
async fn actions_from_findings(
    conn: &mut PgConnection,
    manager: &Actor,
    owner: &Actor,
    today: Date,
) -> anyhow::Result<()> {
    let failover = sqlx::query!(
        "select f.id, f.number, f.description, s.owner_id from plan_test_findings f
         join plan_tests t on t.id = f.test_id join services s on s.id = f.service_id
         where f.automatic and t.test_type = 'full_failover' order by f.number limit 1"
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(finding) = failover {
        actions::create(
            conn,
            manager,
            &ActionFields {
                title: "Keep the Amsterdam directory replica in sync, and alert when it drifts"
                    .to_owned(),
                description: format!(
                    "From finding F-{:04} of the Frankfurt failover.\n\n{}",
                    finding.number, finding.description
                ),
                source: ActionSource::Finding,
                risk_id: None,
                finding_id: Some(finding.id),
                gap_service_id: None,
                owner_id: finding.owner_id.or(owner.user_id).unwrap_or_default(),
                due_on: today - Duration::days(20),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo finding action: {error}"))?;
    }
    let call_tree: Option<Uuid> =
        sqlx::query_scalar!("select id from plan_tests where test_type = 'call_tree' limit 1")
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(test) = call_tree {
        results::add_finding(
            conn,
            manager,
            test,
            "high",
            "Two of the people the network plan relies on could not be reached: Hannah Weber (mobile number out of date) and Claire Dubois (Stratus Cloud's emergency line went to voicemail).",
            None,
        )
        .await?;
    }
    Ok(())
}

async fn training(
    conn: &mut PgConnection,
    manager: &Actor,
    directory: &HashMap<String, Uuid>,
    plans: &HashMap<String, Uuid>,
    today: Date,
) -> anyhow::Result<()> {
    let Some(plan_id) = plans.get("Online shop recovery plan").copied() else {
        return Ok(());
    };
    let attendees = ["Priya Shah", "Maria Lopez", "Sofia Rossi", "Marco Bianchi"]
        .iter()
        .map(|name| person(directory, name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    awareness::create_training(
        conn,
        manager,
        &TrainingFields {
            topic: "Walk-through of the online shop recovery runbook for the new team".to_owned(),
            plan_id,
            held_on: today - Duration::days(40),
            trainer: "Priya Shah".to_owned(),
            notes: "Each step read aloud with its role; the fail-back section was the least understood.".to_owned(),
            attendees,
        },
    )
    .await?;
    Ok(())
}
