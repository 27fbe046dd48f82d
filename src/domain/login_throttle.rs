//! When repeated failed sign-ins slow an account or address down, and when they lock it.

use time::{Duration, OffsetDateTime};

/// Failures are counted within this window; an older first failure starts a new count.
pub const WINDOW: Duration = Duration::minutes(15);
/// How long a lock lasts.
pub const LOCK_DURATION: Duration = Duration::minutes(15);
/// Failures for one account before it is locked.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Failures from one address before it is locked (higher: offices share addresses).
pub const ADDRESS_LIMIT: i32 = 20;
/// Failures after which each attempt is answered more slowly.
const SLOW_AFTER: i32 = 2;

/// The recorded failures for one throttle key.
#[derive(Debug, Clone, Copy)]
pub struct FailureRecord {
    pub failures: i32,
    pub first_failure_at: OffsetDateTime,
    pub locked_until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead, after waiting this long (zero when there were few failures).
    Proceed {
        delay: std::time::Duration,
    },
    Locked {
        until: OffsetDateTime,
    },
}

/// Decides whether a sign-in attempt may be checked at all.
pub fn verdict(record: Option<FailureRecord>, now: OffsetDateTime) -> Verdict {
    let Some(record) = record else {
        return Verdict::Proceed {
            delay: std::time::Duration::ZERO,
        };
    };
    if let Some(until) = record.locked_until.filter(|until| *until > now) {
        return Verdict::Locked { until };
    }
    let recent = record.first_failure_at + WINDOW > now;
    let failures = if recent { record.failures } else { 0 };
    let extra = (failures - SLOW_AFTER).clamp(0, 3) as u64;
    Verdict::Proceed {
        delay: std::time::Duration::from_millis(500 * extra),
    }
}

/// Whether the failure just recorded (making `failures_now`) should lock the key.
pub fn locks_after(failures_now: i32, limit: i32) -> bool {
    failures_now >= limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

    fn record(failures: i32, minutes_ago: i64) -> FailureRecord {
        FailureRecord {
            failures,
            first_failure_at: NOW - Duration::minutes(minutes_ago),
            locked_until: None,
        }
    }

    #[test]
    fn no_history_means_no_delay() {
        assert_eq!(
            verdict(None, NOW),
            Verdict::Proceed {
                delay: std::time::Duration::ZERO
            }
        );
    }

    #[test]
    fn repeated_failures_slow_down_then_cap() {
        let delay = |failures| match verdict(Some(record(failures, 1)), NOW) {
            Verdict::Proceed { delay } => delay.as_millis(),
            Verdict::Locked { .. } => panic!("not locked"),
        };
        assert_eq!(delay(1), 0);
        assert_eq!(delay(3), 500);
        assert_eq!(delay(4), 1000);
        assert_eq!(delay(50), 1500);
    }

    #[test]
    fn old_failures_are_forgotten() {
        assert_eq!(
            verdict(Some(record(4, 16)), NOW),
            Verdict::Proceed {
                delay: std::time::Duration::ZERO
            }
        );
    }

    #[test]
    fn a_lock_holds_until_it_expires() {
        let until = NOW + Duration::minutes(3);
        let locked = FailureRecord {
            locked_until: Some(until),
            ..record(5, 2)
        };
        assert_eq!(verdict(Some(locked), NOW), Verdict::Locked { until });
        assert!(matches!(
            verdict(Some(locked), until + Duration::seconds(1)),
            Verdict::Proceed { .. }
        ));
    }

    #[test]
    fn the_fifth_account_failure_locks() {
        assert!(!locks_after(4, ACCOUNT_LIMIT));
        assert!(locks_after(5, ACCOUNT_LIMIT));
    }
}
