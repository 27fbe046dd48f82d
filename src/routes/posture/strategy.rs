//! `GET /posture/strategy`: the practice's ITSCM strategy on one page, the one a manager takes
//! to the board — per tier, the recovery options in use, how many are in place, their yearly
//! cost, the services without any strategy and those whose option cannot meet their RTO; and
//! the strategy templates kept for many services.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::CurrentUser;
use crate::db::strategies;
use crate::domain::posture::RecoveryOption;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::recovery_cache;
use crate::routes::posture::view::label;
use crate::state::AppState;
use crate::web::page::{Area, PageContext};

pub struct OptionCount {
    pub label: &'static str,
    pub services: i64,
    pub implemented: i64,
    pub cost: String,
}

pub struct TierStrategy {
    pub name: String,
    pub services: i64,
    pub without: i64,
    pub mismatched: usize,
    pub cost: String,
    cost_value: i64,
    pub options: Vec<OptionCount>,
}

pub struct TemplateLine {
    pub href: String,
    pub name: String,
    pub option: &'static str,
    pub estimate: String,
    pub rpo: String,
    pub cost: String,
    pub used_by: i64,
    pub archived: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/strategy.html")]
pub struct StrategyPage {
    ctx: PageContext,
    tiers: Vec<TierStrategy>,
    total_cost: String,
    templates: Vec<TemplateLine>,
    may_manage: bool,
    owner_only: bool,
}

/// A whole amount with thin groups: 1 250 000.
pub fn amount(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    if value < 0 { format!("-{out}") } else { out }
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> AppResult<StrategyPage> {
    let rows = strategies::summary(&state.db).await?;
    let computed = recovery_cache::current(&state).await?;
    let mut mismatched: BTreeMap<Option<u8>, usize> = BTreeMap::new();
    for (facts, posture) in computed.services.iter().zip(&computed.posture.services) {
        if posture.option_mismatch.is_some() {
            *mismatched.entry(facts.tier_rank).or_default() += 1;
        }
    }
    let mut tiers: Vec<TierStrategy> = Vec::new();
    let mut total = 0;
    for row in rows {
        let name = row
            .tier_name
            .clone()
            .unwrap_or_else(|| "Not assessed".to_owned());
        if tiers.last().is_none_or(|tier| tier.name != name) {
            let rank = row.tier_rank.and_then(|rank| u8::try_from(rank).ok());
            tiers.push(TierStrategy {
                name,
                services: 0,
                without: 0,
                mismatched: mismatched.get(&rank).copied().unwrap_or(0),
                cost: String::new(),
                cost_value: 0,
                options: Vec::new(),
            });
        }
        let Some(tier) = tiers.last_mut() else {
            continue;
        };
        tier.services += row.services;
        total += row.yearly_cost;
        match row
            .recovery_option
            .as_deref()
            .and_then(RecoveryOption::parse)
        {
            None => tier.without += row.services,
            Some(option) => tier.options.push(OptionCount {
                label: option.label(),
                services: row.services,
                implemented: row.implemented,
                cost: amount(row.yearly_cost),
            }),
        }
        tier.cost_value += row.yearly_cost;
        tier.cost = amount(tier.cost_value);
    }
    let templates = strategies::templates(&state.db)
        .await?
        .into_iter()
        .map(|template| TemplateLine {
            href: format!("/posture/strategy/templates/{}", template.id),
            name: template.name,
            option: RecoveryOption::parse(&template.fields.recovery_option)
                .map_or("", RecoveryOption::label),
            estimate: label(minutes(template.fields.estimated_recovery_minutes)),
            rpo: label(minutes(template.fields.achievable_rpo_minutes)),
            cost: template.fields.yearly_cost.map(amount).unwrap_or_default(),
            used_by: template.used_by,
            archived: template.archived,
        })
        .collect();
    Ok(StrategyPage {
        ctx: PageContext::new(&user, Area::Posture, "Recovery strategy")
            .crumb("Posture", "/posture")
            .here("Strategy"),
        tiers,
        total_cost: amount(total),
        templates,
        may_manage: user.role.manages_continuity(),
        owner_only: user.role == Role::ServiceOwner,
    })
}

fn minutes(value: Option<i32>) -> Option<crate::domain::duration::Duration> {
    value.and_then(|minutes| crate::domain::duration::Duration::from_minutes(minutes.into()))
}
