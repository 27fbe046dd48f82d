//! Typed extractors: `CurrentUser` for any signed-in user, `Authorized<P>` for a permission.
//! A handler that takes one cannot run for anyone else; that is the whole access check.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use uuid::Uuid;

use super::session_cookie;
use crate::db::audit::Actor;
use crate::db::sessions;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::flash::Flash;

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub time_zone: jiff::tz::TimeZone,
    pub time_zone_name: String,
    pub password_must_change: bool,
    /// The message left by the previous request (shown once, on full page loads).
    pub flash: Option<Flash>,
    pub session_token_hash: Vec<u8>,
    pub request_id: Option<String>,
}

impl CurrentUser {
    /// This user as the author of audited changes.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            label: self.email.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

pub fn request_id(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// The signed-in user, even one who must still choose their own password. Only the password
/// change page and signing out take this; every other handler takes [`CurrentUser`], which
/// turns such a user away (see [`AppError::PasswordChangeRequired`]).
pub struct EvenIfPasswordMustChange(pub CurrentUser);

impl FromRequestParts<AppState> for EvenIfPasswordMustChange {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load_session(parts, state).await.map(Self)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    /// Until a user whose password was set by someone else chooses their own, every page but
    /// the password change and sign-out is closed to them: enforced here, for every route.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = load_session(parts, state).await?;
        if user.password_must_change {
            return Err(AppError::PasswordChangeRequired {
                read: parts.method == Method::GET || parts.method == Method::HEAD,
            });
        }
        Ok(user)
    }
}

async fn load_session(parts: &Parts, state: &AppState) -> Result<CurrentUser, AppError> {
    let next = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_default();
    let sign_in = || AppError::SignInRequired {
        next: if parts.method == Method::GET {
            next.clone()
        } else {
            String::new()
        },
    };
    let token = session_cookie::token_from_headers(&parts.headers, state.config.cookie_secure)
        .ok_or_else(sign_in)?;
    let token_hash = session_cookie::token_hash(&token);
    // A flash is consumed only by a full page load, not by htmx fragments or downloads.
    let take_flash = parts.method == Method::GET
        && !parts.headers.contains_key("hx-request")
        && !is_download(parts.uri.path());
    // One read in the common case: the session is marked as seen at most once a minute,
    // and its flash is read (and cleared) only when there is one.
    let found = sessions::find(
        &state.db,
        &token_hash,
        state.config.session_idle_timeout,
        state.config.session_absolute_timeout,
    )
    .await?
    .ok_or_else(sign_in)?;
    let mut found_user = found.user;
    if take_flash && found.has_flash {
        (found_user.flash_kind, found_user.flash_message) =
            sessions::take_flash(&state.db, &token_hash).await?;
    } else if found.seen_is_stale {
        sessions::mark_seen(&state.db, &token_hash).await?;
    }
    let found = found_user;
    let time_zone = jiff::tz::TimeZone::get(&found.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(CurrentUser {
        id: found.user_id,
        email: found.email,
        display_name: found.display_name,
        role: found.role,
        time_zone,
        time_zone_name: found.time_zone,
        password_must_change: found.password_must_change,
        flash: Flash::from_parts(found.flash_kind, found.flash_message),
        session_token_hash: token_hash,
        request_id: request_id(parts),
    })
}

/// Addresses that answer a file rather than a page (`/services.csv`, `/plans/pack.zip`, an
/// offline copy, a contract document): they must leave a waiting message for the next page.
fn is_download(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.contains('.') || path.ends_with("/pack") || path.contains("/documents/")
}

/// A general permission, decided by role alone.
pub trait Permission {
    fn allows(role: Role) -> bool;
}

/// A signed-in user who holds permission `P`; anyone else gets 403.
pub struct Authorized<P: Permission> {
    pub user: CurrentUser,
    permission: PhantomData<P>,
}

impl<P: Permission + Send + Sync> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !P::allows(user.role) {
            return Err(AppError::Forbidden);
        }
        Ok(Self {
            user,
            permission: PhantomData,
        })
    }
}

/// Administer user accounts.
pub struct ManageUsers;
impl Permission for ManageUsers {
    fn allows(role: Role) -> bool {
        role.manages_users()
    }
}

/// Read (and export) the audit log.
pub struct ReadAuditLog;
impl Permission for ReadAuditLog {
    fn allows(role: Role) -> bool {
        role.reads_audit_log()
    }
}

/// Run the practice (continuity managers and administrators).
pub struct ManageContinuity;
impl Permission for ManageContinuity {
    fn allows(role: Role) -> bool {
        role.manages_continuity()
    }
}

/// Read everything the practice holds (administrators, continuity managers and auditors).
pub struct ReadEverything;
impl Permission for ReadEverything {
    fn allows(role: Role) -> bool {
        role != Role::ServiceOwner
    }
}

/// Write plans and the people directory they name: continuity managers, and service owners for
/// their own services (which plans those are is checked per plan).
pub struct DraftPlans;
impl Permission for DraftPlans {
    fn allows(role: Role) -> bool {
        role.manages_continuity() || role == Role::ServiceOwner
    }
}

#[cfg(test)]
mod tests {
    use super::is_download;

    #[test]
    fn files_leave_the_flash_for_the_next_page() {
        assert!(is_download("/services.csv"));
        assert!(is_download("/plans/pack.zip"));
        assert!(is_download("/plans/5f4a/pack"));
        assert!(is_download("/contracts/1/documents/2"));
        assert!(!is_download("/services/5f4a"));
        assert!(!is_download("/"));
    }
}
