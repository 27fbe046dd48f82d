//! `GET /risks` and its CSV export: the heat maps (inherent and residual, each cell a link to
//! the register filtered to it) above the register, which sorts, filters and searches like every
//! list. The level column shows the level each risk's scores reach in the current matrix.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::db::risks::{method, records};
use crate::db::users;
use crate::domain::risk::register::Treatment;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::heat_map;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

/// The level cell arrives as `index:name`; the badge darkens with the index.
fn level_badge(value: &str) -> (String, &'static str) {
    let (index, name) = value.split_once(':').unwrap_or(("0", value));
    let class = match index.parse::<u8>().unwrap_or(0) {
        0 => "badge-green",
        1 => "badge-amber",
        _ => "badge-red",
    };
    (name.to_owned(), class)
}

fn treatment_badge(value: &str) -> (String, &'static str) {
    match Treatment::parse(value) {
        Some(treatment) => (treatment.label().to_owned(), "badge-blue"),
        None => ("Not decided".to_owned(), "badge-none"),
    }
}

/// The method is joined once (one row) rather than looked up per row: sorting 10 000 risks by
/// level then costs a few milliseconds.
const LEVEL: &str = "r.current_level || ':' || coalesce(m.definition -> 'levels' -> r.current_level::int ->> 'name', r.current_level::text)";

static RISKS: ListSpec = ListSpec {
    name: "risks",
    path: "/risks",
    from: "risks r left join risk_method m on m.id = 1 left join users u on u.id = r.owner_id \
           left join risk_threats t on t.id = r.threat_id",
    id: "r.id",
    columns: &[
        Column {
            key: "number",
            label: "Ref",
            sql: "'R-' || lpad(r.number::text, greatest(4, length(r.number::text)), '0')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "title",
            label: "Risk",
            sql: "r.title",
            cell: Cell::Text,
            link: Some("/risks/"),
            sortable: true,
        },
        Column {
            key: "level",
            label: "Level",
            sql: LEVEL,
            cell: Cell::Badge(level_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "inherent",
            label: "Inherent",
            sql: "r.inherent_likelihood || ' × ' || r.inherent_impact",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "residual",
            label: "Residual",
            sql: "coalesce(r.residual_likelihood || ' × ' || r.residual_impact, '—')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "threat",
            label: "Threat",
            sql: "coalesce(t.name, '')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "owner",
            label: "Owner",
            sql: "coalesce(u.display_name, '')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "treatment",
            label: "Treatment",
            sql: "coalesce(r.treatment, '')",
            cell: Cell::Badge(treatment_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "review",
            label: "Next review",
            sql: "r.review_due",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "level",
            label: "Level",
            sql: "r.current_level::text",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "appetite",
            label: "Against appetite",
            sql: "r.above_appetite::text",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "treatment",
            label: "Treatment",
            sql: "coalesce(r.treatment, 'none')",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "owner",
            label: "Owner",
            sql: "r.owner_id::text",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "review",
            label: "Review",
            sql: "case when r.review_due < current_date then 'overdue' else 'current' end",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "inherent",
            label: "Inherent cell",
            sql: "r.inherent_likelihood || 'x' || r.inherent_impact",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "residual",
            label: "Residual cell",
            sql: "coalesce(r.residual_likelihood || 'x' || r.residual_impact, 'none')",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "on",
            label: "Bears on",
            sql: "array(select s.node_id::text from risk_scope s where s.risk_id = r.id)",
            kind: FilterKind::Contains,
            default: None,
        },
        Filter {
            key: "archived",
            label: "State",
            sql: "(r.archived_at is not null)::text",
            kind: FilterKind::Choice,
            default: Some("false"),
        },
    ],
    search: &[
        "r.title",
        "r.vulnerability",
        "r.cause",
        "r.event",
        "r.consequence",
    ],
    default_sort: "level",
    default_descending: true,
};

/// The "bears on" choice: only the entry asked for (the estate is too large to list), its name
/// hidden if it is a contract the reader may not open.
async fn bears_on(
    state: &AppState,
    user: &CurrentUser,
    params: &ListParams,
) -> AppResult<Vec<FilterOption>> {
    let Some(id) = params
        .filters
        .get("on")
        .and_then(|value| value.parse::<uuid::Uuid>().ok())
    else {
        return Ok(Vec::new());
    };
    let mut found = crate::db::catalogue::entries::by_ids(&state.db, &[id]).await?;
    let access = crate::auth::contracts::ContractAccess::of(state, user).await?;
    Ok(found
        .iter_mut()
        .map(|entry| {
            access.conceal(entry);
            FilterOption::new(entry.id.to_string(), entry.name.clone())
        })
        .collect())
}

async fn options(
    state: &AppState,
    user: &CurrentUser,
    params: &ListParams,
) -> AppResult<HashMap<&'static str, Vec<FilterOption>>> {
    let (method, _) = method::current(&state.db).await?;
    let cells = |label: &dyn Fn(u8, u8) -> String| {
        method
            .likelihood
            .iter()
            .flat_map(|l| method.impact.iter().map(move |i| (l.value, i.value)))
            .map(|(l, i)| FilterOption::new(format!("{l}x{i}"), label(l, i)))
            .collect::<Vec<_>>()
    };
    let mut residual = cells(&|l, i| format!("{l} × {i}"));
    residual.push(FilterOption::new("none", "Not assessed"));
    let mut treatments: Vec<FilterOption> = Treatment::ALL
        .iter()
        .map(|treatment| FilterOption::new(treatment.as_str(), treatment.label()))
        .collect();
    treatments.push(FilterOption::new("none", "Not decided"));
    Ok(HashMap::from([
        (
            "level",
            method
                .levels
                .iter()
                .enumerate()
                .map(|(index, level)| FilterOption::new(index.to_string(), level.name.clone()))
                .collect(),
        ),
        (
            "appetite",
            vec![
                FilterOption::new(
                    "true",
                    format!("Above appetite ({})", method.appetite_name()),
                ),
                FilterOption::new("false", "Within appetite"),
            ],
        ),
        ("treatment", treatments),
        (
            "owner",
            users::owner_options(&state.db)
                .await?
                .into_iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name))
                .collect(),
        ),
        (
            "review",
            vec![
                FilterOption::new("overdue", "Overdue"),
                FilterOption::new("current", "Not overdue"),
            ],
        ),
        ("inherent", cells(&|l, i| format!("{l} × {i}"))),
        ("residual", residual),
        ("on", bears_on(state, user, params).await?),
        ("archived", crate::routes::catalogue::archived_options()),
    ]))
}

