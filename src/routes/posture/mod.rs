//! The continuity posture (`/posture`), the practice's recovery strategy (`/posture/strategy`,
//! each service's strategy at `/services/{id}/strategy`) and disaster scenarios (`/scenarios`):
//! required against achievable recovery along the dependency graph, and what a loss would do.

mod page;
pub(crate) mod view;

use super::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/posture", page::page)
        .get("/posture.csv", page::csv)
}
