//! Queries, each a small function over an executor or connection so callers can compose them in
//! one transaction. Every write function also records its audit row (see [`audit`]).

pub mod actions;
pub mod audit;
pub mod bia;
pub mod catalogue;
pub mod known_devices;
pub mod login_failures;
pub mod plans;
pub mod posture;
pub mod risks;
pub mod serving_role;
pub mod sessions;
pub mod setup;
pub mod suppliers;
pub mod users;

/// The outcome of an update guarded by a version number (optimistic concurrency).
pub enum Versioned<T> {
    Saved(T),
    /// Someone saved first; here is what is stored now.
    Stale(T),
}
