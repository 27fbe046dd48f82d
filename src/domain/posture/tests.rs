use std::collections::HashMap;

use time::macros::date;
use uuid::Uuid;

use super::advice::{Topic, recommend};
use super::scenario::{Breach, run};
use super::*;
use crate::domain::duration::Duration;
use crate::domain::graph::{DependencyGraph, NodeKind};

const TODAY: Date = date!(2026 - 12 - 04);

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n + 1)
}

fn service(n: u128, name: &str, rto_hours: i64, rank: u8) -> ServiceFacts {
    ServiceFacts {
        id: id(n),
        name: name.to_owned(),
        owner_id: None,
        tier_rank: Some(rank),
        tier_name: Some(
            [
                "Mission critical",
                "Business critical",
                "Essential",
                "Non-essential",
            ][usize::from(rank) - 1]
                .to_owned(),
        ),
        rto: Some(Duration::hours(rto_hours)),
        rpo: Some(Duration::hours(1)),
        mtpd: Some(Duration::hours(rto_hours * 2)),
        test_interval_months: 6,
        test: None,
        loss_test: None,
        plan: None,
        strategy: None,
    }
}

fn plan(hours: i64) -> Option<PlanEvidence> {
    Some(PlanEvidence {
        plan_id: Uuid::from_u128(900),
        title: "Recovery".into(),
        estimate: Duration::hours(hours),
    })
}

fn test_on(held_on: Date, hours: i64) -> Option<TestEvidence> {
    Some(TestEvidence {
        test_id: Uuid::from_u128(800),
        number: 4,
        held_on,
        achieved: Some(Duration::hours(hours)),
        data_lost: Some(minutes(15)),
        passed: true,
    })
}

fn minutes(count: i64) -> Duration {
    Duration::from_minutes(count).unwrap()
}

fn kinds(list: &[(u128, NodeKind)]) -> Vec<(Uuid, NodeKind)> {
    list.iter().map(|&(n, kind)| (id(n), kind)).collect()
}

fn edges(list: &[(u128, u128)]) -> Vec<(Uuid, Uuid)> {
    list.iter().map(|&(a, b)| (id(a), id(b))).collect()
}

