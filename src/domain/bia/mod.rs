//! Business Impact Analysis: the method a continuity manager configures, and what the answers to
//! its questionnaire mean — MTPD, RTO, RPO and tier derived from impact over time, the checks on a
//! manager's override, and the impact-over-time chart. Pure: the routes and `db` call in here.

pub mod chart;
pub mod derive;
pub mod method;
pub mod method_form;
pub mod overrides;

pub use chart::impact_chart;
pub use derive::{CarryForward, Derivation, ImpactGrid, Row, derive, missing_answers};
pub use method::{Category, Level, Method, Tier, duration_label};
pub use overrides::{check_override, recovery_budget_warning};
