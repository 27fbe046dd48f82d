//! The demo organisation's estate: a mid-size retailer with about forty IT services over about
//! 150 components in two data centres and a cloud region, the processes that use them, and
//! named owners (the demo service owner owns several services).

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::catalogue::components::{self, ComponentFields};
use crate::db::catalogue::dependencies::{self, DependencyFields};
use crate::db::catalogue::org_units;
use crate::db::catalogue::processes::{self, ProcessFields};
use crate::db::catalogue::services::{self, ServiceFields};
use crate::db::catalogue::sites::{self, SiteFields};
use crate::db::users::{self, NewUser};
use crate::domain::role::Role;

/// Other service owners, so that owners can be told apart (they sign in with the demo password).
pub const OWNERS: &[(&str, &str)] = &[
    ("priya.shah@demo.test", "Priya Shah"),
    ("tom.becker@demo.test", "Tom Becker"),
    ("lena.novak@demo.test", "Lena Novak"),
    ("daniel.okafor@demo.test", "Daniel Okafor"),
    ("sofia.rossi@demo.test", "Sofia Rossi"),
];

/// external id, name, kind, location.
const SITES: &[(&str, &str, &str, &str)] = &[
    (
        "SITE-FRA",
        "Frankfurt DC1",
        "data_centre",
        "Frankfurt am Main, DE",
    ),
    ("SITE-AMS", "Amsterdam DC2", "data_centre", "Amsterdam, NL"),
    ("SITE-EUW1", "Cloud eu-west-1", "cloud_region", "Dublin, IE"),
    ("SITE-HQ", "Head office", "office", "London, UK"),
    (
        "SITE-RDG",
        "Reading recovery centre",
        "alternate_site",
        "Reading, UK",
    ),
];

/// Shared infrastructure: external id, name, class, site, what it needs (external ids).
const INFRASTRUCTURE: &[(&str, &str, &str, &str, &[&str])] = &[
    ("CI-NET-FRA", "core-switch-fra", "network", "SITE-FRA", &[]),
    ("CI-NET-AMS", "core-switch-ams", "network", "SITE-AMS", &[]),
    (
        "CI-FW-FRA",
        "firewall-fra-01",
        "network",
        "SITE-FRA",
        &["CI-NET-FRA"],
    ),
    (
        "CI-FW-AMS",
        "firewall-ams-01",
        "network",
        "SITE-AMS",
        &["CI-NET-AMS"],
    ),
    ("CI-WAN", "wan-mpls-backbone", "network", "", &[]),
    (
        "CI-INET-FRA",
        "internet-uplink-fra",
        "network",
        "SITE-FRA",
        &["CI-FW-FRA"],
    ),
    (
        "CI-INET-AMS",
        "internet-uplink-ams",
        "network",
        "SITE-AMS",
        &["CI-FW-AMS"],
    ),
    ("CI-PWR-FRA", "ups-power-fra", "facility", "SITE-FRA", &[]),
    ("CI-PWR-AMS", "ups-power-ams", "facility", "SITE-AMS", &[]),
    (
        "CI-SAN-FRA",
        "san-fra-01",
        "storage",
        "SITE-FRA",
        &["CI-PWR-FRA", "CI-NET-FRA"],
    ),
    (
        "CI-SAN-AMS",
        "san-ams-01",
        "storage",
        "SITE-AMS",
        &["CI-PWR-AMS", "CI-NET-AMS"],
    ),
    (
        "CI-VM-FRA",
        "vmware-cluster-fra",
        "server",
        "SITE-FRA",
        &["CI-SAN-FRA", "CI-NET-FRA", "CI-PWR-FRA"],
    ),
    (
        "CI-VM-AMS",
        "vmware-cluster-ams",
        "server",
        "SITE-AMS",
        &["CI-SAN-AMS", "CI-NET-AMS", "CI-PWR-AMS"],
    ),
    (
        "CI-K8S",
        "k8s-prod-euw1",
        "cloud_resource",
        "SITE-EUW1",
        &[],
    ),
    (
        "CI-S3",
        "object-storage-euw1",
        "cloud_resource",
        "SITE-EUW1",
        &[],
    ),
    (
        "CI-RDS",
        "managed-postgres-euw1",
        "cloud_resource",
        "SITE-EUW1",
        &[],
    ),
    (
        "CI-AD-1",
        "ad-dc-fra-01",
        "server",
        "SITE-FRA",
        &["CI-VM-FRA"],
    ),
    (
        "CI-AD-2",
        "ad-dc-ams-01",
        "server",
        "SITE-AMS",
        &["CI-VM-AMS"],
    ),
    (
        "CI-SSO",
        "sso-idp",
        "application",
        "SITE-EUW1",
        &["CI-K8S", "CI-AD-1", "CI-AD-2"],
    ),
    (
        "CI-DNS-1",
        "dns-dhcp-fra",
        "server",
        "SITE-FRA",
        &["CI-VM-FRA"],
    ),
    (
        "CI-DNS-2",
        "dns-dhcp-ams",
        "server",
        "SITE-AMS",
        &["CI-VM-AMS"],
    ),
    (
        "CI-BKP",
        "backup-vault",
        "storage",
        "SITE-AMS",
        &["CI-SAN-AMS"],
    ),
    (
        "CI-BKP-CLOUD",
        "backup-copy-euw1",
        "dataset",
        "SITE-EUW1",
        &["CI-S3"],
    ),
    (
        "CI-ESB",
        "integration-bus",
        "application",
        "SITE-FRA",
        &["CI-VM-FRA"],
    ),
    (
        "CI-MON",
        "monitoring-stack",
        "application",
        "SITE-EUW1",
        &["CI-K8S"],
    ),
    (
        "CI-VAULT",
        "secrets-vault",
        "application",
        "SITE-EUW1",
        &["CI-K8S"],
    ),
    ("CI-MAIL", "mail-tenant", "cloud_resource", "SITE-EUW1", &[]),
    (
        "CI-PBX",
        "contact-centre-pbx",
        "application",
        "SITE-HQ",
        &["CI-WAN"],
    ),
    (
        "CI-PRINT",
        "print-server-hq",
        "server",
        "SITE-HQ",
        &["CI-WAN"],
    ),
];

