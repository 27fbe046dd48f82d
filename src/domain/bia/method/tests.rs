//! Tests of the parent module.

use proptest::prelude::*;

use super::*;

fn minutes(m: i64) -> Duration {
    Duration::from_minutes(m).unwrap()
}

fn problems(method: &Method) -> Vec<String> {
    method.validate().err().unwrap_or_default()
}

#[test]
fn the_default_method_is_valid() {
    assert_eq!(Method::default_method().validate(), Ok(()));
}

#[test]
fn the_default_method_has_the_usual_shape() {
    let method = Method::default_method();
    let keys: Vec<_> = method.categories.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "financial",
            "operational",
            "reputational",
            "legal",
            "customer",
            "health_safety"
        ]
    );
    let labels: Vec<_> = method
        .time_buckets
        .iter()
        .map(|&b| duration_label(b))
        .collect();
    assert_eq!(labels, ["1h", "4h", "8h", "24h", "72h", "1w", "2w", "30d"]);
    let data_loss: Vec<_> = method
        .data_loss_buckets
        .iter()
        .map(|&b| duration_label(b))
        .collect();
    assert_eq!(data_loss, ["0m", "15m", "1h", "4h", "24h", "1w"]);
    assert_eq!(method.level_label(4), "4 (Major)");
    assert_eq!(method.unacceptable_level, 4);
    assert_eq!(method.horizon(), Duration::days(30));
}

#[test]
fn a_method_survives_a_json_round_trip() {
    let method = Method::default_method();
    let json = serde_json::to_string(&method).unwrap();
    assert_eq!(serde_json::from_str::<Method>(&json).unwrap(), method);
}

#[test]
fn buckets_out_of_order_are_refused() {
    let mut method = Method::default_method();
    method.time_buckets.swap(2, 3);
    assert_eq!(
        problems(&method),
        ["Put the time buckets in ascending order without repeats: 8h comes after 24h."]
    );
}

#[test]
fn repeated_and_zero_time_buckets_are_refused() {
    let mut method = Method::default_method();
    method.time_buckets = vec![Duration::ZERO, Duration::hours(4), Duration::hours(4)];
    assert_eq!(
        problems(&method),
        [
            "A time bucket must be longer than 0m.",
            "Put the time buckets in ascending order without repeats: 4h comes after 4h."
        ]
    );
}

#[test]
fn an_unacceptable_level_outside_the_levels_is_refused() {
    let mut method = Method::default_method();
    method.unacceptable_level = 6;
    assert_eq!(
        problems(&method),
        ["The unacceptable level must be one of the levels from 2 to 5; it is 6."]
    );
    method.unacceptable_level = 1;
    assert_eq!(problems(&method).len(), 1);
}

#[test]
fn a_method_without_categories_is_refused() {
    let mut method = Method::default_method();
    method.categories.clear();
    assert_eq!(problems(&method), ["Add at least one impact category."]);
}

#[test]
fn categories_need_distinct_keys_and_a_criterion_per_level() {
    let mut method = Method::default_method();
    method.categories[1].key = "financial".to_owned();
    method.categories[2].criteria.pop();
    method.categories[3].key = "Legal!".to_owned();
    assert_eq!(
        problems(&method),
        [
            "Two categories use the key “financial”; each needs its own.",
            "“Reputational” needs one criterion per level (5); it has 4.",
            "“Legal and regulatory” needs a key of lower-case letters, digits and underscores, such as “financial”."
        ]
    );
}

#[test]
fn tiers_must_be_ordered_and_end_open() {
    let mut method = Method::default_method();
    method.tiers[1].rto_max = Some(Duration::hours(2));
    method.tiers[3].rto_max = Some(Duration::days(30));
    assert_eq!(
        problems(&method),
        [
            "The last tier must have no maximum RTO, so that every service falls in a tier.",
            "Each tier's maximum RTO must be longer than the one before: tier 2 allows 2h, after 4h.",
        ]
    );
}

#[test]
fn only_the_last_tier_may_be_open_ended() {
    let mut method = Method::default_method();
    method.tiers[2].rto_max = None;
    assert_eq!(
        problems(&method),
        ["Only the last tier can have no maximum RTO; give tier 3 one."]
    );
}

