//! Who may change whom in the directory. What a plan in force prints about a person is part of
//! what was approved, so a service owner changes only their own entry and people no one else's
//! plan relies on: those named only in plans of their services, and in no approved or in-review
//! plan that also covers someone else's. Managers change everyone; auditors no one.

use sqlx::PgExecutor;

use crate::auth::CurrentUser;
use crate::db::plans::people::{self, Person};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};

pub async fn may_edit(
    db: impl PgExecutor<'_>,
    user: &CurrentUser,
    person: &Person,
) -> AppResult<bool> {
    Ok(match user.role {
        Role::Administrator | Role::ContinuityManager => true,
        Role::Auditor => false,
        Role::ServiceOwner => match person.user_id {
            Some(account) => account == user.id,
            None => !people::named_beyond_owner(db, person.id, user.id).await?,
        },
    })
}

pub async fn ensure_may_edit(
    db: impl PgExecutor<'_>,
    user: &CurrentUser,
    person: &Person,
) -> AppResult<()> {
    if may_edit(db, user, person).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
