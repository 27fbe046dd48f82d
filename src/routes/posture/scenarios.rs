//! `/scenarios`: choose what is lost — sites (a data centre, a cloud region), components or
//! supplier contracts — and see what falls through the graph, when each fallen service crosses
//! its MTPD, the order to restore them (what they cannot do without first, then by RTO), the
//! recovery timeline, which breach their RTO or MTPD and why, and which plans are invoked.
//! Scenarios can be saved under a name and opened again. Managers and auditors run them;
//! managers save and archive them.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::view::{self, ChainLink, label};
use crate::auth::contracts::ContractAccess;
use crate::auth::extract::{ManageContinuity, ReadEverything};
use crate::auth::{Authorized, CurrentUser};
use crate::db::scenarios::{self, InvokedPlan, Scenario};
use crate::domain::duration::Duration;
use crate::domain::graph::NodeKind;
use crate::domain::posture::scenario::{self as disaster, Breach};
use crate::domain::posture::timeline::timeline_svg;
use crate::error::{AppError, AppResult};
use crate::recovery_cache;
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form::{self as forms, FieldErrors};
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};

/// Services drawn on the timeline and listed in the order; the rest are counted.
const SHOWN: usize = 40;
const LISTED: usize = 200;
const LOSABLE: [NodeKind; 3] = [NodeKind::Site, NodeKind::Component, NodeKind::Contract];

#[derive(Deserialize, Default, Clone)]
pub struct RunQuery {
    #[serde(default)]
    lost: Vec<String>,
    #[serde(default)]
    pick: String,
    #[serde(default)]
    find: String,
}

