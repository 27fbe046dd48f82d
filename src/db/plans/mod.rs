//! Plans and what surrounds them: the people directory, plans with their versions and events,
//! the distribution register with acknowledgements, and what plans wait for whom.

pub mod contact_changes;
pub mod distribution;
pub mod people;
pub mod records;
pub mod versions;
pub mod work;
