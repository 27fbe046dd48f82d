//! `GET/POST /tests/{id}/record`: recording a test's results during or after it — per recovery
//! step of each exercised plan its actual start and end or duration and any deviation; per
//! service the achieved recovery time (worked out from the step times when left blank) and the
//! data lost; per objective met or not; for the call tree who was reached and how fast. Every
//! save recomputes each service's result against its RTO and RPO; a "not met" result records its
//! finding by itself. Managers record everything; a service owner records the results of their
//! own services and, where no one else's result hangs on them, the steps, objectives and calls
//! (see [`Rights`]).

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::loaded::{Loaded, Rights};
use super::show::minutes_label;
use super::{load, may_record};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::exercises::records::PlanTest;
use crate::db::exercises::results::{
    self, CallEntry, ObjectiveEntry, Recording, ServiceEntry, StepEntry,
};
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::exercise::recording::{moment_value, service_outcome, step_time};
use crate::domain::exercise::{ServiceResult, Severity, TestStatus};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::FieldErrors;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

const MAX_NOTE: usize = 2000;

pub struct StepInput {
    pub prefix: String,
    pub action: String,
    pub role: String,
    pub planned: String,
    pub start: String,
    pub end: String,
    pub duration: String,
    pub deviation: String,
}

pub struct PlanInput {
    pub title: String,
    pub steps: Vec<StepInput>,
}

pub struct ServiceInput {
    pub prefix: String,
    pub name: String,
    pub rto: String,
    pub rpo: String,
    pub achieved: String,
    pub data_lost: String,
    pub note: String,
    pub editable: bool,
    pub label: &'static str,
    pub detail: String,
    pub badge: &'static str,
}

pub struct ObjectiveInput {
    pub prefix: String,
    pub statement: String,
    pub met: String,
    pub note: String,
}

