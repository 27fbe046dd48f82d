//! `GET /posture` and `/posture.csv`: every service's required against achievable recovery time
//! and data loss, red, amber or green with the reason; the recommendations; the single points of
//! failure under mission-critical services; and tiers without plans, tests or strategies.
//! Managers and auditors see the practice; a service owner sees their own services.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::view::{self, ServiceLine};
use crate::auth::CurrentUser;
use crate::auth::contracts::ContractAccess;
use crate::db::users;
use crate::domain::posture::advice::Recommendation;
use crate::domain::posture::{Colour, ServiceFacts};
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::recovery_cache::{self, Computed};
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::csv_export;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};
use crate::web::paging::Pages;

const PAGE: usize = 50;
const ADVICE_SHOWN: usize = 10;
const ADVICE_PAGE: usize = 50;
const POINTS_SHOWN: usize = 10;

#[derive(Deserialize, Default, Clone)]
pub struct PostureQuery {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    page: String,
    /// Set to list every recommendation, a page at a time.
    #[serde(default)]
    advice: String,
}

impl PostureQuery {
    fn href(&self, colour: &str, page: usize) -> String {
        format!(
            "/posture?tier={}&owner={}&colour={}&page={page}",
            self.tier, self.owner, colour
        )
    }
}

pub struct TierRow {
    pub name: String,
    pub services: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub without_plan: usize,
    pub never_tested: usize,
    pub without_strategy: usize,
}

pub struct AdviceLine {
    pub text: String,
    pub service: Option<(String, String)>,
    pub node: Option<view::ChainLink>,
    /// Where "Turn into an action" leads, for those who may raise one.
    pub action_href: Option<String>,
}

pub struct PointLine {
    pub node: view::ChainLink,
    pub kind: &'static str,
    pub count: usize,
    pub first: Vec<view::ChainLink>,
}

#[derive(Template, WebTemplate)]
#[template(path = "posture/page.html")]
pub struct PosturePage {
    ctx: PageContext,
    query: PostureQuery,
    owner_only: bool,
    counts: Vec<(&'static str, &'static str, usize, bool)>,
    tiers: Vec<TierRow>,
    tier_options: Vec<OptionView>,
    owner_options: Vec<OptionView>,
    lines: Vec<ServiceLine>,
    pages: Pages,
    total_advice: usize,
    advice: Vec<AdviceLine>,
    advice_pages: Option<Pages>,
    points: Vec<PointLine>,
    total_points: usize,
    page_links: (String, String),
}

/// The services `user` sees the posture of, with the filters applied.
fn visible<'a>(
    computed: &'a Computed,
    user: &CurrentUser,
    query: &PostureQuery,
) -> Vec<(&'a ServiceFacts, &'a crate::domain::posture::ServicePosture)> {
    let owner_only = user.role == Role::ServiceOwner;
    let tier = query.tier.trim();
    let owner = query.owner.trim().parse::<Uuid>().ok();
    let colour = Colour::parse(query.colour.trim());
    let mut lines: Vec<_> = computed
        .services
        .iter()
        .zip(&computed.posture.services)
        .filter(|(facts, _)| !owner_only || facts.owner_id == Some(user.id))
        .filter(|(facts, _)| owner.is_none() || facts.owner_id == owner)
        .filter(|(facts, _)| match tier {
            "" => true,
            "none" => facts.tier_rank.is_none(),
            rank => facts.tier_rank.map(|r| r.to_string()).as_deref() == Some(rank),
        })
        .filter(|(_, posture)| colour.is_none_or(|colour| posture.colour() == colour))
        .collect();
    // Worst first, then the most critical, then by name (the order services came in).
    lines.sort_by_key(|(facts, posture)| (posture.colour(), facts.tier_rank.unwrap_or(u8::MAX)));
    lines
}

fn advice_line(
    computed: &Computed,
    access: &ContractAccess,
    user: &CurrentUser,
    item: &Recommendation,
) -> AdviceLine {
    let facts = item
        .service
        .and_then(|id| computed.service(id))
        .map(|(facts, _)| facts);
    AdviceLine {
        text: item.text.clone(),
        service: facts.map(|facts| (facts.name.clone(), format!("/services/{}", facts.id))),
        node: item.node.map(|node| view::link(computed, access, node)),
        action_href: facts.and_then(|facts| view::gap_action_href(user, facts, &item.text)),
    }
}

