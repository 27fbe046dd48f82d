//! Business impact analysis: exercises and their assessments.

pub mod assessments;
pub mod exercises;
pub mod method;
