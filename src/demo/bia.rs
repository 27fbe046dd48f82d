//! The demo's business impact analyses: last year's exercise, closed, with approved results for
//! every service (so every service has a tier), and this year's, open and about half answered.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::audit::Actor;
use crate::db::bia::assessments::{self, Approval, Derived};
use crate::db::bia::exercises::{self, NewExercise};
use crate::domain::bia::derive::{ImpactGrid, derive};
use crate::domain::bia::method::Method;
use crate::domain::questionnaire::Answers;

/// How critical each demo service is meant to come out (1 = mission critical … 4).
const CRITICALITY: &[(&str, u8)] = &[
    ("SVC-SHOP", 1),
    ("SVC-PAY", 1),
    ("SVC-POS", 1),
    ("SVC-IAM", 1),
    ("SVC-NET", 1),
    ("SVC-OMS", 1),
    ("SVC-K8S", 1),
    ("SVC-DNS", 1),
    ("SVC-WMS", 2),
    ("SVC-TMS", 2),
    ("SVC-APP", 2),
    ("SVC-CAT", 2),
    ("SVC-PRICE", 2),
    ("SVC-ERP-FIN", 2),
    ("SVC-PAYROLL", 2),
    ("SVC-CRM", 2),
    ("SVC-CALL", 2),
    ("SVC-VIRT", 2),
    ("SVC-ESB", 2),
    ("SVC-MAIL", 2),
    ("SVC-STOCK", 2),
    ("SVC-TREAS", 2),
    ("SVC-BKP", 2),
    ("SVC-PORTAL", 3),
    ("SVC-LOY", 3),
    ("SVC-ERP-PRO", 3),
    ("SVC-EINV", 3),
    ("SVC-HRIS", 3),
    ("SVC-DESK", 3),
    ("SVC-DMS", 3),
    ("SVC-DWH", 3),
    ("SVC-SUPP", 3),
    ("SVC-COLLAB", 3),
    ("SVC-MON", 3),
];

/// Answers that make a service come out at `criticality`: the first category turns unacceptable
/// at a bucket that depends on it, the others stay lower; data loss likewise.
fn answers_for(method: &Method, criticality: u8) -> Answers {
    // Index of the first unacceptable time bucket (8h, 24h, 1w) and data-loss bucket (1h, 4h, 24h).
    let (time_limit, loss_limit) = match criticality {
        1 => (Some(2), Some(2)),
        2 => (Some(3), Some(3)),
        3 => (Some(5), Some(4)),
        _ => (None, None),
    };
    let level_at = |limit: Option<usize>, index: usize, calm: u8| match limit {
        Some(limit) if index >= limit => method.unacceptable_level,
        Some(limit) if index + 1 == limit => method.unacceptable_level - 1,
        _ => calm.min(method.unacceptable_level - 1),
    };
    let mut impacts = BTreeMap::new();
    let mut justifications = BTreeMap::new();
    for (position, category) in method.categories.iter().enumerate() {
        let limit = if position == 0 { time_limit } else { None };
        let calm = if position < 3 { 2 } else { 1 };
        let row = (0..method.time_buckets.len())
            .map(|index| Some(level_at(limit, index, calm)))
            .collect();
        impacts.insert(category.key.clone(), row);
        justifications.insert(
            category.key.clone(),
            format!("{} assessed with the business owner.", category.name),
        );
    }
    Answers {
        impacts,
        justifications,
        data_loss: (0..method.data_loss_buckets.len())
            .map(|index| Some(level_at(loss_limit, index, 2)))
            .collect(),
        mbco_percent: "50".into(),
        wrt: "2h".into(),
        workaround: "Manual processing on paper for the most urgent cases".into(),
        workaround_duration: "1d".into(),
        ..Answers::default()
    }
}

fn derived(
    method: &Method,
    answers: &Answers,
) -> (Derived, crate::domain::bia::derive::Derivation) {
    let derivation = derive(
        method,
        &ImpactGrid {
            levels: answers.impacts.clone(),
        },
        &answers.data_loss,
    );
    let to_i32 = |minutes: i64| i32::try_from(minutes).ok();
    (
        Derived {
            mtpd_minutes: derivation.mtpd.and_then(|mtpd| to_i32(mtpd.minutes())),
            rto_minutes: to_i32(derivation.rto.minutes()),
            rpo_minutes: to_i32(derivation.rpo.minutes()),
            tier_rank: Some(i32::from(derivation.tier.rank)),
        },
        derivation,
    )
}

