//! The demo's plans: a recovery plan for each mission-critical service, the ITSCM policy and
//! scope approved, one plan overdue for review and one with a new version in review — and the
//! directory of people they name, some of them users and some not.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::plans::people::{self, PersonFields};
use crate::db::plans::records as plan_rows;
use crate::db::plans::versions;
use crate::domain::duration::Duration;
use crate::domain::plan::content::{Call, Invocation, PlanContent, PlanKind, Role, Section};
use crate::domain::plan::steps::{Phase, Step};
use crate::domain::plan::workflow::{next_review, review_interval_months};

/// name, job title, organisation, user email (if a user), office phone, out-of-office phone.
/// Numbers are from the ranges Ofcom keeps for drama, so none of them rings anyone.
const PEOPLE: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Maria Lopez",
        "Continuity manager",
        "",
        "manager@demo.test",
        "+44 20 7946 0101",
        "+44 7700 900101",
    ),
    (
        "Alex Morgan",
        "Head of IT operations",
        "",
        "admin@demo.test",
        "+44 20 7946 0102",
        "+44 7700 900102",
    ),
    (
        "Owen Price",
        "Digital services owner",
        "",
        "owner@demo.test",
        "+44 20 7946 0103",
        "+44 7700 900103",
    ),
    (
        "Priya Shah",
        "Commerce platform owner",
        "",
        "priya.shah@demo.test",
        "+44 20 7946 0104",
        "+44 7700 900104",
    ),
    (
        "Tom Becker",
        "Infrastructure lead",
        "",
        "tom.becker@demo.test",
        "+44 20 7946 0105",
        "+44 7700 900105",
    ),
    (
        "Lena Novak",
        "Network and security lead",
        "",
        "lena.novak@demo.test",
        "+44 20 7946 0106",
        "+44 7700 900106",
    ),
    (
        "Daniel Okafor",
        "Store systems owner",
        "",
        "daniel.okafor@demo.test",
        "+44 20 7946 0107",
        "+44 7700 900107",
    ),
    (
        "Sofia Rossi",
        "Communications lead",
        "",
        "sofia.rossi@demo.test",
        "+44 20 7946 0108",
        "+44 7700 900108",
    ),
    (
        "Hannah Weber",
        "Facilities manager",
        "",
        "",
        "+44 20 7946 0120",
        "+44 7700 900120",
    ),
    (
        "Raj Patel",
        "On-call network engineer",
        "NorthLink Carrier Ltd",
        "",
        "+44 20 7946 0130",
        "+44 7700 900130",
    ),
    (
        "Claire Dubois",
        "Technical account manager",
        "Stratus Cloud",
        "",
        "+44 20 7946 0140",
        "+44 7700 900140",
    ),
    (
        "Marco Bianchi",
        "Service desk lead",
        "",
        "",
        "+44 20 7946 0109",
        "+44 7700 900109",
    ),
];

/// Mission-critical services with a recovery plan: external id, the technical lead's name, and
/// the minutes of the recovery steps (assemble the team, restore, verify), chosen so that one
/// plan does not fit its service's RTO and shows the warning.
const PLANNED: &[(&str, &str, [i64; 3])] = &[
    ("SVC-SHOP", "Priya Shah", [45, 120, 30]),
    ("SVC-PAY", "Priya Shah", [45, 90, 45]),
    ("SVC-POS", "Daniel Okafor", [60, 90, 30]),
    ("SVC-IAM", "Lena Novak", [30, 60, 30]),
    ("SVC-NET", "Lena Novak", [30, 120, 30]),
    ("SVC-OMS", "Owen Price", [45, 120, 30]),
    ("SVC-K8S", "Tom Becker", [60, 360, 120]),
    ("SVC-DNS", "Lena Novak", [30, 60, 30]),
    ("SVC-ERP-FIN", "Tom Becker", [45, 240, 60]),
];

const OVERDUE: &str = "SVC-POS";
const IN_REVIEW: &str = "SVC-DNS";

