//! Which supplier contracts a user may open. Managers and auditors read every contract; a service
//! owner reads those their services rely on through dependencies a continuity manager made or
//! confirmed — never through a link the owner made themselves, since rights must not follow from
//! data a person can write. Every page that shows or lists contracts asks here.

use std::collections::HashSet;

use std::sync::Arc;

use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::catalogue::entries::Entry;
use crate::db::suppliers::readable;
use crate::domain::graph::NodeKind;
use crate::domain::role::Role;
use crate::state::AppState;

/// What a contract the reader may not open is called wherever the graph shows it.
pub const CONCEALED_NAME: &str = "A supplier contract";

pub enum ContractAccess {
    All,
    Only(Arc<HashSet<Uuid>>),
}

/// How long an owner's readable contracts are kept at most, whatever the fingerprint says (two
/// transactions committing out of order can leave it unmoved).
pub const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(10);

impl ContractAccess {
    /// Nothing to read for managers and auditors. For a service owner, the walk through the
    /// graph is kept per owner until the graph or a service changes (one indexed query to tell).
    pub async fn of(state: &AppState, user: &CurrentUser) -> sqlx::Result<Self> {
        if user.role != Role::ServiceOwner {
            return Ok(Self::All);
        }
        let fingerprint = readable::fingerprint(&state.db).await?;
        let ids = state
            .readable_contracts
            .get_or_compute(user.id, fingerprint, async {
                readable::reached_by_owner(&state.db, user.id)
                    .await
                    .map(Arc::new)
            })
            .await?;
        Ok(Self::Only(ids))
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
            Self::Only(ids) => Some(Arc::unwrap_or_clone(ids)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: NodeKind, name: &str) -> Entry {
        Entry {
            id: Uuid::new_v4(),
            kind,
            name: name.into(),
            subtype: "strategic".into(),
            owner_id: None,
            archived: false,
            tier: None,
            concealed: false,
        }
    }

    #[test]
    fn a_contract_the_reader_may_not_open_loses_its_name_and_link() {
        let mut hidden = entry(NodeKind::Contract, "Acme · SECRET-1");
        let mut readable = entry(NodeKind::Contract, "Acme · OPEN-1");
        let access = ContractAccess::Only(Arc::new(HashSet::from([readable.id])));
        access.conceal(&mut hidden);
        access.conceal(&mut readable);
        assert_eq!(hidden.name, CONCEALED_NAME);
        assert!(hidden.link().is_empty() && hidden.subtype.is_empty());
        assert_eq!(readable.name, "Acme · OPEN-1");
        assert_eq!(readable.link(), format!("/contracts/{}", readable.id));
    }

    #[test]
    fn other_nodes_and_readers_of_everything_are_left_alone() {
        let mut service = entry(NodeKind::Service, "Payroll");
        ContractAccess::Only(Arc::default()).conceal(&mut service);
        assert_eq!(service.name, "Payroll");
        let mut contract = entry(NodeKind::Contract, "Acme · SECRET-1");
        ContractAccess::All.conceal(&mut contract);
        assert!(!contract.concealed);
    }
}
