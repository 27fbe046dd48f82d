//! The demo's risk register: about 25 risks over the demo estate (the Frankfurt data centre, the
//! cloud region, the carrier, ransomware on the ERP, the payment provider …) with the measures
//! that apply, several above appetite, one review overdue, one acceptance approved and standing,
//! and one whose acceptance lapsed because its scores changed afterwards.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::risks::acceptances::{self, Proposal};
use crate::db::risks::{catalogues, method, records};
use crate::domain::plan::workflow::next_review;
use crate::domain::risk::acceptance::fingerprint;
use crate::domain::risk::register::Scores;

struct DemoRisk {
    title: &'static str,
    threat: &'static str,
    /// External ids of sites, components and services, or contract references.
    scope: &'static [&'static str],
    vulnerability: &'static str,
    consequence: &'static str,
    inherent: (u8, u8),
    residual: Option<(u8, u8)>,
    treatment: Option<&'static str>,
    measures: &'static [&'static str],
    /// Days from today to the next review; `None` follows the level.
    review_in: Option<i64>,
}

/// The risks whose acceptance the demo records.
const ACCEPTED: &[&str] = &[
    "MPLS carrier outage",
    "Supply chain compromise of the monitoring agent",
];

const RISKS: &[DemoRisk] = &[
    DemoRisk {
        title: "Loss of the Frankfurt data centre",
        threat: "Loss of a data centre",
        scope: &["SITE-FRA"],
        vulnerability: "Most production runs in one building; Amsterdam holds replicas only for some systems.",
        consequence: "ERP, warehouse and identity services stop until recovered in Amsterdam.",
        inherent: (2, 5),
        residual: Some((2, 4)),
        treatment: Some("reduce"),
        measures: &[
            "Recovery site",
            "RAID and replicated storage",
            "Fire detection and suppression",
        ],
        review_in: None,
    },
    DemoRisk {
        title: "Prolonged power cut in Frankfurt",
        threat: "Prolonged power cut",
        scope: &["CI-PWR-FRA"],
        vulnerability: "Generator fuel lasts 24 hours; refuelling contract not tested.",
        consequence: "Controlled shutdown of the Frankfurt estate after a day.",
        inherent: (3, 4),
        residual: Some((2, 4)),
        treatment: Some("reduce"),
        measures: &["UPS and standby generators"],
        review_in: None,
    },
    DemoRisk {
        title: "Cloud region eu-west-1 unavailable",
        threat: "Loss of a cloud region",
        scope: &["SITE-EUW1"],
        vulnerability: "The web shop and Kubernetes platform run in a single region.",
        consequence: "Online sales stop; customers cannot order.",
        inherent: (3, 5),
        residual: Some((3, 4)),
        treatment: Some("reduce"),
        measures: &["Monitoring and alerting"],
        review_in: Some(-10),
    },
    DemoRisk {
        title: "MPLS carrier outage",
        threat: "Carrier outage",
        scope: &["CI-WAN", "NL-MPLS-2024"],
        vulnerability: "One carrier for all sites; the internet VPN fallback carries a third of the traffic.",
        consequence: "Stores and warehouses lose the ERP and the warehouse system.",
        inherent: (3, 4),
        residual: Some((3, 3)),
        treatment: Some("accept"),
        measures: &["Redundant network paths"],
        review_in: None,
    },
    DemoRisk {
        title: "Ransomware encrypts the ERP",
        threat: "Ransomware",
        scope: &["SVC-ERP-FIN", "CI-VM-FRA"],
        vulnerability: "Flat network between office and server VLANs; backups reachable from the domain.",
        consequence: "Finance, purchasing and warehouse stop; recovery from backups takes days.",
        inherent: (4, 5),
        residual: Some((3, 5)),
        treatment: Some("reduce"),
        measures: &[
            "Immutable backups",
            "Endpoint detection and response",
            "Off-site backups",
        ],
        review_in: None,
    },
    DemoRisk {
        title: "Payment provider outage",
        threat: "Key supplier failure",
        scope: &["PB-MERCH-5521"],
        vulnerability: "Card payments in stores and online go through one provider.",
        consequence: "No card sales until the provider recovers.",
        inherent: (3, 4),
        residual: Some((3, 4)),
        treatment: Some("transfer"),
        measures: &[],
        review_in: None,
    },
    DemoRisk {
        title: "Identity platform down",
        threat: "Server hardware failure",
        scope: &["SVC-IAM"],
        vulnerability: "Single sign-on depends on two domain controllers in Frankfurt and Amsterdam.",
        consequence: "Nobody can sign in to anything.",
        inherent: (2, 5),
        residual: Some((2, 3)),
        treatment: Some("reduce"),
        measures: &["Documented runbooks and cross-training"],
        review_in: None,
    },
    DemoRisk {
        title: "Storage array failure in Frankfurt",
        threat: "Storage array failure",
        scope: &["CI-SAN-FRA"],
        vulnerability: "Controller firmware two versions behind.",
        consequence: "Every virtual machine in Frankfurt stops.",
        inherent: (2, 5),
        residual: Some((1, 5)),
        treatment: Some("reduce"),
        measures: &["RAID and replicated storage", "Spare equipment"],
        review_in: None,
    },
    DemoRisk {
        title: "Internal DNS failure",
        threat: "DNS failure",
        scope: &["SVC-DNS"],
        vulnerability: "Zone changes are manual.",
        consequence: "Services cannot find each other.",
        inherent: (2, 4),
        residual: Some((1, 4)),
        treatment: Some("reduce"),
        measures: &["Monitoring and alerting"],
        review_in: None,
    },
    DemoRisk {
        title: "Web shop certificate expires",
        threat: "Certificate expiry",
        scope: &["SVC-SHOP"],
        vulnerability: "Certificates renewed by hand from a spreadsheet.",
        consequence: "Browsers refuse the shop.",
        inherent: (3, 3),
        residual: Some((1, 3)),
        treatment: Some("reduce"),
        measures: &["Certificate expiry monitoring"],
        review_in: None,
    },
    DemoRisk {
        title: "Failed ERP upgrade",
        threat: "Failed change",
        scope: &["SVC-ERP-FIN"],
        vulnerability: "Upgrade rehearsals use a small copy of production.",
        consequence: "Month-end close delayed.",
        inherent: (3, 3),
        residual: Some((2, 3)),
        treatment: Some("reduce"),
        measures: &["Change approval and rollback plans"],
        review_in: None,
    },
    DemoRisk {
        title: "Backup service cannot restore",
        threat: "Data corruption",
        scope: &["SVC-BKP", "VS-BKP-2025"],
        vulnerability: "Restores are tested once a year.",
        consequence: "Data lost beyond every RPO.",
        inherent: (2, 5),
        residual: None,
        treatment: None,
        measures: &["Off-site backups"],
        review_in: None,
    },
    DemoRisk {
        title: "Loss of key ERP administrators",
        threat: "Loss of key staff",
        scope: &["SVC-ERP-FIN"],
        vulnerability: "Two people know the ERP's batch schedule.",
        consequence: "Recovery takes far longer than planned.",
        inherent: (3, 3),
        residual: Some((2, 3)),
        treatment: Some("reduce"),
        measures: &["Documented runbooks and cross-training"],
        review_in: None,
    },
    DemoRisk {
        title: "Pandemic absence in the service desk",
        threat: "Pandemic absence",
        scope: &["SITE-HQ"],
        vulnerability: "Service desk works from the head office.",
        consequence: "Incidents wait; recovery teams short-staffed.",
        inherent: (2, 3),
        residual: Some((2, 2)),
        treatment: Some("accept"),
        measures: &[],
        review_in: None,
    },
    DemoRisk {
        title: "Flood at the head office",
        threat: "Flood",
        scope: &["SITE-HQ"],
        vulnerability: "Comms room in the basement.",
        consequence: "Head office systems and telephony lost.",
        inherent: (1, 4),
        residual: Some((1, 3)),
        treatment: Some("accept"),
        measures: &[],
        review_in: None,
    },
    DemoRisk {
        title: "Fire in the Amsterdam hall",
        threat: "Fire",
        scope: &["SITE-AMS"],
        vulnerability: "Shared colocation hall.",
        consequence: "Replicas and recovery capacity lost.",
        inherent: (1, 4),
        residual: Some((1, 3)),
        treatment: Some("reduce"),
        measures: &["Fire detection and suppression"],
        review_in: None,
    },
    DemoRisk {
        title: "Denial of service on the web shop",
        threat: "Denial of service attack",
        scope: &["SVC-SHOP"],
        vulnerability: "No scrubbing service in front of the shop.",
        consequence: "Online sales stop during the attack.",
        inherent: (3, 3),
        residual: Some((2, 3)),
        treatment: Some("reduce"),
        measures: &["Monitoring and alerting"],
        review_in: None,
    },
    DemoRisk {
        title: "Integration bus overloaded",
        threat: "Operator error",
        scope: &["SVC-ESB"],
        vulnerability: "Message queues without limits.",
        consequence: "Orders stop flowing to the warehouse.",
        inherent: (2, 3),
        residual: Some((2, 2)),
        treatment: Some("reduce"),
        measures: &["Monitoring and alerting"],
        review_in: None,
    },
    DemoRisk {
        title: "Mail provider outage",
        threat: "SaaS provider outage",
        scope: &["SVC-MAIL"],
        vulnerability: "No second provider; no archive on premises.",
        consequence: "No mail for the whole company.",
        inherent: (2, 3),
        residual: Some((2, 3)),
        treatment: Some("accept"),
        measures: &[],
        review_in: None,
    },
    DemoRisk {
        title: "Warehouse system data corruption",
        threat: "Data corruption",
        scope: &["SVC-WMS"],
        vulnerability: "Replication copies logical errors at once.",
        consequence: "Stock figures wrong; shipping stops.",
        inherent: (2, 4),
        residual: Some((2, 3)),
        treatment: Some("reduce"),
        measures: &["Off-site backups"],
        review_in: None,
    },
    DemoRisk {
        title: "CRM supplier goes out of business",
        threat: "Key supplier failure",
        scope: &["SVC-CRM"],
        vulnerability: "No escrow; export tested once.",
        consequence: "Customer service loses its history.",
        inherent: (1, 4),
        residual: Some((1, 3)),
        treatment: Some("reduce"),
        measures: &["Supplier exit plan and escrow"],
        review_in: None,
    },
    DemoRisk {
        title: "Accidental deletion of HR records",
        threat: "Accidental deletion of data",
        scope: &["SVC-HRIS"],
        vulnerability: "Broad admin rights in the HR system.",
        consequence: "Payroll preparation delayed.",
        inherent: (2, 3),
        residual: Some((1, 3)),
        treatment: Some("reduce"),
        measures: &["Off-site backups"],
        review_in: None,
    },
    DemoRisk {
        title: "Kubernetes platform misconfiguration",
        threat: "Failed change",
        scope: &["CI-K8S"],
        vulnerability: "Cluster changes applied without review on weekends.",
        consequence: "Shop and CRM down together.",
        inherent: (3, 4),
        residual: Some((2, 4)),
        treatment: Some("reduce"),
        measures: &[
            "Change approval and rollback plans",
            "Multi-region deployment",
        ],
        review_in: None,
    },
    DemoRisk {
        title: "Print service failure",
        threat: "Server hardware failure",
        scope: &["SVC-PRINT"],
        vulnerability: "One print server.",
        consequence: "Warehouse labels printed late.",
        inherent: (2, 2),
        residual: None,
        treatment: None,
        measures: &[],
        review_in: None,
    },
    DemoRisk {
        title: "Supply chain compromise of the monitoring agent",
        threat: "Supply chain compromise",
        scope: &["CI-MON"],
        vulnerability: "Agents update themselves from the vendor.",
        consequence: "An attacker inside every server.",
        inherent: (2, 5),
        residual: Some((2, 4)),
        treatment: Some("accept"),
        measures: &["Endpoint detection and response"],
        review_in: None,
    },
];

