//! `GET /help`: a short guide to IT service continuity and where each step lives here, the
//! vocabulary of the practice, and how the application uses it.

use askama::Template;
use askama_web::WebTemplate;

use super::Routes;
use crate::auth::CurrentUser;
use crate::domain::role::Role;
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/help", show)
}

#[derive(Template, WebTemplate)]
#[template(path = "help.html")]
struct HelpPage {
    ctx: PageContext,
    roles: Vec<(&'static str, &'static str)>,
}

async fn show(user: CurrentUser) -> HelpPage {
    HelpPage {
        ctx: PageContext::new(&user, Area::Help, "Help").here("Help"),
        roles: Role::ALL
            .iter()
            .map(|role| (role.label(), role.description()))
            .collect(),
    }
}
