//! Continuity and recovery plans, the pure part: what a version holds, the recovery steps and
//! their critical path, the timeline picture drawn from them, the call tree, the comparison of
//! two versions, and the life of a plan version from draft to approval.

pub mod call_tree;
pub mod contacts;
pub mod content;
pub mod diff;
pub mod steps;
pub mod timeline;
pub mod workflow;
