//! The demo's recovery strategies: three templates (hot standby in Amsterdam, warm standby at
//! the Reading recovery centre, failover to the cloud region), a strategy for every mission- and
//! business-critical service — a few of them unable to meet their tier's RTO, as a real
//! practice has — and two saved scenarios: the loss of the primary data centre and of the
//! network carrier.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::scenarios;
use crate::db::strategies::{self, StrategyFields, StrategyWrite, TemplateWrite};

struct DemoTemplate {
    name: &'static str,
    description: &'static str,
    option: &'static str,
    site: &'static str,
    estimate_minutes: i32,
    rpo_minutes: i32,
    capacity: i32,
    cost: i64,
}

const TEMPLATES: &[DemoTemplate] = &[
    DemoTemplate {
        name: "Hot standby in Amsterdam DC2",
        description: "Replicated continuously to Amsterdam; operations switch over by runbook.",
        option: "fast",
        site: "SITE-AMS",
        estimate_minutes: 120,
        rpo_minutes: 15,
        capacity: 100,
        cost: 90_000,
    },
    DemoTemplate {
        name: "Warm standby at the Reading recovery centre",
        description: "Servers racked and patched at Reading; data restored from last night's backup on the day.",
        option: "intermediate",
        site: "SITE-RDG",
        estimate_minutes: 36 * 60,
        rpo_minutes: 24 * 60,
        capacity: 60,
        cost: 40_000,
    },
    DemoTemplate {
        name: "Failover to Cloud eu-west-1",
        description: "Infrastructure as code rebuilt in the cloud region from replicated images.",
        option: "fast",
        site: "SITE-EUW1",
        estimate_minutes: 60,
        rpo_minutes: 5,
        capacity: 80,
        cost: 60_000,
    },
    DemoTemplate {
        name: "Cold standby: rebuild at the Reading recovery centre",
        description: "Space and a hardware delivery contract at Reading; rebuilt from backups.",
        option: "gradual",
        site: "SITE-RDG",
        estimate_minutes: 5 * 24 * 60,
        rpo_minutes: 24 * 60,
        capacity: 50,
        cost: 6_000,
    },
];

/// Service (external id), template (index), status; or an option of its own.
const STRATEGIES: &[(&str, Option<usize>, &str, &str)] = &[
    ("SVC-DNS", Some(0), "", "implemented"),
    ("SVC-IAM", Some(2), "", "implemented"),
    ("SVC-K8S", Some(0), "", "implemented"),
    ("SVC-NET", Some(0), "", "implemented"),
    ("SVC-PAY", Some(0), "", "implemented"),
    ("SVC-SHOP", Some(2), "", "implemented"),
    // Inconsistent with a four-hour RTO: the recommendations say so.
    ("SVC-OMS", Some(1), "", "approved"),
    ("SVC-POS", None, "manual_workaround", "implemented"),
    ("SVC-APP", Some(2), "", "implemented"),
    ("SVC-BKP", Some(0), "", "implemented"),
    ("SVC-CALL", Some(2), "", "approved"),
    ("SVC-CAT", Some(0), "", "implemented"),
    ("SVC-CRM", Some(2), "", "implemented"),
    // A cold standby behind an eight-hour RTO.
    ("SVC-ERP-FIN", None, "gradual", "implemented"),
    ("SVC-ESB", Some(0), "", "implemented"),
    ("SVC-MAIL", Some(2), "", "implemented"),
    ("SVC-PAYROLL", Some(1), "", "proposed"),
    ("SVC-PRICE", Some(0), "", "implemented"),
    ("SVC-STOCK", Some(0), "", "approved"),
    ("SVC-TMS", Some(2), "", "implemented"),
    ("SVC-TREAS", Some(0), "", "implemented"),
    ("SVC-VIRT", Some(0), "", "implemented"),
    ("SVC-WMS", Some(0), "", "implemented"),
];

