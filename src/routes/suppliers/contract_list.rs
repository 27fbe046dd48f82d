//! `GET /contracts` and its CSV export. Service owners see only the contracts their services rely
//! on.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use super::assess::visible_contracts;
use crate::auth::CurrentUser;
use crate::domain::catalogue::label_of;
use crate::domain::supplier::SUPPORT_HOURS;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

fn support_badge(value: &str) -> (String, &'static str) {
    let class = if value == "24x7" {
        "badge-green"
    } else {
        "badge-amber"
    };
    (label_of(SUPPORT_HOURS, value), class)
}

fn evidence_badge(value: &str) -> (String, &'static str) {
    match value {
        "expired" => ("Expired".into(), "badge-red"),
        "missing" => ("Missing".into(), "badge-red"),
        "valid" => ("Valid".into(), "badge-green"),
        _ => ("Not required".into(), "badge-none"),
    }
}

const NOTICE_DATE: &str = "c.end_date - coalesce(case when c.auto_renewal then coalesce(c.renewal_notice_days, c.termination_notice_days) else c.termination_notice_days end, 0)";

/// The supplier's continuity evidence, as the column shows it and the filter chooses it.
const EVIDENCE: &str = "case when c.bcp_evidence_expires_on < current_date then 'expired' \
     when c.bcp_required and c.bcp_evidence_received_on is null then 'missing' \
     when c.bcp_evidence_received_on is not null then 'valid' else 'none' end";

static CONTRACTS: ListSpec = ListSpec {
    name: "contracts",
    path: "/contracts",
    from: "contracts c join suppliers s on s.id = c.supplier_id",
    id: "c.id",
    columns: &[
        Column {
            key: "reference",
            label: "Reference",
            sql: "c.reference",
            cell: Cell::Text,
            link: Some("/contracts/"),
            sortable: true,
        },
        Column {
            key: "supplier",
            label: "Supplier",
            sql: "s.name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "title",
            label: "What",
            sql: "c.title",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "end",
            label: "Ends",
            sql: "c.end_date",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "notice",
            label: "Notice by",
            sql: NOTICE_DATE,
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "support",
            label: "Support",
            sql: "c.support_hours",
            cell: Cell::Badge(support_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "recovery",
            label: "Guaranteed recovery",
            sql: "c.guaranteed_recovery_minutes",
            cell: Cell::Minutes,
            link: None,
            sortable: true,
        },
        Column {
            key: "rpo",
            label: "Guaranteed RPO",
            sql: "c.guaranteed_rpo_minutes",
            cell: Cell::Minutes,
            link: None,
            sortable: true,
        },
        Column {
            key: "evidence",
            label: "Supplier BCP evidence",
            sql: EVIDENCE,
            cell: Cell::Badge(evidence_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "review",
            label: "Next review",
            sql: "c.next_review_on",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "support",
            label: "Support",
            sql: "c.support_hours",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "evidence",
            label: "Evidence",
            sql: EVIDENCE,
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "(c.archived_at is not null or s.archived_at is not null)",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &["c.reference", "c.title", "s.name", "c.notes"],
    default_sort: "end",
    default_descending: false,
};

#[derive(Template, WebTemplate)]
#[template(path = "suppliers/contracts.html")]
pub struct ContractsPage {
    ctx: PageContext,
    list: ListView,
    can_edit: bool,
    restricted: bool,
}

fn options() -> HashMap<&'static str, Vec<FilterOption>> {
    HashMap::from([
        (
            "support",
            SUPPORT_HOURS
                .iter()
                .map(|c| FilterOption::new(c.value, c.label))
                .collect(),
        ),
        (
            "evidence",
            ["expired", "missing", "valid", "none"]
                .into_iter()
                .map(|value| FilterOption::new(value, evidence_badge(value).0))
                .collect(),
        ),
        ("archived", crate::routes::catalogue::archived_options()),
    ])
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ContractsPage> {
    let only = visible_contracts(&state, &user)
        .await?
        .map(|ids| ids.into_iter().collect());
    let restricted = only.is_some();
    let params = ListParams::parse(&CONTRACTS, &query).only(only);
    let list = CONTRACTS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options(),
        )
        .await?;
    Ok(ContractsPage {
        ctx: PageContext::new(&user, Area::Suppliers, "Contracts")
            .crumb("Suppliers", "/suppliers")
            .here("Contracts"),
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
    let only = visible_contracts(&state, &user)
        .await?
        .map(|ids| ids.into_iter().collect());
    let params = ListParams::parse(&CONTRACTS, &query).only(only);
    Ok(CONTRACTS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
