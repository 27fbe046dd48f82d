//! The risk figures of the home page's posture — risks needing a decision, reviews overdue,
//! mission-critical services exposed above appetite, and both heat maps — computed in a fixed
//! number of queries and one pass over the graph, and kept per instance until their inputs move
//! (see `DerivedCache`).

use std::collections::HashSet;

use time::OffsetDateTime;
use uuid::Uuid;

use super::list::heat_maps;
use crate::db::risks::{method, records};
use crate::domain::risk::acceptance::{AcceptanceState, fingerprint};
use crate::domain::risk::exposure;
use crate::domain::risk::register::{Decision, Treatment};
use crate::error::AppResult;
use crate::state::AppState;

/// How many exposed mission-critical services the home page names.
const CRITICAL_SHOWN: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct RiskFigures {
    pub needing_decision: usize,
    pub reviews_overdue: i64,
    /// Mission-critical services exposed above appetite: the first few (id, name), and how many.
    pub critical_exposed: Vec<(Uuid, String)>,
    pub critical_exposed_count: usize,
    pub appetite: String,
    pub inherent_map: String,
    pub residual_map: String,
}

/// The figures, read again only when risks, acceptances, the method or the graph have moved.
pub async fn risk_watch(state: &AppState) -> AppResult<RiskFigures> {
    let fingerprint = records::figures_fingerprint(&state.db).await?;
    state
        .risk_watch
        .get_or_compute(fingerprint, compute(state))
        .await
}

async fn compute(state: &AppState) -> AppResult<RiskFigures> {
    let (method, _) = method::current(&state.db).await?;
    let today = OffsetDateTime::now_utc().date();
    let needing_decision = records::decision_inputs(&state.db)
        .await?
        .into_iter()
        .filter(|input| {
            let acceptance = AcceptanceState::of(
                input.acceptance.as_ref(),
                &fingerprint(&input.scores, input.level, &input.scope, &input.measures),
                today,
            );
            let treatment = input.treatment.as_deref().and_then(Treatment::parse);
            Decision::of(&method, &input.scores, treatment, &acceptance) == Decision::NeedsDecision
        })
        .count();
    let bearings = records::bearings(&state.db).await?;
    let (critical_exposed, critical_exposed_count) = if bearings.is_empty() {
        (Vec::new(), 0)
    } else {
        let graph = state.graph.get(state).await?;
        let highest = exposure::highest_levels(&graph, &bearings);
        let critical = records::mission_critical_services(&state.db).await?;
        let ids: HashSet<Uuid> = critical.iter().map(|(id, _)| *id).collect();
        let exposed: HashSet<Uuid> = exposure::above_appetite(&highest, &ids, method.appetite)
            .into_iter()
            .collect();
        let mut named: Vec<(Uuid, String)> = critical
            .into_iter()
            .filter(|(id, _)| exposed.contains(id))
            .collect();
        let count = named.len();
        named.truncate(CRITICAL_SHOWN);
        (named, count)
    };
    let (inherent_map, residual_map) = heat_maps(state).await?;
    Ok(RiskFigures {
        needing_decision,
        reviews_overdue: records::reviews_overdue(&state.db).await?,
        critical_exposed,
        critical_exposed_count,
        appetite: method.appetite_name().to_owned(),
        inherent_map,
        residual_map,
    })
}