/// A chain of three with one redundant branch: Payments (0, RTO 8h, tested 2h last month)
/// needs the payments database (1, a component) which needs the primary site (2) and,
/// redundantly, the standby site (3); the database also needs the hosting contract (4: 3h
/// guaranteed, 24×7). Achievable: 2h + 3h = 5h, proven; the standby adds nothing.
#[test]
fn a_chain_with_a_redundant_branch_is_proven_and_says_what_sets_it() {
    let graph = DependencyGraph::with_redundancy(
        kinds(&[
            (0, NodeKind::Service),
            (1, NodeKind::Component),
            (2, NodeKind::Site),
            (3, NodeKind::Site),
            (4, NodeKind::Contract),
        ]),
        edges(&[(0, 1), (1, 2), (1, 3), (1, 4)]),
        &edges(&[(1, 3)]),
    );
    let mut payments = service(0, "Payments", 8, 1);
    payments.test = test_on(date!(2026 - 11 - 10), 2);
    payments.loss_test = payments.test.clone();
    let inputs = Inputs {
        graph: &graph,
        services: vec![payments],
        contracts: vec![ContractFacts {
            id: id(4),
            name: "HOST-1".into(),
            worst_recovery: Some(Duration::hours(3)),
            support_wait: Duration::ZERO,
            guaranteed_rpo: Some(minutes(5)),
        }],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let payments = posture.service(id(0)).unwrap();
    assert_eq!(payments.rto.achievable, Some(Duration::hours(5)));
    assert_eq!(payments.rto.chain, vec![id(0), id(1), id(4)]);
    assert_eq!(payments.rto.colour, Colour::Green);
    assert!(matches!(
        payments.rto.own,
        Evidence::Test { current: true, .. }
    ));
    // The RPO is the worse of the test's 15 minutes and the contract's 5.
    assert_eq!(payments.rpo.achievable, Some(minutes(15)));
    assert_eq!(payments.rpo.colour, Colour::Green);
    // The site and the contract must be back within the service's 8h, set by Payments.
    assert_eq!(posture.required_rto[&id(2)].minutes, Duration::hours(8));
    assert_eq!(posture.required_rto[&id(4)].set_by, id(0));
    // The database and the primary site are single points; the standby is not.
    let points: Vec<Uuid> = posture.single_points.iter().map(|point| point.id).collect();
    assert!(points.contains(&id(1)) && points.contains(&id(2)));
    assert!(!points.contains(&id(3)));
}

#[test]
fn a_stale_test_falls_back_to_the_plan_and_the_service_is_amber() {
    let graph = DependencyGraph::new(kinds(&[(0, NodeKind::Service)]), vec![]);
    let mut erp = service(0, "ERP finance", 8, 1);
    erp.test = test_on(date!(2025 - 01 - 15), 3);
    erp.plan = plan(6);
    let inputs = Inputs {
        graph: &graph,
        services: vec![erp.clone()],
        contracts: vec![],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let erp_posture = posture.service(id(0)).unwrap();
    assert!(matches!(erp_posture.rto.own, Evidence::Plan { .. }));
    assert_eq!(erp_posture.rto.achievable, Some(Duration::hours(6)));
    assert_eq!(erp_posture.rto.colour, Colour::Amber);
    assert_eq!(erp_posture.tested_within_interval, Some(false));
    // With no plan either, the stale test itself is the evidence.
    erp.plan = None;
    let alone = compute(&Inputs {
        graph: &graph,
        services: vec![erp],
        contracts: vec![],
        today: TODAY,
    });
    assert!(matches!(
        alone.service(id(0)).unwrap().rto.own,
        Evidence::Test { current: false, .. }
    ));
    assert_eq!(alone.service(id(0)).unwrap().rto.colour, Colour::Amber);
}

/// Store point of sale (RTO 4h, plan 1h) relies on the payment provider's contract: 2h
/// guaranteed but business hours only, so up to 64h waiting over a weekend: red, and the advice
/// names the support hours.
#[test]
fn a_supplier_behind_business_hours_makes_a_gap_and_the_advice_says_so() {
    let graph = DependencyGraph::new(
        kinds(&[(0, NodeKind::Service), (1, NodeKind::Contract)]),
        edges(&[(0, 1)]),
    );
    let mut pos = service(0, "Store point of sale", 4, 1);
    pos.plan = plan(1);
    let wait = Duration::hours(64);
    let contract = ContractFacts {
        id: id(1),
        name: "PAY-7".into(),
        worst_recovery: Some(Duration::hours(66)),
        support_wait: wait,
        guaranteed_rpo: None,
    };
    let inputs = Inputs {
        graph: &graph,
        services: vec![pos],
        contracts: vec![contract.clone()],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let pos = posture.service(id(0)).unwrap();
    assert_eq!(pos.rto.achievable, Some(Duration::hours(67)));
    assert_eq!(pos.rto.colour, Colour::Red);
    assert_eq!(pos.rto.chain, vec![id(0), id(1)]);
    let names = HashMap::from([
        (id(0), "Store point of sale".to_owned()),
        (id(1), "PAY-7".to_owned()),
    ]);
    let advice = recommend(&posture, &inputs.services, &inputs.contracts, &names);
    let hours = advice
        .iter()
        .find(|item| item.topic == Topic::SupportHours)
        .expect("support hours named");
    assert_eq!(hours.node, Some(id(1)), "it points at the contract");
    assert!(hours.text.contains("64h waiting"), "{}", hours.text);
    assert!(hours.text.contains("negotiate 24×7"), "{}", hours.text);
    assert!(advice.iter().any(|item| item.topic == Topic::NeverTested));
    assert!(advice.iter().any(|item| item.topic == Topic::NoStrategy));
}

#[test]
fn a_requirement_flows_down_from_a_stricter_consumer_and_nothing_known_is_red() {
    // Web shop (RTO 1h) needs Identity (RTO 24h, no evidence at all).
    let graph = DependencyGraph::new(
        kinds(&[(0, NodeKind::Service), (1, NodeKind::Service)]),
        edges(&[(0, 1)]),
    );
    let mut shop = service(0, "Web shop", 1, 1);
    shop.plan = plan(1);
    let identity = service(1, "Identity", 24, 2);
    let inputs = Inputs {
        graph: &graph,
        services: vec![shop, identity],
        contracts: vec![],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let identity = posture.service(id(1)).unwrap();
    assert_eq!(identity.rto.required, Some(Duration::hours(1)));
    assert_eq!(identity.rto.required_by, Some(id(0)));
    assert_eq!(identity.rto.colour, Colour::Red);
    let shop = posture.service(id(0)).unwrap();
    assert_eq!(shop.rto.achievable, None);
    assert_eq!(
        shop.rto.chain.last(),
        Some(&id(1)),
        "the chain ends at what has no figure"
    );
    let names = HashMap::from([
        (id(0), "Web shop".to_owned()),
        (id(1), "Identity".to_owned()),
    ]);
    let advice = recommend(&posture, &inputs.services, &inputs.contracts, &names);
    assert!(
        advice
            .iter()
            .any(|item| item.text.contains("depends on Identity"))
    );
}

#[test]
fn a_cold_standby_behind_a_four_hour_rto_is_inconsistent() {
    let graph = DependencyGraph::new(kinds(&[(0, NodeKind::Service)]), vec![]);
    let mut erp = service(0, "ERP finance", 4, 1);
    erp.strategy = Some(StrategyFacts {
        option: RecoveryOption::Gradual,
        status: StrategyStatus::Implemented,
        estimate: Some(Duration::hours(96)),
        achievable_rpo: Some(Duration::hours(24)),
    });
    let inputs = Inputs {
        graph: &graph,
        services: vec![erp],
        contracts: vec![],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let erp = posture.service(id(0)).unwrap();
    assert_eq!(erp.option_mismatch, Some(RecoveryOption::Gradual));
    assert_eq!(erp.colour(), Colour::Red);
    let names = HashMap::from([(id(0), "ERP finance".to_owned())]);
    let advice = recommend(&posture, &inputs.services, &inputs.contracts, &names);
    let texts: Vec<&str> = advice.iter().map(|item| item.text.as_str()).collect();
    assert!(
        texts.contains(&"ERP finance must be back within 4h but its strategy is cold standby: choose hot standby or better."),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|text| text.contains("could lose")),
        "{texts:?}"
    );
}

/// Loss of the primary site (2): the database (1) falls and with it Payments (0, plan 2h, RTO
/// 1h → breaches, MTPD 2h → in time at exactly 2h) and Reporting (3, plan 30h, RTO 24h, MTPD
/// 48h → breaches its RTO only). Payments comes first: it is the more urgent.
#[test]
fn losing_a_site_brings_down_what_needs_it_in_an_order_with_breaches() {
    let graph = DependencyGraph::new(
        kinds(&[
            (0, NodeKind::Service),
            (1, NodeKind::Component),
            (2, NodeKind::Site),
            (3, NodeKind::Service),
            (4, NodeKind::Service),
        ]),
        edges(&[(0, 1), (1, 2), (3, 1)]),
    );
    let mut payments = service(0, "Payments", 1, 1);
    payments.plan = plan(2);
    let mut reporting = service(3, "Reporting", 24, 2);
    reporting.plan = plan(30);
    let standalone = service(4, "Intranet", 72, 3);
    let inputs = Inputs {
        graph: &graph,
        services: vec![payments, reporting, standalone],
        contracts: vec![],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let outcome = run(&inputs, &posture, &[id(2)]);
    let order: Vec<Uuid> = outcome.services.iter().map(|service| service.id).collect();
    assert_eq!(order, vec![id(0), id(3)]);
    assert_eq!(outcome.fallen_count, 4);
    assert_eq!(outcome.services[0].breach, Breach::Rto);
    assert_eq!(outcome.services[0].cause, Some(id(1)));
    assert_eq!(outcome.services[1].back, Some(Duration::hours(30)));
    assert_eq!(outcome.services[1].breach, Breach::Rto);
    assert_eq!(outcome.all_back(), Some(Duration::hours(30)));
    assert_eq!(outcome.breaches().count(), 2);
}

fn alone(facts: ServiceFacts) -> ServicePosture {
    let graph = DependencyGraph::new(kinds(&[(0, NodeKind::Service)]), vec![]);
    compute(&Inputs {
        graph: &graph,
        services: vec![facts],
        contracts: vec![],
        today: TODAY,
    })
    .service(id(0))
    .cloned()
    .expect("the service")
}

#[test]
fn a_proposed_strategy_shows_nothing_until_it_is_agreed() {
    let mut billing = service(0, "Billing", 4, 1);
    billing.strategy = Some(StrategyFacts {
        option: RecoveryOption::Fast,
        status: StrategyStatus::Proposed,
        estimate: Some(Duration::hours(2)),
        achievable_rpo: Some(minutes(15)),
    });
    let proposed = alone(billing.clone());
    assert_eq!(proposed.rto.own, Evidence::Nothing);
    assert_eq!(proposed.rto.colour, Colour::Red);
    billing.strategy.as_mut().unwrap().status = StrategyStatus::Implemented;
    assert_eq!(alone(billing).rto.colour, Colour::Amber);
}

#[test]
fn a_failed_test_counts_what_happened_but_never_proves_the_requirement() {
    let mut ledger = service(0, "Ledger", 4, 1);
    ledger.test = test_on(date!(2026 - 11 - 20), 3);
    ledger.test.as_mut().unwrap().passed = false;
    ledger.plan = plan(1);
    let failed = alone(ledger.clone());
    assert!(matches!(
        failed.rto.own,
        Evidence::Test { passed: false, .. }
    ));
    assert_eq!(failed.rto.colour, Colour::Amber);
    assert!(
        failed
            .rto
            .own
            .source()
            .contains("did not meet its objective")
    );
    ledger.test.as_mut().unwrap().passed = true;
    assert_eq!(alone(ledger).rto.colour, Colour::Green);
}

#[test]
fn a_contract_that_guarantees_nothing_leaves_its_service_unproven_red() {
    let graph = DependencyGraph::new(
        kinds(&[(0, NodeKind::Service), (1, NodeKind::Contract)]),
        edges(&[(0, 1)]),
    );
    let mut portal = service(0, "Portal", 4, 1);
    portal.plan = plan(1);
    let silent = ContractFacts {
        id: id(1),
        name: "HOST-1".into(),
        worst_recovery: None,
        support_wait: Duration::ZERO,
        guaranteed_rpo: None,
    };
    let posture = compute(&Inputs {
        graph: &graph,
        services: vec![portal],
        contracts: vec![silent],
        today: TODAY,
    });
    let portal = posture.service(id(0)).unwrap();
    assert_eq!(portal.rto.achievable, None);
    assert_eq!(portal.rto.colour, Colour::Red);
    assert_eq!(portal.rto.chain, vec![id(0), id(1)]);
}

#[test]
fn a_hot_standby_cannot_stand_behind_a_recovery_time_under_an_hour() {
    assert!(!RecoveryOption::Fast.fits(minutes(30)));
    assert!(RecoveryOption::Fast.fits(Duration::hours(1)));
    assert!(RecoveryOption::Immediate.fits(minutes(30)));
}

#[test]
fn support_hours_are_blamed_only_when_round_the_clock_support_would_close_the_gap() {
    let graph = DependencyGraph::new(
        kinds(&[(0, NodeKind::Service), (1, NodeKind::Contract)]),
        edges(&[(0, 1)]),
    );
    let mut pos = service(0, "Store point of sale", 4, 1);
    pos.plan = plan(1);
    // 8h guaranteed: over the 4h RTO even with 24×7 support.
    let contract = ContractFacts {
        id: id(1),
        name: "PAY-7".into(),
        worst_recovery: Some(Duration::hours(72)),
        support_wait: Duration::hours(64),
        guaranteed_rpo: Some(minutes(15)),
    };
    let inputs = Inputs {
        graph: &graph,
        services: vec![pos],
        contracts: vec![contract],
        today: TODAY,
    };
    let posture = compute(&inputs);
    let names = HashMap::from([
        (id(0), "Store point of sale".to_owned()),
        (id(1), "PAY-7".to_owned()),
    ]);
    let advice = recommend(&posture, &inputs.services, &inputs.contracts, &names);
    assert!(!advice.iter().any(|item| item.topic == Topic::SupportHours));
}
