//! `GET /risks/{id}`: one risk — how its level was reached, what it bears on, the services
//! exposed to it through the graph, its measures, acceptance and score history — and "reviewed,
//! no change" and archiving. Also what a service page shows of the risks it is exposed to.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{load, may_edit, writable};
use crate::auth::extract::{DraftPlans, ManageContinuity};
use crate::auth::{Authorized, CurrentUser};
use crate::db::catalogue::entries::{self, Entry};
use crate::db::risks::acceptances::{self, AcceptanceRow};
use crate::db::risks::catalogues;
use crate::db::risks::method;
use crate::db::risks::records::{self, Risk, ScoreChange};
use crate::domain::graph::NodeKind;
use crate::domain::plan::workflow::next_review;
use crate::domain::risk::acceptance::{AcceptanceState, fingerprint, latest_expiry, may_decide};
use crate::domain::risk::exposure::{self, Bearing};
use crate::domain::risk::method::RiskMethod;
use crate::domain::risk::register::{Decision, Treatment};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::record::{self, ArchiveForm, ArchiveWords};

/// How many exposed services a risk's page lists.
const EXPOSED_SHOWN: usize = 50;

/// How many treatment actions a risk's page lists.
const ACTIONS_SHOWN: i64 = 20;

/// A level as pages show it: name and colour.
pub struct LevelView {
    pub name: String,
    pub colour: String,
}

pub fn level_view(method: &RiskMethod, level: u8) -> LevelView {
    LevelView {
        name: method.level_name(level).to_owned(),
        colour: method
            .level(level)
            .map_or("#d1d6dd".to_owned(), |level| level.colour.clone()),
    }
}

pub struct MeasureLine {
    pub name: String,
    pub kind: String,
    pub status: String,
    pub evidence: String,
}

pub struct ExposedService {
    pub href: String,
    pub name: String,
    pub via: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "risks/show.html")]
pub struct RiskPage {
    ctx: PageContext,
    risk: Risk,
    reference: String,
    inherent: String,
    inherent_level: LevelView,
    residual: Option<String>,
    residual_level: Option<LevelView>,
    warning: Option<String>,
    decision: Decision,
    treatment: String,
    scope: Vec<Entry>,
    exposed: Vec<ExposedService>,
    exposed_total: usize,
    measures: Vec<MeasureLine>,
    acceptance: Option<AcceptanceRow>,
    acceptance_state: AcceptanceState,
    above_appetite: bool,
    history: Vec<ScoreChange>,
    can_edit: bool,
    can_propose: bool,
    can_decide: bool,
    can_archive: bool,
    /// The risk's treatment actions, outstanding first (bounded; the list has them all).
    actions: Vec<crate::db::actions::ActionLine>,
    can_add_action: bool,
    today: time::Date,
    latest_expiry: String,
    time_zone: jiff::tz::TimeZone,
}

