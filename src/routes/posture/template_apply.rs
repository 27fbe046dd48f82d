//! `/posture/strategy/templates/{id}/apply`: gives many services a template's strategy at once —
//! the services a manager ticks, and every service of a tier that has no strategy yet — in one
//! statement and one audit statement, however many there are. A service that has a strategy
//! takes the template's figures and keeps its status and notes.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::strategies::{self, Template as StrategyTemplate};
use crate::domain::graph::NodeKind;
use crate::domain::posture::RecoveryOption;
use crate::error::{AppError, AppResult};
use crate::recovery_cache::{self, Computed};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::flash::{self, Flash};
use crate::web::form::{self as forms, FieldErrors};
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};

#[derive(Deserialize, Default, Clone)]
pub struct ApplyForm {
    #[serde(default)]
    service: Vec<String>,
    #[serde(default)]
    pick: String,
    #[serde(default)]
    find: String,
    /// A tier rank: its services without a strategy are included.
    #[serde(default)]
    tier: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/template_apply.html")]
pub struct ApplyPage {
    ctx: PageContext,
    template: StrategyTemplate,
    option: &'static str,
    action: String,
    picker: MultiPicker,
    tiers: Vec<OptionView>,
    errors: FieldErrors,
}

/// Tier ranks and names with how many of their services have no strategy, from the posture.
fn unplanned_by_tier(computed: &Computed) -> BTreeMap<u8, (String, Vec<Uuid>)> {
    let mut tiers: BTreeMap<u8, (String, Vec<Uuid>)> = BTreeMap::new();
    for facts in &computed.services {
        let Some(rank) = facts.tier_rank else {
            continue;
        };
        let entry = tiers
            .entry(rank)
            .or_insert_with(|| (facts.tier_name.clone().unwrap_or_default(), Vec::new()));
        if facts.strategy.is_none() {
            entry.1.push(facts.id);
        }
    }
    tiers
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    template: StrategyTemplate,
    form: &ApplyForm,
    errors: FieldErrors,
) -> AppResult<ApplyPage> {
    let computed = recovery_cache::current(state).await?;
    let pairs: Vec<(String, String)> = unplanned_by_tier(&computed)
        .into_iter()
        .map(|(rank, (name, without))| {
            (
                rank.to_string(),
                format!("{name}: the {} without a strategy", without.len()),
            )
        })
        .collect();
    let picker = MultiPicker::build(
        state,
        "service",
        &[NodeKind::Service],
        None,
        (&multi::ids(&form.service), &[]),
        &form.pick,
    )
    .await?;
    Ok(ApplyPage {
        ctx: PageContext::new(user, Area::Posture, format!("Apply {}", template.name))
            .crumb("Posture", "/posture")
            .crumb("Strategy", "/posture/strategy")
            .here("Apply a template"),
        option: RecoveryOption::parse(&template.fields.recovery_option)
            .map_or("", RecoveryOption::label),
        action: format!("/posture/strategy/templates/{}/apply", template.id),
        picker,
        tiers: choices::from_pairs(&pairs, form.tier.trim()),
        template,
        errors,
    })
}

async fn load(state: &AppState, id: &str) -> AppResult<StrategyTemplate> {
    strategies::template(&state.db, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn choose(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Query(form): Query<ApplyForm>,
) -> AppResult<Response> {
    let template = load(&state, &id).await?;
    Ok(page(&state, &user, template, &form, FieldErrors::default())
        .await?
        .into_response())
}

pub async fn apply(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let template = load(&state, &id).await?;
    if !form.find.is_empty() {
        let shown = page(&state, &user, template, &form, FieldErrors::default()).await?;
        return Ok(shown.into_response());
    }
    let computed = recovery_cache::current(&state).await?;
    let mut errors = FieldErrors::default();
    let mut services: Vec<Uuid> = multi::ids(&form.service)
        .into_iter()
        .filter(|id| computed.graph.kind(*id) == Some(NodeKind::Service))
        .collect();
    match form.tier.trim() {
        "" => {}
        tier => match tier
            .parse::<u8>()
            .ok()
            .and_then(|rank| unplanned_by_tier(&computed).remove(&rank))
        {
            Some((_, without)) => services.extend(without),
            None => errors.add("tier", "Choose one of the tiers offered."),
        },
    }
    services.sort_unstable();
    services.dedup();
    if template.archived {
        errors.add(
            "service",
            "This template is archived: restore it before applying it.",
        );
    } else if services.is_empty() && errors.is_empty() {
        errors.add(
            "service",
            "Tick at least one service, or choose a tier whose services have no strategy yet.",
        );
    }
    if !errors.is_empty() {
        let refused = page(&state, &user, template, &form, errors).await?;
        return Ok(forms::rejected(refused));
    }
    let mut tx = state.db.begin().await?;
    let applied = strategies::apply_template(&mut tx, &user.actor(), &template, &services).await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "“{}” applied to {applied} service{}.",
            template.name,
            if applied == 1 { "" } else { "s" }
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/posture/strategy").into_response())
}
