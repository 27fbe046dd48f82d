//! The continuity posture: for every service, what the business requires (its RTO and RPO, or a
//! stricter one flowing down from a service that needs it) against what IT can show it achieves
//! (its own recovery time from the best evidence, plus whatever it cannot do without, restored
//! first), coloured red, amber or green with the reason in a sentence; and the single points of
//! failure under mission-critical services. Pure: the inputs are plain figures the database
//! gathered, the output is what the posture pages, the service page and the advice show.

pub mod advice;
pub mod evidence;
pub mod option;
pub mod scenario;
pub mod timeline;

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use crate::domain::duration::Duration;
use crate::domain::graph::{Accumulated, DependencyGraph, NodeKind, Own};
pub use evidence::{Evidence, Grade, PlanEvidence, StrategyFacts, TestEvidence};
pub use option::{RecoveryOption, StrategyStatus};

/// What the posture knows of one service.
#[derive(Debug, Clone)]
pub struct ServiceFacts {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    /// 1 is mission critical.
    pub tier_rank: Option<u8>,
    pub tier_name: Option<String>,
    pub rto: Option<Duration>,
    pub rpo: Option<Duration>,
    pub mtpd: Option<Duration>,
    /// Months between tests for the service's tier.
    pub test_interval_months: u8,
    /// The latest completed test that measured its recovery time.
    pub test: Option<TestEvidence>,
    /// The latest completed test that measured its data loss (often the same test).
    pub loss_test: Option<TestEvidence>,
    /// The quickest approved plan covering it.
    pub plan: Option<PlanEvidence>,
    pub strategy: Option<StrategyFacts>,
}

/// What the posture knows of one supplier contract.
#[derive(Debug, Clone)]
pub struct ContractFacts {
    pub id: Uuid,
    pub name: String,
    /// The guaranteed recovery time plus the worst wait for support hours; `None` when the
    /// contract guarantees no recovery time.
    pub worst_recovery: Option<Duration>,
    pub support_wait: Duration,
    pub guaranteed_rpo: Option<Duration>,
}

pub struct Inputs<'a> {
    pub graph: &'a DependencyGraph,
    pub services: Vec<ServiceFacts>,
    pub contracts: Vec<ContractFacts>,
    pub today: Date,
}

/// How a requirement stands against what can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Colour {
    /// Not met, or nothing shows it is.
    Red,
    /// Met, but only by an estimate or a stale test somewhere on the way.
    Amber,
    /// Met by current evidence all the way down.
    Green,
    /// No requirement to compare with: the service has no approved BIA yet.
    NotAssessed,
}

impl Colour {
    pub const ALL: [Colour; 4] = [Self::Red, Self::Amber, Self::Green, Self::NotAssessed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Amber => "amber",
            Self::Green => "green",
            Self::NotAssessed => "not_assessed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|colour| colour.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Red => "Gap",
            Self::Amber => "Unproven",
            Self::Green => "Proven",
            Self::NotAssessed => "No requirement",
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            Self::Red => "badge-red",
            Self::Amber => "badge-amber",
            Self::Green => "badge-green",
            Self::NotAssessed => "badge-grey",
        }
    }
}

/// A requirement and what stands against it, for recovery time or for data loss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub required: Option<Duration>,
    /// The service whose requirement this is: the service itself, or a stricter one needing it.
    pub required_by: Option<Uuid>,
    pub achievable: Option<Duration>,
    /// The service's own figure and where it comes from.
    pub own: Evidence,
    /// From the service down to what sets the achievable figure (or to what has no figure).
    pub chain: Vec<Uuid>,
    /// The weakest evidence counted, and whose it is.
    pub weakest: (Grade, Uuid),
    pub colour: Colour,
}

/// The posture of one service.
#[derive(Debug, Clone)]
pub struct ServicePosture {
    pub id: Uuid,
    pub rto: Comparison,
    pub rpo: Comparison,
    /// The strategy's option, when it cannot meet the required RTO.
    pub option_mismatch: Option<RecoveryOption>,
    /// Whether its latest recovery test is within its tier's interval; `None` when never tested.
    pub tested_within_interval: Option<bool>,
}

impl ServicePosture {
    /// The worse of the two colours: a service is as good as its weaker figure.
    pub fn colour(&self) -> Colour {
        self.rto.colour.min(self.rpo.colour)
    }
}

/// A component or site whose loss alone takes down mission-critical services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinglePoint {
    pub id: Uuid,
    pub kind: NodeKind,
    /// How many mission-critical services fall with it.
    pub count: usize,
    /// The first of them in id order, at most [`SinglePoint::FIRST`].
    pub first: Vec<Uuid>,
    /// The owners of those services, each once.
    pub owners: Vec<Uuid>,
}

impl SinglePoint {
    pub const FIRST: usize = 5;
}

/// What flows down to a component, site or contract: the strictest requirement above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub minutes: Duration,
    pub set_by: Uuid,
}

#[derive(Debug, Clone, Default)]
pub struct Posture {
    /// In the order the services were given.
    pub services: Vec<ServicePosture>,
    pub required_rto: HashMap<Uuid, Requirement>,
    pub required_rpo: HashMap<Uuid, Requirement>,
    /// Most services first.
    pub single_points: Vec<SinglePoint>,
}

impl Posture {
    pub fn service(&self, id: Uuid) -> Option<&ServicePosture> {
        self.services.iter().find(|service| service.id == id)
    }
}

