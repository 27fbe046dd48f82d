//! `/audit`: the append-only record of every change, with filters and CSV export, for
//! administrators, continuity managers and auditors.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::Routes;
use crate::auth::Authorized;
use crate::auth::extract::ReadAuditLog;
use crate::db::audit;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

pub fn routes() -> Routes {
    Routes::new().get("/audit", page).get("/audit.csv", csv)
}

/// The fields whose value differs between `before` and `after`, e.g. "display_name, role".
const CHANGED_FIELDS: &str = "(select string_agg(k, ', ' order by k) \
     from jsonb_object_keys(coalesce(a.after, a.before, '{}'::jsonb)) as k \
     where a.before is null or a.after is null or a.before -> k is distinct from a.after -> k)";

static AUDIT: ListSpec = ListSpec {
    name: "audit-log",
    path: "/audit",
    from: "audit_log a",
    id: "a.id",
    columns: &[
        Column {
            key: "at",
            label: "When",
            sql: "a.at",
            cell: Cell::DateTime,
            link: None,
            sortable: true,
        },
        Column {
            key: "actor",
            label: "Who",
            sql: "a.actor_label",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "action",
            label: "Action",
            sql: "a.action",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "entity",
            label: "What",
            sql: "a.entity",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "entity_id",
            label: "Which",
            sql: "a.entity_id",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "changed",
            label: "Fields",
            sql: CHANGED_FIELDS,
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
        Column {
            key: "before",
            label: "Before",
            sql: "a.before",
            cell: Cell::Json,
            link: None,
            sortable: false,
        },
        Column {
            key: "after",
            label: "After",
            sql: "a.after",
            cell: Cell::Json,
            link: None,
            sortable: false,
        },
        Column {
            key: "request",
            label: "Request id",
            sql: "a.request_id",
            cell: Cell::Text,
            link: None,
            sortable: false,
        },
    ],
    filters: &[
        Filter {
            key: "entity",
            label: "What",
            sql: "a.entity",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "action",
            label: "Action",
            sql: "a.action",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "from",
            label: "From",
            sql: "a.at",
            kind: FilterKind::DateFrom,
            default: None,
        },
        Filter {
            key: "to",
            label: "To",
            sql: "a.at",
            kind: FilterKind::DateTo,
            default: None,
        },
    ],
    search: &["a.actor_label", "a.entity", "a.entity_id", "a.action"],
    default_sort: "at",
    default_descending: true,
};

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct AuditPage {
    ctx: PageContext,
    list: ListView,
}

async fn page(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadAuditLog>,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<AuditPage> {
    let params = ListParams::parse(&AUDIT, &query);
    let (entities, actions) = audit::filter_choices(&state.db).await?;
    let choices = |values: Vec<String>| {
        values
            .into_iter()
            .map(|value| FilterOption::new(value.clone(), value.replace('_', " ")))
            .collect()
    };
    let options = HashMap::from([("entity", choices(entities)), ("action", choices(actions))]);
    let list = AUDIT
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(AuditPage {
        ctx: PageContext::new(&user, Area::Audit, "Audit log").here("Audit log"),
        list,
    })
}

async fn csv(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ReadAuditLog>,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&AUDIT, &query);
    Ok(AUDIT
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
