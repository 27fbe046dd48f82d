//! `GET /bia/assessments`: every questionnaire, paginated and filtered by exercise, state and
//! owner, with its CSV. An exercise's page and the home page's tiles open it filtered, so each
//! count leads to exactly the questionnaires it counts. Owners see only their own.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::db::bia::{assessments, exercises};
use crate::db::users;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::input::Query;
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};

/// The state people read: a draft nobody has saved yet is "not started". The same words as the
/// exercise page's counts and the questionnaire's own badge.
pub const STATE_SQL: &str = "case when a.status = 'draft' and a.last_saved_at is null then 'not_started' \
     else a.status end";

pub const STATES: &[(&str, &str, &str)] = &[
    ("not_started", "Not started", "badge-grey"),
    ("draft", "Draft", "badge-blue"),
    ("submitted", "Submitted", "badge-amber"),
    ("returned", "Returned", "badge-red"),
    ("approved", "Approved", "badge-green"),
];

fn state_badge(value: &str) -> (String, &'static str) {
    STATES
        .iter()
        .find(|(key, _, _)| *key == value)
        .map_or((value.to_owned(), "badge-grey"), |(_, label, class)| {
            ((*label).to_owned(), *class)
        })
}

static ASSESSMENTS: ListSpec = ListSpec {
    name: "bia-questionnaires",
    path: "/bia/assessments",
    from: "bia_assessments a \
           join bia_exercises x on x.id = a.exercise_id \
           join services s on s.id = a.service_id \
           left join users u on u.id = a.assignee_id",
    id: "a.id",
    columns: &[
        Column {
            key: "service",
            label: "Service",
            sql: "s.name",
            cell: Cell::Text,
            link: Some("/bia/assessments/"),
            sortable: true,
        },
        Column {
            key: "exercise",
            label: "Exercise",
            sql: "x.name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "owner",
            label: "Answered by",
            sql: "u.display_name",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "state",
            label: "State",
            sql: STATE_SQL,
            cell: Cell::Badge(state_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "saved",
            label: "Last saved",
            sql: "a.last_saved_at",
            cell: Cell::DateTime,
            link: None,
            sortable: true,
        },
        Column {
            key: "mtpd",
            label: "MTPD",
            sql: "a.derived_mtpd_minutes",
            cell: Cell::Minutes,
            link: None,
            sortable: true,
        },
        Column {
            key: "rto",
            label: "RTO",
            sql: "coalesce(a.approved_rto_minutes, a.derived_rto_minutes)",
            cell: Cell::Minutes,
            link: None,
            sortable: true,
        },
        Column {
            key: "rpo",
            label: "RPO",
            sql: "a.derived_rpo_minutes",
            cell: Cell::Minutes,
            link: None,
            sortable: true,
        },
    ],
    filters: &[
        Filter {
            key: "exercise",
            label: "Exercise",
            sql: "a.exercise_id",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "current",
            label: "Exercises",
            sql: "x.status in ('open', 'in_review')",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "state",
            label: "State",
            sql: STATE_SQL,
            kind: FilterKind::Choice,
            default: None,
        },
        // What waits for whom: the owner answers, the manager reviews.
        Filter {
            key: "work",
            label: "Waiting for",
            // A draft frozen by the review waits for a manager (to return it, or reopen).
            sql: "case when a.status = 'returned' or (a.status = 'draft' and x.status = 'open') \
                  then 'answer' \
                  when a.status = 'submitted' or (a.status = 'draft' and x.status = 'in_review') \
                  then 'review' else 'nobody' end",
            kind: FilterKind::Choice,
            default: None,
        },
        Filter {
            key: "owner",
            label: "Answered by",
            sql: "a.assignee_id",
            kind: FilterKind::Choice,
            default: None,
        },
    ],
    search: &["s.name", "x.name", "u.display_name"],
    default_sort: "state",
    default_descending: true,
};

#[derive(Template, WebTemplate)]
#[template(path = "bia/assessments.html")]
pub struct AssessmentsPage {
    ctx: PageContext,
    list: ListView,
}

/// Owners see the questionnaires assigned to them; everyone else reads them all.
async fn params_for(
    state: &AppState,
    user: &CurrentUser,
    query: &[(String, String)],
) -> AppResult<ListParams> {
    let params = ListParams::parse(&ASSESSMENTS, query);
    Ok(if user.role != Role::ServiceOwner {
        params
    } else {
        params.only(Some(
            assessments::ids_assigned_to(&state.db, user.id).await?,
        ))
    })
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<AssessmentsPage> {
    let params = params_for(&state, &user, &query).await?;
    let exercises = exercises::names(&state.db).await?;
    let owners = users::owner_options(&state.db).await?;
    let options = HashMap::from([
        (
            "exercise",
            exercises
                .iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name.clone()))
                .collect(),
        ),
        (
            "current",
            vec![
                FilterOption::new("true", "Open or in review"),
                FilterOption::new("false", "Planned, approved or closed"),
            ],
        ),
        (
            "state",
            STATES
                .iter()
                .map(|(key, label, _)| FilterOption::new(*key, *label))
                .collect(),
        ),
        (
            "work",
            vec![
                FilterOption::new("answer", "Its owner's answers"),
                FilterOption::new("review", "A manager's review"),
                FilterOption::new("nobody", "Nobody"),
            ],
        ),
        (
            "owner",
            owners
                .iter()
                .map(|(id, name)| FilterOption::new(id.to_string(), name.clone()))
                .collect(),
        ),
    ]);
    let list = ASSESSMENTS
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(AssessmentsPage {
        ctx: PageContext::new(&user, Area::Bia, "BIA questionnaires")
            .crumb("BIA", "/bia")
            .here("Questionnaires"),
        list,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = params_for(&state, &user, &query).await?;
    Ok(ASSESSMENTS
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}
