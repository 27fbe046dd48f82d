//! The continuity posture kept per instance: gathered in a fixed number of queries and computed
//! over the whole graph once, then reused by every page that shows a posture figure (the posture
//! pages, scenarios, the service, component and contract pages, the home page) until a cheap
//! fingerprint of its inputs moves — or 30 seconds pass, for what the fingerprint cannot see.

use std::collections::HashMap;
use std::sync::Arc;

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::catalogue::entries;
use crate::db::{bia, recovery, suppliers};
use crate::domain::bia::method::Tier;
use crate::domain::duration::Duration;
use crate::domain::exercise::programme::interval_months;
use crate::domain::graph::DependencyGraph;
use crate::domain::posture::advice::{Recommendation, recommend};
use crate::domain::posture::{
    self, ContractFacts, Inputs, PlanEvidence, Posture, RecoveryOption, ServiceFacts,
    StrategyFacts, StrategyStatus, TestEvidence,
};
use crate::error::AppResult;
use crate::state::AppState;

/// The posture and what it was computed from.
pub struct Computed {
    pub graph: Arc<DependencyGraph>,
    pub services: Vec<ServiceFacts>,
    pub contracts: Vec<ContractFacts>,
    pub posture: Posture,
    pub advice: Vec<Recommendation>,
    /// Names of the services, contracts and of every node a chain or a single point names.
    pub names: HashMap<Uuid, String>,
    pub today: Date,
    /// Position of each service in `services` (and in `posture.services`).
    position: HashMap<Uuid, usize>,
}

impl Computed {
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            graph: &self.graph,
            services: self.services.clone(),
            contracts: self.contracts.clone(),
            today: self.today,
        }
    }

    /// A service's facts and posture.
    pub fn service(&self, id: Uuid) -> Option<(&ServiceFacts, &posture::ServicePosture)> {
        let at = *self.position.get(&id)?;
        Some((self.services.get(at)?, self.posture.services.get(at)?))
    }

    pub fn name(&self, id: Uuid) -> String {
        self.names.get(&id).cloned().unwrap_or_default()
    }
}

/// The posture as of now, computed again only when its inputs have moved.
pub async fn current(state: &AppState) -> AppResult<Arc<Computed>> {
    let fingerprint = recovery::fingerprint(&state.db).await?;
    current_at(state, fingerprint).await
}

/// The posture for a `fingerprint` the caller read just now (with others, in one statement).
pub async fn current_at(state: &AppState, fingerprint: String) -> AppResult<Arc<Computed>> {
    state
        .recovery
        .get_or_compute(fingerprint, compute(state))
        .await
}

/// Per service, the latest test that measured its recovery time, and the one that measured its
/// data loss.
type Tests = (HashMap<Uuid, TestEvidence>, HashMap<Uuid, TestEvidence>);

async fn compute(state: &AppState) -> AppResult<Arc<Computed>> {
    let graph = state.graph.get(state).await?;
    let (method, _) = bia::method::current(&state.db).await?;
    let rows = recovery::services(&state.db).await?;
    // The latest test measuring each service's recovery time, and the latest measuring its
    // data loss: each row carries one of the two figures.
    let mut tests: Tests = (HashMap::new(), HashMap::new());
    for row in recovery::latest_measurements(&state.db).await? {
        let evidence = TestEvidence {
            test_id: row.test_id,
            number: row.number,
            held_on: row.held_on,
            achieved: minutes(row.achieved_minutes),
            data_lost: minutes(row.data_lost_minutes),
            passed: row.result.as_deref() != Some("not_met"),
        };
        let by_service = if evidence.achieved.is_some() {
            &mut tests.0
        } else {
            &mut tests.1
        };
        by_service.insert(row.service_id, evidence);
    }
    let mut plans: HashMap<Uuid, PlanEvidence> = HashMap::new();
    for row in recovery::quickest_plans(&state.db).await? {
        if let Some(estimate) = minutes(Some(row.estimate_minutes)) {
            plans.insert(
                row.service_id,
                PlanEvidence {
                    plan_id: row.plan_id,
                    title: row.title,
                    estimate,
                },
            );
        }
    }
    let services: Vec<ServiceFacts> = rows
        .into_iter()
        .map(|row| service_facts(row, &method.tiers, &tests, &mut plans))
        .collect();
    let contracts: Vec<ContractFacts> = suppliers::contracts::all(&state.db)
        .await?
        .into_iter()
        .map(|contract| {
            let terms = contract.terms();
            ContractFacts {
                id: contract.id,
                name: contract.reference.clone(),
                worst_recovery: terms.worst_recovery(),
                support_wait: terms.support.worst_wait().unwrap_or(Duration::ZERO),
                guaranteed_rpo: terms.guaranteed_rpo,
            }
        })
        .collect();
    let today = OffsetDateTime::now_utc().date();
    let inputs = Inputs {
        graph: &graph,
        services,
        contracts,
        today,
    };
    let posture = posture::compute(&inputs);
    let Inputs {
        services,
        contracts,
        ..
    } = inputs;
    let mut names: HashMap<Uuid, String> = services
        .iter()
        .map(|service| (service.id, service.name.clone()))
        .chain(
            contracts
                .iter()
                .map(|contract| (contract.id, contract.name.clone())),
        )
        .collect();
    let mut unnamed: Vec<Uuid> = posture
        .services
        .iter()
        .flat_map(|service| service.rto.chain.iter().chain(&service.rpo.chain))
        .chain(posture.single_points.iter().map(|point| &point.id))
        .filter(|id| !names.contains_key(id))
        .copied()
        .collect();
    unnamed.sort_unstable();
    unnamed.dedup();
    for entry in entries::by_ids(&state.db, &unnamed).await? {
        names.insert(entry.id, entry.name);
    }
    let advice = recommend(&posture, &services, &contracts, &names);
    let position = services
        .iter()
        .enumerate()
        .map(|(at, service)| (service.id, at))
        .collect();
    Ok(Arc::new(Computed {
        graph,
        services,
        contracts,
        posture,
        advice,
        names,
        today,
        position,
    }))
}

fn service_facts(
    row: recovery::ServiceRow,
    tiers: &[Tier],
    tests: &Tests,
    plans: &mut HashMap<Uuid, PlanEvidence>,
) -> ServiceFacts {
    let tier_rank = row.tier_rank.and_then(|rank| u8::try_from(rank).ok());
    let strategy = row
        .recovery_option
        .as_deref()
        .and_then(RecoveryOption::parse)
        .map(|option| StrategyFacts {
            option,
            status: row
                .strategy_status
                .as_deref()
                .and_then(StrategyStatus::parse)
                .unwrap_or(StrategyStatus::Proposed),
            estimate: minutes(row.estimated_recovery_minutes),
            achievable_rpo: minutes(row.achievable_rpo_minutes),
        });
    ServiceFacts {
        id: row.id,
        name: row.name,
        owner_id: row.owner_id,
        tier_rank,
        tier_name: row.tier_name,
        rto: minutes(row.rto_minutes),
        rpo: minutes(row.rpo_minutes),
        mtpd: minutes(row.mtpd_minutes),
        test_interval_months: interval_months(tiers, tier_rank.as_slice()),
        test: tests.0.get(&row.id).cloned(),
        loss_test: tests.1.get(&row.id).cloned(),
        plan: plans.remove(&row.id),
        strategy,
    }
}

fn minutes(value: Option<i32>) -> Option<Duration> {
    value.and_then(|minutes| Duration::from_minutes(i64::from(minutes)))
}
