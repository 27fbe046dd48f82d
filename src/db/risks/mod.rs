//! Risks: the method, the threat and measure catalogues, the register and its acceptances.

pub mod acceptances;
pub mod catalogues;
pub mod import;
pub mod method;
pub mod records;
