//! A disaster scenario: what falls when sites, components or supplier contracts are lost, when
//! each fallen service crosses its MTPD, the order to restore them in (what they cannot do
//! without first, then the most urgent), when each is back if restorations run side by side,
//! and which breach their RTO or MTPD — with the reason.

use std::collections::HashMap;
use uuid::Uuid;

use super::{Evidence, Inputs, Posture, evidence, minutes_of};
use crate::domain::duration::Duration;
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Breach {
    /// Back after its MTPD: the impact has become unacceptable.
    Mtpd,
    /// Back after its RTO, within its MTPD.
    Rto,
    /// Nothing says how long its recovery (or one it waits for) takes.
    Unknown,
    None,
}

impl Breach {
    pub fn label(self) -> &'static str {
        match self {
            Self::Mtpd => "Breaches MTPD",
            Self::Rto => "Breaches RTO",
            Self::Unknown => "Unknown",
            Self::None => "In time",
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            Self::Mtpd => "badge-red",
            Self::Rto => "badge-amber",
            Self::Unknown => "badge-grey",
            Self::None => "badge-green",
        }
    }
}

/// One fallen service in the order to restore.
#[derive(Debug, Clone)]
pub struct FallenService {
    pub id: Uuid,
    /// What it fell through: the lost or fallen node it needs.
    pub cause: Option<Uuid>,
    /// The fallen need it waits for last.
    pub after: Option<Uuid>,
    pub start: Option<Duration>,
    pub back: Option<Duration>,
    pub own: Evidence,
    pub rto: Option<Duration>,
    pub mtpd: Option<Duration>,
    pub breach: Breach,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The lost nodes the graph knows.
    pub lost: Vec<Uuid>,
    /// Every node that falls, lost ones included.
    pub fallen_count: usize,
    /// Fallen services in restore order.
    pub services: Vec<FallenService>,
}

impl Outcome {
    pub fn breaches(&self) -> impl Iterator<Item = &FallenService> {
        self.services
            .iter()
            .filter(|service| matches!(service.breach, Breach::Mtpd | Breach::Rto))
    }

    /// When the last fallen service is back, if that is known.
    pub fn all_back(&self) -> Option<Duration> {
        self.services
            .iter()
            .map(|service| service.back)
            .try_fold(Duration::ZERO, |latest, back| Some(latest.max(back?)))
    }
}

/// What losing `lost` does to the estate.
pub fn run(inputs: &Inputs<'_>, posture: &Posture, lost: &[Uuid]) -> Outcome {
    let graph = inputs.graph;
    let fallen = graph.fallen(lost);
    let causes: HashMap<Uuid, Option<Uuid>> = fallen.iter().copied().collect();
    let facts: HashMap<Uuid, &super::ServiceFacts> = inputs
        .services
        .iter()
        .map(|service| (service.id, service))
        .collect();
    let contracts: HashMap<Uuid, &super::ContractFacts> = inputs
        .contracts
        .iter()
        .map(|contract| (contract.id, contract))
        .collect();
    let mut own: HashMap<Uuid, Evidence> = HashMap::new();
    for (id, _) in &fallen {
        if let Some(service) = facts.get(id) {
            own.insert(*id, evidence::own_time(service, inputs.today));
        } else if let Some(contract) = contracts.get(id) {
            own.insert(*id, evidence::contract_time(contract));
        }
    }
    let minutes: HashMap<Uuid, Option<u32>> = own
        .iter()
        .map(|(id, evidence)| (*id, evidence.minutes().map(minutes_of)))
        .collect();
    let urgency: HashMap<Uuid, u32> = fallen
        .iter()
        .filter_map(|(id, _)| Some((*id, minutes_of(posture.required_rto.get(id)?.minutes))))
        .collect();
    let ids: Vec<Uuid> = fallen.iter().map(|(id, _)| *id).collect();
    let order = graph.restore_order(&ids, &minutes, &urgency);
    let services = order
        .into_iter()
        .filter(|step| graph.kind(step.id) == Some(NodeKind::Service))
        .map(|step| {
            let service = facts.get(&step.id);
            let rto = posture
                .required_rto
                .get(&step.id)
                .map(|required| required.minutes);
            let mtpd = service.and_then(|service| service.mtpd);
            let back = step
                .finish
                .and_then(|minutes| Duration::from_minutes(minutes.into()));
            let breach = match back {
                None => Breach::Unknown,
                Some(back) if mtpd.is_some_and(|mtpd| back > mtpd) => Breach::Mtpd,
                Some(back) if rto.is_some_and(|rto| back > rto) => Breach::Rto,
                Some(_) => Breach::None,
            };
            FallenService {
                id: step.id,
                cause: causes.get(&step.id).copied().flatten(),
                after: step.after,
                start: step
                    .start
                    .and_then(|minutes| Duration::from_minutes(minutes.into())),
                back,
                own: own.remove(&step.id).unwrap_or(Evidence::Nothing),
                rto,
                mtpd,
                breach,
            }
        })
        .collect();
    Outcome {
        lost: lost
            .iter()
            .copied()
            .filter(|id| graph.contains(*id))
            .collect(),
        fallen_count: fallen.len(),
        services,
    }
}
