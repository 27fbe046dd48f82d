//! When a supplier works on our incidents: around the clock, business hours, or a custom weekly
//! calendar. What matters for continuity is the worst wait: an outage that starts just after
//! support closes waits until it opens again, across nights and weekends, before the supplier's
//! guaranteed recovery clock even starts.

use crate::domain::duration::Duration;

const MINUTES_PER_DAY: i64 = 24 * 60;
const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;

/// A weekly support calendar, all in the supplier's local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupportHours {
    /// 24×7: no waiting.
    AroundTheClock,
    /// The same hours on the chosen days. `days[0]` is Monday. `from == to` means the whole day;
    /// `to < from` runs past midnight into the next day.
    Weekly {
        days: [bool; 7],
        from_minute: u16,
        to_minute: u16,
    },
}

impl SupportHours {
    /// Monday to Friday, 09:00 to 17:00.
    pub fn business_hours() -> Self {
        Self::Weekly {
            days: [true, true, true, true, true, false, false],
            from_minute: 9 * 60,
            to_minute: 17 * 60,
        }
    }

    /// The open periods of one week as half-open minute ranges from Monday 00:00, merged, in
    /// order. A period running past Sunday midnight wraps to Monday.
    fn open_periods(&self) -> Vec<(i64, i64)> {
        let Self::Weekly {
            days,
            from_minute,
            to_minute,
        } = self
        else {
            return vec![(0, MINUTES_PER_WEEK)];
        };
        let from = i64::from(*from_minute).min(MINUTES_PER_DAY - 1);
        let to = i64::from(*to_minute).min(MINUTES_PER_DAY);
        let length = if to > from {
            to - from
        } else {
            MINUTES_PER_DAY - from + to
        };
        let mut periods: Vec<(i64, i64)> = Vec::new();
        for (day, open) in days.iter().enumerate() {
            if !open {
                continue;
            }
            let start = i64::try_from(day).unwrap_or(0) * MINUTES_PER_DAY + from;
            let end = start + length;
            if end > MINUTES_PER_WEEK {
                periods.push((start, MINUTES_PER_WEEK));
                periods.push((0, end - MINUTES_PER_WEEK));
            } else {
                periods.push((start, end));
            }
        }
        periods.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (start, end) in periods {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// The longest an incident can wait for support to open; `None` when support never opens.
    pub fn worst_wait(&self) -> Option<Duration> {
        let periods = self.open_periods();
        if periods.is_empty() {
            return None;
        }
        // Closed gaps between consecutive open periods, the last one wrapping into next week.
        let mut longest = 0;
        for (index, &(_, end)) in periods.iter().enumerate() {
            let next_start = match periods.get(index + 1) {
                Some(&(start, _)) => start,
                None => periods[0].0 + MINUTES_PER_WEEK,
            };
            longest = longest.max(next_start - end);
        }
        Duration::from_minutes(longest.max(0))
    }

    /// A short description, e.g. `24×7` or `Mon–Fri 09:00–17:00`.
    pub fn describe(&self) -> String {
        match self {
            Self::AroundTheClock => "24×7".to_owned(),
            Self::Weekly {
                days,
                from_minute,
                to_minute,
            } => {
                const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                let chosen: Vec<&str> = NAMES
                    .iter()
                    .zip(days.iter())
                    .filter(|(_, open)| **open)
                    .map(|(name, _)| *name)
                    .collect();
                let days = if *days == [true, true, true, true, true, false, false] {
                    "Mon–Fri".to_owned()
                } else if chosen.is_empty() {
                    "no days".to_owned()
                } else {
                    chosen.join(", ")
                };
                format!("{days} {}–{}", clock(*from_minute), clock(*to_minute))
            }
        }
    }
}

/// `HH:MM` for minutes after midnight.
pub fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Minutes after midnight from `HH:MM`; `None` when it is not a time of day (`24:00` is allowed,
/// meaning the end of the day).
pub fn parse_clock(text: &str) -> Option<u16> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let hours: u16 = hours.parse().ok()?;
    let minutes: u16 = minutes.parse().ok()?;
    match (hours, minutes) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(hours * 60 + minutes),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn weekly(days: [bool; 7], from: &str, to: &str) -> SupportHours {
        SupportHours::Weekly {
            days,
            from_minute: parse_clock(from).unwrap(),
            to_minute: parse_clock(to).unwrap(),
        }
    }

    #[test]
    fn around_the_clock_support_never_makes_anyone_wait() {
        assert_eq!(
            SupportHours::AroundTheClock.worst_wait(),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn business_hours_wait_over_the_weekend_friday_evening_to_monday_morning() {
        // Friday 17:00 → Monday 09:00 is 64 hours.
        assert_eq!(
            SupportHours::business_hours().worst_wait(),
            Some(Duration::hours(64))
        );
    }

    #[test]
    fn every_day_from_eight_to_eight_waits_over_each_night() {
        assert_eq!(
            weekly([true; 7], "08:00", "20:00").worst_wait(),
            Some(Duration::hours(12))
        );
    }

    #[test]
    fn a_window_past_midnight_covers_the_night() {
        // 20:00 to 06:00 every day: closed 06:00–20:00, 14 hours.
        assert_eq!(
            weekly([true; 7], "20:00", "06:00").worst_wait(),
            Some(Duration::hours(14))
        );
        // Saturday night runs into Sunday: only Sunday's window is missing.
        let weekdays_and_saturday = [true, true, true, true, true, true, false];
        assert_eq!(
            weekly(weekdays_and_saturday, "20:00", "06:00").worst_wait(),
            Some(Duration::hours(38))
        );
    }

    #[test]
    fn a_sunday_night_window_wraps_into_monday() {
        let sunday = [false, false, false, false, false, false, true];
        // Open Sunday 22:00 → Monday 02:00; closed the rest of the week: 164 hours.
        assert_eq!(
            weekly(sunday, "22:00", "02:00").worst_wait(),
            Some(Duration::hours(164))
        );
    }

    #[test]
    fn whole_days_and_no_days() {
        assert_eq!(
            weekly([true; 7], "00:00", "00:00").worst_wait(),
            Some(Duration::ZERO)
        );
        assert_eq!(weekly([false; 7], "09:00", "17:00").worst_wait(), None);
    }

    #[test]
    fn descriptions_read_naturally() {
        assert_eq!(
            SupportHours::business_hours().describe(),
            "Mon–Fri 09:00–17:00"
        );
        assert_eq!(
            weekly(
                [true, false, true, false, false, false, false],
                "08:30",
                "12:00"
            )
            .describe(),
            "Mon, Wed 08:30–12:00"
        );
    }

    #[test]
    fn clock_times_parse_strictly() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("24:30"), None);
        assert_eq!(parse_clock("9"), None);
        assert_eq!(parse_clock("12:60"), None);
    }

    /// The worst wait, by brute force: from every minute of the week, walk until support opens.
    fn naive_worst_wait(hours: &SupportHours) -> Option<i64> {
        let open_at = |minute: i64| {
            let periods = hours.open_periods();
            let m = minute.rem_euclid(MINUTES_PER_WEEK);
            periods.iter().any(|&(start, end)| start <= m && m < end)
        };
        if !(0..MINUTES_PER_WEEK).any(open_at) {
            return None;
        }
        let mut worst = 0;
        let mut minute = 0;
        while minute < MINUTES_PER_WEEK {
            let mut wait = 0;
            while !open_at(minute + wait) {
                wait += 1;
            }
            worst = worst.max(wait);
            minute += 15;
        }
        Some(worst)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn the_worst_wait_matches_walking_the_week(
            days in proptest::array::uniform7(any::<bool>()),
            from in (0u16..96).prop_map(|q| q * 15),
            to in (0u16..96).prop_map(|q| q * 15),
        ) {
            let hours = SupportHours::Weekly { days, from_minute: from, to_minute: to };
            prop_assert_eq!(
                hours.worst_wait().map(Duration::minutes),
                naive_worst_wait(&hours)
            );
        }
    }
}
