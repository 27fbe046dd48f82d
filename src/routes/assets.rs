//! `GET /static/…`: the stylesheet, script, htmx and icon compiled into the binary.

use super::Routes;

pub fn routes() -> Routes {
    Routes::new().get("/static/{*path}", crate::web::assets::serve)
}
