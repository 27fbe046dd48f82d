use proptest::prelude::*;

use super::*;

fn method() -> Method {
    Method::default_method()
}

/// A grid with the given rows (by key); other categories unanswered.
fn grid(rows: &[(&str, [u8; 8])]) -> ImpactGrid {
    ImpactGrid {
        levels: rows
            .iter()
            .map(|(key, levels)| ((*key).to_owned(), levels.iter().map(|&l| Some(l)).collect()))
            .collect(),
    }
}

/// Every category answered with the same low levels, except those given.
fn full_grid(rows: &[(&str, [u8; 8])]) -> ImpactGrid {
    let mut all = grid(rows);
    for category in method().categories {
        all.levels
            .entry(category.key)
            .or_insert_with(|| vec![Some(1); 8]);
    }
    all
}

fn answered(levels: &[u8]) -> Vec<Option<u8>> {
    levels.iter().map(|&l| Some(l)).collect()
}

/// Data loss becomes unacceptable at 4h: RPO 1h.
fn data_loss() -> Vec<Option<u8>> {
    answered(&[1, 1, 2, 4, 5, 5])
}

#[test]
fn the_first_bucket_where_any_category_is_unacceptable_is_the_mtpd() {
    let answers = full_grid(&[
        ("financial", [1, 2, 3, 4, 5, 5, 5, 5]),
        ("customer", [1, 1, 2, 3, 4, 5, 5, 5]),
    ]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(derived.mtpd, Some(Duration::hours(24)));
    assert_eq!(derived.rto, Duration::hours(8));
    assert_eq!(derived.tier.name, "Business critical");
    assert_eq!(
        derived.reason,
        "Financial reaches level 4 (Major) at 24h, so the MTPD is 24h and the RTO the bucket before it, 8h."
    );
    assert!(derived.warnings.is_empty());
}

#[test]
fn every_category_reaching_the_mtpd_bucket_is_named_highest_first() {
    let answers = full_grid(&[
        ("financial", [1, 2, 3, 4, 4, 4, 4, 4]),
        ("customer", [1, 1, 2, 5, 5, 5, 5, 5]),
        ("legal", [1, 1, 1, 4, 4, 4, 4, 4]),
    ]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(
        derived.reason,
        "Customer reaches level 5 (Severe) and Financial and Legal and regulatory level 4 (Major) at 24h, so the MTPD is 24h and the RTO the bucket before it, 8h."
    );
}

#[test]
fn a_lower_later_answer_is_carried_forward_with_a_warning() {
    let answers = full_grid(&[("operational", [1, 3, 2, 2, 3, 1, 4, 4])]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(
        derived.effective.levels["operational"],
        answered(&[1, 3, 3, 3, 3, 3, 4, 4])
    );
    let carried = |bucket_index, answered| CarryForward {
        row: Row::Category("operational".to_owned()),
        bucket_index,
        answered,
        carried: 3,
    };
    assert_eq!(
        derived.warnings,
        [carried(2, 2), carried(3, 2), carried(5, 1)]
    );
    assert_eq!(
        derived.warnings[0].message(&method()),
        "Operational at 8h is rated 2 (Minor), lower than earlier; it counts as 3 (Moderate): impact does not fall as a disruption goes on."
    );
    assert_eq!(derived.mtpd, Some(Duration::days(14)));
}

#[test]
fn carrying_forward_moves_the_mtpd_earlier() {
    // Answered 4 at 8h, then (inconsistently) 3: the carried 4 still counts from 8h.
    let answers = full_grid(&[("financial", [1, 2, 4, 3, 3, 3, 3, 3])]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(derived.mtpd, Some(Duration::hours(8)));
    assert_eq!(derived.rto, Duration::hours(4));
    assert_eq!(derived.tier.rank, 1);
    assert_eq!(derived.warnings.len(), 5);
}

#[test]
fn nothing_unacceptable_gives_the_method_maximum() {
    let answers = full_grid(&[("financial", [1, 1, 2, 2, 3, 3, 3, 3])]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(derived.mtpd, None);
    assert_eq!(derived.rto, Duration::days(30));
    assert_eq!(derived.tier.name, "Non-essential");
    assert_eq!(
        derived.reason,
        "No category reaches level 4 (Major) within 30d, so the MTPD lies beyond the method's horizon and the RTO is the longest time bucket, 30d."
    );
}

#[test]
fn an_empty_questionnaire_derives_the_method_maximum_and_says_why() {
    let derived = derive(&method(), &ImpactGrid::default(), &[]);
    assert_eq!(derived.mtpd, None);
    assert_eq!(derived.rto, Duration::days(30));
    assert_eq!(derived.rpo, Duration::days(7));
    assert_eq!(
        derived.reason,
        "No impact levels are given yet, so until they are the RTO is the longest time bucket, 30d."
    );
    assert_eq!(
        derived.rpo_reason,
        "No data-loss levels are given yet, so until they are the RPO is the largest data-loss bucket, 1w."
    );
    assert_eq!(derived.effective.levels.len(), 6);
    assert!(derived.effective.levels.values().all(|row| row.len() == 8));
    assert_eq!(derived.effective_data_loss, vec![None; 6]);
}

#[test]
fn each_bucket_as_the_first_unacceptable_one_makes_it_the_mtpd_and_the_one_before_the_rto() {
    let method = method();
    for (i, &bucket) in method.time_buckets.iter().enumerate() {
        let mut levels = [3; 8];
        levels[i..].fill(4);
        let derived = derive(&method, &full_grid(&[("financial", levels)]), &data_loss());
        assert_eq!(derived.mtpd, Some(bucket), "unacceptable from bucket {i}");
        let expected_rto = if i == 0 {
            Duration::ZERO
        } else {
            method.time_buckets[i - 1]
        };
        assert_eq!(derived.rto, expected_rto, "unacceptable from bucket {i}");
        assert_eq!(derived.tier, *method.tier_for(expected_rto));
    }
}

#[test]
fn the_first_bucket_unacceptable_means_an_immediate_rto() {
    let answers = full_grid(&[("health_safety", [5, 5, 5, 5, 5, 5, 5, 5])]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(derived.mtpd, Some(Duration::hours(1)));
    assert_eq!(derived.rto, Duration::ZERO);
    assert_eq!(derived.tier.name, "Mission critical");
    assert_eq!(
        derived.reason,
        "Health and safety reaches level 5 (Severe) already at 1h, the first time bucket, so the MTPD is 1h and the RTO is 0m: recovery must be immediate, so the service has to keep running through a disruption."
    );
}

#[test]
fn the_rpo_is_the_largest_data_loss_bucket_below_the_first_unacceptable_one() {
    let derived = derive(&method(), &full_grid(&[]), &data_loss());
    assert_eq!(derived.rpo, Duration::hours(1));
    assert_eq!(
        derived.rpo_reason,
        "Losing 4h of data reaches level 4 (Major), so the RPO is the amount before it, 1h."
    );
}

#[test]
fn each_data_loss_bucket_as_the_first_unacceptable_one() {
    let method = method();
    for (j, _) in method.data_loss_buckets.iter().enumerate() {
        let mut levels = vec![Some(2); 6];
        levels[j..].fill(Some(4));
        let derived = derive(&method, &full_grid(&[]), &levels);
        let expected = j
            .checked_sub(1)
            .map_or(Duration::ZERO, |before| method.data_loss_buckets[before]);
        assert_eq!(
            derived.rpo, expected,
            "unacceptable from data-loss bucket {j}"
        );
    }
}

#[test]
fn no_unacceptable_data_loss_gives_the_largest_data_loss_bucket() {
    let derived = derive(&method(), &full_grid(&[]), &answered(&[1, 1, 2, 2, 3, 3]));
    assert_eq!(derived.rpo, Duration::days(7));
    assert_eq!(
        derived.rpo_reason,
        "No data loss up to 1w reaches level 4 (Major), so the RPO is the largest data-loss bucket, 1w."
    );
}

#[test]
fn unacceptable_loss_of_even_the_smallest_amount_means_no_data_may_be_lost() {
    let derived = derive(&method(), &full_grid(&[]), &answered(&[4, 5, 5, 5, 5, 5]));
    assert_eq!(derived.rpo, Duration::ZERO);
    assert_eq!(
        derived.rpo_reason,
        "Losing 0m of data already reaches level 4 (Major), so the RPO is 0m: no data may be lost."
    );
}

#[test]
fn data_loss_ratings_are_carried_forward_too() {
    let derived = derive(&method(), &full_grid(&[]), &answered(&[1, 4, 2, 5, 5, 5]));
    assert_eq!(derived.rpo, Duration::ZERO);
    assert_eq!(derived.effective_data_loss, answered(&[1, 4, 4, 5, 5, 5]));
    assert_eq!(
        derived.warnings,
        [CarryForward {
            row: Row::DataLoss,
            bucket_index: 2,
            answered: 2,
            carried: 4
        }]
    );
    assert_eq!(
        derived.warnings[0].message(&method()),
        "Data loss at 1h is rated 2 (Minor), lower than earlier; it counts as 4 (Major): impact does not fall as a disruption goes on."
    );
}

#[test]
fn levels_outside_the_method_and_unknown_categories_are_ignored() {
    let mut answers = full_grid(&[("financial", [1, 9, 0, 2, 2, 2, 2, 2])]);
    answers
        .levels
        .insert("weather".to_owned(), vec![Some(5); 8]);
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(derived.mtpd, None);
    assert_eq!(
        derived.effective.levels["financial"],
        [
            Some(1),
            None,
            None,
            Some(2),
            Some(2),
            Some(2),
            Some(2),
            Some(2)
        ]
    );
    assert!(!derived.effective.levels.contains_key("weather"));
}

#[test]
fn gaps_stay_gaps_and_do_not_hide_an_unacceptable_level() {
    let mut answers = full_grid(&[]);
    answers.levels.insert(
        "customer".to_owned(),
        vec![Some(2), None, None, Some(4), None, Some(3)],
    );
    let derived = derive(&method(), &answers, &data_loss());
    assert_eq!(
        derived.effective.levels["customer"],
        [Some(2), None, None, Some(4), None, Some(4), None, None]
    );
    assert_eq!(derived.mtpd, Some(Duration::hours(24)));
}

fn justified() -> BTreeMap<String, String> {
    method()
        .categories
        .into_iter()
        .map(|c| (c.key, "Because the ledger closes daily.".to_owned()))
        .collect()
}

#[test]
fn a_complete_questionnaire_misses_nothing() {
    let answers = full_grid(&[]);
    assert_eq!(
        missing_answers(&method(), &answers, &data_loss(), &justified()),
        Vec::<String>::new()
    );
}

#[test]
fn missing_answers_are_named_in_plain_words() {
    let mut answers = full_grid(&[]);
    answers.levels.get_mut("financial").unwrap()[1] = None;
    answers.levels.get_mut("financial").unwrap()[7] = Some(6);
    answers.levels.remove("reputational");
    answers.levels.get_mut("customer").unwrap().truncate(6);
    let mut justifications = justified();
    justifications.remove("operational");
    justifications.insert("legal".to_owned(), "   ".to_owned());
    let mut losses = data_loss();
    losses[2] = None;
    assert_eq!(
        missing_answers(&method(), &answers, &losses, &justifications),
        [
            "Financial: no level for 4h",
            "Financial: 6 at 30d is not a level (choose 1 to 5)",
            "Operational: no justification",
            "Reputational: no level for 1h, 4h, 8h, 24h, 72h, 1w, 2w and 30d",
            "Legal and regulatory: no justification",
            "Customer: no level for 2w and 30d",
            "Data loss: no level for 1h",
        ]
    );
}

// Properties over any answers to the default method.

fn any_level() -> impl Strategy<Value = Option<u8>> {
    prop_oneof![1 => Just(None), 6 => (1u8..=5).prop_map(Some)]
}

fn any_grid() -> impl Strategy<Value = ImpactGrid> {
    let keys: Vec<String> = method().categories.into_iter().map(|c| c.key).collect();
    proptest::collection::vec(proptest::collection::vec(any_level(), 8), keys.len()).prop_map(
        move |rows| ImpactGrid {
            levels: keys.iter().cloned().zip(rows).collect(),
        },
    )
}

fn any_data_loss() -> impl Strategy<Value = Vec<Option<u8>>> {
    proptest::collection::vec(any_level(), 6)
}

proptest! {
    #[test]
    fn the_rto_is_shorter_than_the_mtpd(answers in any_grid(), losses in any_data_loss()) {
        let derived = derive(&method(), &answers, &losses);
        if let Some(mtpd) = derived.mtpd {
            prop_assert!(derived.rto < mtpd);
        } else {
            prop_assert_eq!(derived.rto, method().horizon());
        }
    }

    #[test]
    fn objectives_are_buckets_or_immediate(answers in any_grid(), losses in any_data_loss()) {
        let method = method();
        let derived = derive(&method, &answers, &losses);
        prop_assert!(derived.rto == Duration::ZERO || method.time_buckets.contains(&derived.rto));
        prop_assert!(derived.rpo == Duration::ZERO || method.data_loss_buckets.contains(&derived.rpo));
        prop_assert_eq!(&derived.tier, method.tier_for(derived.rto));
    }

    #[test]
    fn effective_levels_never_fall_and_never_undercut_an_answer(
        answers in any_grid(),
        losses in any_data_loss(),
    ) {
        let derived = derive(&method(), &answers, &losses);
        let rows = derived
            .effective
            .levels
            .iter()
            .map(|(key, row)| (row, &answers.levels[key]))
            .chain([(&derived.effective_data_loss, &losses)]);
        for (effective, given) in rows {
            let levels: Vec<u8> = effective.iter().flatten().copied().collect();
            prop_assert!(levels.windows(2).all(|pair| pair[0] <= pair[1]));
            for (effective, given) in effective.iter().zip(given) {
                prop_assert_eq!(effective.is_some(), given.is_some());
                prop_assert!(effective >= given);
            }
        }
    }

    #[test]
    fn a_warning_marks_exactly_each_raised_answer(answers in any_grid(), losses in any_data_loss()) {
        let derived = derive(&method(), &answers, &losses);
        // In the method's order of categories, then data loss.
        let mut raised = Vec::new();
        for key in method().categories.into_iter().map(|c| c.key) {
            let row = &derived.effective.levels[&key];
            for (i, (effective, given)) in row.iter().zip(&answers.levels[&key]).enumerate() {
                if effective != given {
                    raised.push((Row::Category(key.clone()), i));
                }
            }
        }
        for (i, (effective, given)) in derived.effective_data_loss.iter().zip(&losses).enumerate() {
            if effective != given {
                raised.push((Row::DataLoss, i));
            }
        }
        let warned: Vec<_> = derived
            .warnings
            .iter()
            .map(|w| (w.row.clone(), w.bucket_index))
            .collect();
        prop_assert_eq!(warned, raised);
    }

    #[test]
    fn the_mtpd_exists_exactly_when_some_answer_is_unacceptable(
        answers in any_grid(),
        losses in any_data_loss(),
    ) {
        let derived = derive(&method(), &answers, &losses);
        let any_unacceptable = answers.levels.values().flatten().flatten().any(|&l| l >= 4);
        prop_assert_eq!(derived.mtpd.is_some(), any_unacceptable);
    }

    #[test]
    fn answers_after_the_mtpd_bucket_do_not_change_the_derivation(
        answers in any_grid(),
        later in any_grid(),
        losses in any_data_loss(),
    ) {
        let method = method();
        let derived = derive(&method, &answers, &losses);
        let after = derived
            .mtpd
            .and_then(|mtpd| method.time_buckets.iter().position(|&b| b == mtpd))
            .map_or(8, |i| i + 1);
        let mut changed = answers.clone();
        for (key, row) in &mut changed.levels {
            row[after..].copy_from_slice(&later.levels[key][after..]);
        }
        let again = derive(&method, &changed, &losses);
        prop_assert_eq!(again.mtpd, derived.mtpd);
        prop_assert_eq!(again.rto, derived.rto);
        prop_assert_eq!(&again.tier, &derived.tier);
        if derived.mtpd.is_some() {
            prop_assert_eq!(&again.reason, &derived.reason);
        }
    }

    #[test]
    fn lower_answers_never_make_anything_unacceptable(
        answers in any_grid(),
        losses in any_data_loss(),
    ) {
        // Replacing every answer by one below the unacceptable level leaves nothing to recover in time.
        let method = method();
        let mut calm = answers.clone();
        for level in calm.levels.values_mut().flatten().flatten() {
            *level = (*level).min(3);
        }
        let derived = derive(&method, &calm, &losses);
        prop_assert_eq!(derived.mtpd, None);
        prop_assert_eq!(derived.rto, method.horizon());
    }

    #[test]
    fn raising_an_answer_never_lengthens_the_mtpd_or_rto(
        answers in any_grid(),
        losses in any_data_loss(),
        row in 0usize..6,
        bucket in 0usize..8,
        raise in 1u8..=4,
    ) {
        let method = method();
        let before = derive(&method, &answers, &losses);
        let mut raised = answers.clone();
        let key = &method.categories[row].key;
        let cell = &mut raised.levels.get_mut(key).unwrap()[bucket];
        *cell = Some(cell.map_or(raise, |level| level.saturating_add(raise).min(5)));
        let after = derive(&method, &raised, &losses);
        // `None` (beyond the horizon) is the longest MTPD of all.
        let longest = |mtpd: Option<Duration>| mtpd.unwrap_or(Duration::days(3650));
        prop_assert!(longest(after.mtpd) <= longest(before.mtpd));
        prop_assert!(after.rto <= before.rto);
    }
}
