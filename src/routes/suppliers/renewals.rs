//! `GET /contracts/renewals`: what ends, or whose notice date falls, within the next 30, 60 or 90
//! days, what has already passed its notice date, and overdue reviews — most urgent first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::assess::visible_contracts;
use crate::auth::CurrentUser;
use crate::db::suppliers::contracts;
use crate::domain::supplier::renewal::{Due, days_until, due};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

const HORIZONS: [i64; 3] = [30, 60, 90];

#[derive(Deserialize)]
pub struct RenewalQuery {
    days: Option<i64>,
}

pub struct RenewalLine {
    pub id: Uuid,
    pub reference: String,
    pub supplier_id: Uuid,
    pub supplier: String,
    pub ends: String,
    pub notice: String,
    pub notice_in: Option<i64>,
    pub auto_renewal: bool,
    pub review: String,
    pub due: Vec<(&'static str, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/renewals.html")]
pub struct RenewalsPage {
    ctx: PageContext,
    horizon: i64,
    horizons: [i64; 3],
    lines: Vec<RenewalLine>,
}

fn badge(due: Due) -> &'static str {
    match due {
        Due::NoticePassed | Due::ReviewOverdue => "badge-red",
        Due::NoticeSoon => "badge-amber",
        Due::EndsSoon => "badge-blue",
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<RenewalQuery>,
) -> AppResult<RenewalsPage> {
    let horizon = query
        .days
        .filter(|days| HORIZONS.contains(days))
        .unwrap_or(90);
    let today = OffsetDateTime::now_utc().date();
    let by = today.checked_add(Duration::days(horizon)).unwrap_or(today);
    let mut found = contracts::due_by(&state.db, by).await?;
    if let Some(visible) = visible_contracts(&state, &user).await? {
        found.retain(|contract| visible.contains(&contract.id));
    }
    let mut lines: Vec<(Vec<Due>, Option<time::Date>, RenewalLine)> = found
        .into_iter()
        .filter_map(|contract| {
            let dates = contract.dates();
            let dues = due(&dates, today, horizon);
            if dues.is_empty() {
                return None;
            }
            let notice = dates.notice_date();
            Some((
                dues.clone(),
                notice.or(contract.end_date),
                RenewalLine {
                    id: contract.id,
                    reference: contract.reference.clone(),
                    supplier_id: contract.supplier_id,
                    supplier: contract.supplier_name.clone(),
                    ends: contract
                        .end_date
                        .map_or_else(|| "—".into(), |date| date.to_string()),
                    notice: notice.map_or_else(|| "—".into(), |date| date.to_string()),
                    notice_in: notice.map(|date| days_until(today, date)),
                    auto_renewal: contract.auto_renewal,
                    review: contract
                        .next_review_on
                        .map_or_else(|| "—".into(), |date| date.to_string()),
                    due: dues.iter().map(|due| (due.label(), badge(*due))).collect(),
                },
            ))
        })
        .collect();
    lines.sort_by(|a, b| (a.0.first(), a.1).cmp(&(b.0.first(), b.1)));
    Ok(RenewalsPage {
        ctx: PageContext::new(&user, Area::Suppliers, "Renewals")
            .crumb("Suppliers", "/suppliers")
            .here("Renewals"),
        horizon,
        horizons: HORIZONS,
        lines: lines.into_iter().map(|(_, _, line)| line).collect(),
    })
}
