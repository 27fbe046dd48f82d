//! `GET /people` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::extract::DraftPlans;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn account_badge(value: &str) -> (String, &'static str) {
    if value == "true" {
        ("User".into(), "badge-blue")
    } else {
        ("Not a user".into(), "badge-grey")
    }
}

static PEOPLE: ListSpec = ListSpec {
    name: "people",
    path: "/people",
    from: "people p",
    id: "p.id",
    columns: &[
        Column {
            key: "name",
            label: "Name",
            sql: "p.name",
            cell: Cell::Text,
            link: Some("/people/"),
            sortable: true,
        },
        Column {
            key: "job_title",
            label: "Job title",
            sql: "p.job_title",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "organisation",
            label: "Organisation",
            sql: "p.organisation",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "office_phone",
            label: "Office phone",
            sql: "p.office_phone",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "mobile_phone",
            label: "Out of office",
            sql: "p.mobile_phone",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "email",
            label: "Email",
            sql: "p.email",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "account",
            label: "Account",
            sql: "p.user_id is not null",
            cell: Cell::Badge(account_badge),
            link: None,
            sortable: true,
        },
    ],
    filters: &[Filter {
        key: "account",
        label: "Account",
        sql: "p.user_id is not null",
        kind: FilterKind::Choice,
        default: None,
    }],
    search: &["p.name", "p.organisation", "p.job_title", "p.email"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "people/list.html")]
pub struct PeoplePage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<PeoplePage> {
    let params = ListParams::parse(&PEOPLE, &query);
    let options = HashMap::from([(
        "account",
        vec![
            FilterOption::new("true", "Users"),
            FilterOption::new("false", "Not users"),
        ],
    )]);
    let list = PEOPLE
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(PeoplePage {
        ctx: PageContext::new(&user, Area::People, "People").here("People"),
        list,
        can_edit: <DraftPlans as Permission>::allows(user.role),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&PEOPLE, &query);
    Ok(PEOPLE
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
