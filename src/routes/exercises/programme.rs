//! `GET /tests`: the test programme. Every approved plan and every service of the two most
//! critical tiers, with its last test (type, date, result; for a service, the last test that
//! recovered something), the next one due by its tier's
//! interval, and how it stands — overdue and never tested first, "changed since tested" where a
//! new version or an edited service makes the last test prove less; and a calendar of the
//! year's tests. Each list is one query; the standing is worked out in the domain and the lists
//! page in memory (the programme holds at most a few thousand lines).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use time::{Date, Month, OffsetDateTime};

use crate::auth::CurrentUser;
use crate::db::exercises::programme::{self, CalendarTest, ServiceLine};
use crate::db::exercises::records::reference;
use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;
use crate::domain::exercise::programme::{Due, Standing, due, interval_months};
use crate::domain::exercise::{ServiceResult, TestStatus, TestType};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};
use crate::web::paging::Pages;

const PAGE: usize = 50;

#[derive(Deserialize, Default)]
pub struct ProgrammeQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    standing: String,
    #[serde(default)]
    plans_page: String,
    #[serde(default)]
    services_page: String,
}

pub struct Line {
    pub name: String,
    pub href: String,
    pub detail: String,
    pub last: String,
    pub last_href: String,
    pub result: String,
    pub result_badge: &'static str,
    pub next_due: String,
    pub standing: &'static str,
    pub standing_badge: &'static str,
    pub changed: bool,
    pub planned: String,
    pub plan_test_href: String,
}

pub struct MonthCell {
    pub name: &'static str,
    pub tests: Vec<CalendarEntry>,
    pub due: usize,
    pub current: bool,
}

pub struct CalendarEntry {
    pub href: String,
    pub label: String,
    pub status: &'static str,
    pub badge: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/programme.html")]
pub struct ProgrammePage {
    ctx: PageContext,
    plans: Vec<Line>,
    plan_pages: Pages,
    services: Vec<Line>,
    service_pages: Pages,
    counts: Vec<(&'static str, &'static str, usize, bool)>,
    standing: String,
    year: i32,
    months: Vec<MonthCell>,
    year_overflow: bool,
    may_plan: bool,
    may_train: bool,
}

fn standing_badge(standing: Standing) -> &'static str {
    match standing {
        Standing::Overdue | Standing::NeverTested => "badge-red",
        Standing::DueSoon => "badge-amber",
        Standing::Planned => "badge-blue",
        Standing::Current => "badge-green",
    }
}

fn result_view(result: Option<&str>) -> (String, &'static str) {
    match result.and_then(ServiceResult::parse) {
        Some(result) => (result.label().to_owned(), result.badge()),
        None => (String::new(), "badge-none"),
    }
}

fn ranks(values: &[i32]) -> Vec<u8> {
    values
        .iter()
        .filter_map(|rank| u8::try_from(*rank).ok())
        .collect()
}

const YEAR_LIMIT: i64 = 400;

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ProgrammeQuery>,
) -> AppResult<ProgrammePage> {
    let today = OffsetDateTime::now_utc().date();
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|year| (2000..=2100).contains(year))
        .unwrap_or(today.year());
    let mut conn = state.db.acquire().await?;
    let (method, _) = crate::db::bia::method::current(&mut *conn).await?;
    let plan_lines = programme::plans(&mut *conn).await?;
    let service_lines = programme::critical_services(&mut *conn).await?;
    let calendar = programme::year(&mut *conn, year, YEAR_LIMIT + 1).await?;
    drop(conn);
    let wanted = Standing::parse(query.standing.trim());

    let mut plans: Vec<(Due, Line)> = plan_lines
        .iter()
        .map(|line| {
            let months = interval_months(&method.tiers, &ranks(&line.tier_ranks));
            let due = due(line.last_on, months, line.next_planned, today);
            let (result, result_badge) = result_view(line.last_result.as_deref());
            (
                due,
                Line {
                    name: line.title.clone(),
                    href: format!("/plans/{}", line.plan_id),
                    detail: format!("tested every {months} months"),
                    last: match (line.last_number, &line.last_type, line.last_on) {
                        (Some(number), Some(kind), Some(on)) => format!(
                            "{} {} on {on}",
                            reference(number),
                            TestType::parse(kind).map_or("", |k| k.label())
                        ),
                        _ => "Never tested".to_owned(),
                    },
                    last_href: line
                        .last_test_id
                        .map_or_else(String::new, |id| format!("/tests/{id}")),
                    result,
                    result_badge,
                    next_due: due
                        .next_due
                        .map_or_else(|| "now".to_owned(), |d| d.to_string()),
                    standing: due.standing.label(),
                    standing_badge: standing_badge(due.standing),
                    changed: line.changed_since && line.last_on.is_some(),
                    planned: line
                        .next_planned
                        .map_or_else(String::new, |d| d.to_string()),
                    plan_test_href: format!("/tests/new?plan={}", line.plan_id),
                },
            )
        })
        .collect();
    // Every critical service's standing is worked out; only the page shown is rendered.
    let mut services: Vec<(Due, &ServiceLine)> = service_lines
        .iter()
        .map(|line| {
            let months = interval_months(
                &method.tiers,
                &ranks(&line.tier_rank.into_iter().collect::<Vec<_>>()),
            );
            (due(line.last_on, months, line.next_planned, today), line)
        })
        .collect();
    let counts = Standing::ALL
        .iter()
        .map(|standing| {
            let count = plans
                .iter()
                .filter(|(d, _)| d.standing == *standing)
                .count()
                + services
                    .iter()
                    .filter(|(d, _)| d.standing == *standing)
                    .count();
            (
                standing.as_str(),
                standing.label(),
                count,
                Some(*standing) == wanted,
            )
        })
        .collect();
    let due_months: Vec<Date> = plans
        .iter()
        .filter_map(|(d, _)| d.next_due)
        .filter(|d| d.year() == year)
        .collect();
    plans.retain(|(d, _)| wanted.is_none_or(|w| d.standing == w));
    plans.sort_by(|(a, la), (b, lb)| {
        urgency(a, b).then(la.name.to_lowercase().cmp(&lb.name.to_lowercase()))
    });
    services.retain(|(d, _)| wanted.is_none_or(|w| d.standing == w));
    // The query returns them by tier and name; a stable sort keeps that order within a standing.
    services.sort_by(|(a, _), (b, _)| urgency(a, b));
    let plan_pages = Pages::of_size(plans.len(), &query.plans_page, PAGE);
    let service_pages = Pages::of_size(services.len(), &query.services_page, PAGE);
    let year_overflow = calendar.len() as i64 > YEAR_LIMIT;
    let months = months(year, today, &calendar, &due_months);
    let manages = user.role.manages_continuity();
    Ok(ProgrammePage {
        ctx: PageContext::new(&user, Area::Tests, "Test programme").here("Tests"),
        plans: plan_pages
            .slice_of(plans, PAGE)
            .into_iter()
            .map(|(_, line)| line)
            .collect(),
        plan_pages,
        services: service_pages
            .slice_of(services, PAGE)
            .into_iter()
            .map(|(due, line)| service_line(due, line))
            .collect(),
        service_pages,
        counts,
        standing: wanted.map_or("", Standing::as_str).to_owned(),
        year,
        months,
        year_overflow,
        may_plan: manages || user.role == crate::domain::role::Role::ServiceOwner,
        may_train: manages,
    })
}

