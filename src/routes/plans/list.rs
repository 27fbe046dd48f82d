//! `GET /plans`: every plan with its version in force, the work in progress, and when it is next
//! reviewed — overdue plans first and in red — and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::extract::DraftPlans;
use crate::auth::{CurrentUser, Permission};
use crate::domain::plan::content::PlanKind;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn kind_badge(value: &str) -> (String, &'static str) {
    (
        PlanKind::parse(value).map_or_else(|| value.to_owned(), |kind| kind.label().to_owned()),
        "badge-blue",
    )
}

fn work_badge(value: &str) -> (String, &'static str) {
    match value {
        "draft" => ("Draft".into(), "badge-blue"),
        "in_review" => ("In review".into(), "badge-amber"),
        _ => ("—".into(), "badge-none"),
    }
}

/// The review state, worst first: the SQL below and these labels must agree.
const REVIEW_STATES: [(&str, &str, &str); 6] = [
    ("1_overdue", "Review overdue", "badge-red"),
    ("2_required", "Review required", "badge-amber"),
    ("3_unapproved", "Never approved", "badge-grey"),
    ("4_soon", "Due within 30 days", "badge-amber"),
    ("5_ok", "Up to date", "badge-green"),
    ("6_retired", "Retired", "badge-grey"),
];

fn review_badge(value: &str) -> (String, &'static str) {
    REVIEW_STATES
        .iter()
        .find(|(key, _, _)| *key == value)
        .map_or_else(
            || (value.to_owned(), "badge-grey"),
            |(_, label, class)| ((*label).to_owned(), *class),
        )
}

const REVIEW_SQL: &str = "case when p.status = 'retired' then '6_retired'
    when p.next_review_on < current_date then '1_overdue'
    when p.review_required then '2_required'
    when not exists (select 1 from plan_versions a where a.plan_id = p.id and a.status = 'approved') then '3_unapproved'
    when p.next_review_on < current_date + 30 then '4_soon'
    else '5_ok' end";

static PLANS: ListSpec = ListSpec {
    name: "plans",
    path: "/plans",
    from: "plans p",
    id: "p.id",
    columns: &[
        Column {
            key: "title",
            label: "Plan",
            sql: "p.title",
            cell: Cell::Text,
            link: Some("/plans/"),
            sortable: true,
        },
        Column {
            key: "kind",
            label: "Kind",
            sql: "p.kind",
            cell: Cell::Badge(kind_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "services",
            label: "Services",
            sql: "(select string_agg(s.name, ', ' order by s.name) from plan_services ps join services s on s.id = ps.service_id where ps.plan_id = p.id)",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "current",
            label: "In force",
            sql: "(select 'v' || v.number from plan_versions v where v.plan_id = p.id and v.status = 'approved')",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "work",
            label: "In progress",
            sql: "(select v.status from plan_versions v where v.plan_id = p.id and v.status in ('draft', 'in_review'))",
            cell: Cell::Badge(work_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "next_review",
            label: "Next review",
            sql: "p.next_review_on",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "review",
            label: "Review",
            sql: REVIEW_SQL,
            cell: Cell::Badge(review_badge),
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "kind",
            label: "Kind",
            sql: "p.kind",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "work",
            label: "In progress",
            sql: "(select v.status from plan_versions v where v.plan_id = p.id and v.status in ('draft', 'in_review'))",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "review",
            label: "Review",
            sql: REVIEW_SQL,
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "status",
            label: "State",
            sql: "p.status",
            kind: FilterKind::Choice,
            default: Some("active"),
        },
    ],
    search: &["p.title", "p.review_required_reason"],
    default_sort: "review",
    default_descending: false,
};

fn options() -> HashMap<&'static str, Vec<FilterOption>> {
    HashMap::from([
        (
            "kind",
            PlanKind::ALL
                .iter()
                .map(|kind| FilterOption::new(kind.as_str(), kind.label()))
                .collect(),
        ),
        (
            "review",
            REVIEW_STATES
                .iter()
                .map(|(key, label, _)| FilterOption::new(*key, *label))
                .collect(),
        ),
        (
            "work",
            vec![
                FilterOption::new("draft", "Draft"),
                FilterOption::new("in_review", "In review"),
            ],
        ),
        (
            "status",
            vec![
                FilterOption::new("active", "Active"),
                FilterOption::new("retired", "Retired"),
            ],
        ),
    ])
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/list.html")]
pub struct PlansPage {
    ctx: PageContext,
    list: ListView,
    can_create: bool,
    overdue: i64,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<PlansPage> {
    let params = ListParams::parse(&PLANS, &query);
    let list = PLANS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options(),
        )
        .await?;
    let overdue = sqlx::query_scalar!(
        r#"select count(*) as "count!" from plans where status = 'active' and next_review_on < current_date"#
    )
    .fetch_one(&state.db)
    .await?;
    Ok(PlansPage {
        ctx: PageContext::new(&user, Area::Plans, "Plans").here("Plans"),
        list,
        can_create: <DraftPlans as Permission>::allows(user.role),
        overdue,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&PLANS, &query);
    Ok(PLANS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
