//! The catalogues new risks pick from: threats (what could happen, by category) and risk
//! reduction measures (ITIL's proactive measures, by type and status), with the sets a new
//! installation starts from.

use crate::domain::choice::choice_set;

choice_set! {
    /// What kind of source a threat comes from.
    ThreatCategory {
        Natural => "natural", "Natural";
        Environmental => "environmental", "Environmental";
        Technical => "technical", "Technical";
        HumanAccidental => "human_accidental", "Human, accidental";
        HumanDeliberate => "human_deliberate", "Human, deliberate";
        Supplier => "supplier", "Supplier";
        People => "people", "People";
    }
}

choice_set! {
    /// What a measure does about a risk.
    MeasureType {
        Preventive => "preventive", "Preventive";
        Detective => "detective", "Detective";
        Corrective => "corrective", "Corrective";
    }
}

choice_set! {
    /// How far a measure has got: only a verified one has evidence that it works.
    MeasureStatus {
        Planned => "planned", "Planned";
        Implemented => "implemented", "Implemented";
        Verified => "verified", "Verified";
    }
}

/// The threats a new installation starts with: (name, category, description).
pub const STARTING_THREATS: &[(&str, ThreatCategory, &str)] = &[
    (
        "Loss of a data centre",
        ThreatCategory::Environmental,
        "A data centre becomes unusable: fire, flood, structural damage or denial of access.",
    ),
    (
        "Prolonged power cut",
        ThreatCategory::Environmental,
        "Mains power fails for longer than batteries and generator fuel last.",
    ),
    (
        "Cooling failure",
        ThreatCategory::Environmental,
        "Air conditioning fails and equipment overheats or must be shut down.",
    ),
    (
        "Flood",
        ThreatCategory::Natural,
        "River, surface or pipe water reaches equipment or blocks access to a site.",
    ),
    (
        "Fire",
        ThreatCategory::Environmental,
        "Fire or smoke damages equipment, or suppression discharges in a room.",
    ),
    (
        "Severe weather",
        ThreatCategory::Natural,
        "Storm, snow or heat stops staff travelling or damages facilities.",
    ),
    (
        "Earthquake",
        ThreatCategory::Natural,
        "Ground movement damages buildings, power or network links.",
    ),
    (
        "Pandemic absence",
        ThreatCategory::People,
        "A large share of staff cannot work at the same time for weeks.",
    ),
    (
        "Loss of key staff",
        ThreatCategory::People,
        "People who alone know how to run or recover a system leave or are unavailable.",
    ),
    (
        "Industrial action",
        ThreatCategory::People,
        "Staff or a supplier's staff stop work.",
    ),
    (
        "Ransomware",
        ThreatCategory::HumanDeliberate,
        "Malware encrypts systems and backups it can reach, and demands payment.",
    ),
    (
        "Denial of service attack",
        ThreatCategory::HumanDeliberate,
        "Traffic floods internet-facing services until they are unusable.",
    ),
    (
        "Insider sabotage",
        ThreatCategory::HumanDeliberate,
        "Someone with access deletes, alters or disables systems on purpose.",
    ),
    (
        "Theft of equipment",
        ThreatCategory::HumanDeliberate,
        "Hardware or media holding data or running services is stolen.",
    ),
    (
        "Data breach",
        ThreatCategory::HumanDeliberate,
        "Data is taken and systems are isolated while it is investigated.",
    ),
    (
        "Data corruption",
        ThreatCategory::Technical,
        "Data becomes wrong or unreadable and the fault is copied to replicas.",
    ),
    (
        "Storage array failure",
        ThreatCategory::Technical,
        "A storage system fails beyond what its redundancy covers.",
    ),
    (
        "Server hardware failure",
        ThreatCategory::Technical,
        "A server or its components fail and no spare is at hand.",
    ),
    (
        "Network core failure",
        ThreatCategory::Technical,
        "Core switches, routers or firewalls fail and traffic stops.",
    ),
    (
        "DNS failure",
        ThreatCategory::Technical,
        "Names stop resolving, internally or on the internet, and services cannot be found.",
    ),
    (
        "Certificate expiry",
        ThreatCategory::Technical,
        "A TLS or signing certificate expires and connections are refused.",
    ),
    (
        "Failed change",
        ThreatCategory::HumanAccidental,
        "A change or upgrade breaks a service and cannot be rolled back quickly.",
    ),
    (
        "Operator error",
        ThreatCategory::HumanAccidental,
        "A mistaken command deletes or misconfigures production systems.",
    ),
    (
        "Accidental deletion of data",
        ThreatCategory::HumanAccidental,
        "Records or files are deleted by mistake and noticed late.",
    ),
    (
        "Loss of a cloud region",
        ThreatCategory::Supplier,
        "A cloud provider's region or availability zones fail for hours or days.",
    ),
    (
        "Carrier outage",
        ThreatCategory::Supplier,
        "A telecom carrier's network or a leased line fails.",
    ),
    (
        "Key supplier failure",
        ThreatCategory::Supplier,
        "A supplier that runs or supports a service goes out of business or stops delivering.",
    ),
    (
        "SaaS provider outage",
        ThreatCategory::Supplier,
        "A software-as-a-service provider is unavailable or loses data.",
    ),
    (
        "Supply chain compromise",
        ThreatCategory::Supplier,
        "Software or an update from a supplier carries malicious code.",
    ),
    (
        "Loss of building access",
        ThreatCategory::Environmental,
        "An office cannot be entered: police cordon, gas leak, damage nearby.",
    ),
];

