//! What is due on a contract: when it ends, the last day to give notice (to terminate, or to stop
//! an automatic renewal), and its review. A notice date that slips by can lock the business into
//! another term with a supplier that no longer fits, so the renewal list leads with those.

use time::{Date, Duration};

/// The contract dates that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContractDates {
    pub end: Option<Date>,
    /// Days before the end by which notice must be given; `None` when the contract says nothing.
    pub notice_days: Option<i32>,
    pub next_review: Option<Date>,
}

impl ContractDates {
    /// The last day to give notice: the end date less the notice period (or the end itself).
    pub fn notice_date(&self) -> Option<Date> {
        let end = self.end?;
        let days = i64::from(self.notice_days.unwrap_or(0).max(0));
        end.checked_sub(Duration::days(days))
    }
}

/// What the renewal list says about a contract on a given day, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Due {
    /// The notice date has passed but the contract has not ended: too late to give notice.
    NoticePassed,
    /// The review date has passed.
    ReviewOverdue,
    /// The notice date falls within the horizon.
    NoticeSoon,
    /// The contract ends within the horizon.
    EndsSoon,
}

impl Due {
    pub fn label(self) -> &'static str {
        match self {
            Self::NoticePassed => "Notice date passed",
            Self::ReviewOverdue => "Review overdue",
            Self::NoticeSoon => "Notice date soon",
            Self::EndsSoon => "Ends soon",
        }
    }
}

/// Everything due on a contract within `horizon_days` of `today`, most urgent first. An ended
/// contract owes nothing but its review.
pub fn due(dates: &ContractDates, today: Date, horizon_days: i64) -> Vec<Due> {
    let horizon = today
        .checked_add(Duration::days(horizon_days))
        .unwrap_or(Date::MAX);
    let ended = dates.end.is_some_and(|end| end < today);
    let mut found = Vec::new();
    if !ended && let Some(notice) = dates.notice_date() {
        if notice < today {
            found.push(Due::NoticePassed);
        } else if notice <= horizon {
            found.push(Due::NoticeSoon);
        }
    }
    if dates.next_review.is_some_and(|review| review < today) {
        found.push(Due::ReviewOverdue);
    }
    if !ended && dates.end.is_some_and(|end| end <= horizon) {
        found.push(Due::EndsSoon);
    }
    found.sort();
    found
}

/// Days from `today` to `date` (negative when past).
pub fn days_until(today: Date, date: Date) -> i64 {
    (date - today).whole_days()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn dates(end: Date, notice: i32) -> ContractDates {
        ContractDates {
            end: Some(end),
            notice_days: Some(notice),
            next_review: None,
        }
    }

    #[test]
    fn the_notice_date_is_the_end_less_the_notice_period() {
        assert_eq!(
            dates(date!(2027 - 03 - 31), 90).notice_date(),
            Some(date!(2026 - 12 - 31))
        );
        let no_notice = ContractDates {
            end: Some(date!(2027 - 03 - 31)),
            ..ContractDates::default()
        };
        assert_eq!(no_notice.notice_date(), Some(date!(2027 - 03 - 31)));
        assert_eq!(ContractDates::default().notice_date(), None);
    }

    #[test]
    fn a_notice_date_twenty_days_away_is_due_within_thirty_days_not_within_ten() {
        // Ends in 110 days with 90 days' notice: notice in 20 days.
        let contract = dates(date!(2027 - 03 - 15), 90);
        assert_eq!(days_until(TODAY, contract.notice_date().unwrap()), 20);
        assert_eq!(due(&contract, TODAY, 30), vec![Due::NoticeSoon]);
        assert_eq!(due(&contract, TODAY, 10), Vec::<Due>::new());
        assert_eq!(
            due(&contract, TODAY, 120),
            vec![Due::NoticeSoon, Due::EndsSoon]
        );
    }

    #[test]
    fn a_passed_notice_date_comes_first_until_the_contract_ends() {
        let contract = dates(date!(2027 - 01 - 10), 90);
        assert_eq!(due(&contract, TODAY, 30), vec![Due::NoticePassed]);
        assert_eq!(
            due(&contract, TODAY, 60),
            vec![Due::NoticePassed, Due::EndsSoon]
        );
        let ended = dates(date!(2026 - 11 - 01), 90);
        assert_eq!(due(&ended, TODAY, 90), Vec::<Due>::new());
    }

    #[test]
    fn an_overdue_review_is_due_whatever_the_dates() {
        let contract = ContractDates {
            end: None,
            notice_days: None,
            next_review: Some(date!(2026 - 11 - 24)),
        };
        assert_eq!(due(&contract, TODAY, 30), vec![Due::ReviewOverdue]);
    }
}
