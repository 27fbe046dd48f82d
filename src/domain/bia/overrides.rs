//! The checks on a manager's approval that overrides the derived RTO: the rules of the vocabulary
//! table (RTO ≤ MTPD, refused otherwise; RTO + WRT ≤ MTPD, warned otherwise) and a justification,
//! so that every objective that differs from the owner's answers says why.

use super::method::duration_labels_alike;
use crate::domain::duration::Duration;

/// Why an approval is refused, and which of the approval form's fields (`rto`,
/// `justification`) caused it, so the message can stand next to that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

/// Checks an overridden RTO against the MTPD (`None` = beyond the method's horizon, so no limit)
/// and the work recovery time. `Ok` carries warnings to show before the approval is confirmed;
/// `Err` every reason it is refused.
pub fn check_override(
    mtpd: Option<Duration>,
    rto: Duration,
    wrt: Option<Duration>,
    justification: &str,
) -> Result<Vec<String>, Vec<Refusal>> {
    let mut errors = Vec::new();
    if let Some(mtpd) = mtpd.filter(|&mtpd| rto > mtpd) {
        let [rto, mtpd] = duration_labels_alike([rto, mtpd]);
        errors.push(Refusal {
            field: "rto",
            message: format!("The RTO ({rto}) cannot be longer than the MTPD ({mtpd})."),
        });
    }
    if justification.trim().is_empty() {
        errors.push(Refusal {
            field: "justification",
            message: "Give a justification for the override: why these objectives differ from the ones derived from the answers."
                .to_owned(),
        });
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
        let [rto, wrt, total, mtpd] = match Duration::from_minutes(total) {
            Some(total) => duration_labels_alike([rto, wrt, total, mtpd]),
            None => {
                let [rto, wrt, mtpd] = duration_labels_alike([rto, wrt, mtpd]);
                [rto, wrt, "more than ten years".to_owned(), mtpd]
            }
        };
        format!(
            "The RTO ({rto}) plus the work recovery time ({wrt}) is {total}, longer than the MTPD ({mtpd}): the business may not be able to work again in time."
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
            Err(vec![Refusal {
                field: "rto",
                message: "The RTO (24h) cannot be longer than the MTPD (8h).".to_owned()
            }])
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
            Err(vec![Refusal {
                field: "justification",
                message: "Give a justification for the override: why these objectives differ from the ones derived from the answers."
                    .to_owned()
            }])
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
