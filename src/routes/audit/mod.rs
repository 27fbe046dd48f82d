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

/// What changed, by name: the name, title, reference or email the record had (from its own
/// snapshot, so no join and no lookup per row), else its id.
const WHICH: &str = "coalesce(coalesce(a.after, a.before) ->> 'name', \
     coalesce(a.after, a.before) ->> 'title', coalesce(a.after, a.before) ->> 'reference', \
     coalesce(a.after, a.before) ->> 'service_name', coalesce(a.after, a.before) ->> 'email', \
     a.entity_id)";

/// An action in words: "signed in", "moved", "created".
fn action_words(code: &str) -> String {
    match code {
        "sign_in" => "signed in".into(),
        "sign_in_failed" => "failed to sign in".into(),
        "sign_out" => "signed out".into(),
        "create" => "created".into(),
        "update" => "changed".into(),
        "delete" => "deleted".into(),
        "change_status" => "moved to another status".into(),
        "archive" => "archived".into(),
        "restore" => "restored".into(),
        "approve" => "approved".into(),
        "reassign" => "reassigned".into(),
        "remind" => "reminded its owner".into(),
        "save" => "saved".into(),
        "confirm" => "confirmed".into(),
        "attach" => "attached a document".into(),
        "download" => "took an offline copy".into(),
        "acknowledge" => "acknowledged".into(),
        "superseded" => "superseded".into(),
        "create_assessments" => "sent the questionnaires".into(),
        "contacts_changed_in_plans" => "changed contacts printed in plans".into(),
        other => other.replace('_', " "),
    }
}

/// A kind of record in words: "BIA questionnaire", "plan version".
fn entity_words(code: &str) -> String {
    match code {
        "bia_assessment" => "BIA questionnaire".into(),
        "bia_exercise" => "BIA exercise".into(),
        "bia_method" => "BIA method".into(),
        "org_unit" => "organisation unit".into(),
        "session" => "sign-in".into(),
        other => other.replace('_', " "),
    }
}

fn action_cell(code: &str) -> (String, &'static str) {
    (action_words(code), "badge-none")
}

fn entity_cell(code: &str) -> (String, &'static str) {
    (entity_words(code), "badge-none")
}

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
            cell: Cell::Badge(action_cell),
            link: None,
            sortable: true,
        },
        Column {
            key: "entity",
            label: "What",
            sql: "a.entity",
            cell: Cell::Badge(entity_cell),
            link: None,
            sortable: true,
        },
        Column {
            key: "entity_id",
            label: "Which",
            sql: WHICH,
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
    let choices = |values: Vec<String>, words: fn(&str) -> String| {
        values
            .into_iter()
            .map(|value| FilterOption::new(value.clone(), words(&value)))
            .collect()
    };
    let options = HashMap::from([
        ("entity", choices(entities, entity_words)),
        ("action", choices(actions, action_words)),
    ]);
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
