//! Contracts seen through the dependency graph: which services rely on each (directly or through
//! components — a service that uses another service relies on that service's objectives, not
//! on its suppliers'), the gaps that follow, and which contracts a service owner may read (those their
//! services rely on through dependencies a manager vouched for, see `auth::contracts`). Loads in a
//! fixed number of queries however many contracts there are.

use std::collections::{HashMap, HashSet};

use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::contracts::{CONCEALED_NAME, ContractAccess};
use crate::db::suppliers::contracts::{self, Contract, ServiceObjectives};
use crate::domain::duration::Duration;
use crate::domain::graph::{DependencyGraph, NodeKind};
use crate::domain::supplier::gaps::{Dependent, Gap, gaps};
use crate::error::AppResult;
use crate::state::AppState;

/// A contract with the services relying on it and its gaps.
pub struct Assessed {
    pub contract: Contract,
    pub dependents: Vec<ServiceObjectives>,
    pub gaps: Vec<Gap>,
}

/// Reliance on a supplier passes through components, and stops at the first service.
fn through_components(kind: NodeKind) -> bool {
    kind == NodeKind::Component
}

fn minutes(value: Option<i32>) -> Option<Duration> {
    value.and_then(|minutes| Duration::from_minutes(i64::from(minutes)))
}

fn dependent(service: &ServiceObjectives) -> Dependent {
    Dependent {
        id: service.id,
        name: service.name.clone(),
        rto: minutes(service.rto_minutes),
        rpo: minutes(service.rpo_minutes),
        tier_rank: service.tier_rank.and_then(|rank| u8::try_from(rank).ok()),
    }
}

/// Each contract with its dependents and gaps, in the order given.
pub async fn assess(state: &AppState, contracts: Vec<Contract>) -> AppResult<Vec<Assessed>> {
    let graph = state.graph.get(state).await?;
    let relying: Vec<Vec<Uuid>> = contracts
        .iter()
        .map(|contract| {
            graph
                .dependents_through(contract.id, through_components)
                .into_iter()
                .filter(|reached| graph.kind(reached.id) == Some(NodeKind::Service))
                .map(|reached| reached.id)
                .collect()
        })
        .collect();
    let all: Vec<Uuid> = relying
        .iter()
        .flatten()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let objectives: HashMap<Uuid, ServiceObjectives> =
        contracts::service_objectives(&state.db, &all)
            .await?
            .into_iter()
            .map(|service| (service.id, service))
            .collect();
    let today = OffsetDateTime::now_utc().date();
    Ok(contracts
        .into_iter()
        .zip(relying)
        .map(|(contract, ids)| {
            let mut dependents: Vec<ServiceObjectives> = ids
                .iter()
                .filter_map(|id| objectives.get(id))
                .cloned()
                .collect();
            dependents.sort_by(|a, b| {
                (a.tier_rank.unwrap_or(i32::MAX), a.name.to_lowercase())
                    .cmp(&(b.tier_rank.unwrap_or(i32::MAX), b.name.to_lowercase()))
            });
            // An archived contract (or one of an archived supplier) no longer counts.
            let found = if contract.archived {
                Vec::new()
            } else {
                gaps(
                    &contract.terms(),
                    &dependents.iter().map(dependent).collect::<Vec<_>>(),
                    today,
                )
            };
            Assessed {
                contract,
                dependents,
                gaps: found,
            }
        })
        .collect())
}

/// The contracts `user` may read: all for managers and auditors; for a service owner, those
/// their services rely on through confirmed dependencies. `None` means all.
pub async fn visible_contracts(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Option<HashSet<Uuid>>> {
    Ok(ContractAccess::of(state, user).await?.into_only())
}

/// A contract a service relies on, with the gaps that concern that service.
pub struct ServiceSupplier {
    pub contract_id: Uuid,
    /// Whether the reader may open the contract; if not, only its existence is shown.
    pub readable: bool,
    pub label: String,
    pub guaranteed_recovery: String,
    pub support: String,
    pub gaps: Vec<String>,
}

/// The contracts a service relies on (through the graph), each with its gaps for this service
/// and the contract-wide ones (evidence). A contract `access` does not open is listed without
/// its name, terms or gaps.
pub async fn suppliers_of_service(
    state: &AppState,
    graph: &DependencyGraph,
    service: Uuid,
    access: &ContractAccess,
) -> AppResult<Vec<ServiceSupplier>> {
    let ids: Vec<Uuid> = graph
        .needs_through(service, through_components)
        .into_iter()
        .filter(|reached| graph.kind(reached.id) == Some(NodeKind::Contract))
        .map(|reached| reached.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = contracts::by_ids(&state.db, &ids).await?;
    Ok(assess(state, found)
        .await?
        .into_iter()
        .filter(|assessed| !assessed.contract.archived)
        .map(|assessed| {
            if access.may_read(assessed.contract.id) {
                readable_supplier(assessed, service)
            } else {
                ServiceSupplier {
                    contract_id: assessed.contract.id,
                    readable: false,
                    label: CONCEALED_NAME.to_owned(),
                    guaranteed_recovery: String::new(),
                    support: String::new(),
                    gaps: Vec::new(),
                }
            }
        })
        .collect())
}

fn readable_supplier(assessed: Assessed, service: Uuid) -> ServiceSupplier {
    ServiceSupplier {
        contract_id: assessed.contract.id,
        readable: true,
        label: assessed.contract.label(),
        guaranteed_recovery: crate::routes::bia::minutes(
            assessed.contract.guaranteed_recovery_minutes,
        ),
        support: assessed.contract.support().describe(),
        gaps: assessed
            .gaps
            .iter()
            .filter(|gap| gap.service().is_none_or(|about| about == service))
            .map(|gap| gap.message())
            .collect(),
    }
}
