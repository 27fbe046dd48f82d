//! `GET /components` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::super::archived_options;
use crate::auth::CurrentUser;
use crate::db::catalogue::sites;
use crate::domain::catalogue::{COMPONENT_CLASSES, ENVIRONMENTS, label_of};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn class_badge(value: &str) -> (String, &'static str) {
    (label_of(COMPONENT_CLASSES, value), "badge-blue")
}

fn environment_badge(value: &str) -> (String, &'static str) {
    let class = match value {
        "production" => "badge-green",
        "disaster_recovery" => "badge-amber",
        _ => "badge-grey",
    };
    (label_of(ENVIRONMENTS, value), class)
}

static COMPONENTS: ListSpec = ListSpec {
    name: "components",
    path: "/components",
    from: "components c left join sites s on s.id = c.site_id",
    id: "c.id",
    columns: &[
        Column {
            key: "name",
            label: "Component",
            sql: "c.name",
            cell: Cell::Text,
            link: Some("/components/"),
            sortable: true,
        },
        Column {
            key: "class",
            label: "Class",
            sql: "c.class",
            cell: Cell::Badge(class_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "environment",
            label: "Environment",
            sql: "c.environment",
            cell: Cell::Badge(environment_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "site",
            label: "Site",
            sql: "s.name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "dependents",
            label: "Depended on by",
            sql: "(select count(*) from dependencies d where d.to_id = c.id)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "external_id",
            label: "External id",
            sql: "c.external_id",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "class",
            label: "Class",
            sql: "c.class",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "environment",
            label: "Environment",
            sql: "c.environment",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "site",
            label: "Site",
            sql: "c.site_id",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "c.archived_at is not null",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &["c.name", "c.description", "c.external_id", "s.name"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/components/list.html")]
pub struct ComponentsPage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ComponentsPage> {
    let params = ListParams::parse(&COMPONENTS, &query);
    let site_rows = sites::options(&state.db).await?;
    let options = HashMap::from([
        (
            "class",
            COMPONENT_CLASSES
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        (
            "environment",
            ENVIRONMENTS
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        (
            "site",
            site_rows
                .iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name.clone()))
                .collect(),
        ),
        ("archived", archived_options()),
    ]);
    let list = COMPONENTS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(ComponentsPage {
        ctx: PageContext::new(&user, Area::Catalogue, "Components").here("Components"),
        list,
        can_edit: user.role.manages_continuity(),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&COMPONENTS, &query);
    Ok(COMPONENTS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
