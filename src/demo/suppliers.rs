//! The demo's suppliers: a cloud provider, a colocation company, a network carrier, an ERP
//! vendor, a backup service and others, with contracts linked to the services they supply. Some
//! contracts leave gaps (business-hours support behind a short RTO, no continuity terms behind a
//! mission-critical service), one's notice date is twenty days away, one's evidence has expired.

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::catalogue::dependencies::{self, DependencyFields};
use crate::db::catalogue::services;
use crate::db::suppliers::contracts::{self, ContractFields};
use crate::db::suppliers::suppliers_table::{
    self as supplier_rows, EscalationLevel, SupplierFields,
};

struct DemoContract {
    reference: &'static str,
    title: &'static str,
    /// Days from today; negative is in the past.
    starts: i64,
    ends: i64,
    auto_renewal: bool,
    notice_days: i32,
    support: &'static str,
    recovery_minutes: Option<i32>,
    rpo_minutes: Option<i32>,
    bcp_required: bool,
    /// Evidence received and expiring, in days from today.
    evidence: Option<(i64, i64)>,
    /// External ids of the services supplied under it.
    services: &'static [&'static str],
}

struct DemoSupplier {
    name: &'static str,
    category: &'static str,
    phone: &'static str,
    email: &'static str,
    /// name, role, phone, hours
    escalation: &'static [(&'static str, &'static str, &'static str, &'static str)],
    contracts: &'static [DemoContract],
}

const fn contract(
    reference: &'static str,
    title: &'static str,
    ends: i64,
    support: &'static str,
    recovery_minutes: Option<i32>,
    services: &'static [&'static str],
) -> DemoContract {
    DemoContract {
        reference,
        title,
        starts: -700,
        ends,
        auto_renewal: true,
        notice_days: 90,
        support,
        recovery_minutes,
        rpo_minutes: None,
        bcp_required: true,
        evidence: Some((-200, 165)),
        services,
    }
}

