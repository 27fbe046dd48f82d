//! What every page's layout needs: the signed-in user, navigation, breadcrumbs, the flash
//! message, banners, and dates shown in the user's time zone.

use time::OffsetDateTime;

use crate::auth::CurrentUser;
use crate::domain::role::Role;
use crate::web::flash::Flash;

/// The areas of the application, for highlighting the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Home,
    Catalogue,
    Map,
    Bia,
    Plans,
    People,
    Suppliers,
    Risks,
    Actions,
    Tests,
    Posture,
    Audit,
    Admin,
    Account,
    Help,
    None,
}

pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

pub struct PageContext {
    pub title: String,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub area: Area,
    pub flash: Option<Flash>,
    pub breadcrumbs: Vec<Crumb>,
    pub password_must_change: bool,
    time_zone: jiff::tz::TimeZone,
    pub time_zone_name: String,
}

impl PageContext {
    /// The context of a page seen by a signed-in user.
    pub fn new(user: &CurrentUser, area: Area, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            user_name: Some(user.display_name.clone()),
            role: Some(user.role),
            area,
            flash: user.flash.clone(),
            breadcrumbs: Vec::new(),
            password_must_change: user.password_must_change,
            time_zone: user.time_zone.clone(),
            time_zone_name: user.time_zone_name.clone(),
        }
    }

    /// The context of a page seen by someone not signed in (login, error pages).
    pub fn anonymous(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            user_name: None,
            role: None,
            area: Area::None,
            flash: None,
            breadcrumbs: Vec::new(),
            password_must_change: false,
            time_zone: jiff::tz::TimeZone::UTC,
            time_zone_name: "UTC".to_string(),
        }
    }

    pub fn crumb(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.breadcrumbs.push(Crumb {
            label: label.into(),
            href: Some(href.into()),
        });
        self
    }

    /// Adds the last breadcrumb: the current page, not a link.
    pub fn here(mut self, label: impl Into<String>) -> Self {
        self.breadcrumbs.push(Crumb {
            label: label.into(),
            href: None,
        });
        self
    }

    pub fn role_label(&self) -> &'static str {
        self.role.map(Role::label).unwrap_or("")
    }

    /// The areas this user's role can reach; nothing here leads to a 403.
    pub fn nav(&self) -> Vec<NavItem> {
        let Some(role) = self.role else {
            return Vec::new();
        };
        let mut items = vec![
            (Area::Home, "Home", "/"),
            (Area::Catalogue, "Services", "/services"),
            (Area::Map, "Map", "/map"),
            (Area::Bia, "BIA", "/bia"),
            (Area::Plans, "Plans", "/plans"),
            (Area::Suppliers, "Suppliers", "/suppliers"),
            (Area::Risks, "Risks", "/risks"),
            (Area::Tests, "Tests", "/tests"),
            (Area::Posture, "Posture", "/posture"),
            (Area::Actions, "Actions", "/actions"),
            (Area::People, "People", "/people"),
        ];
        if role.reads_audit_log() {
            items.push((Area::Audit, "Audit log", "/audit"));
        }
        if role.manages_users() {
            items.push((Area::Admin, "Users", "/admin/users"));
        }
        items.push((Area::Help, "Help", "/help"));
        items
            .into_iter()
            .map(|(area, label, href)| NavItem {
                label,
                href,
                active: area == self.area,
            })
            .collect()
    }

    /// A moment in the user's time zone, e.g. `2026-11-25 14:05 CET`.
    pub fn when(&self, at: &OffsetDateTime) -> String {
        format_in_zone(*at, &self.time_zone, "%Y-%m-%d %H:%M %Z")
    }

    /// A date in the user's time zone, e.g. `2026-11-25`.
    pub fn date(&self, at: &OffsetDateTime) -> String {
        format_in_zone(*at, &self.time_zone, "%Y-%m-%d")
    }

    pub fn zone(&self) -> &jiff::tz::TimeZone {
        &self.time_zone
    }
}

/// Formats a stored UTC instant in a time zone (`strftime` pattern).
pub fn format_in_zone(at: OffsetDateTime, zone: &jiff::tz::TimeZone, pattern: &str) -> String {
    match jiff::Timestamp::from_second(at.unix_timestamp()) {
        Ok(timestamp) => timestamp
            .to_zoned(zone.clone())
            .strftime(pattern)
            .to_string(),
        Err(_) => at.to_string(),
    }
}

/// Formats seconds since the epoch (as list queries return them) in a time zone.
pub fn format_epoch_in_zone(seconds: i64, zone: &jiff::tz::TimeZone, pattern: &str) -> String {
    match jiff::Timestamp::from_second(seconds) {
        Ok(timestamp) => timestamp
            .to_zoned(zone.clone())
            .strftime(pattern)
            .to_string(),
        Err(_) => seconds.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_are_shown_in_the_users_zone() {
        let zone = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(
            format_in_zone(datetime!(2026-11-25 12:00 UTC), &zone, "%Y-%m-%d %H:%M %Z"),
            "2026-11-25 13:00 CET"
        );
        assert_eq!(
            format_in_zone(datetime!(2026-07-01 12:00 UTC), &zone, "%H:%M %Z"),
            "14:00 CEST"
        );
    }
}