#[derive(Template, WebTemplate)]
#[template(path = "risks/list.html")]
pub struct RisksPage {
    ctx: PageContext,
    list: ListView,
    inherent_map: String,
    residual_map: String,
    can_create: bool,
    can_import: bool,
}

/// Both heat maps, as SVG.
pub async fn heat_maps(state: &AppState) -> AppResult<(String, String)> {
    let (method, _) = method::current(&state.db).await?;
    let counts = |rows: Vec<(i16, i16, i64)>| -> HashMap<(u8, u8), i64> {
        rows.into_iter()
            .map(|(l, i, count)| ((l as u8, i as u8), count))
            .collect()
    };
    let inherent = counts(records::heat(&state.db, false).await?);
    let residual = counts(records::heat(&state.db, true).await?);
    Ok((
        heat_map::render("Inherent risk", &method, &inherent, |l, i| {
            format!("/risks?inherent={l}x{i}")
        }),
        heat_map::render("Residual risk", &method, &residual, |l, i| {
            format!("/risks?residual={l}x{i}")
        }),
    ))
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<RisksPage> {
    let params = ListParams::parse(&RISKS, &query);
    let list = RISKS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options(&state, &user, &params).await?,
        )
        .await?;
    // The maps are the home page's, kept until risks or the method change.
    let figures = super::risk_watch(&state).await?;
    Ok(RisksPage {
        ctx: PageContext::new(&user, Area::Risks, "Risks").here("Risks"),
        list,
        inherent_map: figures.inherent_map,
        residual_map: figures.residual_map,
        can_import: user.role.manages_continuity(),
        can_create: user.role.manages_continuity()
            || user.role == crate::domain::role::Role::ServiceOwner,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&RISKS, &query);
    Ok(RISKS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