const SUPPLIERS: &[DemoSupplier] = &[
    DemoSupplier {
        name: "Stratus Cloud",
        category: "strategic",
        phone: "+44 20 7946 0200",
        email: "enterprise-support@stratus.example",
        escalation: &[
            (
                "Support desk",
                "Severity 1 line",
                "+44 20 7946 0201",
                "24×7",
            ),
            (
                "Claire Dubois",
                "Technical account manager",
                "+44 7700 900140",
                "Mon–Fri 08:00–18:00",
            ),
            (
                "Duty incident director",
                "Escalation manager",
                "+44 20 7946 0202",
                "24×7",
            ),
        ],
        contracts: &[DemoContract {
            rpo_minutes: Some(15),
            ..contract(
                "STR-ENT-2025",
                "Cloud region hosting and managed Kubernetes",
                420,
                "24x7",
                Some(240),
                &["SVC-K8S", "SVC-SHOP"],
            )
        }],
    },
    DemoSupplier {
        name: "Equinox Colocation",
        category: "strategic",
        phone: "+44 20 7946 0210",
        email: "noc@equinox-colo.example",
        escalation: &[(
            "Network operations centre",
            "NOC",
            "+44 20 7946 0211",
            "24×7",
        )],
        contracts: &[DemoContract {
            evidence: Some((-500, -20)),
            ..contract(
                "EQX-DC1-7731",
                "Racks, power and cooling in DC1",
                600,
                "24x7",
                Some(480),
                &["SVC-VIRT"],
            )
        }],
    },
    DemoSupplier {
        name: "NorthLink Carrier",
        category: "strategic",
        phone: "+44 20 7946 0130",
        email: "p1@northlink.example",
        escalation: &[
            (
                "Raj Patel",
                "On-call network engineer",
                "+44 7700 900130",
                "24×7",
            ),
            (
                "Service manager",
                "Account service manager",
                "+44 20 7946 0131",
                "Mon–Fri 09:00–17:00",
            ),
        ],
        contracts: &[contract(
            "NL-MPLS-2024",
            "MPLS WAN and internet breakout",
            300,
            "24x7",
            Some(240),
            &["SVC-NET"],
        )],
    },
    DemoSupplier {
        name: "Ledgerline ERP",
        category: "tactical",
        phone: "+44 20 7946 0220",
        email: "support@ledgerline.example",
        escalation: &[(
            "Support line",
            "Application support",
            "+44 20 7946 0221",
            "Mon–Fri 09:00–17:00",
        )],
        contracts: &[DemoContract {
            bcp_required: false,
            evidence: None,
            ..contract(
                "LL-SUP-88213",
                "ERP application support and hosting",
                250,
                "business",
                Some(1440),
                &["SVC-ERP-FIN", "SVC-ERP-PRO"],
            )
        }],
    },
    DemoSupplier {
        name: "VaultSafe Backup",
        category: "strategic",
        phone: "+44 20 7946 0230",
        email: "restore@vaultsafe.example",
        escalation: &[(
            "Restore desk",
            "Restore engineer",
            "+44 20 7946 0231",
            "24×7",
        )],
        contracts: &[DemoContract {
            rpo_minutes: Some(1440),
            ..contract(
                "VS-BKP-2025",
                "Off-site backup copies and restore service",
                500,
                "24x7",
                Some(360),
                &["SVC-BKP", "SVC-DWH"],
            )
        }],
    },
    DemoSupplier {
        name: "PayBridge",
        category: "strategic",
        phone: "+44 20 7946 0240",
        email: "merchant-ops@paybridge.example",
        escalation: &[(
            "Merchant operations",
            "Incident desk",
            "+44 20 7946 0241",
            "24×7",
        )],
        contracts: &[DemoContract {
            // Ends in 110 days with 90 days' notice: the notice date is 20 days away.
            rpo_minutes: Some(0),
            ..contract(
                "PB-MERCH-5521",
                "Card acquiring and payment gateway",
                110,
                "24x7",
                Some(120),
                &["SVC-PAY"],
            )
        }],
    },
    DemoSupplier {
        name: "TillTech Retail Systems",
        category: "operational",
        phone: "+44 20 7946 0250",
        email: "helpdesk@tilltech.example",
        escalation: &[(
            "Helpdesk",
            "Store systems support",
            "+44 20 7946 0251",
            "Mon–Sat 08:00–20:00",
        )],
        contracts: &[DemoContract {
            bcp_required: false,
            evidence: None,
            ..contract(
                "TT-POS-3310",
                "Till hardware maintenance and POS software licences",
                380,
                "custom",
                None,
                &["SVC-POS"],
            )
        }],
    },
    DemoSupplier {
        name: "SecureID",
        category: "strategic",
        phone: "+44 20 7946 0260",
        email: "soc@secureid.example",
        escalation: &[("Security operations", "SOC", "+44 20 7946 0261", "24×7")],
        contracts: &[contract(
            "SID-IDP-2025",
            "Identity provider and MFA",
            540,
            "24x7",
            Some(60),
            &["SVC-IAM"],
        )],
    },
    DemoSupplier {
        name: "MailHarbor",
        category: "operational",
        phone: "+44 20 7946 0270",
        email: "support@mailharbor.example",
        escalation: &[],
        contracts: &[contract(
            "MH-ENT-1120",
            "Hosted email and calendars",
            200,
            "24x7",
            Some(480),
            &["SVC-MAIL"],
        )],
    },
    DemoSupplier {
        name: "Voxline Telephony",
        category: "tactical",
        phone: "+44 20 7946 0280",
        email: "care@voxline.example",
        escalation: &[(
            "Customer care",
            "Service desk",
            "+44 20 7946 0281",
            "Mon–Fri 08:00–18:00",
        )],
        contracts: &[contract(
            "VX-CC-4410",
            "Contact centre telephony platform",
            150,
            "business",
            Some(480),
            &["SVC-CALL"],
        )],
    },
    DemoSupplier {
        name: "Deskflow",
        category: "operational",
        phone: "+44 20 7946 0290",
        email: "help@deskflow.example",
        escalation: &[],
        contracts: &[DemoContract {
            // Ends in 45 days with 60 days' notice: too late to give notice.
            notice_days: 60,
            ..contract(
                "DF-ITSM-0042",
                "Service desk tool subscription",
                45,
                "business",
                Some(1440),
                &["SVC-DESK"],
            )
        }],
    },
    DemoSupplier {
        name: "OfficeWorks Facilities",
        category: "commodity",
        phone: "+44 20 7946 0120",
        email: "helpdesk@officeworks.example",
        escalation: &[(
            "Hannah Weber",
            "Facilities manager",
            "+44 7700 900120",
            "Mon–Fri 07:00–19:00",
        )],
        contracts: &[DemoContract {
            bcp_required: false,
            evidence: None,
            auto_renewal: false,
            ..contract(
                "OW-FM-2026",
                "Head office facilities management",
                700,
                "business",
                None,
                &[],
            )
        }],
    },
];

