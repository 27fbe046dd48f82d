//! `GET /suppliers` and its CSV export. Service owners see only the suppliers of contracts their
//! services rely on.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::assess::visible_contracts;
use crate::auth::CurrentUser;
use crate::db::suppliers::contracts;
use crate::domain::catalogue::label_of;
use crate::domain::supplier::CATEGORIES;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn category_badge(value: &str) -> (String, &'static str) {
    let class = match value {
        "strategic" => "badge-red",
        "tactical" => "badge-amber",
        "operational" => "badge-blue",
        _ => "badge-grey",
    };
    (label_of(CATEGORIES, value), class)
}

fn evidence_badge(value: &str) -> (String, &'static str) {
    match value {
        "0" | "" => ("—".into(), "badge-none"),
        count => (format!("{count} expired"), "badge-red"),
    }
}

static SUPPLIERS: ListSpec = ListSpec {
    name: "suppliers",
    path: "/suppliers",
    from: "suppliers s",
    id: "s.id",
    columns: &[
        Column {
            key: "name",
            label: "Supplier",
            sql: "s.name",
            cell: Cell::Text,
            link: Some("/suppliers/"),
            sortable: true,
        },
        Column {
            key: "category",
            label: "Category",
            sql: "s.category",
            cell: Cell::Badge(category_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "contracts",
            label: "Contracts",
            sql: "(select count(*) from contracts c where c.supplier_id = s.id and c.archived_at is null)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "next_end",
            label: "Next contract end",
            sql: "(select min(c.end_date) from contracts c where c.supplier_id = s.id and c.archived_at is null and c.end_date >= current_date)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "evidence",
            label: "Continuity evidence",
            sql: "(select count(*) from contracts c where c.supplier_id = s.id and c.archived_at is null and c.bcp_evidence_expires_on < current_date)",
            cell: Cell::Badge(evidence_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "phone",
            label: "Phone",
            sql: "s.phone",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
    ],
    filters: &[
        Filter {
            key: "category",
            label: "Category",
            sql: "s.category",
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
    search: &["s.name", "s.notes", "s.email"],
    default_sort: "name",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/list.html")]
pub struct SuppliersPage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
    restricted: bool,
}

/// The suppliers `user` may see, or `None` for all.
pub(super) async fn visible_suppliers(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Option<Vec<Uuid>>> {
    let Some(visible) = visible_contracts(state, user).await? else {
        return Ok(None);
    };
    let ids: Vec<Uuid> = visible.into_iter().collect();
    Ok(Some(contracts::suppliers_of(&state.db, &ids).await?))
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<SuppliersPage> {
    let only = visible_suppliers(&state, &user).await?;
    let restricted = only.is_some();
    let params = ListParams::parse(&SUPPLIERS, &query).only(only);
    let options = HashMap::from([
        (
            "category",
            CATEGORIES
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        ("archived", crate::routes::catalogue::archived_options()),
    ]);
    let list = SUPPLIERS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(SuppliersPage {
        ctx: PageContext::new(&user, Area::Suppliers, "Suppliers").here("Suppliers"),
        list,
        can_edit: user.role.manages_continuity(),
        restricted,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let only = visible_suppliers(&state, &user).await?;
    let params = ListParams::parse(&SUPPLIERS, &query).only(only);
    Ok(SUPPLIERS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
