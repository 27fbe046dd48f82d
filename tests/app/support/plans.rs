//! Plan fixtures: people in the directory and plans in a chosen state, written through the
//! app's db functions, plus the form a complete draft sends.

use continuity::db::audit::Actor;
use continuity::db::plans::people::{self, PersonFields};
use continuity::db::plans::{records, versions};
use continuity::domain::duration::Duration;
use continuity::domain::plan::content::{Call, Invocation, PlanContent, Role, Section};
use continuity::domain::plan::steps::{Phase, Step};
use uuid::Uuid;

use super::TestApp;

fn unique(name: &str) -> String {
    format!("{name} {}", &Uuid::new_v4().simple().to_string()[..6])
}

/// A person in the directory, linked to `user` when given.
pub async fn person(app: &TestApp, name: &str, user: Option<Uuid>) -> Uuid {
    let fields = PersonFields {
        name: unique(name),
        organisation: String::new(),
        job_title: "Engineer".into(),
        user_id: user,
        email: String::new(),
        office_phone: "+44 20 7946 0999".into(),
        mobile_phone: "+44 7700 900999".into(),
        notes: String::new(),
    };
    people::create(
        &mut app.state.db.acquire().await.expect("connection"),
        &Actor::system("test fixtures"),
        &fields,
    )
    .await
    .expect("person")
    .id
}

/// Three people: authority, successor, and the recovery lead.
pub struct Cast {
    pub authority: Uuid,
    pub successor: Uuid,
    pub lead: Uuid,
}

impl Cast {
    pub async fn new(app: &TestApp, lead_user: Option<Uuid>) -> Self {
        Self {
            authority: person(app, "Authority", None).await,
            successor: person(app, "Successor", None).await,
            lead: person(app, "Lead", lead_user).await,
        }
    }
}

/// Complete content over `services`: submittable as it is.
pub fn complete_content(services: &[Uuid], cast: &Cast) -> PlanContent {
    let step = |id: &str, hours: i64, after: &[&str]| Step {
        id: id.into(),
        phase: Phase::Recovery,
        action: format!("Do {id}"),
        role: "Recovery lead".into(),
        duration: Duration::hours(hours),
        predecessors: after.iter().map(|&a| a.into()).collect(),
    };
    PlanContent {
        services: services.to_vec(),
        sections: vec![Section {
            title: "Scope".into(),
            body: "Everything.".into(),
        }],
        invocation: Invocation {
            criteria: "The site is lost.".into(),
            authority: Some(cast.authority),
            successor: Some(cast.successor),
        },
        roles: vec![Role {
            name: "Recovery lead".into(),
            duties: "Recovers".into(),
            person: Some(cast.lead),
            alternate: Some(cast.successor),
        }],
        call_tree: vec![Call {
            caller: cast.authority,
            callee: cast.lead,
            if_unreachable: "Call the successor".into(),
        }],
        steps: vec![step("S1", 1, &[]), step("S2", 2, &["S1"])],
    }
}

/// A recovery plan whose version 1 is in `status` (draft, in_review or approved), authored by
/// `author` (a user id, or the system).
pub async fn plan(
    app: &TestApp,
    content: &PlanContent,
    author: Option<Uuid>,
    status: &str,
) -> Uuid {
    let author = Actor {
        user_id: author,
        label: "fixture author".into(),
        request_id: None,
    };
    let reviewer = Actor::system("fixture reviewer");
    let mut tx = app.state.db.begin().await.expect("transaction");
    let json = serde_json::to_value(content).expect("json");
    let id = records::create(
        &mut tx,
        &author,
        "recovery",
        &unique("Fixture plan"),
        &content.services,
        &json,
        content.estimated_recovery_minutes(),
    )
    .await
    .expect("plan");
    for next in ["in_review", "approved"] {
        if status == "draft" || (status == "in_review" && next == "approved") {
            break;
        }
        let version = versions::find(&mut tx, id, 1)
            .await
            .expect("find")
            .expect("version");
        let actor = if next == "approved" {
            &reviewer
        } else {
            &author
        };
        versions::set_status(&mut tx, actor, &version, version.version, next)
            .await
            .expect("move");
    }
    tx.commit().await.expect("commit");
    id
}

/// Starts version 2 of an approved plan and moves it to `status`.
pub async fn next_version(app: &TestApp, plan: Uuid, status: &str) {
    let actor = Actor::system("fixture author");
    let mut tx = app.state.db.begin().await.expect("transaction");
    let current = versions::current(&mut tx, plan)
        .await
        .expect("current")
        .expect("an approved version");
    let number = versions::start_next(
        &mut tx,
        &actor,
        plan,
        &current.content,
        current.estimated_recovery_minutes,
    )
    .await
    .expect("start");
    if status == "in_review" {
        let draft = versions::find(&mut tx, plan, number)
            .await
            .expect("find")
            .expect("draft");
        versions::set_status(&mut tx, &actor, &draft, draft.version, "in_review")
            .await
            .expect("submit");
    }
    tx.commit().await.expect("commit");
}

/// The status of a plan's version `number`.
pub async fn status_of(app: &TestApp, plan: Uuid, number: i32) -> String {
    sqlx::query_scalar("select status from plan_versions where plan_id = $1 and number = $2")
        .bind(plan)
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .expect("status")
}

/// The draft editor's form for `content`, as the browser sends it.
pub fn draft_form(title: &str, content: &PlanContent, version: i32) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("title", title.to_owned()),
        ("version", version.to_string()),
        ("criteria", content.invocation.criteria.clone()),
        (
            "authority",
            content
                .invocation
                .authority
                .map(|id| id.to_string())
                .unwrap_or_default(),
        ),
        (
            "successor",
            content
                .invocation
                .successor
                .map(|id| id.to_string())
                .unwrap_or_default(),
        ),
    ];
    for service in &content.services {
        form.push(("service", service.to_string()));
    }
    for section in &content.sections {
        form.push(("section_title", section.title.clone()));
        form.push(("section_body", section.body.clone()));
    }
    for role in &content.roles {
        form.push(("role_name", role.name.clone()));
        form.push(("role_duties", role.duties.clone()));
        form.push((
            "role_person",
            role.person.map(|id| id.to_string()).unwrap_or_default(),
        ));
        form.push((
            "role_alternate",
            role.alternate.map(|id| id.to_string()).unwrap_or_default(),
        ));
    }
    for call in &content.call_tree {
        form.push(("call_caller", call.caller.to_string()));
        form.push(("call_callee", call.callee.to_string()));
        form.push(("call_fallback", call.if_unreachable.clone()));
    }
    for step in &content.steps {
        form.push(("step_key", step.id.clone()));
        form.push(("step_phase", step.phase.as_str().to_owned()));
        form.push(("step_action", step.action.clone()));
        form.push(("step_role", step.role.clone()));
        form.push((
            "step_duration",
            continuity::domain::bia::method::duration_label(step.duration),
        ));
        form.push(("step_after", step.predecessors.join(", ")));
    }
    form
}