pub async fn load(
    conn: &mut PgConnection,
    actor: &Actor,
    manager: &Actor,
    owner: &Actor,
) -> anyhow::Result<()> {
    catalogues::seed_if_empty(&mut *conn).await?;
    let (method, _) = method::current(&mut *conn).await?;
    let nodes: HashMap<String, Uuid> = sqlx::query!(
        r#"select external_id as "key!", id as "id!" from sites where external_id is not null
           union all select external_id, id from components where external_id is not null
           union all select external_id, id from services where external_id is not null
           union all select reference, id from contracts"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| (row.key, row.id))
    .collect();
    let threats: HashMap<String, Uuid> = catalogues::threats(&mut *conn, false)
        .await?
        .into_iter()
        .map(|threat| (threat.name, threat.id))
        .collect();
    let measures: HashMap<String, Uuid> = catalogues::measures(&mut *conn, false)
        .await?
        .into_iter()
        .map(|measure| (measure.name, measure.id))
        .collect();
    let today = OffsetDateTime::now_utc().date();
    let mut created = HashMap::new();
    for demo in RISKS {
        let find = |key: &str, map: &HashMap<String, Uuid>| {
            map.get(key)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("demo risk {}: unknown {key}", demo.title))
        };
        let scores = Scores {
            inherent_likelihood: demo.inherent.0,
            inherent_impact: demo.inherent.1,
            residual_likelihood: demo.residual.map(|(l, _)| l),
            residual_impact: demo.residual.map(|(_, i)| i),
        };
        let level = scores.current(&method).map_or(0, |scored| scored.level);
        let fields = records::RiskFields {
            title: demo.title.to_owned(),
            threat_id: Some(find(demo.threat, &threats)?),
            vulnerability: demo.vulnerability.to_owned(),
            cause: String::new(),
            event: String::new(),
            consequence: demo.consequence.to_owned(),
            // The accepted ones belong to the service owner, who proposes their acceptance.
            owner_id: if ACCEPTED.contains(&demo.title) {
                owner.user_id
            } else {
                manager.user_id
            },
            scores,
            treatment: demo.treatment.map(str::to_owned),
            treatment_note: String::new(),
            review_due: Some(match demo.review_in {
                Some(days) => today + Duration::days(days),
                None => next_review(today, method.review_months(level)),
            }),
            scope: demo
                .scope
                .iter()
                .map(|key| find(key, &nodes))
                .collect::<anyhow::Result<_>>()?,
            measures: demo
                .measures
                .iter()
                .map(|key| find(key, &measures))
                .collect::<anyhow::Result<_>>()?,
        };
        let risk = records::create(&mut *conn, actor, &method, &fields)
            .await
            .map_err(|error| anyhow::anyhow!("demo risk {}: {error}", demo.title))?;
        created.insert(demo.title, (risk, fields));
    }
    // The carrier risk is accepted: its owner's deputy proposed, the manager approved.
    let accept = |title: &str| {
        created
            .get(title)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("demo risk {title} is missing"))
    };
    for (title, justification, months) in [
        (
            "MPLS carrier outage",
            "A second carrier costs more than the expected outage; the VPN fallback carries the stores' ERP traffic.",
            6,
        ),
        (
            "Supply chain compromise of the monitoring agent",
            "The vendor's signed updates and our endpoint detection are judged enough until the agent is replaced next year.",
            9,
        ),
    ] {
        let (risk, fields) = accept(title)?;
        let id = acceptances::propose(
            &mut *conn,
            owner,
            Proposal {
                risk: risk.id,
                justification,
                expires_on: next_review(today, months),
                fingerprint: &fingerprint(
                    &fields.scores,
                    risk.current_level as u8,
                    &fields.scope,
                    &fields.measures,
                ),
                snapshot: serde_json::json!({ "risk": &risk }),
            },
        )
        .await?;
        acceptances::decide(
            &mut *conn,
            manager,
            id,
            true,
            "Agreed by the continuity board",
        )
        .await?;
    }
    // The monitoring agent's residual score rose after the acceptance: the acceptance lapsed.
    let (risk, mut fields) = accept("Supply chain compromise of the monitoring agent")?;
    fields.scores.residual_likelihood = Some(3);
    records::update(&mut *conn, manager, &method, risk.id, risk.version, &fields)
        .await
        .map_err(|error| anyhow::anyhow!("demo risk lapse: {error}"))?;
    Ok(())
}
