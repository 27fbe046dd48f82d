//! What a plan version holds, structured rather than one long document: the services it covers,
//! sections of prose, who may invoke it, the roles and who fills them, the call tree and the
//! recovery steps. Stored as one JSON value per version, so a version is a snapshot that can be
//! compared with another and never changes once submitted.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::steps::{Step, schedule};

/// The three kinds of document that go through plan approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanKind {
    /// How the organisation keeps its IT services going through a disruption.
    Itscm,
    /// How a service or group of services is technically recovered (disaster recovery).
    Recovery,
    /// The agreed scope of the continuity practice and its policies.
    Policy,
}

impl PlanKind {
    pub const ALL: [Self; 3] = [Self::Itscm, Self::Recovery, Self::Policy];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Itscm => "itscm",
            Self::Recovery => "recovery",
            Self::Policy => "policy",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Itscm => "ITSCM plan",
            Self::Recovery => "IT recovery plan",
            Self::Policy => "ITSCM policy and scope",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Itscm => "how the organisation keeps its IT services going through a disruption",
            Self::Recovery => {
                "how services are technically recovered: the disaster recovery runbook"
            }
            Self::Policy => {
                "the agreed scope of the continuity practice and its policies; approved like a plan"
            }
        }
    }

    /// Policies govern the practice rather than recover anything: no steps or call tree needed.
    pub fn is_operational(self) -> bool {
        self != Self::Policy
    }

    /// The headings a new plan of this kind starts with, each with a hint of what belongs there.
    pub fn starting_sections(self) -> Vec<Section> {
        let section = |title: &str, body: &str| Section {
            title: title.to_owned(),
            body: body.to_owned(),
        };
        match self {
            Self::Itscm => vec![
                section(
                    "Purpose and scope",
                    "What this plan covers and what it does not.",
                ),
                section(
                    "Recovery strategy",
                    "How the services continue: alternate site, standby systems, manual workarounds.",
                ),
                section(
                    "Assumptions",
                    "What the plan relies on, e.g. staff can reach the recovery centre.",
                ),
            ],
            Self::Recovery => vec![
                section(
                    "Purpose and scope",
                    "Which systems this runbook recovers, and to where.",
                ),
                section(
                    "Prerequisites",
                    "Backups, credentials, licences and access the team needs before starting.",
                ),
                section(
                    "Return to normal",
                    "How to fail back to the primary site once it is repaired.",
                ),
            ],
            Self::Policy => vec![
                section(
                    "Scope",
                    "The services, sites and organisation units the practice covers.",
                ),
                section(
                    "Policy statements",
                    "The commitments: BIA every year, plans reviewed, tests by tier.",
                ),
                section(
                    "Roles and responsibilities",
                    "Who owns the practice, who approves plans.",
                ),
            ],
        }
    }
}

/// A titled piece of prose, written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Section {
    pub title: String,
    pub body: String,
}

/// When the plan is invoked and who decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Invocation {
    /// The situations that justify invoking the plan (Markdown).
    pub criteria: String,
    /// The person who decides to invoke.
    pub authority: Option<Uuid>,
    /// Who decides when the authority cannot be reached.
    pub successor: Option<Uuid>,
}

/// A responsibility during recovery, filled by a person with an alternate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Role {
    pub name: String,
    pub duties: String,
    pub person: Option<Uuid>,
    pub alternate: Option<Uuid>,
}

/// One call in the call tree: `caller` phones `callee`, in the order the calls are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub caller: Uuid,
    pub callee: Uuid,
    /// What the caller does when the callee cannot be reached.
    pub if_unreachable: String,
}

/// Everything a version holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PlanContent {
    #[serde(default)]
    pub services: Vec<Uuid>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub invocation: Invocation,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub call_tree: Vec<Call>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl PlanContent {
    /// A new plan's first draft: the kind's starting sections and nothing else.
    pub fn starting(kind: PlanKind, services: Vec<Uuid>) -> Self {
        Self {
            services,
            sections: kind.starting_sections(),
            ..Self::default()
        }
    }

    /// The estimated recovery time in whole minutes, as stored beside a version: when the last
    /// activation or recovery step ends (see [`super::steps::Schedule::recovered`]). `None` without steps or while
    /// they cannot be scheduled.
    pub fn estimated_recovery_minutes(&self) -> Option<i32> {
        if self.steps.is_empty() {
            return None;
        }
        schedule(&self.steps)
            .ok()
            .and_then(|scheduled| i32::try_from(scheduled.recovered.minutes()).ok())
    }

    /// Everyone the version names, each once, in the order they first appear.
    pub fn people(&self) -> Vec<Uuid> {
        let mut seen = Vec::new();
        let named = [self.invocation.authority, self.invocation.successor]
            .into_iter()
            .chain(
                self.roles
                    .iter()
                    .flat_map(|role| [role.person, role.alternate]),
            )
            .flatten()
            .chain(
                self.call_tree
                    .iter()
                    .flat_map(|call| [call.caller, call.callee]),
            );
        for person in named {
            if !seen.contains(&person) {
                seen.push(person);
            }
        }
        seen
    }

    /// The people named in the roles, as person or alternate: those asked to acknowledge.
    pub fn role_holders(&self) -> Vec<Uuid> {
        let mut holders = Vec::new();
        for person in self
            .roles
            .iter()
            .flat_map(|role| [role.person, role.alternate])
            .flatten()
        {
            if !holders.contains(&person) {
                holders.push(person);
            }
        }
        holders
    }

    /// What is still missing before the version can be submitted, as sentences; empty when it
    /// is complete. Mistakes that make the content inconsistent (a cycle in the steps, a call
    /// tree that loops) are refused when the draft is saved, so they are not repeated here.
    pub fn missing_for_submission(&self, kind: PlanKind) -> Vec<String> {
        let mut missing = Vec::new();
        if !self
            .sections
            .iter()
            .any(|section| !section.body.trim().is_empty())
        {
            missing.push("Write at least one section.".to_owned());
        }
        if !kind.is_operational() {
            return missing;
        }
        if self.services.is_empty() {
            missing.push("Choose the services the plan covers.".to_owned());
        }
        if self.invocation.criteria.trim().is_empty() {
            missing.push("Say when the plan is invoked (invocation criteria).".to_owned());
        }
        if self.invocation.authority.is_none() {
            missing.push("Name the invocation authority.".to_owned());
        }
        if self.invocation.successor.is_none() {
            missing.push("Name a successor to the invocation authority.".to_owned());
        }
        if self.roles.is_empty() {
            missing.push("Add at least one role.".to_owned());
        }
        for role in &self.roles {
            if role.person.is_none() {
                missing.push(format!("Name the person for the role “{}”.", role.name));
            }
            if role.alternate.is_none() {
                missing.push(format!("Name an alternate for the role “{}”.", role.name));
            }
        }
        if self.call_tree.is_empty() {
            missing.push("Build the call tree: who calls whom.".to_owned());
        }
        if self.steps.is_empty() {
            missing.push("Add the recovery steps.".to_owned());
        } else if let Err(error) = schedule(&self.steps) {
            missing.push(error.to_string());
        }
        missing
    }
}

#[cfg(test)]
mod tests;
