//! Pure domain types and rules: no SQL, no HTTP. Most unit tests live here.

pub mod action;
pub mod bia;
pub mod catalogue;
pub mod choice;
pub mod date;
pub mod duration;
pub mod exercise;
pub mod graph;
pub mod import;
pub mod login_throttle;
pub mod password_policy;
pub mod plan;
pub mod posture;
pub mod questionnaire;
pub mod risk;
pub mod role;
pub mod supplier;
pub mod svg;
pub mod text;
pub mod workflow;
