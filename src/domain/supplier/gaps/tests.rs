//! Tests of the parent module.

use time::macros::date;

use super::*;

fn service(name: &str, rto_hours: i64, rpo_hours: i64, tier: u8) -> Dependent {
    Dependent {
        id: Uuid::from_u128(name.len() as u128),
        name: name.to_owned(),
        rto: Some(Duration::hours(rto_hours)),
        rpo: Some(Duration::hours(rpo_hours)),
        tier_rank: Some(tier),
    }
}

fn terms(recovery_hours: Option<i64>, support: SupportHours) -> Terms {
    Terms {
        guaranteed_recovery: recovery_hours.map(Duration::hours),
        guaranteed_rpo: None,
        support,
        bcp_required: false,
        evidence_received_on: None,
        evidence_expires_on: None,
    }
}

const TODAY: Date = date!(2026 - 11 - 25);

#[test]
fn a_24h_guarantee_in_business_hours_misses_a_4h_rto_by_the_weekend() {
    let found = gaps(
        &terms(Some(24), SupportHours::business_hours()),
        &[service("Payroll", 4, 1, 2)],
        TODAY,
    );
    assert_eq!(found.len(), 1);
    let Gap::RecoveryTooSlow {
        guaranteed,
        wait,
        rto,
        ..
    } = &found[0]
    else {
        panic!("expected a recovery gap, got {found:?}");
    };
    assert_eq!(
        (*guaranteed, *wait, *rto),
        (Duration::hours(24), Duration::hours(64), Duration::hours(4))
    );
    assert_eq!(
        found[0].message(),
        "Payroll must be back within 4h but the supplier guarantees recovery in 24h and may only start after waiting up to 64h for support hours: 88h at worst.",
        "one unit for every figure of the sentence"
    );
}

#[test]
fn around_the_clock_support_within_the_rto_is_no_gap() {
    assert!(
        gaps(
            &terms(Some(4), SupportHours::AroundTheClock),
            &[service("Shop", 4, 1, 1)],
            TODAY
        )
        .is_empty()
    );
}

#[test]
fn the_waiting_for_support_alone_can_make_the_gap() {
    // 2h guaranteed fits an 8h RTO around the clock, not with a 12-hour night.
    let nights = SupportHours::Weekly {
        days: [true; 7],
        from_minute: 8 * 60,
        to_minute: 20 * 60,
    };
    assert!(
        gaps(
            &terms(Some(2), SupportHours::AroundTheClock),
            &[service("Mail", 8, 1, 3)],
            TODAY
        )
        .is_empty()
    );
    let found = gaps(&terms(Some(2), nights), &[service("Mail", 8, 1, 3)], TODAY);
    assert!(matches!(found[0], Gap::RecoveryTooSlow { wait, .. } if wait == Duration::hours(12)));
}

#[test]
fn a_looser_rpo_is_a_gap_an_equal_one_is_not() {
    let mut loose = terms(None, SupportHours::AroundTheClock);
    loose.guaranteed_rpo = Some(Duration::hours(24));
    let found = gaps(&loose, &[service("Ledger", 8, 4, 2)], TODAY);
    assert_eq!(
        found[0].message(),
        "Ledger may lose at most 4h of data but the supplier guarantees an RPO of 24h."
    );
    loose.guaranteed_rpo = Some(Duration::hours(4));
    assert!(gaps(&loose, &[service("Ledger", 8, 4, 2)], TODAY).is_empty());
}

#[test]
fn a_mission_critical_service_on_a_contract_without_continuity_terms_is_a_gap() {
    let bare = terms(None, SupportHours::business_hours());
    let found = gaps(
        &bare,
        &[service("Shop", 4, 1, 1), service("Intranet", 48, 24, 3)],
        TODAY,
    );
    assert_eq!(found.len(), 1, "only the mission-critical one: {found:?}");
    assert!(
        matches!(&found[0], Gap::NoContinuityTerms { service_name, .. } if service_name == "Shop")
    );
    let mut with_plan = bare.clone();
    with_plan.bcp_required = true;
    with_plan.evidence_received_on = Some(date!(2026 - 01 - 10));
    assert!(gaps(&with_plan, &[service("Shop", 4, 1, 1)], TODAY).is_empty());
}

#[test]
fn evidence_that_expired_yesterday_is_a_gap_and_today_is_not() {
    let mut evidence = terms(None, SupportHours::AroundTheClock);
    evidence.bcp_required = true;
    evidence.evidence_received_on = Some(date!(2025 - 11 - 01));
    evidence.evidence_expires_on = Some(date!(2026 - 11 - 24));
    assert_eq!(
        gaps(&evidence, &[], TODAY),
        vec![Gap::EvidenceExpired {
            expired_on: date!(2026 - 11 - 24)
        }]
    );
    evidence.evidence_expires_on = Some(TODAY);
    assert!(gaps(&evidence, &[], TODAY).is_empty());
}

#[test]
fn required_evidence_never_received_is_a_gap() {
    let mut missing = terms(None, SupportHours::AroundTheClock);
    missing.bcp_required = true;
    assert_eq!(gaps(&missing, &[], TODAY), vec![Gap::EvidenceMissing]);
}

#[test]
fn support_that_never_opens_is_named() {
    let never = SupportHours::Weekly {
        days: [false; 7],
        from_minute: 540,
        to_minute: 1020,
    };
    let found = gaps(&terms(Some(4), never), &[service("Tills", 8, 1, 2)], TODAY);
    assert!(matches!(found[0], Gap::NoSupportHours { .. }));
}

#[test]
fn a_service_without_objectives_has_no_recovery_or_rpo_gap() {
    let mut no_bia = service("New", 1, 1, 4);
    no_bia.rto = None;
    no_bia.rpo = None;
    no_bia.tier_rank = None;
    let mut strict = terms(Some(100), SupportHours::business_hours());
    strict.guaranteed_rpo = Some(Duration::hours(100));
    assert!(gaps(&strict, &[no_bia], TODAY).is_empty());
}
