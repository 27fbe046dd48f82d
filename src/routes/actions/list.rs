//! `GET /actions` and its CSV export: every improvement action of the practice, soonest due
//! first, with the overdue ones marked; filters by status, due state, owner, source and risk.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::db::users;
use crate::domain::action::{ActionSource, ActionStatus};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn status_badge(value: &str) -> (String, &'static str) {
    match ActionStatus::parse(value) {
        Some(status) => (status.label().to_owned(), status.badge()),
        None => (value.to_owned(), "badge-none"),
    }
}

fn due_badge(value: &str) -> (String, &'static str) {
    match value {
        "overdue" => ("Overdue".to_owned(), "badge-red"),
        "soon" => ("Due within 30 days".to_owned(), "badge-amber"),
        "later" => ("Later".to_owned(), "badge-none"),
        _ => ("Done".to_owned(), "badge-green"),
    }
}

/// Where an action stands against its due date: overdue, due soon, later, or finished.
const DUE_STATE: &str = "case when a.status not in ('open', 'in_progress') then 'finished' \
     when a.due_on < current_date then 'overdue' \
     when a.due_on <= current_date + 30 then 'soon' else 'later' end";

static ACTIONS: ListSpec = ListSpec {
    name: "actions",
    path: "/actions",
    from: "improvement_actions a join users o on o.id = a.owner_id \
           left join risks r on r.id = a.risk_id",
    id: "a.id",
    columns: &[
        Column {
            key: "number",
            label: "Ref",
            sql: "'A-' || lpad(a.number::text, greatest(4, length(a.number::text)), '0')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "title",
            label: "Action",
            sql: "a.title",
            cell: Cell::Text,
            link: Some("/actions/"),
            sortable: true,
        },
        Column {
            key: "due",
            label: "Due",
            sql: "a.due_on",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "due_state",
            label: "",
            sql: DUE_STATE,
            cell: Cell::Badge(due_badge),
            link: None,
            sortable: false,
        },
        Column {
            key: "status",
            label: "Status",
            sql: "a.status",
            cell: Cell::Badge(status_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "owner",
            label: "Owner",
            sql: "o.display_name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "source",
            label: "From",
            sql: "case when r.id is not null then 'R-' || lpad(r.number::text, greatest(4, length(r.number::text)), '0') || ' ' || r.title \
                  else initcap(a.source) end",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "due_state",
            label: "Due",
            sql: DUE_STATE,
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "status",
            label: "Status",
            sql: "a.status",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "owner",
            label: "Owner",
            sql: "a.owner_id::text",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "source",
            label: "From",
            sql: "a.source",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "risk",
            label: "Risk",
            sql: "a.risk_id::text",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "(a.archived_at is not null)::text",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &["a.title", "a.description", "a.evidence"],
    default_sort: "due",
    default_descending: false,
};

/// The filter choices; the risk filter offers only the risk asked for (there may be thousands).
async fn options(
    state: &AppState,
    params: &ListParams,
) -> AppResult<HashMap<&'static str, Vec<FilterOption>>> {
    let mut risk = Vec::new();
    if let Some(id) = params
        .filters
        .get("risk")
        .and_then(|value| value.parse::<uuid::Uuid>().ok())
        && let Some(found) = crate::db::risks::records::find(&state.db, id).await?
    {
        risk.push(FilterOption::new(
            id.to_string(),
            format!("{} {}", found.reference(), found.title),
        ));
    }
    Ok(HashMap::from([
        (
            "due_state",
            vec![
                FilterOption::new("overdue", "Overdue"),
                FilterOption::new("soon", "Due within 30 days"),
                FilterOption::new("later", "Later"),
                FilterOption::new("finished", "Done or verified"),
            ],
        ),
        (
            "status",
            ActionStatus::ALL
                .iter()
                .map(|status| FilterOption::new(status.as_str(), status.label()))
                .collect(),
        ),
        (
            "owner",
            users::owner_options(&state.db)
                .await?
                .into_iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name))
                .collect(),
        ),
        (
            "source",
            ActionSource::ALL
                .iter()
                .map(|source| FilterOption::new(source.as_str(), source.label()))
                .collect(),
        ),
        ("risk", risk),
        ("archived", crate::routes::catalogue::archived_options()),
    ]))
}

#[derive(Template, WebTemplate)]
#[template(path = "actions/list.html")]
pub struct ActionsPage {
    ctx: PageContext,
    list: ListView,
    overdue: i64,
    can_create: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ActionsPage> {
    let params = ListParams::parse(&ACTIONS, &query);
    let options = options(&state, &params).await?;
    let list = ACTIONS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(ActionsPage {
        ctx: PageContext::new(&user, Area::Actions, "Improvement actions").here("Actions"),
        list,
        overdue: crate::db::actions::overdue_count(&state.db).await?,
        can_create: user.role.manages_continuity(),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&ACTIONS, &query);
    Ok(ACTIONS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
