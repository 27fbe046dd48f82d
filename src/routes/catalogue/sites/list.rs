//! `GET /sites` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::super::archived_options;
use crate::auth::CurrentUser;
use crate::domain::catalogue::{SITE_KINDS, label_of};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn kind_badge(value: &str) -> (String, &'static str) {
    (label_of(SITE_KINDS, value), "badge-blue")
}

fn state_badge(value: &str) -> (String, &'static str) {
    if value == "true" {
        ("Archived".into(), "badge-grey")
    } else {
        ("Active".into(), "badge-green")
    }
}

static SITES: ListSpec = ListSpec {
    name: "sites",
    path: "/sites",
    from: "sites s",
    id: "s.id",
    columns: &[
        Column {
            key: "name",
            label: "Name",
            sql: "s.name",
            cell: Cell::Text,
            link: Some("/sites/"),
            sortable: true,
        },
        Column {
            key: "kind",
            label: "Kind",
            sql: "s.kind",
            cell: Cell::Badge(kind_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "location",
            label: "Location",
            sql: "s.location",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "components",
            label: "Components",
            sql: "(select count(*) from components c where c.site_id = s.id and c.archived_at is null)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "external_id",
            label: "External id",
            sql: "s.external_id",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "state",
            label: "State",
            sql: "s.archived_at is not null",
            cell: Cell::Badge(state_badge),
            link: None,
            sortable: false,
        },
    ],
    filters: &[
        Filter {
            key: "kind",
            label: "Kind",
            sql: "s.kind",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "s.archived_at is not null",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &["s.name", "s.location", "s.external_id", "s.description"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/sites/list.html")]
pub struct SitesPage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<SitesPage> {
    let params = ListParams::parse(&SITES, &query);
    let options = HashMap::from([
        (
            "kind",
            SITE_KINDS
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        ("archived", archived_options()),
    ]);
    let list = SITES
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(SitesPage {
        ctx: PageContext::new(&user, Area::Catalogue, "Sites").here("Sites"),
        list,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&SITES, &query);
    Ok(SITES
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