fn day(today: Date, offset: i64) -> Option<Date> {
    today.checked_add(Duration::days(offset))
}

pub async fn load(conn: &mut PgConnection, actor: &Actor) -> anyhow::Result<()> {
    let today = OffsetDateTime::now_utc().date();
    let manager: Option<Uuid> = crate::db::users::id_by_email(conn, "manager@demo.test").await?;
    for demo in SUPPLIERS {
        let supplier = supplier_rows::create(
            conn,
            actor,
            &SupplierFields {
                name: demo.name.into(),
                category: demo.category.into(),
                website: String::new(),
                email: demo.email.into(),
                phone: demo.phone.into(),
                address: String::new(),
                notes: String::new(),
                escalation: demo
                    .escalation
                    .iter()
                    .enumerate()
                    .map(|(index, (name, role, phone, hours))| EscalationLevel {
                        level: u8::try_from(index + 1).unwrap_or(1),
                        name: (*name).into(),
                        role: (*role).into(),
                        phone: (*phone).into(),
                        hours: (*hours).into(),
                    })
                    .collect(),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo supplier {}: {error}", demo.name))?;
        for terms in demo.contracts {
            let custom = terms.support == "custom";
            let created = contracts::create(
                conn,
                actor,
                &ContractFields {
                    supplier_id: supplier.id,
                    reference: terms.reference.into(),
                    title: terms.title.into(),
                    start_date: day(today, terms.starts),
                    end_date: day(today, terms.ends),
                    auto_renewal: terms.auto_renewal,
                    renewal_notice_days: terms.auto_renewal.then_some(terms.notice_days),
                    termination_notice_days: Some(terms.notice_days),
                    support_hours: terms.support.into(),
                    support_days: if custom { "1111110" } else { "1111100" }.into(),
                    support_from_minute: if custom { 8 * 60 } else { 9 * 60 },
                    support_to_minute: if custom { 20 * 60 } else { 17 * 60 },
                    response_minutes: Some(30),
                    onsite_minutes: Some(240),
                    guaranteed_recovery_minutes: terms.recovery_minutes,
                    guaranteed_rpo_minutes: terms.rpo_minutes,
                    availability_percent: Some(99.9),
                    regional_priority: if terms.support == "24x7" {
                        "guaranteed"
                    } else {
                        "unspecified"
                    }
                    .into(),
                    right_to_audit: terms.bcp_required,
                    test_participation: terms.bcp_required,
                    bcp_required: terms.bcp_required,
                    bcp_evidence_received_on: terms
                        .evidence
                        .and_then(|(received, _)| day(today, received)),
                    bcp_evidence_expires_on: terms
                        .evidence
                        .and_then(|(_, expires)| day(today, expires)),
                    exit_plan: String::new(),
                    owner_id: manager,
                    next_review_on: day(today, terms.ends.min(365) - 30),
                    notes: String::new(),
                },
            )
            .await
            .map_err(|error| anyhow::anyhow!("demo contract {}: {error}", terms.reference))?;
            for external_id in terms.services {
                let Some(service) = services::id_by_external_id(conn, external_id).await? else {
                    continue;
                };
                dependencies::upsert(
                    conn,
                    actor,
                    service,
                    created.id,
                    &DependencyFields {
                        relation: "supplied_by".into(),
                        redundancy: "none".into(),
                        notes: String::new(),
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
