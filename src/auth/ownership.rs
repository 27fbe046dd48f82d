//! The one place that decides whether a user may act on an object that has an owner
//! (a service owner acts on *their* services; continuity managers on all).

use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;

/// Managers may act on anything; anyone else only on what they own. Auditors never write.
pub fn may_edit_owned(user: &CurrentUser, owner_id: Option<Uuid>) -> bool {
    user.role.manages_continuity()
        || (user.role == crate::domain::role::Role::ServiceOwner && owner_id == Some(user.id))
}

pub fn ensure_may_edit_owned(user: &CurrentUser, owner_id: Option<Uuid>) -> Result<(), AppError> {
    if may_edit_owned(user, owner_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