fn step(id: &str, phase: Phase, action: &str, role: &str, minutes: i64, after: &[&str]) -> Step {
    Step {
        id: id.to_owned(),
        phase,
        action: action.to_owned(),
        role: role.to_owned(),
        duration: Duration::from_minutes(minutes).unwrap_or(Duration::ZERO),
        predecessors: after.iter().map(|&key| key.to_owned()).collect(),
    }
}

fn section(title: &str, body: &str) -> Section {
    Section {
        title: title.to_owned(),
        body: body.to_owned(),
    }
}

fn recovery_content(
    service: Uuid,
    name: &str,
    people: &HashMap<&str, Uuid>,
    lead: &str,
    minutes: [i64; 3],
) -> PlanContent {
    let who = |name: &str| people.get(name).copied();
    let [activate, restore, verify] = minutes;
    PlanContent {
        services: vec![service],
        sections: vec![
            section(
                "Purpose and scope",
                &format!(
                    "How **{name}** is recovered at the recovery centre when its primary data centre or platform is lost.\n\n\
                     Out of scope: loss of the recovery centre itself (see the ITSCM plan)."
                ),
            ),
            section(
                "Prerequisites",
                "- Backups replicated to the recovery centre, checked daily by the backup service\n\
                 - Break-glass credentials in the sealed envelope at the recovery centre\n\
                 - The infrastructure-as-code repository mirrored to the recovery centre",
            ),
            section(
                "Return to normal",
                "Fail back during the next agreed change window once the primary site has run \
                 without incident for 48 hours. Reconcile any transactions taken in manual mode.",
            ),
        ],
        invocation: Invocation {
            criteria: format!(
                "Invoke when {name} is unavailable, or expected to be, for longer than half of its RTO, \
                 and the incident manager confirms that the primary platform cannot be restored in place."
            ),
            authority: who("Alex Morgan"),
            successor: who("Maria Lopez"),
        },
        roles: vec![
            Role {
                name: "Incident manager".into(),
                duties: "Runs the recovery, decides, keeps the log".into(),
                person: who("Maria Lopez"),
                alternate: who("Alex Morgan"),
            },
            Role {
                name: "Recovery lead".into(),
                duties: "Restores the service and confirms it works".into(),
                person: who(lead),
                alternate: who("Tom Becker")
                    .filter(|_| lead != "Tom Becker")
                    .or(who("Lena Novak")),
            },
            Role {
                name: "Communications".into(),
                duties: "Informs staff, stores and customers".into(),
                person: who("Sofia Rossi"),
                alternate: who("Marco Bianchi"),
            },
        ],
        call_tree: [
            (
                "Alex Morgan",
                "Maria Lopez",
                "Call the successor, then continue the cascade yourself",
            ),
            ("Maria Lopez", lead, "Call the alternate recovery lead"),
            ("Maria Lopez", "Sofia Rossi", "Call Marco Bianchi"),
            (
                lead,
                "Tom Becker",
                "Leave a message and page the infrastructure on-call",
            ),
            (
                "Tom Becker",
                "Hannah Weber",
                "Call the recovery centre's reception",
            ),
            (
                "Lena Novak",
                "Raj Patel",
                "Open a priority 1 ticket with NorthLink",
            ),
            (
                "Tom Becker",
                "Claire Dubois",
                "Use the Stratus Cloud emergency line",
            ),
        ]
        .iter()
        .filter(|(caller, callee, _)| caller != callee)
        .filter_map(|(caller, callee, fallback)| {
            Some(Call {
                caller: who(caller)?,
                callee: who(callee)?,
                if_unreachable: (*fallback).to_owned(),
            })
        })
        .fold(Vec::<Call>::new(), |mut calls, call| {
            // Each person is called once (the first call to them wins), and only by someone the
            // cascade has reached, so the invocation authority starts it all.
            let reached = Some(call.caller) == who("Alex Morgan")
                || calls.iter().any(|c| c.callee == call.caller);
            if reached && !calls.iter().any(|c| c.callee == call.callee) {
                calls.push(call);
            }
            calls
        }),
        steps: vec![
            step(
                "S1",
                Phase::Activation,
                "Confirm the outage and invoke the plan",
                "Incident manager",
                15,
                &[],
            ),
            step(
                "S2",
                Phase::Activation,
                "Assemble the recovery team at the recovery centre",
                "Incident manager",
                activate,
                &["S1"],
            ),
            step(
                "S3",
                Phase::Activation,
                "Tell staff and stores what to expect",
                "Communications",
                20,
                &["S1"],
            ),
            step(
                "S4",
                Phase::Recovery,
                "Restore the platform from the latest replica",
                "Recovery lead",
                restore,
                &["S2"],
            ),
            step(
                "S5",
                Phase::Recovery,
                "Switch DNS and traffic to the recovery centre",
                "Recovery lead",
                15,
                &["S4"],
            ),
            step(
                "S6",
                Phase::Recovery,
                "Verify the service end to end with the business",
                "Recovery lead",
                verify,
                &["S5"],
            ),
            step(
                "S7",
                Phase::Reconstitution,
                "Plan the fail-back and reconcile manual records",
                "Incident manager",
                480,
                &["S6"],
            ),
        ],
    }
}

