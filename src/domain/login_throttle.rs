//! How repeated failed password attempts slow a key (an account, an address, a known browser)
//! down: a few attempts are free, then each further one must wait a delay that doubles, capped.
//! There is no lock that outlasts the cap, so strangers can slow an account but never shut it;
//! a known browser has its own key, and an administrator can lift an account's delay.

use time::{Duration, OffsetDateTime};

/// A key's attempts are forgotten after this long without one.
pub const FORGET_AFTER: Duration = Duration::days(1);

/// How strictly one kind of key is throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Attempts counted before any delay applies.
    pub free_attempts: i32,
    /// The wait after the first attempt past the free ones; it doubles with each further one.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
}

/// An account (by email), for browsers that have not signed in to it before.
pub const ACCOUNT: Rule = Rule {
    free_attempts: 3,
    first_delay: Duration::seconds(1),
    max_delay: Duration::minutes(15),
};

/// A client address: more free attempts, since an office or a proxy shares one.
pub const ADDRESS: Rule = Rule {
    free_attempts: 10,
    first_delay: Duration::seconds(1),
    max_delay: Duration::minutes(15),
};

/// A browser that has signed in to the account before, and the current password asked when a
/// signed-in user changes theirs: as strict as an account.
pub const DEVICE: Rule = ACCOUNT;

/// What is remembered about one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRecord {
    pub failures: i32,
    pub last_failure_at: OffsetDateTime,
    /// No attempt is checked before this moment.
    pub locked_until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The attempt may be checked. It is counted now, before the password is known, so that
    /// attempts sent in parallel cannot all slip through; `record` is what to store, and a
    /// success gives it back (see `db::login_failures::refund`).
    Admitted { record: FailureRecord },
    /// Too soon after the last failures: refused without looking at the password.
    Wait { until: OffsetDateTime },
}

/// The wait imposed after `failures` counted attempts, if any.
pub fn delay_after(failures: i32, rule: Rule) -> Option<Duration> {
    let beyond = failures - rule.free_attempts;
    if beyond < 0 {
        return None;
    }
    // 2^beyond, without overflowing: anything past 2^20 is over every cap anyway.
    let factor = 1_i64 << beyond.min(20);
    let delay = rule
        .first_delay
        .checked_mul(i32::try_from(factor).unwrap_or(i32::MAX))
        .unwrap_or(rule.max_delay);
    Some(delay.min(rule.max_delay))
}

/// Decides whether an attempt for a key with this history may be checked now.
pub fn admit(record: Option<FailureRecord>, rule: Rule, now: OffsetDateTime) -> Admission {
    if let Some(until) = record
        .and_then(|record| record.locked_until)
        .filter(|until| *until > now)
    {
        return Admission::Wait { until };
    }
    let previous = record
        .filter(|record| record.last_failure_at + FORGET_AFTER > now)
        .map_or(0, |record| record.failures);
    let failures = previous.saturating_add(1);
    Admission::Admitted {
        record: FailureRecord {
            failures,
            last_failure_at: now,
            locked_until: delay_after(failures, rule).map(|delay| now + delay),
        },
    }
}

/// Whole seconds until `until` (at least one), for messages and `Retry-After`.
pub fn seconds_until(until: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let millis = (until - now).whole_milliseconds();
    let seconds = (millis + 999) / 1000;
    i64::try_from(seconds).unwrap_or(i64::MAX).max(1)
}

/// "12 seconds", "3 minutes": how long to wait, in words.
pub fn wait_in_words(seconds: i64) -> String {
    if seconds < 90 {
        format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
    } else {
        let minutes = (seconds + 59) / 60;
        format!("{minutes} minutes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

    fn admitted(admission: Admission) -> FailureRecord {
        match admission {
            Admission::Admitted { record } => record,
            Admission::Wait { until } => panic!("refused until {until}"),
        }
    }

    #[test]
    fn the_first_attempts_are_free() {
        let first = admitted(admit(None, ACCOUNT, NOW));
        assert_eq!(first.failures, 1);
        assert_eq!(first.locked_until, None);
        let second = admitted(admit(Some(first), ACCOUNT, NOW));
        assert_eq!(second.locked_until, None);
    }

    #[test]
    fn after_three_failures_the_delay_doubles_up_to_the_cap() {
        let seconds = |failures| delay_after(failures, ACCOUNT).map(|d| d.whole_seconds());
        assert_eq!(seconds(2), None);
        assert_eq!(seconds(3), Some(1));
        assert_eq!(seconds(4), Some(2));
        assert_eq!(seconds(5), Some(4));
        assert_eq!(seconds(12), Some(512));
        assert_eq!(seconds(13), Some(900));
        assert_eq!(seconds(i32::MAX), Some(900));
    }

    #[test]
    fn an_address_gets_more_free_attempts_than_an_account() {
        assert_eq!(delay_after(9, ADDRESS), None);
        assert_eq!(delay_after(10, ADDRESS), Some(Duration::seconds(1)));
    }

    #[test]
    fn an_attempt_during_the_delay_is_refused_and_one_after_it_is_checked() {
        let until = NOW + Duration::seconds(4);
        let record = FailureRecord {
            failures: 5,
            last_failure_at: NOW - Duration::seconds(1),
            locked_until: Some(until),
        };
        assert_eq!(admit(Some(record), ACCOUNT, NOW), Admission::Wait { until });
        let later = until + Duration::milliseconds(1);
        let next = admitted(admit(Some(record), ACCOUNT, later));
        assert_eq!(next.failures, 6);
        assert_eq!(next.locked_until, Some(later + Duration::seconds(8)));
    }

    #[test]
    fn a_quiet_day_forgets_the_failures() {
        let record = FailureRecord {
            failures: 40,
            last_failure_at: NOW - Duration::hours(25),
            locked_until: Some(NOW - Duration::hours(24)),
        };
        let next = admitted(admit(Some(record), ACCOUNT, NOW));
        assert_eq!(next.failures, 1);
        assert_eq!(next.locked_until, None);
    }

    #[test]
    fn waits_are_said_in_seconds_then_minutes() {
        let until = NOW + Duration::milliseconds(1_200);
        assert_eq!(seconds_until(until, NOW), 2);
        assert_eq!(seconds_until(NOW, NOW), 1);
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(32), "32 seconds");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