async fn ids(conn: &mut PgConnection, table: &str) -> anyhow::Result<HashMap<String, Uuid>> {
    let query = format!("select external_id, id from {table} where external_id is not null");
    let rows: Vec<(String, Uuid)> = sqlx::query_as(&query).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().collect())
}

pub async fn load(conn: &mut PgConnection, manager: &Actor) -> anyhow::Result<()> {
    let sites = ids(conn, "sites").await?;
    let services = ids(conn, "services").await?;
    let mut templates = Vec::new();
    for template in TEMPLATES {
        let created = strategies::create_template(
            conn,
            manager,
            &TemplateWrite {
                name: template.name.to_owned(),
                description: template.description.to_owned(),
                fields: StrategyFields {
                    recovery_option: template.option.to_owned(),
                    alternate_site_id: sites.get(template.site).copied(),
                    contract_id: None,
                    estimated_recovery_minutes: Some(template.estimate_minutes),
                    achievable_rpo_minutes: Some(template.rpo_minutes),
                    capacity_percent: Some(template.capacity),
                    usable_for_minutes: Some(6 * 7 * 24 * 60),
                    yearly_cost: Some(template.cost),
                },
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo template {}: {error}", template.name))?;
        templates.push(created);
    }
    for (service, template, option, status) in STRATEGIES {
        let Some(&service_id) = services.get(*service) else {
            continue;
        };
        let (template_id, fields) = match template {
            Some(at) => (Some(templates[*at].id), templates[*at].fields.clone()),
            None => (
                None,
                StrategyFields {
                    recovery_option: (*option).to_owned(),
                    alternate_site_id: None,
                    contract_id: None,
                    estimated_recovery_minutes: Some(if *option == "gradual" {
                        5 * 24 * 60
                    } else {
                        8 * 60
                    }),
                    achievable_rpo_minutes: Some(24 * 60),
                    capacity_percent: Some(30),
                    usable_for_minutes: None,
                    yearly_cost: Some(8_000),
                },
            ),
        };
        strategies::create(
            conn,
            manager,
            &StrategyWrite {
                service_id,
                template_id,
                fields,
                status: (*status).to_owned(),
                notes: String::new(),
            },
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo strategy of {service}: {error}"))?;
    }
    // Essential services stand on the warm standby, the others on the cold one: set-based, as
    // a manager applying a template to many services would.
    for (tier, template) in [(3, 1), (4, 3)] {
        let chosen: Vec<Uuid> = sqlx::query_scalar(
            "select id from services s where s.archived_at is null and s.bia_tier_rank = $1
               and not exists (select 1 from recovery_strategies r where r.service_id = s.id)",
        )
        .bind(tier)
        .fetch_all(&mut *conn)
        .await?;
        strategies::apply_template(conn, manager, &templates[template], &chosen).await?;
    }
    let carrier: Option<Uuid> =
        sqlx::query_scalar("select id from contracts where reference = 'NL-MPLS-2024'")
            .fetch_optional(&mut *conn)
            .await?;
    let saved = [
        (
            "Loss of the primary data centre",
            "Fire at Frankfurt DC1: everything hosted there is gone for days.",
            sites.get("SITE-FRA").copied(),
        ),
        (
            "Loss of the network carrier",
            "The MPLS carrier's network fails nationwide: stores and offices lose their links.",
            carrier,
        ),
    ];
    for (name, description, lost) in saved {
        if let Some(lost) = lost {
            let scenario = scenarios::create(conn, manager, name, description, &[lost])
                .await
                .map_err(|error| anyhow::anyhow!("demo scenario {name}: {error}"))?;
            // The Frankfurt failover test rehearses the loss of the primary data centre.
            sqlx::query(
                "update plan_tests set disaster_scenario_id = $1
                 where $2 and scenario like '%Frankfurt data centre is declared lost%'",
            )
            .bind(scenario.id)
            .bind(lost == sites.get("SITE-FRA").copied().unwrap_or_default())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
