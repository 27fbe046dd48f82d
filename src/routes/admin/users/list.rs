//! `GET /admin/users` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::Authorized;
use crate::auth::extract::ManageUsers;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn role_badge(value: &str) -> (String, &'static str) {
    let label = Role::parse(value)
        .map(Role::label)
        .unwrap_or("Unknown")
        .to_string();
    let class = match Role::parse(value) {
        Some(Role::Administrator) => "badge-red",
        Some(Role::ContinuityManager) => "badge-blue",
        Some(Role::ServiceOwner) => "badge-green",
        _ => "badge-grey",
    };
    (label, class)
}

fn status_badge(value: &str) -> (String, &'static str) {
    if value == "true" {
        ("Active".into(), "badge-green")
    } else {
        ("Deactivated".into(), "badge-grey")
    }
}

static USERS: ListSpec = ListSpec {
    name: "users",
    path: "/admin/users",
    from: "users",
    id: "id",
    columns: &[
        Column {
            key: "name",
            label: "Name",
            sql: "display_name",
            cell: Cell::Text,
            link: Some("/admin/users/"),
            sortable: true,
        },
        Column {
            key: "email",
            label: "Email",
            sql: "email",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "role",
            label: "Role",
            sql: "role",
            cell: Cell::Badge(role_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "status",
            label: "Status",
            sql: "active",
            cell: Cell::Badge(status_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "created",
            label: "Created",
            sql: "created_at",
            cell: Cell::DateTime,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "role",
            label: "Role",
            sql: "role",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "active",
            label: "Status",
            sql: "active",
            kind: FilterKind::Choice,
            default: None,
        },
    ],
    search: &["display_name", "email"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "admin/users/list.html")]
pub struct UsersPage {
    ctx: PageContext,
    list: ListView,
}

pub async fn page(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<UsersPage> {
    let params = ListParams::parse(&USERS, &query);
    let options = HashMap::from([
        (
            "role",
            Role::ALL
                .iter()
                .map(|role| FilterOption::new(role.as_str(), role.label()))
                .collect(),
        ),
        (
            "active",
            vec![
                FilterOption::new("true", "Active"),
                FilterOption::new("false", "Deactivated"),
            ],
        ),
    ]);
    let list = USERS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(UsersPage {
        ctx: PageContext::new(&user, Area::Admin, "Users")
            .crumb("Administration", "/admin/users")
            .here("Users"),
        list,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&USERS, &query);
    Ok(USERS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
