//! Durations as continuity people write them (`15m`, `4h`, `3d`, `2w`), stored as whole minutes.

use std::fmt;
use std::str::FromStr;

const MINUTES_PER_HOUR: i64 = 60;
const MINUTES_PER_DAY: i64 = 24 * MINUTES_PER_HOUR;
const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;
/// Nothing in continuity planning needs more than ten years; beyond that an entry is a typo.
const MAX_MINUTES: i64 = 10 * 366 * MINUTES_PER_DAY;

/// A non-negative length of time in whole minutes (RTO, RPO, MTPD, step durations …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("enter a duration such as 15m, 4h, 3d or 2w")]
    Empty,
    #[error("“{0}” is not a duration: use a number and a unit, such as 15m, 4h, 3d or 2w")]
    Malformed(String),
    #[error("“{0}” needs a unit: m (minutes), h (hours), d (days) or w (weeks)")]
    MissingUnit(String),
    #[error("“{0}” is not a unit: use m (minutes), h (hours), d (days) or w (weeks)")]
    UnknownUnit(String),
    #[error("a duration cannot be longer than ten years")]
    TooLong,
}

impl Duration {
    pub const ZERO: Duration = Duration(0);

    /// Builds a duration from minutes; `None` when negative or longer than ten years.
    pub fn from_minutes(minutes: i64) -> Option<Self> {
        (0..=MAX_MINUTES)
            .contains(&minutes)
            .then_some(Self(minutes))
    }

    pub fn hours(hours: i64) -> Self {
        Self(hours * MINUTES_PER_HOUR)
    }

    pub fn days(days: i64) -> Self {
        Self(days * MINUTES_PER_DAY)
    }

    pub fn minutes(self) -> i64 {
        self.0
    }

    /// Parses `15m`, `4h`, `3d`, `2w`, and combinations such as `1d 4h` or `1h30m`.
    pub fn parse(input: &str) -> Result<Self, DurationError> {
        let text = input.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err(DurationError::Empty);
        }
        let mut total: i64 = 0;
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let digits_end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits_end == 0 {
                return Err(DurationError::Malformed(input.trim().to_string()));
            }
            let amount: i64 = rest[..digits_end]
                .parse()
                .map_err(|_| DurationError::TooLong)?;
            rest = rest[digits_end..].trim_start();
            let unit_end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            if unit_end == 0 {
                return Err(DurationError::MissingUnit(input.trim().to_string()));
            }
            let per_unit = unit_minutes(&rest[..unit_end])?;
            rest = rest[unit_end..].trim_start();
            total = amount
                .checked_mul(per_unit)
                .and_then(|minutes| total.checked_add(minutes))
                .filter(|minutes| *minutes <= MAX_MINUTES)
                .ok_or(DurationError::TooLong)?;
        }
        Ok(Self(total))
    }
}

fn unit_minutes(unit: &str) -> Result<i64, DurationError> {
    match unit {
        "m" | "min" | "mins" | "minute" | "minutes" => Ok(1),
        "h" | "hr" | "hrs" | "hour" | "hours" => Ok(MINUTES_PER_HOUR),
        "d" | "day" | "days" => Ok(MINUTES_PER_DAY),
        "w" | "wk" | "wks" | "week" | "weeks" => Ok(MINUTES_PER_WEEK),
        other => Err(DurationError::UnknownUnit(other.to_string())),
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

/// Shows the duration in the largest units that add up exactly: `4h`, `1d 4h`, `2w`, `0m`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0m");
        }
        let mut remaining = self.0;
        let mut parts = Vec::new();
        for (size, unit) in [
            (MINUTES_PER_WEEK, "w"),
            (MINUTES_PER_DAY, "d"),
            (MINUTES_PER_HOUR, "h"),
            (1, "m"),
        ] {
            if remaining >= size {
                parts.push(format!("{}{unit}", remaining / size));
                remaining %= size;
            }
        }
        f.write_str(&parts.join(" "))
    }
}

/// Stored in JSON (a BIA method copied into an exercise, say) as whole minutes, like the database.
impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let minutes = i64::deserialize(deserializer)?;
        Self::from_minutes(minutes).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{minutes} is not a duration: expected whole minutes from 0 to ten years"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(Duration::parse("15m"), Ok(Duration(15)));
        assert_eq!(Duration::parse("4h"), Ok(Duration(240)));
        assert_eq!(Duration::parse("3d"), Ok(Duration(3 * 1440)));
        assert_eq!(Duration::parse("2w"), Ok(Duration(2 * 10080)));
    }

    #[test]
    fn parses_combinations_spaces_and_case() {
        assert_eq!(Duration::parse(" 1d 4h "), Ok(Duration(1440 + 240)));
        assert_eq!(Duration::parse("1h30m"), Ok(Duration(90)));
        assert_eq!(Duration::parse("2 Hours"), Ok(Duration(120)));
    }

    #[test]
    fn zero_is_a_duration() {
        assert_eq!(Duration::parse("0m"), Ok(Duration::ZERO));
        assert_eq!(Duration::ZERO.to_string(), "0m");
    }

    #[test]
    fn a_number_without_unit_is_refused_with_a_hint() {
        assert_eq!(
            Duration::parse("15"),
            Err(DurationError::MissingUnit("15".into()))
        );
    }

    #[test]
    fn unknown_units_and_garbage_are_refused() {
        assert_eq!(
            Duration::parse("3y"),
            Err(DurationError::UnknownUnit("y".into()))
        );
        assert!(matches!(
            Duration::parse("h4"),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            Duration::parse("-4h"),
            Err(DurationError::Malformed(_))
        ));
        assert_eq!(Duration::parse("   "), Err(DurationError::Empty));
    }

    #[test]
    fn absurd_lengths_are_refused() {
        assert_eq!(Duration::parse("11000w"), Err(DurationError::TooLong));
        assert_eq!(
            Duration::parse("99999999999999999999m"),
            Err(DurationError::TooLong)
        );
        assert_eq!(Duration::from_minutes(-1), None);
    }

    #[test]
    fn shows_the_largest_exact_units() {
        assert_eq!(Duration(240).to_string(), "4h");
        assert_eq!(Duration(1440 + 240).to_string(), "1d 4h");
        assert_eq!(Duration(2 * 10080).to_string(), "2w");
        assert_eq!(Duration(90).to_string(), "1h 30m");
    }

    #[test]
    fn display_and_parse_round_trip() {
        for minutes in [0, 1, 59, 60, 61, 1439, 1440, 10079, 10080, 50000, 123_457] {
            let duration = Duration(minutes);
            assert_eq!(Duration::parse(&duration.to_string()), Ok(duration));
        }
    }

    #[test]
    fn json_holds_whole_minutes_and_refuses_negative_ones() {
        assert_eq!(serde_json::to_string(&Duration(240)).unwrap(), "240");
        assert_eq!(
            serde_json::from_str::<Duration>("240").unwrap(),
            Duration(240)
        );
        assert!(serde_json::from_str::<Duration>("-1").is_err());
    }
}
