//! Recommendations generated from the posture: each one names the service or item, the figures,
//! and what to do ("ERP finance needs 8h but its strategy is cold standby: choose warm standby
//! or better"), most urgent first, so a continuity manager knows where to start. Contracts are
//! never named in the text (not every reader may open them): the recommendation points at one.

use std::collections::HashMap;

use uuid::Uuid;

use super::{Colour, ContractFacts, Posture, RecoveryOption, ServiceFacts};
use crate::domain::bia::method::{duration_label, duration_labels_alike};

/// What kind of weakness a recommendation addresses, in the order they matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    TooSlow,
    Unknown,
    DataLoss,
    OptionMismatch,
    SupportHours,
    SinglePoint,
    NoPlan,
    NeverTested,
    StaleTest,
    NoStrategy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub topic: Topic,
    /// The service it is about, when it is about one (for links, owners and actions).
    pub service: Option<Uuid>,
    /// The component, site or contract it is about, when that is the point.
    pub node: Option<Uuid>,
    pub tier_rank: Option<u8>,
    pub text: String,
}

/// Every recommendation, most urgent first: by tier, then by topic, then by text.
pub fn recommend(
    posture: &Posture,
    services: &[ServiceFacts],
    contracts: &[ContractFacts],
    names: &HashMap<Uuid, String>,
) -> Vec<Recommendation> {
    let name = |id: &Uuid| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "(unnamed)".to_owned())
    };
    let contracts: HashMap<Uuid, &ContractFacts> = contracts
        .iter()
        .map(|contract| (contract.id, contract))
        .collect();
    let facts: HashMap<Uuid, &ServiceFacts> = services
        .iter()
        .map(|service| (service.id, service))
        .collect();
    let mut out = Vec::new();
    for service in &posture.services {
        let Some(fact) = facts.get(&service.id) else {
            continue;
        };
        let mut say = |topic: Topic, node: Option<Uuid>, text: String| {
            out.push(Recommendation {
                topic,
                service: Some(service.id),
                node,
                tier_rank: fact.tier_rank,
                text,
            });
        };
        let who = &fact.name;
        let rto = &service.rto;
        if let (Some(required), Colour::Red) = (rto.required, rto.colour) {
            match rto.achievable {
                Some(achievable) => {
                    let [need, can] = duration_labels_alike([required, achievable]);
                    // Only where 24×7 support would close the gap: the guarantee alone meets it.
                    let waiting = rto.chain.iter().find(|id| {
                        contracts.get(id).is_some_and(|c| {
                            c.support_wait.minutes() > 0
                                && c.worst_recovery.is_some_and(|worst| {
                                    worst.minutes() - c.support_wait.minutes() <= required.minutes()
                                })
                        })
                    });
                    if let Some(contract) = waiting.and_then(|id| contracts.get(id)) {
                        say(
                            Topic::SupportHours,
                            Some(contract.id),
                            format!(
                                "{who} relies on a supplier contract with limited support hours (up to {} waiting before the supplier starts): negotiate 24×7 support or add a workaround.",
                                duration_label(contract.support_wait)
                            ),
                        );
                    } else if fact
                        .strategy
                        .as_ref()
                        .is_none_or(|strategy| !strategy.option.fits(required))
                    {
                        let wanted = RecoveryOption::needed_for(required);
                        say(
                            Topic::TooSlow,
                            None,
                            format!(
                                "{who} needs {need} but can be back only after {can}: choose {} or better.",
                                wanted.short()
                            ),
                        );
                    } else {
                        let slowest = rto.chain.get(1).map(name);
                        let through = slowest
                            .map(|slowest| format!(" (the slowest link is {slowest})"))
                            .unwrap_or_default();
                        say(
                            Topic::TooSlow,
                            None,
                            format!(
                                "{who} needs {need} but can be back only after {can}{through}: shorten the recovery steps or add redundancy."
                            ),
                        );
                    }
                }
                None => {
                    let culprit = rto.chain.last().copied().unwrap_or(service.id);
                    let text = if culprit == service.id {
                        format!(
                            "{who} must be back within {} but nothing shows how long its recovery takes: approve a recovery plan or record its strategy.",
                            duration_label(required)
                        )
                    } else {
                        format!(
                            "{who} depends on {}, whose recovery time nothing shows: approve a plan for it or record its strategy.",
                            name(&culprit)
                        )
                    };
                    say(
                        Topic::Unknown,
                        Some(culprit).filter(|id| *id != service.id),
                        text,
                    );
                }
            }
        }
        if let (Some(required), Some(achievable), Colour::Red) = (
            service.rpo.required,
            service.rpo.achievable,
            service.rpo.colour,
        ) {
            let [may, can] = duration_labels_alike([required, achievable]);
            say(
                Topic::DataLoss,
                None,
                format!(
                    "{who} may lose at most {may} of data but could lose {can}: back up or replicate more often."
                ),
            );
        }
        if let (Some(option), Some(required)) = (service.option_mismatch, rto.required) {
            say(
                Topic::OptionMismatch,
                None,
                format!(
                    "{who} must be back within {} but its strategy is {}: choose {} or better.",
                    duration_label(required),
                    option.short(),
                    RecoveryOption::needed_for(required).short()
                ),
            );
        }
        let important = fact.tier_rank.is_some_and(|rank| rank <= 2);
        if fact.tier_rank == Some(1) && fact.plan.is_none() {
            say(
                Topic::NoPlan,
                None,
                format!(
                    "{who} is mission critical but no approved plan covers it: write and approve one."
                ),
            );
        }
        if important {
            match (&fact.test, service.tested_within_interval) {
                (None, _) => say(
                    Topic::NeverTested,
                    None,
                    format!(
                        "{who} has never been tested: plan a component restore, functional or failover test."
                    ),
                ),
                (Some(test), Some(false)) => say(
                    Topic::StaleTest,
                    None,
                    format!(
                        "{who} was last tested on {}, longer ago than its tier's {}-month interval: test it again.",
                        test.held_on, fact.test_interval_months
                    ),
                ),
                _ => {}
            }
            if fact.strategy.is_none() {
                say(
                    Topic::NoStrategy,
                    None,
                    format!(
                        "{who} is {} but has no recovery strategy: choose one.",
                        fact.tier_name
                            .as_deref()
                            .unwrap_or("critical")
                            .to_lowercase()
                    ),
                );
            }
        }
    }
    for point in &posture.single_points {
        let Some(first) = point.first.first() else {
            continue;
        };
        let others = point.count - 1;
        let also = match others {
            0 => String::new(),
            1 => " and one other".to_owned(),
            more => format!(" and {more} others"),
        };
        out.push(Recommendation {
            topic: Topic::SinglePoint,
            service: Some(*first),
            node: Some(point.id),
            tier_rank: Some(1),
            text: format!(
                "{} is a single point of failure: losing it takes down {}{also}, mission critical: add redundancy or a standby.",
                name(&point.id),
                name(first)
            ),
        });
    }
    out.sort_by(|a, b| {
        (a.tier_rank.unwrap_or(u8::MAX), a.topic, &a.text).cmp(&(
            b.tier_rank.unwrap_or(u8::MAX),
            b.topic,
            &b.text,
        ))
    });
    out
}