fn policy_content() -> PlanContent {
    PlanContent {
        sections: vec![
            section(
                "Scope",
                "All IT services in the service catalogue with a BIA tier, the two data centres, the cloud region \
                 and the recovery centre. End-user devices are out of scope.",
            ),
            section(
                "Policy statements",
                "1. Every service in scope has an approved BIA, renewed every year.\n\
                 2. Every mission-critical service has an approved recovery plan, reviewed every six months.\n\
                 3. Recovery plans are tested at least once a year; mission-critical ones twice.\n\
                 4. Suppliers of mission-critical services guarantee recovery within the service's RTO.",
            ),
            section(
                "Roles and responsibilities",
                "The head of IT operations owns the practice. The continuity manager runs it. \
                 Service owners maintain the plans of their services. Plans are approved by a continuity \
                 manager who did not write them.",
            ),
        ],
        ..PlanContent::default()
    }
}

fn user_actor(user: Uuid, label: &str) -> Actor {
    Actor {
        user_id: Some(user),
        label: label.to_owned(),
        request_id: None,
    }
}

/// Creates a plan authored by `author`, submits it and has `approver` approve it.
async fn approved_plan(
    conn: &mut PgConnection,
    author: &Actor,
    approver: &Actor,
    kind: PlanKind,
    title: &str,
    content: &PlanContent,
    tier_ranks: &[u8],
) -> anyhow::Result<Uuid> {
    let json: Value = serde_json::to_value(content)?;
    let id = plan_rows::create(
        conn,
        author,
        kind.as_str(),
        title,
        &content.services,
        &json,
        content.estimated_recovery_minutes(),
    )
    .await
    .map_err(|error| anyhow::anyhow!("demo plan {title}: {error}"))?;
    let draft = versions::find(conn, id, 1)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    versions::set_status(conn, author, &draft, draft.version, "in_review").await?;
    plan_rows::record_event(conn, author, id, Some(1), "submitted", "").await?;
    let submitted = versions::find(conn, id, 1)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    versions::set_status(conn, approver, &submitted, submitted.version, "approved").await?;
    plan_rows::record_event(conn, approver, id, Some(1), "approved", "").await?;
    let today = time::OffsetDateTime::now_utc().date();
    sqlx::query!(
        "update plans set next_review_on = $2, last_reviewed_on = $3 where id = $1",
        id,
        next_review(today, review_interval_months(tier_ranks)),
        today
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn load(conn: &mut PgConnection, actor: &Actor) -> anyhow::Result<()> {
    let mut directory: HashMap<&str, Uuid> = HashMap::new();
    let mut users: HashMap<&str, Uuid> = HashMap::new();
    for &(name, job_title, organisation, email, office, mobile) in PEOPLE {
        let user_id = if email.is_empty() {
            None
        } else {
            crate::db::users::id_by_email(conn, email).await?
        };
        if let Some(user) = user_id {
            users.insert(name, user);
        }
        let person = people::create(
            conn,
            actor,
            &PersonFields {
                name: name.into(),
                organisation: organisation.into(),
                job_title: job_title.into(),
                user_id,
                email: email.into(),
                office_phone: office.into(),
                mobile_phone: mobile.into(),
                notes: String::new(),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo person {name}: {error}"))?;
        directory.insert(name, person.id);
    }
    let manager = user_actor(users["Maria Lopez"], "manager@demo.test");
    let head = user_actor(users["Alex Morgan"], "admin@demo.test");
    approved_plan(
        conn,
        &manager,
        &head,
        PlanKind::Policy,
        "ITSCM policy and scope",
        &policy_content(),
        &[],
    )
    .await?;
    for &(external_id, lead, hours) in PLANNED {
        let Some(service) = sqlx::query!(
            "select id, name, owner_id from services where external_id = $1",
            external_id
        )
        .fetch_optional(&mut *conn)
        .await?
        else {
            continue;
        };
        let content = recovery_content(service.id, &service.name, &directory, lead, hours);
        let author = service.owner_id.map_or_else(
            || manager.clone(),
            |owner| user_actor(owner, "service owner"),
        );
        let title = format!("{} recovery plan", service.name);
        let id = approved_plan(
            conn,
            &author,
            &manager,
            PlanKind::Recovery,
            &title,
            &content,
            &[1],
        )
        .await?;
        if external_id == OVERDUE {
            // Approved eight months ago and never reviewed since: six months was the limit.
            sqlx::query!(
                "update plan_versions set approved_at = now() - interval '8 months' where plan_id = $1;",
                id
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!(
                "update plans set last_reviewed_on = current_date - 243, next_review_on = current_date - 60
                 where id = $1",
                id
            )
            .execute(&mut *conn)
            .await?;
        }
        if external_id == IN_REVIEW {
            let mut revised = content.clone();
            if let Some(restore) = revised.steps.iter_mut().find(|step| step.id == "S4") {
                restore.action = "Restore the zones from the signed zone backup".into();
            }
            revised.steps.insert(
                5,
                step(
                    "S5b",
                    Phase::Recovery,
                    "Check DNSSEC signatures from outside",
                    "Recovery lead",
                    15,
                    &["S5"],
                ),
            );
            if let Some(verify) = revised.steps.iter_mut().find(|step| step.id == "S6") {
                verify.predecessors = vec!["S5b".into()];
            }
            let json = serde_json::to_value(&revised)?;
            let number = versions::start_next(
                conn,
                &author,
                id,
                &json,
                revised.estimated_recovery_minutes(),
            )
            .await?;
            let draft = versions::find(conn, id, number)
                .await?
                .ok_or(sqlx::Error::RowNotFound)?;
            versions::set_status(conn, &author, &draft, draft.version, "in_review").await?;
            plan_rows::record_event(conn, &author, id, Some(number), "submitted", "").await?;
        }
    }
    Ok(())
}

/// The online shop's plan gets a second version after the failover tested its first: the
/// programme shows it "changed since tested".
pub async fn revise_after_failover(conn: &mut PgConnection, manager: &Actor) -> anyhow::Result<()> {
    let Some(plan) = sqlx::query!(
        "select p.id, v.content from plans p join plan_versions v on v.plan_id = p.id and v.status = 'approved'
         where p.title = 'Online shop recovery plan'"
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let mut content: PlanContent = serde_json::from_value(plan.content)?;
    if let Some(restore) = content.steps.iter_mut().find(|step| step.id == "S4") {
        restore.action = "Restore the shop from the new replica cluster in Amsterdam".into();
    }
    let json = serde_json::to_value(&content)?;
    let number = versions::start_next(
        conn,
        manager,
        plan.id,
        &json,
        content.estimated_recovery_minutes(),
    )
    .await?;
    let draft = versions::find(conn, plan.id, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    versions::set_status(conn, manager, &draft, draft.version, "in_review").await?;
    plan_rows::record_event(conn, manager, plan.id, Some(number), "submitted", "").await?;
    let submitted = versions::find(conn, plan.id, number)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let approver = Actor {
        label: "admin@demo.test".into(),
        user_id: crate::db::users::id_by_email(&mut *conn, "admin@demo.test").await?,
        request_id: None,
    };
    versions::set_status(conn, &approver, &submitted, submitted.version, "approved").await?;
    plan_rows::record_event(conn, &approver, plan.id, Some(number), "approved", "").await?;
    Ok(())
}
