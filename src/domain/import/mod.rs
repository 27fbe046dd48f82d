//! Importing the catalogue from CSV files as a CMDB exports them: which columns each kind of file
//! has, reading a file safely, and planning row by row what an import would create, update or
//! refuse (and why) — all pure, so the preview and the confirmation compute the same plan.

pub mod contracts;
mod plan;
mod read;
pub mod risks;

pub use plan::{Action, ExistingNode, PlannedRow, Record, Snapshot, plan};
pub use read::{FileError, Table, read, storable};

/// The four kinds of file an import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Sites,
    Services,
    Components,
    Dependencies,
    Contracts,
    Risks,
}

/// One documented column of an import file.
pub struct ColumnDoc {
    pub name: &'static str,
    pub required: bool,
    pub meaning: &'static str,
}

const fn col(name: &'static str, required: bool, meaning: &'static str) -> ColumnDoc {
    ColumnDoc {
        name,
        required,
        meaning,
    }
}

const SITE_COLUMNS: &[ColumnDoc] = &[
    col(
        "external_id",
        true,
        "Its id in your CMDB: re-importing updates the same site.",
    ),
    col("name", true, "Unique name, e.g. Frankfurt DC1."),
    col(
        "kind",
        true,
        "office, data_centre, alternate_site or cloud_region (labels such as “Data centre” work too).",
    ),
    col("location", false, "Address, city or cloud region code."),
    col("description", false, "Free text."),
];

const SERVICE_COLUMNS: &[ColumnDoc] = &[
    col(
        "external_id",
        true,
        "Its id in your CMDB: re-importing updates the same service.",
    ),
    col("name", true, "Unique name, e.g. Payroll."),
    col("type", true, "business or technical."),
    col(
        "lifecycle",
        false,
        "planned, live (default), retiring or retired.",
    ),
    col(
        "owner_email",
        false,
        "Email of an existing user who owns the service.",
    ),
    col("sla_reference", false, "The SLA that covers it."),
    col("support_hours", false, "E.g. 24×7 or Mon–Fri 08:00–18:00."),
    col("description", false, "Free text."),
];

const COMPONENT_COLUMNS: &[ColumnDoc] = &[
    col(
        "external_id",
        true,
        "Its id in your CMDB: re-importing updates the same component.",
    ),
    col("name", true, "Unique name, e.g. erp-db-01."),
    col(
        "class",
        true,
        "application, database, server, network, storage, facility, cloud_resource or dataset.",
    ),
    col(
        "environment",
        false,
        "production (default), disaster_recovery, staging, test or development.",
    ),
    col(
        "site_external_id",
        false,
        "External id of an existing site where it runs.",
    ),
    col("description", false, "Free text."),
];

const DEPENDENCY_COLUMNS: &[ColumnDoc] = &[
    col(
        "from_external_id",
        true,
        "External id of the service or component that needs the other.",
    ),
    col(
        "to_external_id",
        true,
        "External id of the service, component or site it needs.",
    ),
    col(
        "relation",
        false,
        "uses (default), runs_on, stores_data_in, hosted_at, connects_through, supplied_by or other.",
    ),
    col(
        "redundancy",
        false,
        "none (default), active_active, active_passive or manual_alternative.",
    ),
    col("notes", false, "Free text."),
];

const CONTRACT_COLUMNS: &[ColumnDoc] = &[
    col(
        "reference",
        true,
        "The contract's reference: re-importing updates the same contract.",
    ),
    col("supplier", true, "The name of an existing supplier."),
    col("title", false, "What it covers."),
    col("start_date", false, "YYYY-MM-DD."),
    col("end_date", false, "YYYY-MM-DD."),
    col("auto_renewal", false, "yes or no (default)."),
    col(
        "renewal_notice_days",
        false,
        "Days before the end to stop an automatic renewal.",
    ),
    col(
        "termination_notice_days",
        false,
        "Days of notice to terminate.",
    ),
    col(
        "support_hours",
        false,
        "24x7 or business (default: Mon–Fri 09:00–17:00).",
    ),
    col("guaranteed_recovery", false, "A duration such as 4h."),
    col("guaranteed_rpo", false, "A duration such as 15m."),
    col(
        "bcp_required",
        false,
        "yes or no: must the supplier show a continuity plan?",
    ),
    col("evidence_received_on", false, "YYYY-MM-DD."),
    col("evidence_expires_on", false, "YYYY-MM-DD."),
    col("next_review_on", false, "YYYY-MM-DD."),
    col(
        "supplies",
        false,
        "External ids of the services or components supplied under it, separated by ;",
    ),
];

const RISK_COLUMNS: &[ColumnDoc] = &[
    col(
        "external_id",
        true,
        "Its id in your risk register: re-importing updates the same risk.",
    ),
    col(
        "title",
        true,
        "A few words, e.g. Loss of the primary data centre.",
    ),
    col(
        "bears_on",
        true,
        "External ids of the services, components or sites it bears on, separated by ;",
    ),
    col(
        "owner_email",
        false,
        "Email of an existing user who owns the risk. Empty: a stored risk keeps its owner.",
    ),
    col(
        "inherent_likelihood",
        true,
        "A step of the method's likelihood scale (1–5 by default), before any measure.",
    ),
    col(
        "inherent_impact",
        true,
        "A step of the method's impact scale (1–5 by default), before any measure.",
    ),
    col(
        "residual_likelihood",
        false,
        "With the measures in place; give both residual scores or neither.",
    ),
    col("residual_impact", false, "With the measures in place."),
    col("threat", false, "The name of a threat in the catalogue."),
    col("vulnerability", false, "The weakness the threat exploits."),
    col("cause", false, "Why it would happen."),
    col("event", false, "What happens."),
    col(
        "consequence",
        false,
        "What it does to the services and the business.",
    ),
    col(
        "measures",
        false,
        "Names of risk reduction measures in the catalogue, separated by ;",
    ),
    col("treatment", false, "reduce, transfer, avoid or accept."),
    col(
        "treatment_note",
        false,
        "What is being done, by whom, by when.",
    ),
    col(
        "review_due",
        false,
        "YYYY-MM-DD. Empty: a new risk follows its level; a stored one keeps its date.",
    ),
];

impl ImportKind {
    pub const ALL: [ImportKind; 6] = [
        Self::Sites,
        Self::Services,
        Self::Components,
        Self::Dependencies,
        Self::Contracts,
        Self::Risks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sites => "sites",
            Self::Services => "services",
            Self::Components => "components",
            Self::Dependencies => "dependencies",
            Self::Contracts => "contracts",
            Self::Risks => "risks",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Sites => "Sites",
            Self::Services => "IT services",
            Self::Components => "Components",
            Self::Dependencies => "Dependencies",
            Self::Contracts => "Supplier contracts",
            Self::Risks => "Risks",
        }
    }

    /// The columns of this kind of file; unknown extra columns are ignored.
    pub fn columns(self) -> &'static [ColumnDoc] {
        match self {
            Self::Sites => SITE_COLUMNS,
            Self::Services => SERVICE_COLUMNS,
            Self::Components => COMPONENT_COLUMNS,
            Self::Dependencies => DEPENDENCY_COLUMNS,
            Self::Contracts => CONTRACT_COLUMNS,
            Self::Risks => RISK_COLUMNS,
        }
    }

    pub fn required_columns(self) -> Vec<&'static str> {
        self.columns()
            .iter()
            .filter(|column| column.required)
            .map(|column| column.name)
            .collect()
    }
}
