//! The ITIL recovery options a strategy chooses among, how fast each typically brings a service
//! back, and whether an option fits the recovery time a service must meet: a cold standby cannot
//! stand behind a four-hour RTO, however the plan is written.

use crate::domain::duration::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecoveryOption {
    DoNothing,
    ManualWorkaround,
    Reciprocal,
    Gradual,
    Intermediate,
    Fast,
    Immediate,
}

impl RecoveryOption {
    /// Slowest first, as a manager reads them when choosing "this or better".
    pub const ALL: [RecoveryOption; 7] = [
        RecoveryOption::DoNothing,
        RecoveryOption::ManualWorkaround,
        RecoveryOption::Reciprocal,
        RecoveryOption::Gradual,
        RecoveryOption::Intermediate,
        RecoveryOption::Fast,
        RecoveryOption::Immediate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DoNothing => "do_nothing",
            Self::ManualWorkaround => "manual_workaround",
            Self::Reciprocal => "reciprocal",
            Self::Gradual => "gradual",
            Self::Intermediate => "intermediate",
            Self::Fast => "fast",
            Self::Immediate => "immediate",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|option| option.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::DoNothing => "Do nothing",
            Self::ManualWorkaround => "Manual workaround",
            Self::Reciprocal => "Reciprocal arrangement",
            Self::Gradual => "Gradual recovery (cold standby)",
            Self::Intermediate => "Intermediate recovery (warm standby)",
            Self::Fast => "Fast recovery (hot standby)",
            Self::Immediate => "Immediate recovery (active-active)",
        }
    }

    /// A short name for tables and sentences.
    pub fn short(self) -> &'static str {
        match self {
            Self::DoNothing => "do nothing",
            Self::ManualWorkaround => "manual workaround",
            Self::Reciprocal => "reciprocal arrangement",
            Self::Gradual => "cold standby",
            Self::Intermediate => "warm standby",
            Self::Fast => "hot standby",
            Self::Immediate => "active-active",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            Self::DoNothing => {
                "accept the loss until normal service returns; only for services the business can do without"
            }
            Self::ManualWorkaround => {
                "the business carries on by hand (paper forms, phone) while IT recovers"
            }
            Self::Reciprocal => {
                "another organisation lends capacity under an agreement; rarely workable for modern IT"
            }
            Self::Gradual => "empty space and contracts to bring in equipment: more than 72 hours",
            Self::Intermediate => {
                "equipment ready at a recovery site, data restored on the day: 24 to 72 hours"
            }
            Self::Fast => "a standby kept up to date and switched to: within 24 hours",
            Self::Immediate => "mirrored in two places at once, no noticeable interruption",
        }
    }

    /// The quickest recovery the option can usually deliver: behind an RTO shorter than this the
    /// option cannot keep the promise. `None` for options that recover nothing by themselves.
    pub fn fastest(self) -> Option<Duration> {
        match self {
            Self::DoNothing | Self::ManualWorkaround => None,
            Self::Reciprocal => Some(Duration::hours(24)),
            Self::Gradual => Some(Duration::hours(72)),
            Self::Intermediate => Some(Duration::hours(24)),
            Self::Fast => Some(Duration::hours(1)),
            Self::Immediate => Some(Duration::ZERO),
        }
    }

    /// The slowest option that can still meet `rto`: what a recommendation asks for.
    pub fn needed_for(rto: Duration) -> RecoveryOption {
        if rto < Duration::hours(1) {
            Self::Immediate
        } else if rto < Duration::hours(24) {
            Self::Fast
        } else if rto < Duration::hours(72) {
            Self::Intermediate
        } else {
            Self::Gradual
        }
    }

    /// Whether the option can stand behind a service that must be back within `rto`. Doing
    /// nothing fits no recovery time at all; a manual workaround keeps the business going but
    /// restores nothing, so it fits only services whose RTO is a week or more.
    pub fn fits(self, rto: Duration) -> bool {
        match self {
            Self::DoNothing => false,
            Self::ManualWorkaround => rto >= Duration::days(7),
            Self::Immediate => true,
            other => {
                other >= Self::needed_for(rto)
                    || other.fastest().is_some_and(|fastest| fastest <= rto)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StrategyStatus {
    Proposed,
    Approved,
    Implemented,
}

impl StrategyStatus {
    pub const ALL: [StrategyStatus; 3] = [Self::Proposed, Self::Approved, Self::Implemented];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Implemented => "implemented",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed",
            Self::Approved => "Approved",
            Self::Implemented => "Implemented",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            Self::Proposed => "suggested, not yet agreed or funded",
            Self::Approved => "agreed and funded, not in place yet",
            Self::Implemented => "in place and usable today",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cold_standby_cannot_stand_behind_a_four_hour_rto() {
        assert!(!RecoveryOption::Gradual.fits(Duration::hours(4)));
        assert!(!RecoveryOption::Intermediate.fits(Duration::hours(8)));
        assert!(RecoveryOption::Intermediate.fits(Duration::hours(24)));
        assert!(RecoveryOption::Fast.fits(Duration::hours(4)));
        assert!(RecoveryOption::Gradual.fits(Duration::days(7)));
        assert!(!RecoveryOption::DoNothing.fits(Duration::days(30)));
        assert!(RecoveryOption::ManualWorkaround.fits(Duration::days(7)));
        assert!(!RecoveryOption::ManualWorkaround.fits(Duration::days(3)));
    }

    #[test]
    fn the_option_asked_for_fits_the_rto_it_was_asked_for() {
        for minutes in [0, 30, 60, 240, 1440, 2880, 4320, 10080, 43200] {
            let rto = Duration::from_minutes(minutes).unwrap();
            assert!(RecoveryOption::needed_for(rto).fits(rto), "{minutes}");
        }
    }

    #[test]
    fn options_and_statuses_round_trip() {
        for option in RecoveryOption::ALL {
            assert_eq!(RecoveryOption::parse(option.as_str()), Some(option));
        }
        for status in StrategyStatus::ALL {
            assert_eq!(StrategyStatus::parse(status.as_str()), Some(status));
        }
    }
}
