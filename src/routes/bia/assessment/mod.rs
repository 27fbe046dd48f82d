//! `/bia/assessments/{id}`: one service's questionnaire — the impact grid, data loss, recovery
//! facts — with the derived objectives updating as it changes, and the review by a manager.

mod page;
mod review;
mod save;

pub use page::show;
pub use review::{approve, reassign, remind, return_to_owner};
pub use save::{preview, save, submit};

use crate::auth::CurrentUser;
use crate::db::bia::assessments::{self, Assessment};
use crate::domain::bia::method::Method;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;

/// The assessment with its exercise's method, if this user may see it: managers and auditors see
/// every assessment, a service owner only those assigned to them.
async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Assessment, Method)> {
    let assessment = assessments::find(&mut *state.db.acquire().await?, parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = user.role != Role::ServiceOwner || assessment.assignee_id == Some(user.id);
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let method = serde_json::from_value(assessment.method.clone())
        .unwrap_or_else(|_| Method::default_method());
    Ok((assessment, method))
}

/// Whether this user may change the answers (the assignee, or a manager), whatever the status.
fn may_answer(user: &CurrentUser, assessment: &Assessment) -> bool {
    user.role.manages_continuity()
        || (user.role == Role::ServiceOwner && assessment.assignee_id == Some(user.id))
}