#[test]
fn a_tier_is_chosen_by_the_smallest_maximum_at_or_above_the_rto() {
    let method = Method::default_method();
    let rank = |rto: Duration| method.tier_for(rto).rank;
    assert_eq!(rank(Duration::ZERO), 1);
    assert_eq!(
        rank(Duration::hours(4)),
        1,
        "exactly at the maximum stays in"
    );
    assert_eq!(rank(minutes(4 * 60 + 1)), 2);
    assert_eq!(rank(Duration::hours(24)), 2);
    assert_eq!(rank(minutes(24 * 60 + 1)), 3);
    assert_eq!(rank(Duration::days(7)), 3);
    assert_eq!(rank(minutes(7 * 24 * 60 + 1)), 4);
    assert_eq!(rank(Duration::days(30)), 4);
}

#[test]
fn a_method_without_tiers_still_answers() {
    let mut method = Method::default_method();
    method.tiers.clear();
    assert_eq!(method.tier_for(Duration::hours(1)).rank, 0);
}

#[test]
fn labels_read_as_a_bia_grid_does() {
    let label = |m: i64| duration_label(minutes(m));
    assert_eq!(label(0), "0m");
    assert_eq!(label(15), "15m");
    assert_eq!(label(90), "1h 30m");
    assert_eq!(label(24 * 60), "24h");
    assert_eq!(label(28 * 60), "28h");
    assert_eq!(label(72 * 60), "72h");
    assert_eq!(label(96 * 60), "4d");
    assert_eq!(label(7 * 24 * 60), "1w");
    assert_eq!(label(30 * 24 * 60), "30d");
    assert_eq!(label(30 * 24 * 60 + 1), "4w 2d 1m");
}

proptest! {
    #[test]
    fn every_label_parses_back(m in 0i64..=(10 * 365 * 24 * 60)) {
        let duration = minutes(m);
        prop_assert_eq!(Duration::parse(&duration_label(duration)), Ok(duration));
    }

    #[test]
    fn a_longer_rto_never_gets_a_more_critical_tier(a in 0i64..100_000, b in 0i64..100_000) {
        let method = Method::default_method();
        let (short, long) = (a.min(b), a.max(b));
        let short = method.tier_for(minutes(short));
        let long = method.tier_for(minutes(long));
        prop_assert!(short.rank <= long.rank);
    }

    #[test]
    fn tier_for_is_monotone_for_any_valid_tiers(
        maxima in proptest::collection::btree_set(1i64..50_000, 0..6),
        a in 0i64..60_000,
        b in 0i64..60_000,
    ) {
        let mut method = Method::default_method();
        method.tiers = maxima
            .iter()
            .map(|&m| Some(minutes(m)))
            .chain([None])
            .enumerate()
            .map(|(i, rto_max)| Tier {
                rank: u8::try_from(i + 1).unwrap(),
                name: format!("Tier {}", i + 1),
                rto_max,
                test_interval_months: 12,
            })
            .collect();
        prop_assert_eq!(method.validate(), Ok(()));
        let (short, long) = (a.min(b), a.max(b));
        prop_assert!(
            method.tier_for(minutes(short)).rank <= method.tier_for(minutes(long)).rank
        );
    }

    #[test]
    fn the_chosen_tier_allows_the_rto(m in 0i64..100_000) {
        let method = Method::default_method();
        let rto = minutes(m);
        let tier = method.tier_for(rto);
        prop_assert!(tier.rto_max.is_none_or(|max| rto <= max));
        // … and no more critical tier would.
        for better in method.tiers.iter().filter(|t| t.rank < tier.rank) {
            prop_assert!(better.rto_max.is_some_and(|max| max < rto));
        }
    }
}

#[test]
fn durations_compared_in_one_sentence_share_one_unit() {
    let hours = Duration::hours;
    assert_eq!(
        duration_labels_alike([hours(72), hours(73)]),
        ["72h".to_owned(), "73h".to_owned()]
    );
    assert_eq!(
        duration_labels_alike([hours(4), hours(24), hours(64), hours(88)]),
        ["4h", "24h", "64h", "88h"].map(str::to_owned)
    );
    assert_eq!(
        duration_labels_alike([Duration::days(14), Duration::days(30)]),
        ["14d".to_owned(), "30d".to_owned()]
    );
    assert_eq!(
        duration_labels_alike([Duration::from_minutes(90).unwrap(), hours(2)]),
        ["1h 30m".to_owned(), "2h".to_owned()]
    );
    // Half-hour support windows: still hours, never days beside hours.
    assert_eq!(
        duration_labels_alike([
            hours(72),
            Duration::from_minutes(62 * 60 + 30).unwrap(),
            Duration::from_minutes(15).unwrap()
        ]),
        ["72h".to_owned(), "62h 30m".to_owned(), "15m".to_owned()]
    );
}
