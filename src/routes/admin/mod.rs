//! `/admin`: what only administrators do.

mod users;

use super::Routes;

pub fn routes() -> Routes {
    users::routes()
}