pub struct CallInput {
    pub prefix: String,
    pub name: String,
    pub reached: String,
    pub minutes: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/record.html")]
pub struct RecordPage {
    ctx: PageContext,
    test: PlanTest,
    plans: Vec<PlanInput>,
    services: Vec<ServiceInput>,
    objectives: Vec<ObjectiveInput>,
    calls: Vec<CallInput>,
    errors: FieldErrors,
    version: i32,
    conflict: bool,
    /// Whether the test recovers something, so that steps and recovery times are recorded.
    measures: bool,
    /// Exercised plans whose steps others record (the owners of their services).
    others_plans: Vec<String>,
}

/// What the form shows: the stored values, or what was typed when it comes back.
type Values = HashMap<String, String>;

fn stored_values(loaded: &Loaded) -> Values {
    let mut values = Values::new();
    for plan in &loaded.plans {
        for (key, time) in &plan.times {
            let prefix = format!("step|{}|{key}", plan.row.plan_id);
            if let Some(at) = time.started_at {
                values.insert(format!("{prefix}|start"), moment_value(at));
            }
            if let Some(at) = time.ended_at {
                values.insert(format!("{prefix}|end"), moment_value(at));
            }
            if time.started_at.is_none() || time.ended_at.is_none() {
                values.insert(
                    format!("{prefix}|duration"),
                    minutes_label(Some(time.actual_minutes)),
                );
            }
            values.insert(format!("{prefix}|deviation"), time.deviation.clone());
        }
    }
    for service in &loaded.services {
        let prefix = format!("service|{}", service.service_id);
        if !service.achieved_from_steps && service.achieved_minutes.is_some() {
            values.insert(
                format!("{prefix}|achieved"),
                minutes_label(service.achieved_minutes),
            );
        }
        if service.data_lost_minutes.is_some() {
            values.insert(
                format!("{prefix}|data_lost"),
                minutes_label(service.data_lost_minutes),
            );
        }
        values.insert(format!("{prefix}|note"), service.note.clone());
    }
    for objective in &loaded.objectives {
        let prefix = format!("objective|{}", objective.position);
        let met = match objective.met {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        values.insert(format!("{prefix}|met"), met.to_owned());
        values.insert(format!("{prefix}|note"), objective.note.clone());
    }
    for call in &loaded.calls {
        let prefix = format!("call|{}", call.person_id);
        values.insert(
            format!("{prefix}|reached"),
            if call.reached { "yes" } else { "no" }.to_owned(),
        );
        if call.minutes.is_some() {
            values.insert(format!("{prefix}|minutes"), minutes_label(call.minutes));
        }
        values.insert(format!("{prefix}|note"), call.note.clone());
    }
    values
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    test: PlanTest,
    loaded: &Loaded,
    values: &Values,
    errors: FieldErrors,
    conflict: bool,
) -> AppResult<RecordPage> {
    let get = |key: String| values.get(&key).cloned().unwrap_or_default();
    let rights = Rights::of(user, loaded);
    let measures = test.test_type().measures_recovery();
    let names: HashMap<Uuid, String> = results::people_named(&state.db, &loaded.callees())
        .await?
        .into_iter()
        .map(|named| (named.id, named.name))
        .collect();
    let plans = loaded
        .plans
        .iter()
        .filter(|plan| measures && rights.steps_of(plan.row.plan_id))
        .map(|plan| PlanInput {
            title: format!("{} (version {})", plan.row.title, plan.row.version_number),
            steps: plan
                .content
                .steps
                .iter()
                .map(|step| {
                    let prefix = format!("step|{}|{}", plan.row.plan_id, step.id);
                    StepInput {
                        action: step.action.clone(),
                        role: step.role.clone(),
                        planned: duration_label(step.duration),
                        start: get(format!("{prefix}|start")),
                        end: get(format!("{prefix}|end")),
                        duration: get(format!("{prefix}|duration")),
                        deviation: get(format!("{prefix}|deviation")),
                        prefix,
                    }
                })
                .collect(),
        })
        .collect();
    let services = loaded
        .services
        .iter()
        .map(|service| {
            let prefix = format!("service|{}", service.service_id);
            let result = service.result.as_deref().and_then(ServiceResult::parse);
            ServiceInput {
                name: service.name.clone(),
                rto: minutes_label(service.rto_minutes),
                rpo: minutes_label(service.rpo_minutes),
                achieved: get(format!("{prefix}|achieved")),
                data_lost: get(format!("{prefix}|data_lost")),
                note: get(format!("{prefix}|note")),
                editable: rights.service(service.owner_id),
                label: result.map_or("Not recorded yet", ServiceResult::label),
                detail: match (result, service.achieved_from_steps) {
                    (Some(_), true) => format!(
                        "{} from the step times",
                        minutes_label(service.achieved_minutes)
                    ),
                    _ => String::new(),
                },
                badge: result.map_or("badge-none", ServiceResult::badge),
                prefix,
            }
        })
        .collect();
    let objectives = loaded
        .objectives
        .iter()
        .filter(|_| rights.whole_test())
        .map(|objective| {
            let prefix = format!("objective|{}", objective.position);
            ObjectiveInput {
                statement: objective.statement.clone(),
                met: get(format!("{prefix}|met")),
                note: get(format!("{prefix}|note")),
                prefix,
            }
        })
        .collect();
    let rings = rights.whole_test()
        && (test.test_type() == crate::domain::exercise::TestType::CallTree
            || !loaded.calls.is_empty());
    let calls = loaded
        .callees()
        .into_iter()
        .filter(|_| rings)
        .map(|person| {
            let prefix = format!("call|{person}");
            CallInput {
                name: names
                    .get(&person)
                    .cloned()
                    .unwrap_or_else(|| "someone no longer in the directory".to_owned()),
                reached: get(format!("{prefix}|reached")),
                minutes: get(format!("{prefix}|minutes")),
                note: get(format!("{prefix}|note")),
                prefix,
            }
        })
        .collect();
    let href = format!("/tests/{}", test.id);
    Ok(RecordPage {
        ctx: PageContext::new(
            user,
            Area::Tests,
            format!("Record {} {}", test.reference(), test.title),
        )
        .crumb("Tests", "/tests")
        .crumb(test.reference(), href)
        .here("Record results"),
        version: test.version,
        measures,
        others_plans: loaded
            .plans
            .iter()
            .filter(|plan| measures && !rights.steps_of(plan.row.plan_id))
            .map(|plan| plan.row.title.clone())
            .collect(),
        test,
        plans,
        services,
        objectives,
        calls,
        errors,
        conflict,
    })
}

/// The test `user` records, or why not.
async fn recordable(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<PlanTest> {
    let test = load(state, id).await?;
    if !may_record(state, user, &test).await? {
        return Err(AppError::Forbidden);
    }
    Ok(test)
}

pub async fn form(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let test = recordable(&state, &user, &id).await?;
    if test.status() == TestStatus::Cancelled {
        return cancelled(&state, &user, &test).await;
    }
    let loaded = Loaded::read(&state, &test).await?;
    let values = stored_values(&loaded);
    Ok(page(
        &state,
        &user,
        test,
        &loaded,
        &values,
        FieldErrors::default(),
        false,
    )
    .await?
    .into_response())
}

async fn cancelled(state: &AppState, user: &CurrentUser, test: &PlanTest) -> AppResult<Response> {
    let href = format!("/tests/{}", test.id);
    crate::web::record::notice(
        state,
        user,
        Flash::error(format!(
            "Test {} was cancelled: there is nothing to record.",
            test.reference()
        )),
        &href,
    )
    .await
}

fn optional_duration(text: &str) -> Result<Option<i32>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let duration = Duration::parse(text).map_err(|error| format!("{error}."))?;
    i32::try_from(duration.minutes())
        .map(Some)
        .map_err(|_| "A duration cannot be longer than ten years.".to_owned())
}

fn yes_no(text: &str) -> Result<Option<bool>, ()> {
    match text.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// Reads the submitted form into a recording, or the field errors. Only fields the form offers
/// are read; anything else (a service outside the test's scope, another owner's service, a step
/// the plan does not have) is refused as a whole rather than ignored.
fn read(
    user: &CurrentUser,
    test: &PlanTest,
    loaded: &Loaded,
    values: &Values,
) -> Result<Recording, FieldErrors> {
    let rights = Rights::of(user, loaded);
    let measures = test.test_type().measures_recovery();
    let mut errors = FieldErrors::default();
    let mut recording = Recording::default();
    let text = |key: &str| values.get(key).map(String::as_str);
    let long = |value: &str| value.chars().count() > MAX_NOTE;
    let mut known: HashSet<String> = HashSet::from(["version".to_owned()]);
    let recordable = loaded
        .plans
        .iter()
        .filter(|plan| measures && rights.steps_of(plan.row.plan_id));
    for plan in recordable {
        for step in &plan.content.steps {
            let prefix = format!("step|{}|{}", plan.row.plan_id, step.id);
            for part in ["start", "end", "duration", "deviation"] {
                known.insert(format!("{prefix}|{part}"));
            }
            let Some(duration) = text(&format!("{prefix}|duration")) else {
                continue;
            };
            let start = text(&format!("{prefix}|start")).unwrap_or_default();
            let end = text(&format!("{prefix}|end")).unwrap_or_default();
            let deviation = text(&format!("{prefix}|deviation"))
                .unwrap_or_default()
                .trim()
                .to_owned();
            if long(&deviation) {
                errors.add(
                    &prefix,
                    format!(
                        "“{}”: keep the deviation under {MAX_NOTE} characters.",
                        step.action
                    ),
                );
            }
            match step_time(start, end, duration) {
                Ok(time) => {
                    let minutes =
                        time.map(|time| i32::try_from(time.taken.minutes()).unwrap_or(i32::MAX));
                    if time.is_none() && !deviation.is_empty() {
                        errors.add(
                            &prefix,
                            format!(
                                "“{}”: give the step's time along with its deviation.",
                                step.action
                            ),
                        );
                    }
                    recording.steps.push(StepEntry {
                        plan_id: plan.row.plan_id,
                        key: step.id.clone(),
                        time: time
                            .zip(minutes)
                            .map(|(time, minutes)| (time.started, time.ended, minutes)),
                        deviation,
                    });
                }
                Err(message) => errors.add(&prefix, format!("“{}”: {message}", step.action)),
            }
        }
    }
    for service in &loaded.services {
        let prefix = format!("service|{}", service.service_id);
        let offered = rights.service(service.owner_id);
        for part in ["achieved", "data_lost", "note"] {
            if offered && (measures || part == "note") {
                known.insert(format!("{prefix}|{part}"));
            }
        }
    }
    for objective in loaded.objectives.iter().filter(|_| rights.whole_test()) {
        let prefix = format!("objective|{}", objective.position);
        known.insert(format!("{prefix}|met"));
        known.insert(format!("{prefix}|note"));
        let Some(met) = text(&format!("{prefix}|met")) else {
            continue;
        };
        let note = text(&format!("{prefix}|note"))
            .unwrap_or_default()
            .trim()
            .to_owned();
        if long(&note) {
            errors.add(
                &prefix,
                format!(
                    "Keep the note on “{}” under {MAX_NOTE} characters.",
                    objective.statement
                ),
            );
        }
        match yes_no(met) {
            Ok(met) => recording.objectives.push(ObjectiveEntry {
                position: objective.position,
                met,
                note,
            }),
            Err(()) => errors.add(
                &prefix,
                format!(
                    "Say whether “{}” was met: yes, no, or not yet known.",
                    objective.statement
                ),
            ),
        }
    }
    for person in loaded.callees().into_iter().filter(|_| rights.whole_test()) {
        let prefix = format!("call|{person}");
        for part in ["reached", "minutes", "note"] {
            known.insert(format!("{prefix}|{part}"));
        }
        let Some(reached) = text(&format!("{prefix}|reached")) else {
            continue;
        };
        let note = text(&format!("{prefix}|note"))
            .unwrap_or_default()
            .trim()
            .to_owned();
        let minutes = optional_duration(text(&format!("{prefix}|minutes")).unwrap_or_default());
        match (yes_no(reached), minutes) {
            (Ok(reached), Ok(minutes)) if !long(&note) => recording.calls.push(CallEntry {
                person_id: person,
                reached,
                minutes,
                note,
            }),
            (Err(()), _) => errors.add(
                &prefix,
                "Say whether the person was reached: yes, no, or not called.",
            ),
            (_, Err(message)) => errors.add(&prefix, format!("Time to reach: {message}")),
            _ => errors.add(
                &prefix,
                format!("Keep the note under {MAX_NOTE} characters."),
            ),
        }
    }
    if values.keys().any(|key| !known.contains(key)) {
        errors.add(
            "form",
            "The form held a step, service or person that is not part of this test, or a service that is not yours: reload the page and record again.",
        );
    }
    if errors.is_empty() {
        Ok(recording)
    } else {
        Err(errors)
    }
}

/// Every service's outcome after this save: typed figures from the form where this recorder
/// gave them, the stored ones otherwise, and the step times as they will be.
fn outcomes(
    user: &CurrentUser,
    measures: bool,
    loaded: &mut Loaded,
    recording: &mut Recording,
    values: &Values,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    for entry in &recording.steps {
        if let Some(plan) = loaded
            .plans
            .iter_mut()
            .find(|plan| plan.row.plan_id == entry.plan_id)
        {
            match entry.time {
                Some((started_at, ended_at, minutes)) => {
                    plan.times.insert(
                        entry.key.clone(),
                        results::StepTimeRow {
                            plan_id: entry.plan_id,
                            step_key: entry.key.clone(),
                            started_at,
                            ended_at,
                            actual_minutes: minutes,
                            deviation: entry.deviation.clone(),
                        },
                    );
                }
                None => {
                    plan.times.remove(&entry.key);
                }
            }
        }
    }
    let objective_missed = loaded.objectives.iter().any(|objective| {
        recording
            .objectives
            .iter()
            .find(|entry| entry.position == objective.position)
            .map_or(objective.met, |entry| entry.met)
            == Some(false)
    });
    let minutes = |value: Option<i32>| value.and_then(|m| Duration::from_minutes(i64::from(m)));
    let rights = Rights::of(user, loaded);
    for service in &loaded.services {
        let prefix = format!("service|{}", service.service_id);
        let offered =
            rights.service(service.owner_id) && values.contains_key(&format!("{prefix}|note"));
        let stored_typed = (!service.achieved_from_steps)
            .then_some(service.achieved_minutes)
            .flatten();
        let (typed, lost, note) = if offered {
            let get = |part: &str| {
                values
                    .get(&format!("{prefix}|{part}"))
                    .cloned()
                    .unwrap_or_default()
            };
            let typed = optional_duration(&get("achieved")).unwrap_or_else(|message| {
                errors.add(
                    &prefix,
                    format!("{}: achieved recovery time: {message}", service.name),
                );
                None
            });
            let lost = optional_duration(&get("data_lost")).unwrap_or_else(|message| {
                errors.add(&prefix, format!("{}: data lost: {message}", service.name));
                None
            });
            let note = get("note").trim().to_owned();
            if note.chars().count() > MAX_NOTE {
                errors.add(
                    &prefix,
                    format!(
                        "{}: keep the note under {MAX_NOTE} characters.",
                        service.name
                    ),
                );
            }
            (typed, lost, note)
        } else {
            (
                stored_typed,
                service.data_lost_minutes,
                service.note.clone(),
            )
        };
        // Only a recorder who changed something becomes the service's recorder.
        let entered = offered
            && (typed, lost, note.as_str())
                != (
                    stored_typed,
                    service.data_lost_minutes,
                    service.note.as_str(),
                );
        // A test that recovers nothing measures no recovery time and gives no result.
        let (typed, lost) = if measures {
            (typed, lost)
        } else {
            (None, None)
        };
        let covering: Vec<_> = loaded
            .plans
            .iter()
            .filter(|plan| measures && plan.covers(service.service_id))
            .map(|plan| plan.exercised())
            .collect();
        let outcome = service_outcome(
            &covering,
            minutes(typed),
            minutes(lost),
            minutes(service.rto_minutes),
            minutes(service.rpo_minutes),
            objective_missed,
        );
        let finding = (outcome.result == Some(ServiceResult::NotMet)).then(|| {
            let achieved = outcome.achieved.map_or_else(String::new, duration_label);
            let mut description = match (minutes(service.rto_minutes), outcome.achieved) {
                (Some(rto), Some(done)) if done > rto => format!(
                    "{} was recovered in {achieved} against an RTO of {}.",
                    service.name,
                    duration_label(rto)
                ),
                _ => format!(
                    "{} lost {} of data against an RPO of {}.",
                    service.name,
                    minutes_label(lost),
                    minutes_label(service.rpo_minutes)
                ),
            };
            if !outcome.overrun.is_empty() {
                description.push_str(&format!(" The biggest overrun: {}.", outcome.overrun));
            }
            (
                Severity::of_missed_rto(service.tier_rank)
                    .as_str()
                    .to_owned(),
                description,
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
            note,
            entered,
            finding,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let test = recordable(&state, &user, &id).await?;
    if test.status() == TestStatus::Cancelled {
        return cancelled(&state, &user, &test).await;
    }
    let mut loaded = Loaded::read(&state, &test).await?;
    let values: Values = pairs.into_iter().collect();
    let version: i32 = values
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let measures = test.test_type().measures_recovery();
    let mut recording = match read(&user, &test, &loaded, &values) {
        Ok(recording) => recording,
        Err(errors) => {
            let page = page(&state, &user, test, &loaded, &values, errors, false).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let original = Loaded::read(&state, &test).await?;
    if let Err(errors) = outcomes(&user, measures, &mut loaded, &mut recording, &values) {
        let page = page(&state, &user, test, &original, &values, errors, false).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut tx = state.db.begin().await?;
    if !results::record(
        &mut tx,
        &user.actor(),
        test.id,
        version,
        &original.services,
        &recording,
    )
    .await?
    {
        tx.rollback().await?;
        let current = load(&state, &id).await?;
        let page = page(
            &state,
            &user,
            current,
            &original,
            &values,
            FieldErrors::default(),
            true,
        )
        .await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let failing = recording
        .services
        .iter()
        .filter(|s| s.result.as_deref() == Some(ServiceResult::NotMet.as_str()))
        .count();
    let message = if failing > 0 {
        format!(
            "Results recorded. {failing} service{} did not meet {} objectives: a finding was recorded for each.",
            if failing == 1 { "" } else { "s" },
            if failing == 1 { "its" } else { "their" }
        )
    } else {
        "Results recorded.".to_owned()
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/tests/{}", test.id)).into_response())
}
