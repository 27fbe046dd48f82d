//! Plans and what surrounds them: the people directory, plans with their versions and events,
//! and the distribution register with acknowledgements.

pub mod contact_changes;
pub mod distribution;
pub mod people;
pub mod records;
pub mod versions;
