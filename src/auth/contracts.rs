//! Which supplier contracts a user may open. Managers and auditors read every contract; a service
//! owner reads those their services rely on through dependencies a continuity manager made or
//! confirmed — never through a link the owner made themselves, since rights must not follow from
//! data a person can write. Every page that shows or lists contracts asks here.

use std::collections::HashSet;

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::catalogue::entries::Entry;
use crate::db::suppliers::readable;
use crate::domain::graph::NodeKind;
use crate::domain::role::Role;

/// What a contract the reader may not open is called wherever the graph shows it.
pub const CONCEALED_NAME: &str = "A supplier contract";

pub enum ContractAccess {
    All,
    Only(HashSet<Uuid>),
}

impl ContractAccess {
    /// One query for a service owner, none for anyone else.
    pub async fn of(db: impl PgExecutor<'_>, user: &CurrentUser) -> sqlx::Result<Self> {
        if user.role != Role::ServiceOwner {
            return Ok(Self::All);
        }
        Ok(Self::Only(readable::reached_by_owner(db, user.id).await?))
    }

    pub fn may_read(&self, contract: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Only(ids) => ids.contains(&contract),
        }
    }

    /// The readable contracts, or `None` for all.
    pub fn into_only(self) -> Option<HashSet<Uuid>> {
        match self {
            Self::All => None,
            Self::Only(ids) => Some(ids),
        }
    }

    /// Hides the name and link of a contract entry the reader may not open; other entries
    /// are left as they are.
    pub fn conceal(&self, entry: &mut Entry) {
        if entry.kind == NodeKind::Contract && !self.may_read(entry.id) {
            CONCEALED_NAME.clone_into(&mut entry.name);
            entry.subtype.clear();
            entry.concealed = true;
        }
    }
}
