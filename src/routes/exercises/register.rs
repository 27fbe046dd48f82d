//! `GET /tests/all` and its CSV export: every test of the practice, newest first, filtered by
//! status, type and year — the register an auditor samples from.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::domain::exercise::{TestStatus, TestType};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn status_badge(value: &str) -> (String, &'static str) {
    match TestStatus::parse(value) {
        Some(status) => (status.label().to_owned(), status.badge()),
        None => (value.to_owned(), "badge-none"),
    }
}

fn type_label(value: &str) -> (String, &'static str) {
    (
        TestType::parse(value)
            .map_or(value, |kind| kind.label())
            .to_owned(),
        "badge-none",
    )
}

/// The worst result among the test's services, in words.
const OUTCOME: &str = "(select case min(case ts.result when 'not_met' then 0 when 'met_with_issues' then 1 when 'met' then 2 end) \
     when 0 then 'Not met' when 1 then 'Met with issues' when 2 then 'Met' end \
     from plan_test_services ts where ts.test_id = t.id)";

static TESTS: ListSpec = ListSpec {
    name: "tests",
    path: "/tests/all",
    from: "plan_tests t left join people f on f.id = t.facilitator_id",
    id: "t.id",
    columns: &[
        Column {
            key: "number",
            label: "Ref",
            sql: "'T-' || lpad(t.number::text, greatest(4, length(t.number::text)), '0')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "title",
            label: "Test",
            sql: "t.title",
            cell: Cell::Text,
            link: Some("/tests/"),
            sortable: true,
        },
        Column {
            key: "type",
            label: "Type",
            sql: "t.test_type",
            cell: Cell::Badge(type_label),
            link: None,
            sortable: true,
        },
        Column {
            key: "on",
            label: "Date",
            sql: "t.test_on",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "status",
            label: "Status",
            sql: "t.status",
            cell: Cell::Badge(status_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "outcome",
            label: "Worst result",
            sql: OUTCOME,
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "findings",
            label: "Findings",
            sql: "(select count(*) from plan_test_findings pf where pf.test_id = t.id)",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "facilitator",
            label: "Facilitator",
            sql: "f.name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "status",
            label: "Status",
            sql: "t.status",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "type",
            label: "Type",
            sql: "t.test_type",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "year",
            label: "Year",
            sql: "extract(year from t.test_on)::integer::text",
            kind: FilterKind::Choice,
            default: None,
        },
    ],
    search: &["t.title", "t.scenario", "t.conclusion"],
    default_sort: "on",
    default_descending: true,
};

fn options() -> HashMap<&'static str, Vec<FilterOption>> {
    let this_year = time::OffsetDateTime::now_utc().year();
    HashMap::from([
        (
            "status",
            TestStatus::ALL
                .iter()
                .map(|status| FilterOption::new(status.as_str(), status.label()))
                .collect(),
        ),
        (
            "type",
            TestType::ALL
                .iter()
                .map(|kind| FilterOption::new(kind.as_str(), kind.label()))
                .collect(),
        ),
        (
            "year",
            (this_year - 5..=this_year + 1)
                .rev()
                .map(|year| FilterOption::new(year.to_string(), year.to_string()))
                .collect(),
        ),
    ])
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/all.html")]
pub struct TestsPage {
    ctx: PageContext,
    list: ListView,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<TestsPage> {
    let params = ListParams::parse(&TESTS, &query);
    let list = TESTS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options(),
        )
        .await?;
    Ok(TestsPage {
        ctx: PageContext::new(&user, Area::Tests, "All tests")
            .crumb("Tests", "/tests")
            .here("All tests"),
        list,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&TESTS, &query);
    Ok(TESTS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