/// A technical service: external id, name, owner, components it needs, services it needs.
type TechnicalService = (
    &'static str,
    &'static str,
    usize,
    &'static [&'static str],
    &'static [&'static str],
);
/// A business service: external id, name, owner, hosting, services it needs, support hours.
type BusinessService = (
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static [&'static str],
    &'static str,
);

/// Technical services: external id, name, owner (0 = the demo owner, n = OWNERS[n-1]),
/// components it needs, technical services it needs.
const TECHNICAL: &[TechnicalService] = &[
    (
        "SVC-NET",
        "Network and connectivity",
        2,
        &[
            "CI-NET-FRA",
            "CI-NET-AMS",
            "CI-FW-FRA",
            "CI-FW-AMS",
            "CI-WAN",
            "CI-INET-FRA",
            "CI-INET-AMS",
        ],
        &[],
    ),
    (
        "SVC-DNS",
        "DNS and DHCP",
        2,
        &["CI-DNS-1", "CI-DNS-2"],
        &["SVC-NET"],
    ),
    (
        "SVC-IAM",
        "Identity and access",
        0,
        &["CI-AD-1", "CI-AD-2", "CI-SSO"],
        &["SVC-NET", "SVC-DNS"],
    ),
    (
        "SVC-VIRT",
        "Virtualisation platform",
        2,
        &["CI-VM-FRA", "CI-VM-AMS"],
        &["SVC-NET"],
    ),
    (
        "SVC-K8S",
        "Container platform",
        4,
        &["CI-K8S", "CI-VAULT"],
        &["SVC-NET"],
    ),
    (
        "SVC-BKP",
        "Backup and restore",
        2,
        &["CI-BKP", "CI-BKP-CLOUD"],
        &["SVC-NET"],
    ),
    (
        "SVC-MON",
        "Monitoring and alerting",
        4,
        &["CI-MON"],
        &["SVC-K8S"],
    ),
    (
        "SVC-ESB",
        "Integration platform",
        4,
        &["CI-ESB"],
        &["SVC-VIRT", "SVC-IAM"],
    ),
    (
        "SVC-MAIL",
        "Email",
        0,
        &["CI-MAIL"],
        &["SVC-IAM", "SVC-DNS"],
    ),
    (
        "SVC-COLLAB",
        "Chat and video meetings",
        0,
        &[],
        &["SVC-IAM", "SVC-NET"],
    ),
    ("SVC-PRINT", "Printing", 2, &["CI-PRINT"], &["SVC-IAM"]),
];

/// Business services: external id, name, owner, hosting ("FRA", "AMS" or "CLOUD"),
/// technical services and other business services it needs, SLA / support hours.
const BUSINESS: &[BusinessService] = &[
    (
        "SVC-SHOP",
        "Online shop",
        1,
        "CLOUD",
        &[
            "SVC-IAM",
            "SVC-K8S",
            "SVC-PAY",
            "SVC-CAT",
            "SVC-OMS",
            "SVC-PRICE",
        ],
        "24×7",
    ),
    (
        "SVC-PAY",
        "Payments gateway",
        1,
        "CLOUD",
        &["SVC-K8S", "SVC-IAM"],
        "24×7",
    ),
    (
        "SVC-CAT",
        "Product catalogue",
        1,
        "CLOUD",
        &["SVC-K8S"],
        "24×7",
    ),
    (
        "SVC-PRICE",
        "Pricing engine",
        5,
        "CLOUD",
        &["SVC-K8S", "SVC-ERP-FIN"],
        "24×7",
    ),
    (
        "SVC-OMS",
        "Order management",
        1,
        "FRA",
        &["SVC-VIRT", "SVC-ESB", "SVC-WMS", "SVC-ERP-FIN"],
        "24×7",
    ),
    (
        "SVC-APP",
        "Mobile app backend",
        1,
        "CLOUD",
        &["SVC-K8S", "SVC-SHOP", "SVC-LOY"],
        "24×7",
    ),
    (
        "SVC-PORTAL",
        "Customer portal",
        3,
        "CLOUD",
        &["SVC-K8S", "SVC-IAM", "SVC-CRM", "SVC-OMS"],
        "24×7",
    ),
    (
        "SVC-LOY",
        "Loyalty programme",
        3,
        "CLOUD",
        &["SVC-K8S", "SVC-CRM"],
        "24×7",
    ),
    (
        "SVC-WMS",
        "Warehouse management",
        0,
        "FRA",
        &["SVC-VIRT", "SVC-IAM", "SVC-NET"],
        "Mon–Sat 05:00–23:00",
    ),
    (
        "SVC-TMS",
        "Transport management",
        0,
        "FRA",
        &["SVC-VIRT", "SVC-ESB", "SVC-WMS"],
        "Mon–Sat 05:00–23:00",
    ),
    (
        "SVC-ERP-FIN",
        "ERP finance",
        5,
        "FRA",
        &["SVC-VIRT", "SVC-IAM", "SVC-BKP"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-ERP-PRO",
        "ERP procurement",
        5,
        "FRA",
        &["SVC-VIRT", "SVC-IAM", "SVC-ERP-FIN"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-EINV",
        "E-invoicing",
        5,
        "FRA",
        &["SVC-ESB", "SVC-ERP-FIN"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-TREAS",
        "Treasury and banking",
        5,
        "AMS",
        &["SVC-VIRT", "SVC-ERP-FIN", "SVC-IAM"],
        "Mon–Fri 07:00–18:00",
    ),
    (
        "SVC-EXP",
        "Expense management",
        5,
        "CLOUD",
        &["SVC-IAM", "SVC-ERP-FIN"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-PAYROLL",
        "Payroll",
        0,
        "AMS",
        &["SVC-VIRT", "SVC-IAM", "SVC-HRIS", "SVC-BKP"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-HRIS",
        "HR information system",
        0,
        "AMS",
        &["SVC-VIRT", "SVC-IAM", "SVC-BKP"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-RECRUIT",
        "Recruitment",
        0,
        "CLOUD",
        &["SVC-IAM", "SVC-HRIS"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-CRM",
        "Customer relationship management",
        3,
        "CLOUD",
        &["SVC-IAM", "SVC-K8S", "SVC-ESB"],
        "Mon–Sat 08:00–20:00",
    ),
    (
        "SVC-DESK",
        "Customer service desk",
        3,
        "CLOUD",
        &["SVC-IAM", "SVC-CRM", "SVC-MAIL"],
        "Mon–Sat 08:00–20:00",
    ),
    (
        "SVC-CALL",
        "Contact centre telephony",
        3,
        "AMS",
        &["SVC-NET", "SVC-CRM"],
        "Mon–Sat 08:00–20:00",
    ),
    (
        "SVC-MKT",
        "Marketing automation",
        3,
        "CLOUD",
        &["SVC-CRM", "SVC-MAIL"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-DMS",
        "Document management",
        2,
        "AMS",
        &["SVC-VIRT", "SVC-IAM", "SVC-BKP"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-INTRA",
        "Intranet",
        2,
        "CLOUD",
        &["SVC-IAM", "SVC-K8S"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-DWH",
        "Data warehouse",
        4,
        "FRA",
        &["SVC-VIRT", "SVC-ESB", "SVC-ERP-FIN", "SVC-OMS", "SVC-CRM"],
        "Mon–Fri 06:00–20:00",
    ),
    (
        "SVC-BI",
        "BI reporting",
        4,
        "CLOUD",
        &["SVC-DWH", "SVC-IAM"],
        "Mon–Fri 06:00–20:00",
    ),
    (
        "SVC-CONTRACT",
        "Contract management",
        5,
        "AMS",
        &["SVC-DMS", "SVC-IAM"],
        "Mon–Fri 08:00–18:00",
    ),
    (
        "SVC-SUPP",
        "Supplier portal",
        5,
        "CLOUD",
        &["SVC-IAM", "SVC-ERP-PRO", "SVC-EINV"],
        "Mon–Fri 07:00–20:00",
    ),
    (
        "SVC-POS",
        "Store point of sale",
        1,
        "AMS",
        &["SVC-NET", "SVC-PAY", "SVC-CAT", "SVC-PRICE"],
        "7 days 07:00–22:00",
    ),
    (
        "SVC-STOCK",
        "Store stock replenishment",
        0,
        "FRA",
        &["SVC-WMS", "SVC-ERP-PRO", "SVC-ESB"],
        "7 days 05:00–22:00",
    ),
];

/// Processes: name, unit, owner, peak periods, services used.
const PROCESSES: &[(&str, &str, usize, &str, &[&str])] = &[
    (
        "Take online orders",
        "E-commerce",
        1,
        "Black Friday to Christmas; Saturday evenings",
        &["SVC-SHOP", "SVC-APP", "SVC-PAY"],
    ),
    (
        "Serve customers in stores",
        "Retail stores",
        1,
        "Saturdays; December",
        &["SVC-POS", "SVC-STOCK"],
    ),
    (
        "Fulfil and ship orders",
        "Logistics",
        0,
        "Mondays after promotions; December",
        &["SVC-OMS", "SVC-WMS", "SVC-TMS"],
    ),
    (
        "Replenish stores",
        "Logistics",
        0,
        "Daily 05:00–09:00",
        &["SVC-STOCK", "SVC-WMS"],
    ),
    (
        "Pay staff",
        "People",
        0,
        "Last three working days of the month",
        &["SVC-PAYROLL", "SVC-HRIS"],
    ),
    (
        "Hire and onboard staff",
        "People",
        0,
        "September; before peak season",
        &["SVC-RECRUIT", "SVC-HRIS", "SVC-IAM"],
    ),
    (
        "Close the books",
        "Finance",
        5,
        "Month end and year end",
        &["SVC-ERP-FIN", "SVC-DWH", "SVC-BI"],
    ),
    (
        "Pay suppliers",
        "Finance",
        5,
        "Weekly payment run on Thursdays",
        &["SVC-ERP-PRO", "SVC-EINV", "SVC-TREAS"],
    ),
    (
        "Manage cash and banking",
        "Finance",
        5,
        "Daily before 11:00",
        &["SVC-TREAS"],
    ),
    (
        "Answer customer enquiries",
        "Customer service",
        3,
        "After promotions; January returns",
        &["SVC-DESK", "SVC-CALL", "SVC-CRM", "SVC-PORTAL"],
    ),
    (
        "Run marketing campaigns",
        "Marketing",
        3,
        "Seasonal campaigns",
        &["SVC-MKT", "SVC-CRM", "SVC-LOY"],
    ),
    (
        "Buy from suppliers",
        "Purchasing",
        5,
        "Pre-season buying windows",
        &["SVC-ERP-PRO", "SVC-SUPP", "SVC-CONTRACT"],
    ),
    (
        "Report to the board",
        "Finance",
        4,
        "Quarter end",
        &["SVC-BI", "SVC-DWH"],
    ),
    (
        "Communicate internally",
        "Corporate services",
        2,
        "",
        &["SVC-MAIL", "SVC-COLLAB", "SVC-INTRA"],
    ),
];

const UNITS: &[&str] = &[
    "E-commerce",
    "Retail stores",
    "Logistics",
    "People",
    "Finance",
    "Customer service",
    "Marketing",
    "Purchasing",
    "Corporate services",
];

fn edge(relation: &str, redundancy: &str) -> DependencyFields {
    DependencyFields {
        relation: relation.into(),
        redundancy: redundancy.into(),
        notes: String::new(),
    }
}

/// Loads the estate; `demo_owner` is `owner@demo.test`, `hash` the demo password's hash.
pub async fn load(
    conn: &mut PgConnection,
    actor: &Actor,
    demo_owner: Uuid,
    hash: &str,
) -> anyhow::Result<()> {
    let mut owners = vec![demo_owner];
    for (email, name) in OWNERS {
        let owner = users::create(
            conn,
            actor,
            NewUser {
                email,
                display_name: name,
                role: Role::ServiceOwner,
                password_hash: hash,
                password_must_change: false,
                time_zone: "Europe/London",
            },
        )
        .await?;
        owners.push(owner.id);
    }

    let mut ids: HashMap<&str, Uuid> = HashMap::new();
    for (external_id, name, kind, location) in SITES {
        let fields = SiteFields {
            name: name.to_string(),
            kind: kind.to_string(),
            location: location.to_string(),
            description: String::new(),
            external_id: external_id.to_string(),
        };
        ids.insert(external_id, sites::create(conn, actor, &fields).await?.id);
    }

    for (external_id, name, class, site, _) in INFRASTRUCTURE {
        let fields = ComponentFields {
            name: name.to_string(),
            class: class.to_string(),
            environment: "production".into(),
            site_id: ids.get(site).copied(),
            description: String::new(),
            external_id: external_id.to_string(),
        };
        ids.insert(
            external_id,
            components::create(conn, actor, &fields).await?.id,
        );
    }
    for (external_id, _, _, _, needs) in INFRASTRUCTURE {
        for need in *needs {
            dependencies::upsert(
                conn,
                actor,
                ids[external_id],
                ids[need],
                &edge("uses", "none"),
            )
            .await?;
        }
    }

    for (external_id, name, owner, _, _) in TECHNICAL {
        let id = create_service(
            conn,
            actor,
            external_id,
            name,
            "technical",
            owners[*owner],
            "24×7",
        )
        .await?;
        ids.insert(external_id, id);
    }
    for (external_id, _, _, parts, needs) in TECHNICAL {
        for part in *parts {
            let redundancy = if part.ends_with("-2") || part.ends_with("-AMS") {
                "active_passive"
            } else {
                "none"
            };
            dependencies::upsert(
                conn,
                actor,
                ids[external_id],
                ids[part],
                &edge("runs_on", redundancy),
            )
            .await?;
        }
        for need in *needs {
            dependencies::upsert(
                conn,
                actor,
                ids[external_id],
                ids[need],
                &edge("uses", "none"),
            )
            .await?;
        }
    }

    for (external_id, name, owner, _, _, hours) in BUSINESS {
        let id = create_service(
            conn,
            actor,
            external_id,
            name,
            "business",
            owners[*owner],
            hours,
        )
        .await?;
        ids.insert(external_id, id);
    }
    for (external_id, name, _, hosting, needs, _) in BUSINESS {
        application_stack(conn, actor, &mut ids, external_id, name, hosting).await?;
        for need in *needs {
            dependencies::upsert(
                conn,
                actor,
                ids[external_id],
                ids[need],
                &edge("uses", "none"),
            )
            .await?;
        }
    }

    let mut units = HashMap::new();
    for unit in UNITS {
        units.insert(*unit, org_units::create(conn, actor, unit, "").await?.id);
    }
    for (name, unit, owner, peaks, uses) in PROCESSES {
        let fields = ProcessFields {
            name: name.to_string(),
            description: String::new(),
            owner_id: Some(owners[*owner]),
            org_unit_id: units.get(unit).copied(),
            peak_periods: peaks.to_string(),
        };
        let process = processes::create(conn, actor, &fields).await?;
        for service in *uses {
            dependencies::upsert(conn, actor, process.id, ids[service], &edge("uses", "none"))
                .await?;
        }
    }
    Ok(())
}

async fn create_service(
    conn: &mut PgConnection,
    actor: &Actor,
    external_id: &str,
    name: &str,
    service_type: &str,
    owner: Uuid,
    hours: &str,
) -> anyhow::Result<Uuid> {
    let fields = ServiceFields {
        name: name.to_string(),
        description: String::new(),
        owner_id: Some(owner),
        service_type: service_type.into(),
        lifecycle: "live".into(),
        sla_reference: format!("SLA-{}", &external_id[4..]),
        support_hours: hours.to_string(),
        external_id: external_id.to_string(),
    };
    Ok(services::create(conn, actor, &fields).await?.id)
}

/// An application and its database; on premises also a standby database at the other data
/// centre, which makes the service's data redundant.
async fn application_stack(
    conn: &mut PgConnection,
    actor: &Actor,
    ids: &mut HashMap<&str, Uuid>,
    service_external_id: &str,
    name: &str,
    hosting: &str,
) -> anyhow::Result<()> {
    let slug: String = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && *word != "and")
        .collect::<Vec<_>>()
        .join("-");
    let (site, platform, storage, standby) = match hosting {
        "FRA" => (
            "SITE-FRA",
            "CI-VM-FRA",
            "CI-SAN-FRA",
            Some(("SITE-AMS", "CI-SAN-AMS")),
        ),
        "AMS" => (
            "SITE-AMS",
            "CI-VM-AMS",
            "CI-SAN-AMS",
            Some(("SITE-FRA", "CI-SAN-FRA")),
        ),
        _ => ("SITE-EUW1", "CI-K8S", "CI-RDS", None),
    };
    let component = |suffix: &str, class: &str, site: &str, environment: &str| ComponentFields {
        name: format!("{slug}-{suffix}"),
        class: class.into(),
        environment: environment.into(),
        site_id: ids.get(site).copied(),
        description: String::new(),
        external_id: format!("CI-{}-{}", &service_external_id[4..], suffix.to_uppercase()),
    };
    let app = components::create(
        conn,
        actor,
        &component("app", "application", site, "production"),
    )
    .await?
    .id;
    let db = components::create(
        conn,
        actor,
        &component("db", "database", site, "production"),
    )
    .await?
    .id;
    if hosting == "CLOUD" {
        dependencies::upsert(conn, actor, app, ids[platform], &edge("runs_on", "none")).await?;
    } else {
        let server =
            components::create(conn, actor, &component("srv", "server", site, "production"))
                .await?
                .id;
        dependencies::upsert(conn, actor, app, server, &edge("runs_on", "none")).await?;
        dependencies::upsert(conn, actor, server, ids[platform], &edge("runs_on", "none")).await?;
    }
    // The nightly backup set the service is restored from.
    let (vault_site, vault) = if hosting == "CLOUD" {
        ("SITE-EUW1", "CI-S3")
    } else {
        ("SITE-AMS", "CI-BKP")
    };
    let backup = components::create(
        conn,
        actor,
        &component("backup", "dataset", vault_site, "production"),
    )
    .await?
    .id;
    dependencies::upsert(
        conn,
        actor,
        backup,
        ids[vault],
        &edge("stores_data_in", "none"),
    )
    .await?;
    dependencies::upsert(conn, actor, app, db, &edge("uses", "none")).await?;
    dependencies::upsert(
        conn,
        actor,
        db,
        ids[storage],
        &edge("stores_data_in", "none"),
    )
    .await?;
    let service = ids[service_external_id];
    dependencies::upsert(conn, actor, service, app, &edge("runs_on", "none")).await?;
    let db_redundancy = if let Some((standby_site, standby_storage)) = standby {
        let replica = components::create(
            conn,
            actor,
            &component("db-standby", "database", standby_site, "disaster_recovery"),
        )
        .await?
        .id;
        dependencies::upsert(
            conn,
            actor,
            replica,
            ids[standby_storage],
            &edge("stores_data_in", "none"),
        )
        .await?;
        dependencies::upsert(
            conn,
            actor,
            service,
            replica,
            &edge("stores_data_in", "active_passive"),
        )
        .await?;
        "active_passive"
    } else {
        "active_active"
    };
    dependencies::upsert(
        conn,
        actor,
        service,
        db,
        &edge("stores_data_in", db_redundancy),
    )
    .await?;
    let mut restore = edge("other", "none");
    restore.notes = "Restore source: nightly backup".into();
    dependencies::upsert(conn, actor, service, backup, &restore).await?;
    Ok(())
}
