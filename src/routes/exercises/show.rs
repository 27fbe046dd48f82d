//! `GET /tests/{id}`: the post-test report, printable — what was planned, the objectives met or
//! not, per exercised plan the timeline of actual against planned steps, each service's measured
//! recovery against its RTO, who the call tree reached, the findings and their actions, who took
//! part, and the evidence files. `POST /tests/{id}/conclude` completes or cancels it.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::loaded::Loaded;
use super::{load, may_plan, may_record};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::exercises::{documents, records, results};
use crate::db::suppliers::documents::DocumentInfo;
use crate::domain::bia::method::duration_label;
use crate::domain::date::parse_date;
use crate::domain::duration::Duration;
use crate::domain::exercise::timeline::actual_vs_planned_svg;
use crate::domain::exercise::{ServiceResult, Severity, TestStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

pub fn minutes_label(minutes: Option<i32>) -> String {
    minutes
        .and_then(|m| Duration::from_minutes(i64::from(m)))
        .map_or_else(|| "—".to_owned(), duration_label)
}

pub struct StepView {
    pub action: String,
    pub role: String,
    pub planned: String,
    pub actual: String,
    pub started: String,
    pub ended: String,
    pub deviation: String,
    pub overran: bool,
}

pub struct PlanView {
    pub title: String,
    pub href: String,
    pub version_number: i32,
    pub svg: String,
    pub estimated: String,
    pub achieved: String,
    pub steps: Vec<StepView>,
    pub recorded: usize,
}

pub struct ServiceView {
    pub name: String,
    pub href: String,
    pub tier: String,
    pub rto: String,
    pub achieved: String,
    pub from_steps: bool,
    pub data_lost: String,
    pub rpo: String,
    pub result: String,
    pub badge: &'static str,
    pub overrun: String,
    pub note: String,
    pub recorded: String,
}

pub struct ObjectiveView {
    pub statement: String,
    pub met: Option<bool>,
    pub note: String,
}

pub struct CallView {
    pub name: String,
    pub reached: Option<bool>,
    pub minutes: String,
    pub note: String,
}

pub struct FindingView {
    pub id: Uuid,
    pub reference: String,
    pub severity: &'static str,
    pub badge: &'static str,
    pub description: String,
    pub service: Option<String>,
    pub automatic: bool,
    pub action: Option<(String, String)>,
    pub may_act: bool,
}

pub struct DocumentView {
    pub href: String,
    pub name: String,
    pub size: String,
    pub by: String,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/show.html")]
pub struct TestPage {
    ctx: PageContext,
    test: records::PlanTest,
    type_label: &'static str,
    status_label: &'static str,
    status_badge: &'static str,
    measures: bool,
    plans: Vec<PlanView>,
    services: Vec<ServiceView>,
    objectives: Vec<ObjectiveView>,
    calls: Vec<CallView>,
    findings: Vec<FindingView>,
    participants: Vec<String>,
    suppliers: Vec<String>,
    documents: Vec<DocumentView>,
    may_plan: bool,
    may_record: bool,
    planned: bool,
    completed: bool,
    severities: Vec<(&'static str, &'static str)>,
    scope_services: Vec<(Uuid, String)>,
    completed_on: String,
    attempt: Attempt,
    /// The saved disaster scenario it rehearses, for those who may open scenarios.
    disaster_scenario_href: Option<String>,
}

fn plan_views(loaded: &Loaded) -> Vec<PlanView> {
    loaded
        .plans
        .iter()
        .map(|plan| {
            let measured = plan.measured();
            let svg = match (&plan.estimate, &measured) {
                (Some(estimate), Some(measured)) => {
                    actual_vs_planned_svg(&plan.content.steps, estimate, measured)
                }
                _ => String::new(),
            };
            let steps = plan
                .content
                .steps
                .iter()
                .map(|step| {
                    let time = plan.times.get(&step.id);
                    let moment = |at: Option<time::PrimitiveDateTime>| {
                        at.map_or_else(String::new, |at| {
                            format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
                        })
                    };
                    StepView {
                        action: step.action.clone(),
                        role: step.role.clone(),
                        planned: duration_label(step.duration),
                        actual: time
                            .map_or_else(String::new, |t| minutes_label(Some(t.actual_minutes))),
                        started: moment(time.and_then(|t| t.started_at)),
                        ended: moment(time.and_then(|t| t.ended_at)),
                        deviation: time.map_or_else(String::new, |t| t.deviation.clone()),
                        overran: time
                            .is_some_and(|t| i64::from(t.actual_minutes) > step.duration.minutes()),
                    }
                })
                .collect();
            PlanView {
                title: plan.row.title.clone(),
                href: format!(
                    "/plans/{}/versions/{}",
                    plan.row.plan_id, plan.row.version_number
                ),
                version_number: plan.row.version_number,
                svg,
                estimated: plan
                    .estimate
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |s| duration_label(s.recovered)),
                achieved: measured
                    .as_ref()
                    .map_or_else(|| "not recorded".to_owned(), |m| duration_label(m.achieved)),
                steps,
                recorded: plan.times.len(),
            }
        })
        .collect()
}

pub fn service_views(loaded: &Loaded, ctx: &PageContext) -> Vec<ServiceView> {
    loaded
        .services
        .iter()
        .map(|service| {
            let result = service.result.as_deref().and_then(ServiceResult::parse);
            ServiceView {
                name: service.name.clone(),
                href: format!("/services/{}", service.service_id),
                tier: service
                    .tier_name
                    .clone()
                    .unwrap_or_else(|| "no tier yet".to_owned()),
                rto: minutes_label(service.rto_minutes),
                achieved: minutes_label(service.achieved_minutes),
                from_steps: service.achieved_from_steps,
                data_lost: minutes_label(service.data_lost_minutes),
                rpo: minutes_label(service.rpo_minutes),
                result: result
                    .map_or("Not recorded", ServiceResult::label)
                    .to_owned(),
                badge: result.map_or("badge-none", ServiceResult::badge),
                overrun: service.overrun.clone(),
                note: service.note.clone(),
                recorded: match (&service.recorded_label, &service.recorded_at) {
                    (Some(by), Some(at)) => format!("{by}, {}", ctx.when(at)),
                    _ => String::new(),
                },
            }
        })
        .collect()
}

/// A refused finding or conclusion, shown again on the report with what was typed.
#[derive(Default)]
pub struct Attempt {
    /// `finding` or `conclude`: which form the error belongs to.
    pub form: &'static str,
    pub error: String,
    pub severity: String,
    pub service: String,
    pub description: String,
    pub conclusion: String,
    pub held_on: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<TestPage> {
    let test = load(&state, &id).await?;
    render(&state, &user, test, Attempt::default()).await
}

/// The report, with a refused attempt's input kept (422 when `attempt` holds an error).
pub async fn refused(
    state: &AppState,
    user: &CurrentUser,
    test: records::PlanTest,
    attempt: Attempt,
) -> AppResult<Response> {
    let page = render(state, user, test, attempt).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    test: records::PlanTest,
    attempt: Attempt,
) -> AppResult<TestPage> {
    let loaded = Loaded::read(state, &test).await?;
    let may_record = may_record(state, user, &test).await?;
    let findings = results::findings(&state.db, test.id).await?;
    let participants = results::participants(&state.db, test.id).await?;
    let suppliers = results::suppliers(&state.db, test.id).await?;
    // The call tree is shown for a call-tree test, or once someone recorded calls.
    let callees = if test.test_type() == crate::domain::exercise::TestType::CallTree
        || !loaded.calls.is_empty()
    {
        loaded.callees()
    } else {
        Vec::new()
    };
    let names: HashMap<Uuid, String> = results::people_named(&state.db, &callees)
        .await?
        .into_iter()
        .map(|named| (named.id, named.name))
        .collect();
    let documents = documents::list(&state.db, test.id).await?;
    let ctx = PageContext::new(
        user,
        Area::Tests,
        format!("{} {}", test.reference(), test.title),
    )
    .crumb("Tests", "/tests")
    .here(test.reference());
    let calls = callees
        .iter()
        .map(|person| {
            let call = loaded.calls.iter().find(|call| call.person_id == *person);
            CallView {
                name: names
                    .get(person)
                    .cloned()
                    .unwrap_or_else(|| "someone no longer in the directory".to_owned()),
                reached: call.map(|call| call.reached),
                minutes: call.map_or_else(String::new, |call| {
                    if call.minutes.is_some() {
                        minutes_label(call.minutes)
                    } else {
                        String::new()
                    }
                }),
                note: call.map_or_else(String::new, |call| call.note.clone()),
            }
        })
        .collect();
    let manages = user.role.manages_continuity();
    let findings = findings
        .into_iter()
        .map(|finding| {
            let severity = Severity::parse(&finding.severity).unwrap_or(Severity::Medium);
            FindingView {
                id: finding.id,
                reference: finding.reference(),
                severity: severity.label(),
                badge: severity.badge(),
                description: finding.description.clone(),
                service: finding.service_name.clone(),
                automatic: finding.automatic,
                action: finding.action_id.map(|action| {
                    (
                        format!("/actions/{action}"),
                        format!(
                            "{} ({})",
                            crate::db::actions::reference(finding.action_number.unwrap_or(0)),
                            finding
                                .action_status
                                .as_deref()
                                .and_then(crate::domain::action::ActionStatus::parse)
                                .map_or("", |status| status.label())
                                .to_lowercase()
                        ),
                    )
                }),
                may_act: finding.action_id.is_none()
                    && (manages
                        || (user.role == crate::domain::role::Role::ServiceOwner
                            && finding.service_owner_id == Some(user.id))),
            }
        })
        .collect();
    let documents = documents
        .into_iter()
        .map(|document: DocumentInfo| DocumentView {
            href: format!("/tests/{}/documents/{}", test.id, document.id),
            name: document.file_name.clone(),
            size: format!("{} KB", (i64::from(document.size_bytes) + 1023) / 1024),
            by: document.uploaded_by.clone().unwrap_or_default(),
            at: ctx.when(&document.uploaded_at),
        })
        .collect();
    let status = test.status();
    let today = OffsetDateTime::now_utc().date();
    let disaster_scenario_href = test
        .disaster_scenario_id
        .filter(|_| user.role != crate::domain::role::Role::ServiceOwner)
        .map(|id| format!("/scenarios/{id}"));
    Ok(TestPage {
        disaster_scenario_href,
        type_label: test.test_type().label(),
        status_label: status.label(),
        status_badge: status.badge(),
        measures: test.test_type().measures_recovery(),
        plans: plan_views(&loaded),
        services: service_views(&loaded, &ctx),
        objectives: loaded
            .objectives
            .iter()
            .map(|objective| ObjectiveView {
                statement: objective.statement.clone(),
                met: objective.met,
                note: objective.note.clone(),
            })
            .collect(),
        calls,
        findings,
        participants: participants.into_iter().map(|p| p.name).collect(),
        suppliers: suppliers.into_iter().map(|s| s.name).collect(),
        documents,
        may_plan: may_plan(state, user, &test).await?,
        may_record: may_record && status != TestStatus::Cancelled,
        planned: status == TestStatus::Planned,
        completed: status == TestStatus::Completed,
        severities: Severity::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        scope_services: loaded
            .services
            .iter()
            .filter(|s| manages || s.owner_id == Some(user.id))
            .map(|s| (s.service_id, s.name.clone()))
            .collect(),
        completed_on: if attempt.held_on.is_empty() {
            test.test_on.min(today).to_string()
        } else {
            attempt.held_on.clone()
        },
        attempt,
        ctx,
        test,
    })
}

#[derive(Deserialize, Default)]
pub struct ConcludeForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    version: i32,
}

/// Completes a held test (from then on it counts in the programme) or cancels one that will not
/// take place; both need a word on why or how it went.
pub async fn conclude(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<ConcludeForm>,
) -> AppResult<Response> {
    let test = load(&state, &id).await?;
    if !may_plan(&state, &user, &test).await? {
        return Err(AppError::Forbidden);
    }
    let href = format!("/tests/{}", test.id);
    let to = match TestStatus::parse(form.to.trim()) {
        Some(to @ (TestStatus::Completed | TestStatus::Cancelled)) => to,
        _ => return Err(AppError::BadRequest("unknown conclusion".into())),
    };
    let today = OffsetDateTime::now_utc().date();
    let refusal = if test.status() != TestStatus::Planned {
        Some(format!(
            "Test {} is already {}.",
            test.reference(),
            test.status().label().to_lowercase()
        ))
    } else if form.version != test.version {
        Some(
            "Someone changed the test since you opened it: look at it again, then conclude."
                .to_owned(),
        )
    } else if form.conclusion.trim().is_empty() || form.conclusion.chars().count() > 5000 {
        Some(match to {
            TestStatus::Cancelled => {
                "Say why the test is cancelled (at most 5000 characters).".to_owned()
            }
            _ => "Sum up how the test went (at most 5000 characters): it opens the report."
                .to_owned(),
        })
    } else {
        None
    };
    let held_on = match (to, parse_date(&form.held_on)) {
        (TestStatus::Completed, Ok(date)) if date > today => {
            Err("A test is completed once held: its date cannot be in the future.".to_owned())
        }
        (TestStatus::Completed, Ok(date)) => Ok(date),
        (TestStatus::Completed, Err(error)) => {
            Err(format!("Enter the date the test was held. {error}"))
        }
        _ => Ok(test.test_on),
    };
    let held_on = match (refusal, held_on) {
        (None, Ok(date)) => date,
        (Some(message), _) | (None, Err(message)) => {
            let attempt = Attempt {
                form: "conclude",
                error: message,
                conclusion: form.conclusion.clone(),
                held_on: form.held_on.clone(),
                ..Attempt::default()
            };
            return refused(&state, &user, test, attempt).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let outcome =
        records::conclude(&mut tx, &user.actor(), &test, to, &form.conclusion, held_on).await?;
    let message = match outcome {
        Versioned::Saved(_) if to == TestStatus::Completed => {
            format!(
                "Test {} completed: it now counts in the test programme.",
                test.reference()
            )
        }
        Versioned::Saved(_) => format!("Test {} cancelled.", test.reference()),
        Versioned::Stale(_) => {
            tx.rollback().await?;
            flash::set(
                &state.db,
                &user.session_token_hash,
                Flash::error("Someone changed the test since you opened it: look at it again, then conclude."),
            )
            .await?;
            return Ok(Redirect::to(&href).into_response());
        }
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}
