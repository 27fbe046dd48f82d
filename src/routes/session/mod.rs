//! Signing in and out.

mod login;
mod logout;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/login", login::show)
        .post("/login", login::submit)
        .post("/logout", logout::submit)
}
