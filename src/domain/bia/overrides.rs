//! The checks on a manager's approval that overrides the derived RTO: the rules of the vocabulary
//! table (RTO ≤ MTPD, refused otherwise; RTO + WRT ≤ MTPD, warned otherwise) and a justification,
//! so that every objective that differs from the owner's answers says why.

use super::method::duration_label;
use crate::domain::duration::Duration;

/// Checks an overridden RTO against the MTPD (`None` = beyond the method's horizon, so no limit)
/// and the work recovery time. `Ok` carries warnings to show before the approval is confirmed;
/// `Err` every reason it is refused.
pub fn check_override(
    mtpd: Option<Duration>,
    rto: Duration,
    wrt: Option<Duration>,
    justification: &str,
) -> Result<Vec<String>, Vec<String>> {
    let mut errors = Vec::new();
    if let Some(mtpd) = mtpd.filter(|&mtpd| rto > mtpd) {
        errors.push(format!(
            "The RTO ({}) cannot be longer than the MTPD ({}).",
            duration_label(rto),
            duration_label(mtpd)
        ));
    }
    if justification.trim().is_empty() {
        errors.push(
            "Give a justification for the override: why these objectives differ from the ones derived from the answers."
                .to_owned(),
        );
    }
    if errors.is_empty() {
        Ok(recovery_budget_warning(mtpd, rto, wrt)
            .into_iter()
            .collect())
    } else {
        Err(errors)
    }
}

/// The warning when restoring the service (RTO) and then making the business usable again (WRT)
/// takes longer than the MTPD. Also worth showing on an approval as derived, which has no override.
pub fn recovery_budget_warning(
    mtpd: Option<Duration>,
    rto: Duration,
    wrt: Option<Duration>,
) -> Option<String> {
    let mtpd = mtpd?;
    let wrt = wrt?;
    let total = rto.minutes() + wrt.minutes();
    (total > mtpd.minutes()).then(|| {
        let total = Duration::from_minutes(total)
            .map_or_else(|| "more than ten years".to_owned(), duration_label);
        format!(
            "The RTO ({}) plus the work recovery time ({}) is {total}, longer than the MTPD ({}): the business may not be able to work again in time.",
            duration_label(rto),
            duration_label(wrt),
            duration_label(mtpd)
        )
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const WHY: &str = "A manual workaround covers the first two days.";

    #[test]
    fn an_rto_longer_than_the_mtpd_is_refused() {
        assert_eq!(
            check_override(Some(Duration::hours(8)), Duration::hours(24), None, WHY),
            Err(vec![
                "The RTO (24h) cannot be longer than the MTPD (8h).".to_owned()
            ])
        );
    }

    #[test]
    fn an_rto_equal_to_the_mtpd_is_allowed() {
        assert_eq!(
            check_override(Some(Duration::hours(8)), Duration::hours(8), None, WHY),
            Ok(vec![])
        );
    }

    #[test]
    fn an_override_without_justification_is_refused() {
        let refused = check_override(Some(Duration::hours(24)), Duration::hours(4), None, "  ");
        assert_eq!(
            refused,
            Err(vec![
                "Give a justification for the override: why these objectives differ from the ones derived from the answers."
                    .to_owned()
            ])
        );
    }

    #[test]
    fn both_problems_are_reported_together() {
        let refused = check_override(Some(Duration::hours(4)), Duration::hours(8), None, "");
        assert_eq!(refused.map_err(|errors| errors.len()), Err(2));
    }

    #[test]
    fn rto_plus_wrt_beyond_the_mtpd_warns() {
        assert_eq!(
            check_override(
                Some(Duration::hours(24)),
                Duration::hours(8),
                Some(Duration::hours(20)),
                WHY
            ),
            Ok(vec![
                "The RTO (8h) plus the work recovery time (20h) is 28h, longer than the MTPD (24h): the business may not be able to work again in time."
                    .to_owned()
            ])
        );
    }

    #[test]
    fn rto_plus_wrt_exactly_at_the_mtpd_does_not_warn() {
        assert_eq!(
            check_override(
                Some(Duration::hours(24)),
                Duration::hours(8),
                Some(Duration::hours(16)),
                WHY
            ),
            Ok(vec![])
        );
    }

    #[test]
    fn without_an_mtpd_any_rto_is_allowed() {
        assert_eq!(
            check_override(None, Duration::days(60), Some(Duration::days(7)), WHY),
            Ok(vec![])
        );
    }

    proptest! {
        #[test]
        fn an_override_is_refused_exactly_when_the_rto_exceeds_the_mtpd(
            mtpd in 0i64..100_000,
            rto in 0i64..100_000,
            wrt in proptest::option::of(0i64..100_000),
        ) {
            let minutes = |m: i64| Duration::from_minutes(m).unwrap();
            let checked = check_override(Some(minutes(mtpd)), minutes(rto), wrt.map(minutes), WHY);
            prop_assert_eq!(checked.is_err(), rto > mtpd);
            if let Ok(warnings) = checked {
                prop_assert_eq!(warnings.len(), usize::from(wrt.is_some_and(|wrt| rto + wrt > mtpd)));
            }
        }
    }
}
