//! Who is asking: password hashing, session cookies, the sign-in throttle and the typed
//! extractors (`CurrentUser`, `Authorized<P>`) that routes use instead of scattered role checks.

pub mod contracts;
pub mod extract;
pub mod known_device;
pub mod ownership;
pub mod password;
pub mod session_cookie;
pub mod throttle;

pub use extract::{Authorized, CurrentUser, Permission};
