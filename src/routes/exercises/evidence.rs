//! What tests prove, shown where people look: on a service's page its latest measured recovery
//! time, its date and whether it is still within the tier's test interval; on a plan's page its
//! last test, the result and when the next is due.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::exercises::programme;
use crate::db::exercises::records::reference;
use crate::domain::exercise::programme::{Standing, due, interval_months};
use crate::domain::exercise::{ServiceResult, TestType};
use crate::error::AppResult;
use crate::routes::exercises::show::minutes_label;
use crate::state::AppState;

/// One line of evidence with a link to the test.
pub struct Evidence {
    pub href: String,
    pub text: String,
    pub result: String,
    pub result_badge: &'static str,
    pub standing: &'static str,
    pub standing_badge: &'static str,
}

fn standing_badge(standing: Standing) -> &'static str {
    match standing {
        Standing::Overdue | Standing::NeverTested => "badge-red",
        Standing::DueSoon => "badge-amber",
        Standing::Planned => "badge-blue",
        Standing::Current => "badge-green",
    }
}

fn ranks(values: &[i32]) -> Vec<u8> {
    values
        .iter()
        .filter_map(|rank| u8::try_from(*rank).ok())
        .collect()
}

/// The service's latest measured recovery, if any test measured it.
pub async fn of_service(state: &AppState, service: Uuid) -> AppResult<Option<Evidence>> {
    let Some(last) = programme::last_measured(&state.db, service).await? else {
        return Ok(None);
    };
    let (method, _) = crate::db::bia::method::current(&state.db).await?;
    let months = interval_months(
        &method.tiers,
        &ranks(&last.tier_rank.into_iter().collect::<Vec<_>>()),
    );
    let today = OffsetDateTime::now_utc().date();
    let standing = due(Some(last.test_on), months, None, today);
    let result = last.result.as_deref().and_then(ServiceResult::parse);
    let within = match standing.standing {
        Standing::Overdue => format!("older than the {months}-month test interval"),
        _ => format!(
            "within the {months}-month test interval, next due {}",
            standing
                .next_due
                .map_or_else(String::new, |d| d.to_string())
        ),
    };
    Ok(Some(Evidence {
        href: format!("/tests/{}", last.id),
        text: format!(
            "Recovered in {} (RTO {}) on {} in {} {}; {within}",
            minutes_label(last.achieved_minutes),
            minutes_label(last.rto_minutes),
            last.test_on,
            reference(last.number),
            TestType::parse(&last.test_type).map_or("", |kind| kind.label())
        ),
        result: result.map_or("", ServiceResult::label).to_owned(),
        result_badge: result.map_or("badge-none", ServiceResult::badge),
        standing: standing.standing.label(),
        standing_badge: standing_badge(standing.standing),
    }))
}

/// The plan's last test and when the next is due (`ranks`: the tiers of the services it covers).
pub async fn of_plan(state: &AppState, plan: Uuid, tier_ranks: &[i32]) -> AppResult<Evidence> {
    let last = programme::last_of_plan(&state.db, plan).await?;
    let next = programme::next_of_plan(&state.db, plan).await?;
    let (method, _) = crate::db::bia::method::current(&state.db).await?;
    let months = interval_months(&method.tiers, &ranks(tier_ranks));
    let today = OffsetDateTime::now_utc().date();
    let standing = due(last.as_ref().map(|l| l.test_on), months, next, today);
    let planned = next.map_or_else(String::new, |d| format!("; next test planned {d}"));
    let (href, text, result) = match &last {
        Some(last) => (
            format!("/tests/{}", last.id),
            format!(
                "{} {} on {}; tested every {months} months, next due {}{planned}",
                reference(last.number),
                TestType::parse(&last.test_type).map_or("", |kind| kind.label()),
                last.test_on,
                standing
                    .next_due
                    .map_or_else(String::new, |d| d.to_string())
            ),
            last.result.as_deref().and_then(ServiceResult::parse),
        ),
        None => (
            format!("/tests/new?plan={plan}"),
            format!("Never tested; it must be tested every {months} months{planned}"),
            None,
        ),
    };
    Ok(Evidence {
        href,
        text,
        result: result.map_or("", ServiceResult::label).to_owned(),
        result_badge: result.map_or("badge-none", ServiceResult::badge),
        standing: standing.standing.label(),
        standing_badge: standing_badge(standing.standing),
    })
}
