//! Continuity and recovery plans, the pure part: the recovery steps and their critical path, the
//! timeline picture drawn from them, and the life of a plan version from draft to approval.

pub mod steps;
pub mod timeline;
pub mod workflow;