pub struct SavedLine {
    pub href: String,
    pub name: String,
    pub description: String,
    pub lost: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/scenarios.html")]
pub struct ScenariosPage {
    ctx: PageContext,
    saved: Vec<SavedLine>,
    picker: MultiPicker,
}

async fn picker(state: &AppState, query: &RunQuery) -> AppResult<MultiPicker> {
    MultiPicker::build(
        state,
        "lost",
        &LOSABLE,
        None,
        (&multi::ids(&query.lost), &[]),
        &query.pick,
    )
    .await
}

async fn choose_page(
    state: &AppState,
    user: &CurrentUser,
    query: &RunQuery,
) -> AppResult<Response> {
    let saved = scenarios::active(&state.db)
        .await?
        .into_iter()
        .map(|scenario| SavedLine {
            href: format!("/scenarios/{}", scenario.id),
            name: scenario.name,
            description: scenario.description,
            lost: scenario.lost.len(),
        })
        .collect();
    Ok(ScenariosPage {
        ctx: PageContext::new(user, Area::Posture, "Scenarios")
            .crumb("Posture", "/posture")
            .here("Scenarios"),
        saved,
        picker: picker(state, query).await?,
    }
    .into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadEverything>,
    Query(query): Query<RunQuery>,
) -> AppResult<Response> {
    choose_page(&state, &user, &query).await
}

pub struct LostLine {
    pub link: ChainLink,
    pub kind: &'static str,
}

pub struct OrderLine {
    pub position: usize,
    pub link: ChainLink,
    pub why: String,
    pub start: String,
    pub back: String,
    pub rto: String,
    pub mtpd: String,
    pub breach: &'static str,
    pub badge: &'static str,
    pub evidence: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/scenario.html")]
pub struct OutcomePage {
    ctx: PageContext,
    saved: Option<Scenario>,
    lost: Vec<LostLine>,
    lost_ids: Vec<String>,
    fallen: usize,
    services: usize,
    breaches: usize,
    mtpd_breaches: usize,
    all_back: String,
    timeline: String,
    order: Vec<OrderLine>,
    more: usize,
    plans: Vec<InvokedPlan>,
    may_save: bool,
    may_archive: bool,
    save_name: String,
    save_description: String,
    errors: FieldErrors,
    /// The latest tests that rehearse the saved scenario.
    rehearsals: Vec<RehearsalLine>,
}

pub struct RehearsalLine {
    pub href: String,
    pub label: String,
    pub when: String,
    pub status: &'static str,
}

/// Tests shown as rehearsing a scenario.
const REHEARSALS: i64 = 10;

fn hours(duration: Option<Duration>) -> String {
    label(duration)
}

/// What losing `lost` does, as a page.
async fn outcome(
    state: &AppState,
    user: &CurrentUser,
    lost: &[Uuid],
    saved: Option<Scenario>,
    (name, description, errors): (String, String, FieldErrors),
) -> AppResult<OutcomePage> {
    let computed = recovery_cache::current(state).await?;
    let access = ContractAccess::of(state, user).await?;
    let inputs = computed.inputs();
    let result = disaster::run(&inputs, &computed.posture, lost);
    let names: HashMap<Uuid, String> = result
        .services
        .iter()
        .take(SHOWN)
        .map(|service| (service.id, computed.name(service.id)))
        .collect();
    let fallen_services: Vec<Uuid> = result.services.iter().map(|service| service.id).collect();
    let plans = scenarios::plans_covering(&state.db, &fallen_services).await?;
    let mut lost_lines = Vec::new();
    let unknown: Vec<Uuid> = result
        .lost
        .iter()
        .copied()
        .filter(|id| !computed.names.contains_key(id))
        .collect();
    let mut lost_names: HashMap<Uuid, String> =
        crate::db::catalogue::entries::by_ids(&state.db, &unknown)
            .await?
            .into_iter()
            .map(|entry| (entry.id, entry.name))
            .collect();
    for id in &result.lost {
        let kind = computed.graph.kind(*id);
        let mut link = view::link(&computed, &access, *id);
        if let Some(name) = lost_names.remove(id)
            && link.href.is_some()
        {
            link.name = name;
        }
        lost_lines.push(LostLine {
            link,
            kind: kind.map_or("", NodeKind::label),
        });
    }
    let name_of = |id: Uuid| view::link(&computed, &access, id).name;
    let order = result
        .services
        .iter()
        .take(LISTED)
        .enumerate()
        .map(|(at, service)| {
            let fell = service
                .cause
                .map(|cause| format!("Falls with {}", name_of(cause)))
                .unwrap_or_else(|| "Lost".to_owned());
            let waits = service
                .after
                .map(|after| format!("; restored after {}", name_of(after)))
                .unwrap_or_default();
            let breach = match service.breach {
                Breach::Mtpd => format!(
                    "; back after {}, beyond its MTPD of {}: the impact has become unacceptable",
                    hours(service.back),
                    hours(service.mtpd)
                ),
                Breach::Rto => format!(
                    "; back after {}, beyond its RTO of {}",
                    hours(service.back),
                    hours(service.rto)
                ),
                Breach::Unknown => {
                    "; nothing shows how long its recovery (or one it waits for) takes".to_owned()
                }
                Breach::None => String::new(),
            };
            OrderLine {
                position: at + 1,
                link: view::link(&computed, &access, service.id),
                why: format!("{fell}{waits}{breach}."),
                start: hours(service.start),
                back: hours(service.back),
                rto: hours(service.rto),
                mtpd: hours(service.mtpd),
                breach: service.breach.label(),
                badge: service.breach.badge(),
                evidence: service.own.source(),
            }
        })
        .collect();
    let title = saved.as_ref().map_or("Scenario".to_owned(), |scenario| {
        format!("Scenario: {}", scenario.name)
    });
    Ok(OutcomePage {
        ctx: PageContext::new(user, Area::Posture, title.clone())
            .crumb("Posture", "/posture")
            .crumb("Scenarios", "/scenarios")
            .here(title),
        lost_ids: result.lost.iter().map(Uuid::to_string).collect(),
        lost: lost_lines,
        fallen: result.fallen_count,
        services: result.services.len(),
        breaches: result.breaches().count(),
        mtpd_breaches: result
            .services
            .iter()
            .filter(|service| service.breach == Breach::Mtpd)
            .count(),
        all_back: result.all_back().map_or_else(
            || "not known: some recovery times are missing".to_owned(),
            |back| label(Some(back)),
        ),
        timeline: timeline_svg(&result, &names, SHOWN),
        more: result.services.len().saturating_sub(LISTED),
        order,
        plans,
        may_save: user.role.manages_continuity() && saved.is_none(),
        may_archive: user.role.manages_continuity(),
        saved,
        save_name: name,
        save_description: description,
        errors,
        rehearsals: Vec::new(),
    })
}

pub async fn run(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadEverything>,
    Query(query): Query<RunQuery>,
) -> AppResult<Response> {
    let lost = multi::ids(&query.lost);
    if !query.find.is_empty() || lost.is_empty() {
        return choose_page(&state, &user, &query).await;
    }
    Ok(outcome(&state, &user, &lost, None, Default::default())
        .await?
        .into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadEverything>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let scenario = scenarios::find(&state.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let lost = scenario.lost.clone();
    let rehearsals = scenarios::rehearsals(&state.db, scenario.id, REHEARSALS)
        .await?
        .into_iter()
        .map(|test| RehearsalLine {
            href: format!("/tests/{}", test.id),
            label: format!(
                "{} {}",
                crate::db::exercises::records::reference(test.number),
                test.title
            ),
            when: test.test_on.to_string(),
            status: crate::domain::exercise::TestStatus::parse(&test.status)
                .map_or("", |status| status.label()),
        })
        .collect();
    let mut page = outcome(&state, &user, &lost, Some(scenario), Default::default()).await?;
    page.rehearsals = rehearsals;
    Ok(page.into_response())
}

#[derive(Deserialize, Default)]
pub struct SaveForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    lost: Vec<String>,
}

/// The outcome page again, with what was typed and why it was refused.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    lost: &[Uuid],
    form: SaveForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let page = outcome(
        state,
        user,
        lost,
        None,
        (form.name, form.description, errors),
    )
    .await?;
    Ok(forms::rejected(page))
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<SaveForm>,
) -> AppResult<Response> {
    let computed = recovery_cache::current(&state).await?;
    let mut lost: Vec<Uuid> = multi::ids(&form.lost)
        .into_iter()
        .filter(|id| {
            computed
                .graph
                .kind(*id)
                .is_some_and(|kind| LOSABLE.contains(&kind))
        })
        .collect();
    lost.sort_unstable();
    lost.dedup();
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add(
            "name",
            "Name the scenario, e.g. “Loss of the primary data centre” (at most 200 characters).",
        );
    }
    if lost.is_empty() || lost.len() > 200 {
        errors.add(
            "lost",
            "Choose between 1 and 200 sites, components or contracts that are lost.",
        );
    }
    if form.description.chars().count() > 5000 {
        errors.add(
            "description",
            "Keep the description under 5 000 characters.",
        );
    }
    if !errors.is_empty() {
        return refused(&state, &user, &lost, form, errors).await;
    }
    let mut tx = state.db.begin().await?;
    match scenarios::create(&mut tx, &user.actor(), name, &form.description, &lost).await {
        Ok(scenario) => {
            flash::set(
                &mut *tx,
                &user.session_token_hash,
                Flash::success(format!("Scenario “{}” saved.", scenario.name)),
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/scenarios/{}", scenario.id)).into_response())
        }
        Err(crate::db::catalogue::WriteError::Duplicate { field, message }) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            refused(&state, &user, &lost, form, errors).await
        }
        Err(crate::db::catalogue::WriteError::Database(error)) => Err(error.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let scenario = scenarios::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let changed = scenarios::archive(&mut tx, &user.actor(), id).await?;
    let message = if changed {
        format!("Scenario “{}” archived.", scenario.name)
    } else {
        format!("Scenario “{}” was archived already.", scenario.name)
    };
    flash::set(&mut *tx, &user.session_token_hash, Flash::success(message)).await?;
    tx.commit().await?;
    Ok(Redirect::to("/scenarios").into_response())
}
