//! `GET /account`, and the page both account forms re-render into when refused.

use askama::Template;
use askama_web::WebTemplate;

use crate::auth::CurrentUser;
use crate::auth::extract::EvenIfPasswordMustChange;
use crate::domain::password_policy;
use crate::web::form::FieldErrors;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "account/show.html")]
pub struct AccountPage {
    pub ctx: PageContext,
    pub email: String,
    pub display_name: String,
    pub role: &'static str,
    pub password_errors: FieldErrors,
    pub time_zone: String,
    pub time_zone_errors: FieldErrors,
    pub time_zones: Vec<String>,
    pub min_chars: usize,
    pub max_chars: usize,
}

impl AccountPage {
    pub fn new(user: &CurrentUser) -> Self {
        Self {
            ctx: PageContext::new(user, Area::Account, "Your account").here("Your account"),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.label(),
            password_errors: FieldErrors::default(),
            time_zone: user.time_zone_name.clone(),
            time_zone_errors: FieldErrors::default(),
            time_zones: time_zone_names(),
            min_chars: password_policy::MIN_CHARS,
            max_chars: password_policy::MAX_CHARS,
        }
    }
}

/// All IANA time zone names known to the bundled database, sorted.
pub fn time_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .collect();
    names.sort();
    names
}

pub async fn show(EvenIfPasswordMustChange(user): EvenIfPasswordMustChange) -> AccountPage {
    AccountPage::new(&user)
}
