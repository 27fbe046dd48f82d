//! `/account`: every user's own profile, password and time zone.

mod password;
mod preferences;
mod show;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account", show::show)
        .post("/account/password", password::submit)
        .post("/account/preferences", preferences::submit)
}