/// The measures a new installation starts with: (name, type, description).
pub const STARTING_MEASURES: &[(&str, MeasureType, &str)] = &[
    (
        "UPS and standby generators",
        MeasureType::Preventive,
        "Batteries bridge to generators with fuel for at least 48 hours; tested under load.",
    ),
    (
        "RAID and replicated storage",
        MeasureType::Preventive,
        "Disks are redundant and volumes replicate to a second array.",
    ),
    (
        "Off-site backups",
        MeasureType::Corrective,
        "Backups are copied to another site or provider every day.",
    ),
    (
        "Immutable backups",
        MeasureType::Corrective,
        "A backup copy cannot be altered or deleted before its retention ends.",
    ),
    (
        "Spare equipment",
        MeasureType::Corrective,
        "Spares for critical hardware are held on site or under a four-hour contract.",
    ),
    (
        "Redundant network paths",
        MeasureType::Preventive,
        "Two carriers over diverse routes, with automatic failover.",
    ),
    (
        "Fire detection and suppression",
        MeasureType::Detective,
        "Early smoke detection and gas suppression in equipment rooms.",
    ),
    (
        "Recovery site",
        MeasureType::Corrective,
        "A second site with capacity to run critical services after a disaster.",
    ),
    (
        "Endpoint detection and response",
        MeasureType::Detective,
        "Malware and suspicious behaviour on servers and laptops raise alerts.",
    ),
    (
        "Monitoring and alerting",
        MeasureType::Detective,
        "Service health is watched around the clock and failures page on-call staff.",
    ),
    (
        "Documented runbooks and cross-training",
        MeasureType::Preventive,
        "At least two people can run and recover each critical system.",
    ),
    (
        "Change approval and rollback plans",
        MeasureType::Preventive,
        "Changes to production are reviewed and each has a tested way back.",
    ),
    (
        "Multi-region deployment",
        MeasureType::Preventive,
        "Services run in two cloud regions, either can carry the load.",
    ),
    (
        "Certificate expiry monitoring",
        MeasureType::Detective,
        "Certificates are inventoried and renewals alert weeks ahead.",
    ),
    (
        "Supplier exit plan and escrow",
        MeasureType::Corrective,
        "A way to move a service away from a failed supplier, with source or data in escrow.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back() {
        for category in ThreatCategory::ALL {
            assert_eq!(ThreatCategory::parse(category.as_str()), Some(*category));
        }
        assert_eq!(MeasureStatus::parse("bogus"), None);
    }

    #[test]
    fn the_starting_catalogues_have_unique_names() {
        let mut names: Vec<&str> = STARTING_THREATS.iter().map(|(name, ..)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STARTING_THREATS.len());
        assert_eq!(STARTING_THREATS.len(), 30);
        let mut names: Vec<&str> = STARTING_MEASURES.iter().map(|(name, ..)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STARTING_MEASURES.len());
    }
}
