//! Suppliers and their contracts, the pure part: support-hour calendars and the worst wait they
//! impose, the gaps between what contracts guarantee and what the services need, and what is due
//! on a contract (its end, its notice date, its review).

pub mod gaps;
pub mod hours;
pub mod renewal;

use crate::domain::catalogue::{Choice, choice};

/// How much a supplier matters to us (a common supplier-management segmentation).
pub const CATEGORIES: &[Choice] = &[
    choice(
        "strategic",
        "Strategic",
        "critical to the business, hard to replace",
    ),
    choice("tactical", "Tactical", "important, replaceable with effort"),
    choice(
        "operational",
        "Operational",
        "supports day-to-day operations",
    ),
    choice(
        "commodity",
        "Commodity",
        "standard goods or services, easily replaced",
    ),
];

pub const SUPPORT_HOURS: &[Choice] = &[
    choice("24x7", "24×7", "around the clock, every day"),
    choice(
        "business",
        "Business hours",
        "Monday to Friday, 09:00 to 17:00",
    ),
    choice("custom", "Custom", "the days and hours below"),
];

pub const REGIONAL_PRIORITIES: &[Choice] = &[
    choice(
        "guaranteed",
        "Guaranteed priority",
        "we are served first in a regional disaster",
    ),
    choice("best_effort", "Best effort", "served as capacity allows"),
    choice("none", "No priority", "the contract gives none"),
    choice("unspecified", "Not stated", "the contract does not say"),
];