/// The whole posture in a few passes over the graph.
pub fn compute(inputs: &Inputs<'_>) -> Posture {
    let graph = inputs.graph;
    let rto_seeds: HashMap<Uuid, u32> = inputs
        .services
        .iter()
        .filter_map(|service| Some((service.id, minutes_of(service.rto?))))
        .collect();
    let rpo_seeds: HashMap<Uuid, u32> = inputs
        .services
        .iter()
        .filter_map(|service| Some((service.id, minutes_of(service.rpo?))))
        .collect();
    let required_rto = requirements(graph.lowest_over_dependents(&rto_seeds));
    let required_rpo = requirements(graph.lowest_over_dependents(&rpo_seeds));

    let own_time: HashMap<Uuid, Evidence> = inputs
        .services
        .iter()
        .map(|service| (service.id, evidence::own_time(service, inputs.today)))
        .chain(
            inputs
                .contracts
                .iter()
                .map(|contract| (contract.id, evidence::contract_time(contract))),
        )
        .collect();
    let own_loss: HashMap<Uuid, Evidence> = inputs
        .services
        .iter()
        .map(|service| (service.id, evidence::own_loss(service, inputs.today)))
        .chain(
            inputs
                .contracts
                .iter()
                .map(|contract| (contract.id, evidence::contract_loss(contract))),
        )
        .collect();
    let time_up = graph.longest_over_needs(&as_own(&own_time));
    let loss_up = graph.largest_over_needs(&as_own(&own_loss));

    let services = inputs
        .services
        .iter()
        .map(|service| {
            let rto = compare(
                graph,
                service.id,
                required_rto.get(&service.id),
                &own_time,
                &time_up,
            );
            let rpo = compare(
                graph,
                service.id,
                required_rpo.get(&service.id),
                &own_loss,
                &loss_up,
            );
            let option_mismatch = service.strategy.as_ref().and_then(|strategy| {
                let required = rto.required?;
                (!strategy.option.fits(required)).then_some(strategy.option)
            });
            ServicePosture {
                id: service.id,
                rto,
                rpo,
                option_mismatch,
                tested_within_interval: service.test.as_ref().map(|test| {
                    evidence::is_current(test, service.test_interval_months, inputs.today)
                }),
            }
        })
        .collect();
    Posture {
        services,
        single_points: single_points(graph, &inputs.services),
        required_rto,
        required_rpo,
    }
}

fn compare(
    graph: &DependencyGraph,
    id: Uuid,
    required: Option<&Requirement>,
    own: &HashMap<Uuid, Evidence>,
    up: &HashMap<Uuid, Accumulated>,
) -> Comparison {
    let figure = up.get(&id);
    let achievable = figure
        .and_then(|figure| figure.minutes)
        .and_then(|minutes| Duration::from_minutes(minutes.into()));
    let weakest = figure.map_or((Grade::Nothing, id), |figure| {
        (Grade::from_rank(figure.grade), figure.weakest)
    });
    let chain = graph.follow(id, |at| up.get(&at).and_then(|figure| figure.via));
    let colour = match (required, achievable) {
        (None, _) => Colour::NotAssessed,
        (Some(_), None) => Colour::Red,
        (Some(required), Some(achievable)) if achievable > required.minutes => Colour::Red,
        _ if weakest.0 == Grade::Current => Colour::Green,
        _ => Colour::Amber,
    };
    Comparison {
        required: required.map(|required| required.minutes),
        required_by: required.map(|required| required.set_by),
        achievable,
        own: own.get(&id).cloned().unwrap_or(Evidence::Nothing),
        chain,
        weakest,
        colour,
    }
}

fn requirements(lowest: HashMap<Uuid, (u32, Uuid)>) -> HashMap<Uuid, Requirement> {
    lowest
        .into_iter()
        .filter_map(|(id, (minutes, set_by))| {
            Some((
                id,
                Requirement {
                    minutes: Duration::from_minutes(minutes.into())?,
                    set_by,
                },
            ))
        })
        .collect()
}

fn as_own(evidence: &HashMap<Uuid, Evidence>) -> HashMap<Uuid, Own> {
    evidence
        .iter()
        .map(|(id, evidence)| (*id, evidence.own()))
        .collect()
}

/// Minutes as the graph walks count them; durations never exceed ten years, so they fit.
pub fn minutes_of(duration: Duration) -> u32 {
    u32::try_from(duration.minutes()).unwrap_or(u32::MAX)
}

/// The components and sites that mission-critical services cannot do without: reached from the
/// service through needs none of which has redundancy. One walk for all of them; each point
/// keeps how many services fall with it, the first few, and their owners (for the owner's view).
pub fn single_points(graph: &DependencyGraph, services: &[ServiceFacts]) -> Vec<SinglePoint> {
    let mut critical: Vec<&ServiceFacts> = services
        .iter()
        .filter(|service| service.tier_rank == Some(1))
        .collect();
    critical.sort_by_key(|service| service.id);
    let ids: Vec<Uuid> = critical.iter().map(|service| service.id).collect();
    let mut points: Vec<SinglePoint> = graph
        .sole_needs_of_many(&ids)
        .into_iter()
        .filter_map(|(id, row)| {
            let kind = graph.kind(id)?;
            if !matches!(kind, NodeKind::Component | NodeKind::Site) {
                return None;
            }
            let mut point = SinglePoint {
                id,
                kind,
                count: 0,
                first: Vec::new(),
                owners: Vec::new(),
            };
            for (word, bits) in row.iter().enumerate() {
                let mut rest = *bits;
                while rest != 0 {
                    let position = word * 64 + rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let service = critical[position];
                    point.count += 1;
                    if point.first.len() < SinglePoint::FIRST {
                        point.first.push(service.id);
                    }
                    if let Some(owner) = service.owner_id
                        && !point.owners.contains(&owner)
                    {
                        point.owners.push(owner);
                    }
                }
            }
            Some(point)
        })
        .collect();
    points.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    points
}

#[cfg(test)]
mod tests;
