//! `GET /`: the home page — the continuity posture at a glance, your own work, and where to go.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::Routes;
use crate::auth::CurrentUser;
use crate::db::bia::assessments::{self, OpenAssessment};
use crate::db::posture::{self, Posture};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/", show)
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
    first_name: String,
    role_description: &'static str,
    reads_audit: bool,
    manages_users: bool,
    /// BIA questionnaires waiting for this user.
    my_assessments: Vec<OpenAssessment>,
    posture: Posture,
    manages_continuity: bool,
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> AppResult<HomePage> {
    Ok(HomePage {
        my_assessments: assessments::open_for(&state.db, user.id).await?,
        posture: posture::load(&state.db).await?,
        manages_continuity: user.role.manages_continuity(),
        first_name: user
            .display_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string(),
        role_description: user.role.description(),
        reads_audit: user.role.reads_audit_log(),
        manages_users: user.role.manages_users(),
        ctx: PageContext::new(&user, Area::Home, "Home"),
    })
}
