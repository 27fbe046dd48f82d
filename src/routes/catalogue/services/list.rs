//! `GET /services` and its CSV export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::super::archived_options;
use crate::auth::CurrentUser;
use crate::db::users;
use crate::domain::catalogue::{LIFECYCLES, SERVICE_TYPES, label_of};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn type_badge(value: &str) -> (String, &'static str) {
    let class = if value == "business" {
        "badge-blue"
    } else {
        "badge-grey"
    };
    (label_of(SERVICE_TYPES, value), class)
}

fn lifecycle_badge(value: &str) -> (String, &'static str) {
    let class = match value {
        "live" => "badge-green",
        "planned" => "badge-blue",
        "retiring" => "badge-amber",
        _ => "badge-grey",
    };
    (label_of(LIFECYCLES, value), class)
}

static SERVICES: ListSpec = ListSpec {
    name: "services",
    path: "/services",
    from: "services s left join users u on u.id = s.owner_id",
    id: "s.id",
    columns: &[
        Column {
            key: "name",
            label: "Service",
            sql: "s.name",
            cell: Cell::Text,
            link: Some("/services/"),
            sortable: true,
        },
        Column {
            key: "type",
            label: "Type",
            sql: "s.service_type",
            cell: Cell::Badge(type_badge),
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
            key: "lifecycle",
            label: "Lifecycle",
            sql: "s.lifecycle",
            cell: Cell::Badge(lifecycle_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "tier",
            label: "Tier",
            sql: "s.bia_tier_rank::text || ' ' || s.bia_tier_name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "needs",
            label: "Direct needs",
            sql: "(select count(*) from dependencies d where d.from_id = s.id)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "dependents",
            label: "Depended on by",
            sql: "(select count(*) from dependencies d where d.to_id = s.id)",
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
    ],
    filters: &[
        Filter {
            key: "owner",
            label: "Owner",
            sql: "s.owner_id",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "type",
            label: "Type",
            sql: "s.service_type",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "tier",
            label: "Tier",
            sql: "coalesce(s.bia_tier_rank::text, 'none')",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "lifecycle",
            label: "Lifecycle",
            sql: "s.lifecycle",
            kind: FilterKind::Choice,
            default: None,
        },
        // The same rule as the home page's "without an approved plan" count (`db::posture`).
        Filter {
            key: "plan",
            label: "Plan",
            sql: "case when exists (select 1 from plan_services ps \
                    join plans p on p.id = ps.plan_id and p.status = 'active' \
                    join plan_versions v on v.plan_id = p.id and v.status = 'approved' \
                    where ps.service_id = s.id) then 'approved' else 'none' end",
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
    search: &[
        "s.name",
        "s.description",
        "s.external_id",
        "u.display_name",
        "s.sla_reference",
    ],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "catalogue/services/list.html")]
pub struct ServicesPage {
    ctx: PageContext,
    list: ListView,
    can_create: bool,
    my_services_href: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ServicesPage> {
    let params = ListParams::parse(&SERVICES, &query);
    let owners = users::owner_options(&state.db).await?;
    let options = HashMap::from([
        (
            "owner",
            owners
                .iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name.clone()))
                .collect(),
        ),
        (
            "type",
            SERVICE_TYPES
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        (
            "lifecycle",
            LIFECYCLES
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        (
            "tier",
            crate::domain::bia::method::Method::default_method()
                .tiers
                .iter()
                .map(|tier| FilterOption::new(tier.rank.to_string(), tier.name.clone()))
                .chain(std::iter::once(FilterOption::new("none", "Not assessed")))
                .collect(),
        ),
        (
            "plan",
            vec![
                FilterOption::new("approved", "With an approved plan"),
                FilterOption::new("none", "Without an approved plan"),
            ],
        ),
        ("archived", archived_options()),
    ]);
    let list = SERVICES
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(ServicesPage {
        ctx: PageContext::new(&user, Area::Catalogue, "IT services").here("IT services"),
        list,
        can_create: user.role.manages_continuity(),
        my_services_href: owners
            .iter()
            .any(|(id, _)| *id == user.id)
            .then(|| format!("/services?owner={}", user.id)),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&SERVICES, &query);
    Ok(SERVICES
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