impl RiskPage {
    fn at(&self, at: &OffsetDateTime) -> String {
        crate::web::page::format_in_zone(*at, &self.time_zone, "%Y-%m-%d %H:%M")
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<RiskPage> {
    let risk = load(&state, &id).await?;
    let (method, _) = method::current(&state.db).await?;
    let scope_ids = records::scope(&state.db, risk.id).await?;
    let measure_ids = records::measures(&state.db, risk.id).await?;
    let mut scope = entries::by_ids(&state.db, &scope_ids).await?;
    let access = crate::auth::contracts::ContractAccess::of(&state, &user).await?;
    for entry in &mut scope {
        access.conceal(entry);
    }
    scope.sort_by_key(|entry| (entry.kind, entry.name.to_lowercase()));
    let measures = catalogues::measures(&state.db, true)
        .await?
        .into_iter()
        .filter(|measure| measure_ids.contains(&measure.id))
        .map(|measure| MeasureLine {
            kind: crate::domain::risk::catalogue::MeasureType::parse(&measure.measure_type)
                .map_or(String::new(), |kind| kind.label().to_owned()),
            status: crate::domain::risk::catalogue::MeasureStatus::parse(&measure.status)
                .map_or(String::new(), |status| status.label().to_owned()),
            name: measure.name,
            evidence: measure.evidence,
        })
        .collect();
    // Exposure: every service needing what the risk bears on.
    let graph = state.graph.get(&state).await?;
    let mut exposed_ids: Vec<(Uuid, Uuid)> = Vec::new();
    for node in &scope_ids {
        if graph.kind(*node) == Some(NodeKind::Service) {
            exposed_ids.push((*node, *node));
        }
        for reached in graph.dependents(*node) {
            if graph.kind(reached.id) == Some(NodeKind::Service) {
                exposed_ids.push((reached.id, *node));
            }
        }
    }
    // Each service once, directly in scope before reached through something.
    exposed_ids.sort_by_key(|(service, node)| (*service, service != node));
    exposed_ids.dedup_by_key(|(service, _)| *service);
    let exposed_total = exposed_ids.len();
    let mut names = entries::by_ids(
        &state.db,
        &exposed_ids
            .iter()
            .flat_map(|(service, node)| [*service, *node])
            .collect::<Vec<_>>(),
    )
    .await?;
    for entry in &mut names {
        access.conceal(entry);
    }
    let name_of = |id: Uuid| {
        names
            .iter()
            .find(|entry| entry.id == id)
            .map_or(String::new(), |entry| entry.name.clone())
    };
    let mut exposed: Vec<ExposedService> = exposed_ids
        .iter()
        .map(|(service, node)| ExposedService {
            href: entries::href(NodeKind::Service, *service),
            name: name_of(*service),
            via: if service == node {
                "directly".to_owned()
            } else {
                format!("through {}", name_of(*node))
            },
        })
        .collect();
    exposed.sort_by_key(|line| line.name.to_lowercase());
    exposed.truncate(EXPOSED_SHOWN);
    let acceptance = acceptances::latest(&state.db, risk.id).await?;
    let scores = risk.scores();
    let today = OffsetDateTime::now_utc().date();
    let acceptance_state = AcceptanceState::of(
        acceptance.as_ref().map(AcceptanceRow::facts).as_ref(),
        &fingerprint(&scores, risk.current_level as u8, &scope_ids, &measure_ids),
        today,
    );
    let treatment = risk.treatment.as_deref().and_then(Treatment::parse);
    let decision = Decision::of(&method, &scores, treatment, &acceptance_state);
    let inherent = scores.inherent(&method);
    let residual = scores.residual(&method);
    let above_appetite = scores
        .current(&method)
        .is_some_and(|scored| method.above_appetite(scored.level));
    let editable = may_edit(&user, &risk);
    let can_decide = user.role.manages_continuity()
        && acceptance
            .as_ref()
            .is_some_and(|row| may_decide(&row.facts(), user.id))
        && matches!(acceptance_state, AcceptanceState::Proposed { .. });
    Ok(RiskPage {
        ctx: PageContext::new(
            &user,
            Area::Risks,
            format!("{} {}", risk.reference(), risk.title),
        )
        .crumb("Risks", "/risks")
        .here(risk.reference()),
        reference: risk.reference(),
        inherent: inherent
            .as_ref()
            .map_or_else(String::new, |scored| method.explain(scored)),
        inherent_level: level_view(&method, inherent.map_or(0, |scored| scored.level)),
        residual: residual.as_ref().map(|scored| method.explain(scored)),
        residual_level: residual.map(|scored| level_view(&method, scored.level)),
        warning: scores.residual_warning(&method),
        treatment: treatment.map_or("Not decided".to_owned(), |t| t.label().to_owned()),
        decision,
        scope,
        exposed,
        exposed_total,
        measures,
        can_propose: editable
            && above_appetite
            && !matches!(
                acceptance_state,
                AcceptanceState::Proposed { .. } | AcceptanceState::Valid { .. }
            ),
        can_decide,
        can_archive: user.role.manages_continuity(),
        can_edit: editable,
        acceptance,
        acceptance_state,
        above_appetite,
        history: records::history(&state.db, risk.id).await?,
        actions: crate::db::actions::for_risk(&state.db, risk.id, ACTIONS_SHOWN).await?,
        can_add_action: editable,
        today,
        latest_expiry: latest_expiry(today).to_string(),
        time_zone: user.time_zone.clone(),
        risk,
    })
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

/// `POST /risks/{id}/review`: reviewed with no change; the next review follows the level.
pub async fn review(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    let mut risk = match writable(&state, &user, &id).await? {
        Ok(risk) => risk,
        Err(answer) => return Ok(answer),
    };
    let href = format!("/risks/{}", risk.id);
    risk.version = form.version;
    let mut tx = state.db.begin().await?;
    let method = method::current_for_share(&mut tx).await?;
    let level = risk
        .scores()
        .current(&method)
        .map_or(0, |scored| scored.level);
    let next = next_review(
        OffsetDateTime::now_utc().date(),
        method.review_months(level),
    );
    let message = if records::reviewed(&mut tx, &user.actor(), &method, &risk, next).await? {
        Flash::success(format!("Review recorded. The next one is due on {next}."))
    } else {
        Flash::error("Someone changed the risk since you opened it: check it and review again.")
    };
    flash::set(&mut *tx, &user.session_token_hash, message).await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

pub async fn archive(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ArchiveForm>,
) -> AppResult<Response> {
    let risk = load(&state, &id).await?;
    let archived = form.archives();
    let mut tx = state.db.begin().await?;
    let changed = records::set_archived(&mut tx, &user.actor(), risk.id, archived)
        .await
        .map_err(Into::into);
    let words = ArchiveWords {
        subject: format!("Risk {}", risk.reference()),
        consequence: "it no longer counts in the register or in exposure.",
    };
    let href = format!("/risks/{}", risk.id);
    record::conclude_archive(&state, tx, &user, archived, changed, words, &href).await
}

/// A risk a service is exposed to, as its page lists it.
pub struct ServiceExposure {
    pub href: String,
    pub reference: String,
    pub title: String,
    pub level: LevelView,
    pub above_appetite: bool,
    /// "directly", or the chain that carries it: "through payroll-db → Primary data centre".
    pub via: String,
}

/// How many exposures a service page lists.
pub const SERVICE_EXPOSURES_SHOWN: usize = 20;

/// The risks `service` is exposed to, highest first, with the highest level among them. A
/// contract on a chain that the reader may not open is named as such, not by its name.
pub async fn exposure_for_service(
    state: &AppState,
    graph: &crate::domain::graph::DependencyGraph,
    service: Uuid,
    access: &crate::auth::contracts::ContractAccess,
) -> AppResult<(Vec<ServiceExposure>, Option<LevelView>)> {
    let mut below: Vec<Uuid> = graph
        .needs(service)
        .iter()
        .map(|reached| reached.id)
        .collect();
    below.push(service);
    let bearings: Vec<Bearing> = records::bearings_on(&state.db, &below).await?;
    if bearings.is_empty() {
        return Ok((Vec::new(), None));
    }
    let (method, _) = method::current(&state.db).await?;
    let found = exposure::exposure_of(graph, service, &bearings, SERVICE_EXPOSURES_SHOWN);
    let highest = found.iter().map(|exposure| exposure.level).max();
    let risks = records::lines(
        &state.db,
        &found
            .iter()
            .map(|exposure| exposure.risk)
            .collect::<Vec<_>>(),
    )
    .await?;
    let path_ids: Vec<Uuid> = found
        .iter()
        .flat_map(|exposure| exposure.path.iter().skip(1).copied())
        .collect();
    let mut names = entries::by_ids(&state.db, &path_ids).await?;
    for entry in &mut names {
        access.conceal(entry);
    }
    let name_of = |id: &Uuid| {
        names
            .iter()
            .find(|entry| entry.id == *id)
            .map_or_else(|| "a contract".to_owned(), |entry| entry.name.clone())
    };
    let lines = found
        .iter()
        .filter_map(|exposure| {
            let risk = risks.iter().find(|risk| risk.id == exposure.risk)?;
            Some(ServiceExposure {
                href: format!("/risks/{}", risk.id),
                reference: records::reference(risk.number),
                title: risk.title.clone(),
                level: level_view(&method, exposure.level),
                above_appetite: method.above_appetite(exposure.level),
                via: if exposure.inherited() {
                    format!(
                        "through {}",
                        exposure
                            .path
                            .iter()
                            .skip(1)
                            .map(name_of)
                            .collect::<Vec<_>>()
                            .join(" → ")
                    )
                } else {
                    "directly".to_owned()
                },
            })
        })
        .collect();
    Ok((lines, highest.map(|level| level_view(&method, level))))
}
