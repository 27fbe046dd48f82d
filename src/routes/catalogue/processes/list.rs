//! `GET /processes` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::super::archived_options;
use crate::auth::CurrentUser;
use crate::db::catalogue::org_units;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

static PROCESSES: ListSpec = ListSpec {
    name: "processes",
    path: "/processes",
    from: "business_processes p left join users u on u.id = p.owner_id left join org_units o on o.id = p.org_unit_id",
    id: "p.id",
    columns: &[
        Column {
            key: "name",
            label: "Process",
            sql: "p.name",
            cell: Cell::Text,
            link: Some("/processes/"),
            sortable: true,
        },
        Column {
            key: "unit",
            label: "Unit",
            sql: "o.name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "owner",
            label: "Owner",
            sql: "u.display_name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "peaks",
            label: "Peak periods",
            sql: "p.peak_periods",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "services",
            label: "Services used",
            sql: "(select count(*) from dependencies d where d.from_id = p.id)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "unit",
            label: "Unit",
            sql: "p.org_unit_id",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "p.archived_at is not null",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &["p.name", "p.description", "o.name", "u.display_name"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/processes/list.html")]
pub struct ProcessesPage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ProcessesPage> {
    let params = ListParams::parse(&PROCESSES, &query);
    let units = org_units::options(&state.db).await?;
    let options = HashMap::from([
        (
            "unit",
            units
                .iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name.clone()))
                .collect(),
        ),
        ("archived", archived_options()),
    ]);
    let list = PROCESSES
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(ProcessesPage {
        ctx: PageContext::new(&user, Area::Catalogue, "Business processes")
            .here("Business processes"),
        list,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&PROCESSES, &query);
    Ok(PROCESSES
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
