//! The four roles and what each may do in general; per-object rules live with their feature.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Administrator,
    ContinuityManager,
    ServiceOwner,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::ContinuityManager,
        Role::ServiceOwner,
        Role::Auditor,
    ];

    /// The value stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::ContinuityManager => "continuity_manager",
            Role::ServiceOwner => "service_owner",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::ContinuityManager => "Continuity manager",
            Role::ServiceOwner => "Service owner",
            Role::Auditor => "Auditor",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Role::Administrator => "a continuity manager who also manages user accounts",
            Role::ContinuityManager => "runs the practice: BIA, plans, tests, suppliers, approvals",
            Role::ServiceOwner => "answers BIA questionnaires and maintains plans for own services",
            Role::Auditor => "reads everything and exports evidence, changes nothing",
        }
    }

    /// Administrators and continuity managers run the practice.
    pub fn manages_continuity(self) -> bool {
        matches!(self, Role::Administrator | Role::ContinuityManager)
    }

    pub fn manages_users(self) -> bool {
        self == Role::Administrator
    }

    pub fn reads_audit_log(self) -> bool {
        matches!(
            self,
            Role::Administrator | Role::ContinuityManager | Role::Auditor
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_administrators_manage_users() {
        let managers: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.manages_users())
            .collect();
        assert_eq!(managers, vec![Role::Administrator]);
    }

    #[test]
    fn service_owners_do_not_read_the_audit_log() {
        assert!(!Role::ServiceOwner.reads_audit_log());
        assert!(Role::Auditor.reads_audit_log());
    }
}
