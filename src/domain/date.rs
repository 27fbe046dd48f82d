//! The one parser for dates people type (form fields, list filters, imported cells): plain
//! `YYYY-MM-DD` only, years 1900 to 9999. Rust's parsers also take `+002024-06-14`,
//! `-000001-01-01` or `0000-01-01`, which PostgreSQL refuses; no continuity date (a contract, a
//! review, an audit entry) lies before 1900, and four-digit years are what every form shows.

use time::{Date, Month};

pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 9999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Write the date as YYYY-MM-DD, e.g. 2027-03-31.")]
    Format,
    #[error("That day does not exist in the calendar.")]
    NoSuchDay,
    #[error("Use a year from 1900 to 9999.")]
    OutOfRange,
}

/// Parses `YYYY-MM-DD` (surrounding spaces ignored).
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(DateError::Format);
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().unwrap_or(0);
    let year = i32::from(number(0..4));
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(DateError::OutOfRange);
    }
    let month = u8::try_from(number(5..7))
        .ok()
        .and_then(|month| Month::try_from(month).ok())
        .ok_or(DateError::NoSuchDay)?;
    let day = u8::try_from(number(8..10)).map_err(|_| DateError::NoSuchDay)?;
    Date::from_calendar_date(year, month, day).map_err(|_| DateError::NoSuchDay)
}

/// Parses an optional date: empty text is `None`.
pub fn parse_optional_date(text: &str) -> Result<Option<Date>, DateError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn plain_iso_dates_are_accepted() {
        assert_eq!(parse_date("2024-06-14"), Ok(date!(2024 - 06 - 14)));
        assert_eq!(parse_date(" 1900-01-01 "), Ok(date!(1900 - 01 - 01)));
        assert_eq!(parse_date("9999-12-31"), Ok(date!(9999 - 12 - 31)));
        assert_eq!(parse_date("2028-02-29"), Ok(date!(2028 - 02 - 29)));
    }

    #[test]
    fn dates_postgresql_would_refuse_are_refused_here() {
        assert_eq!(parse_date("+002024-06-14"), Err(DateError::Format));
        assert_eq!(parse_date("-000001-01-01"), Err(DateError::Format));
        assert_eq!(parse_date("0000-01-01"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("1899-12-31"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("10000-01-01"), Err(DateError::Format));
    }

    #[test]
    fn other_shapes_and_impossible_days_are_refused() {
        for text in [
            "",
            "2024-6-14",
            "14.06.2024",
            "2024/06/14",
            "２０２４-06-14",
            "2024-06-14T00:00",
        ] {
            assert_eq!(parse_date(text), Err(DateError::Format), "{text}");
        }
        assert_eq!(parse_date("2027-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2027-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2027-00-10"), Err(DateError::NoSuchDay));
    }

    #[test]
    fn an_empty_optional_date_is_none() {
        assert_eq!(parse_optional_date("  "), Ok(None));
        assert_eq!(
            parse_optional_date("2024-06-14"),
            Ok(Some(date!(2024 - 06 - 14)))
        );
        assert!(parse_optional_date("0000-01-01").is_err());
    }
}