/// Loads both exercises over every demo service; `services` are (id, external id, owner).
pub async fn load(
    conn: &mut PgConnection,
    actor: &Actor,
    services: &[(Uuid, String)],
) -> anyhow::Result<()> {
    let method = Method::default_method();
    let criticality = |external_id: &str| {
        CRITICALITY
            .iter()
            .find(|(id, _)| *id == external_id)
            .map_or(4, |(_, level)| *level)
    };
    let ids: Vec<Uuid> = services.iter().map(|(id, _)| *id).collect();

    // Last year's exercise: everything approved as derived, then closed.
    let closed = exercises::create(
        conn,
        actor,
        NewExercise {
            name: "BIA 2025",
            instructions: "Annual business impact analysis of every live IT service.",
            due_date: time::Date::from_calendar_date(2025, time::Month::March, 31).ok(),
            method: serde_json::to_value(&method)?,
            services: &ids,
        },
    )
    .await?;
    let mut version = closed.version;
    exercises::set_status(conn, actor, closed.id, version, "open").await?;
    version += 1;
    exercises::create_assessments(conn, actor, closed.id).await?;
    for row in assessments::for_exercise(&mut *conn, closed.id).await? {
        let external_id = &services
            .iter()
            .find(|(id, _)| *id == row.service_id)
            .map(|(_, ext)| ext.clone())
            .unwrap_or_default();
        let answers = answers_for(&method, criticality(external_id));
        let (columns, derivation) = derived(&method, &answers);
        assessments::save_answers(
            conn,
            actor,
            row.id,
            1,
            &serde_json::to_value(&answers)?,
            columns,
        )
        .await?;
        assessments::set_status(conn, actor, row.id, 2, "submitted", "").await?;
        let tier = method.tier_for(derivation.rto);
        let approval = Approval {
            mtpd_minutes: columns.mtpd_minutes,
            rto_minutes: columns.rto_minutes.unwrap_or_default(),
            rpo_minutes: columns.rpo_minutes.unwrap_or_default(),
            tier_rank: i32::from(tier.rank),
            tier_name: &tier.name,
            override_justification: "",
        };
        assessments::approve(conn, actor, row.id, 3, approval).await?;
    }
    for status in ["in_review", "approved", "closed"] {
        exercises::set_status(conn, actor, closed.id, version, status).await?;
        version += 1;
    }

    // This year's exercise: open, about half answered.
    let open = exercises::create(
        conn,
        actor,
        NewExercise {
            name: "BIA 2026",
            instructions: "Please review last year's answers for your services and submit by the end of the quarter.",
            due_date: time::Date::from_calendar_date(2026, time::Month::December, 18).ok(),
            method: serde_json::to_value(&method)?,
            services: &ids,
        },
    )
    .await?;
    exercises::set_status(conn, actor, open.id, open.version, "open").await?;
    exercises::create_assessments(conn, actor, open.id).await?;
    for (index, row) in assessments::for_exercise(&mut *conn, open.id)
        .await?
        .into_iter()
        .enumerate()
    {
        let external_id = services
            .iter()
            .find(|(id, _)| *id == row.service_id)
            .map(|(_, ext)| ext.clone())
            .unwrap_or_default();
        let answers = answers_for(&method, criticality(&external_id));
        let (columns, _) = derived(&method, &answers);
        match index % 4 {
            // Submitted, waiting for review.
            0 => {
                assessments::save_answers(
                    conn,
                    actor,
                    row.id,
                    1,
                    &serde_json::to_value(&answers)?,
                    columns,
                )
                .await?;
                assessments::set_status(conn, actor, row.id, 2, "submitted", "").await?;
            }
            // A draft with the data-loss ratings still to do.
            1 => {
                let mut partial = answers.clone();
                partial.data_loss.iter_mut().for_each(|level| *level = None);
                let (columns, _) = derived(&method, &partial);
                assessments::save_answers(
                    conn,
                    actor,
                    row.id,
                    1,
                    &serde_json::to_value(&partial)?,
                    columns,
                )
                .await?;
            }
            // Not started yet (every other one).
            _ => {}
        }
    }
    Ok(())
}