/// How many of the services `user` sees are red, amber, green or without a requirement, for the
/// home page's tiles.
pub fn colour_counts(computed: &Computed, user: &CurrentUser) -> Vec<(Colour, usize)> {
    let all = visible(computed, user, &PostureQuery::default());
    Colour::ALL
        .iter()
        .map(|colour| {
            (
                *colour,
                all.iter().filter(|(_, p)| p.colour() == *colour).count(),
            )
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PostureQuery>,
) -> AppResult<PosturePage> {
    let computed = recovery_cache::current(&state).await?;
    let access = ContractAccess::of(&state, &user).await?;
    let owner_only = user.role == Role::ServiceOwner;
    let mine = |facts: &ServiceFacts| !owner_only || facts.owner_id == Some(user.id);

    let unfiltered = PostureQuery {
        colour: String::new(),
        page: String::new(),
        ..query.clone()
    };
    let all = visible(&computed, &user, &unfiltered);
    let counts = Colour::ALL
        .iter()
        .map(|colour| {
            (
                colour.as_str(),
                colour.label(),
                all.iter().filter(|(_, p)| p.colour() == *colour).count(),
                query.colour == colour.as_str(),
            )
        })
        .collect();
    let mut by_tier: BTreeMap<u8, TierRow> = BTreeMap::new();
    for (facts, posture) in computed
        .services
        .iter()
        .zip(&computed.posture.services)
        .filter(|(facts, _)| mine(facts))
    {
        let row = by_tier
            .entry(facts.tier_rank.unwrap_or(u8::MAX))
            .or_insert_with(|| TierRow {
                name: facts
                    .tier_name
                    .clone()
                    .unwrap_or_else(|| "Not assessed".to_owned()),
                services: 0,
                red: 0,
                amber: 0,
                green: 0,
                without_plan: 0,
                never_tested: 0,
                without_strategy: 0,
            });
        row.services += 1;
        match posture.colour() {
            Colour::Red => row.red += 1,
            Colour::Amber => row.amber += 1,
            Colour::Green => row.green += 1,
            Colour::NotAssessed => {}
        }
        row.without_plan += usize::from(facts.plan.is_none());
        row.never_tested += usize::from(facts.test.is_none());
        row.without_strategy += usize::from(facts.strategy.is_none());
    }
    let tier_options = {
        let mut rows: Vec<(String, String)> = by_tier
            .iter()
            .map(|(rank, row)| {
                let value = if *rank == u8::MAX {
                    "none".to_owned()
                } else {
                    rank.to_string()
                };
                (value, row.name.clone())
            })
            .collect();
        rows.dedup();
        choices::from_pairs(&rows, &query.tier)
    };
    let owner_options = if owner_only {
        Vec::new()
    } else {
        let owners: Vec<(Uuid, String)> = users::owner_options(&state.db).await?;
        choices::from_rows(&owners, &query.owner)
    };

    let filtered = visible(&computed, &user, &query);
    let pages = Pages::of_size(filtered.len(), &query.page, PAGE);
    let lines = pages
        .slice_of(filtered, PAGE)
        .into_iter()
        .map(|(facts, posture)| view::service_line(&computed, &access, facts, posture))
        .collect();

    let advice_for_me: Vec<&Recommendation> = computed
        .advice
        .iter()
        .filter(|item| {
            !owner_only
                || item
                    .service
                    .and_then(|id| computed.service(id))
                    .is_some_and(|(facts, _)| mine(facts))
        })
        .collect();
    let total_advice = advice_for_me.len();
    let (advice_pages, shown): (Option<Pages>, Vec<&Recommendation>) = if query.advice.is_empty() {
        (None, advice_for_me.into_iter().take(ADVICE_SHOWN).collect())
    } else {
        let pages = Pages::of_size(total_advice, &query.advice, ADVICE_PAGE);
        let shown = pages.slice_of(advice_for_me, ADVICE_PAGE);
        (Some(pages), shown)
    };
    let advice = shown
        .into_iter()
        .map(|item| advice_line(&computed, &access, &user, item))
        .collect();

    let points_for_me: Vec<_> = computed
        .posture
        .single_points
        .iter()
        .filter(|point| !owner_only || point.owners.contains(&user.id))
        .collect();
    let total_points = points_for_me.len();
    let points = points_for_me
        .into_iter()
        .take(POINTS_SHOWN)
        .map(|point| PointLine {
            node: view::link(&computed, &access, point.id),
            kind: point.kind.label(),
            count: point.count,
            first: point
                .first
                .iter()
                .take(3)
                .map(|id| view::link(&computed, &access, *id))
                .collect(),
        })
        .collect();
    let page_links = (
        query.href(&query.colour, pages.previous()),
        query.href(&query.colour, pages.next()),
    );
    Ok(PosturePage {
        ctx: PageContext::new(&user, Area::Posture, "Continuity posture").here("Posture"),
        owner_only,
        counts,
        tiers: by_tier.into_values().collect(),
        tier_options,
        owner_options,
        lines,
        pages,
        total_advice,
        advice,
        advice_pages,
        points,
        total_points,
        page_links,
        query,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PostureQuery>,
) -> AppResult<Response> {
    let computed = recovery_cache::current(&state).await?;
    let access = ContractAccess::of(&state, &user).await?;
    let rows: Vec<Vec<String>> = visible(&computed, &user, &query)
        .into_iter()
        .map(|(facts, posture)| {
            let line = view::service_line(&computed, &access, facts, posture);
            vec![
                line.name,
                line.tier,
                line.colour.label().to_owned(),
                line.rto.required,
                line.rto.achievable,
                line.rto.source,
                line.rto.reason,
                line.rpo.required,
                line.rpo.achievable,
                line.rpo.reason,
                line.strategy,
                line.mismatch.unwrap_or_default(),
            ]
        })
        .collect();
    let body = csv_export::to_csv(
        &[
            "service",
            "tier",
            "posture",
            "required_rto",
            "achievable_rto",
            "rto_evidence",
            "rto_reason",
            "required_rpo",
            "achievable_rpo",
            "rpo_reason",
            "strategy",
            "strategy_mismatch",
        ],
        rows,
    )?;
    Ok(csv_export::download("posture.csv", body))
}
