//! The vocabulary of the service catalogue: the choices each field offers, with labels and the
//! one-line explanations forms show, and which dependencies make sense between which kinds.

use super::graph::NodeKind;

/// A closed set of choices stored as text: stored value, label, explanation.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub help: &'static str,
}

pub(crate) const fn choice(value: &'static str, label: &'static str, help: &'static str) -> Choice {
    Choice { value, label, help }
}

pub const SERVICE_TYPES: &[Choice] = &[
    choice(
        "business",
        "Business service",
        "used directly by the business, e.g. Online shop",
    ),
    choice(
        "technical",
        "Technical service",
        "supports other services, e.g. Identity, Backup",
    ),
];

pub const LIFECYCLES: &[Choice] = &[
    choice("planned", "Planned", "being designed or built"),
    choice("live", "Live", "in production use"),
    choice("retiring", "Retiring", "still running, being replaced"),
    choice("retired", "Retired", "no longer running"),
];

pub const COMPONENT_CLASSES: &[Choice] = &[
    choice("application", "Application", "software that runs a service"),
    choice("database", "Database", "a database instance or cluster"),
    choice("server", "Server", "a physical or virtual machine"),
    choice("network", "Network", "links, firewalls, load balancers"),
    choice("storage", "Storage", "SAN, NAS, object storage"),
    choice("facility", "Facility", "power, cooling, building"),
    choice(
        "cloud_resource",
        "Cloud resource",
        "a managed cloud service or account",
    ),
    choice(
        "dataset",
        "Dataset",
        "data that must be restored, e.g. a backup set",
    ),
];

pub const ENVIRONMENTS: &[Choice] = &[
    choice("production", "Production", "serves the business"),
    choice(
        "disaster_recovery",
        "Disaster recovery",
        "standby for production",
    ),
    choice("staging", "Staging", "pre-production"),
    choice("test", "Test", "testing only"),
    choice("development", "Development", "development only"),
];

pub const SITE_KINDS: &[Choice] = &[
    choice("office", "Office", "where people work"),
    choice("data_centre", "Data centre", "a primary hosting site"),
    choice(
        "alternate_site",
        "Alternate site",
        "where work or systems move in a disaster",
    ),
    choice(
        "cloud_region",
        "Cloud region",
        "a provider's region, e.g. eu-west-1",
    ),
];

pub const RELATIONS: &[Choice] = &[
    choice("uses", "Uses", "needs it to work"),
    choice("runs_on", "Runs on", "is hosted by it"),
    choice("stores_data_in", "Stores data in", "keeps its data there"),
    choice("hosted_at", "Hosted at", "is physically located there"),
    choice(
        "connects_through",
        "Connects through",
        "reaches users or others through it",
    ),
    choice(
        "supplied_by",
        "Supplied by",
        "a supplier provides it under a contract",
    ),
    choice("other", "Other", "explain in the notes"),
];

pub const REDUNDANCIES: &[Choice] = &[
    choice("none", "None", "if it fails, this fails"),
    choice(
        "active_active",
        "Active–active",
        "a second instance carries load all the time",
    ),
    choice(
        "active_passive",
        "Active–passive",
        "a standby takes over on failure",
    ),
    choice(
        "manual_alternative",
        "Manual alternative",
        "people can work around it for a while",
    ),
];

/// The label of a stored value, or the value itself when unknown.
pub fn label_of(choices: &[Choice], value: &str) -> String {
    choices
        .iter()
        .find(|choice| choice.value == value)
        .map(|choice| choice.label.to_string())
        .unwrap_or_else(|| value.to_string())
}

pub fn is_choice(choices: &[Choice], value: &str) -> bool {
    choices.iter().any(|choice| choice.value == value)
}

/// Which kinds may depend on which: a process needs services; a service needs services,
/// components and contracts; a component needs components, sites and contracts.
pub fn dependency_allowed(from: NodeKind, to: NodeKind) -> bool {
    use NodeKind::*;
    matches!(
        (from, to),
        (Process, Service)
            | (Service, Service)
            | (Service, Component)
            | (Service, Contract)
            | (Component, Component)
            | (Component, Site)
            | (Component, Contract)
    )
}

/// The sentence shown when a dependency between two kinds is refused.
pub fn dependency_refusal(from: NodeKind, to: NodeKind) -> String {
    format!(
        "A {} cannot depend on a {}: processes need services, services need services and components, components need components and sites.",
        from.label().to_lowercase(),
        to.label().to_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_layers_allow_only_downward_dependencies() {
        assert!(dependency_allowed(NodeKind::Process, NodeKind::Service));
        assert!(dependency_allowed(NodeKind::Component, NodeKind::Site));
        assert!(!dependency_allowed(NodeKind::Site, NodeKind::Component));
        assert!(!dependency_allowed(NodeKind::Service, NodeKind::Process));
        assert!(!dependency_allowed(NodeKind::Process, NodeKind::Component));
    }

    #[test]
    fn labels_fall_back_to_the_stored_value() {
        assert_eq!(label_of(SITE_KINDS, "data_centre"), "Data centre");
        assert_eq!(label_of(SITE_KINDS, "moon_base"), "moon_base");
    }

    #[test]
    fn every_choice_set_has_unique_values() {
        for set in [
            SERVICE_TYPES,
            LIFECYCLES,
            COMPONENT_CLASSES,
            ENVIRONMENTS,
            SITE_KINDS,
            RELATIONS,
            REDUNDANCIES,
        ] {
            let mut values: Vec<_> = set.iter().map(|c| c.value).collect();
            values.sort_unstable();
            values.dedup();
            assert_eq!(values.len(), set.len());
        }
    }
}