fn months(year: i32, today: Date, tests: &[CalendarTest], due: &[Date]) -> Vec<MonthCell> {
    let mut month = Month::January;
    let mut out = Vec::with_capacity(12);
    for _ in 0..12 {
        let entries = tests
            .iter()
            .filter(|test| test.test_on.month() == month)
            .map(|test| {
                let status = TestStatus::parse(&test.status).unwrap_or(TestStatus::Planned);
                CalendarEntry {
                    href: format!("/tests/{}", test.id),
                    label: format!(
                        "{} {} · {}",
                        test.test_on.day(),
                        TestType::parse(&test.test_type).map_or("", |k| k.label()),
                        test.title
                    ),
                    status: status.label(),
                    badge: status.badge(),
                }
            })
            .collect();
        out.push(MonthCell {
            name: month_name(month),
            tests: entries,
            due: due.iter().filter(|d| d.month() == month).count(),
            current: today.year() == year && today.month() == month,
        });
        month = month.next();
    }
    out
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

/// One critical service's line of the programme.
fn service_line(due: Due, line: &ServiceLine) -> Line {
    let (result, result_badge) = result_view(line.last_result.as_deref());
    let rto = line
        .rto_minutes
        .and_then(|m| Duration::from_minutes(i64::from(m)))
        .map_or_else(
            || "no RTO".to_owned(),
            |d| format!("RTO {}", duration_label(d)),
        );
    let achieved = line
        .last_achieved
        .and_then(|m| Duration::from_minutes(i64::from(m)))
        .map_or_else(String::new, |d| {
            format!(", recovered in {}", duration_label(d))
        });
    Line {
        name: line.name.clone(),
        href: format!("/services/{}", line.service_id),
        detail: format!(
            "{} · {rto} · {}",
            line.tier_name.clone().unwrap_or_default(),
            line.owner_name
                .clone()
                .unwrap_or_else(|| "no owner".to_owned())
        ),
        last: match (line.last_number, &line.last_type, line.last_on) {
            (Some(number), Some(kind), Some(on)) => format!(
                "{} {} on {on}{achieved}",
                reference(number),
                TestType::parse(kind).map_or("", |k| k.label())
            ),
            _ => "Never tested".to_owned(),
        },
        last_href: line
            .last_test_id
            .map_or_else(String::new, |id| format!("/tests/{id}")),
        result,
        result_badge,
        next_due: due
            .next_due
            .map_or_else(|| "now".to_owned(), |d| d.to_string()),
        standing: due.standing.label(),
        standing_badge: standing_badge(due.standing),
        changed: false,
        planned: line
            .next_planned
            .map_or_else(String::new, |d| d.to_string()),
        plan_test_href: String::new(),
    }
}

/// Overdue and never tested first, then by the due date.
fn urgency(a: &Due, b: &Due) -> std::cmp::Ordering {
    a.standing
        .cmp(&b.standing)
        .then(a.next_due.cmp(&b.next_due))
}
