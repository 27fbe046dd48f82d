//! Risks to the IT services: the scoring method (likelihood × impact → a level from a matrix
//! kept as data, and the appetite above which a risk must be treated or accepted), what a risk
//! is decided as, when an acceptance stands, and how a risk on a site, component or contract
//! reaches every service above it in the graph. Pure: no SQL, no HTTP.

pub mod acceptance;
pub mod catalogue;
pub mod exposure;
pub mod method;
pub mod register;
