//! `GET /bia` (exercises, and your own open questionnaires), `GET /bia/new` and `POST /bia`.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::bia::assessments::{self, OpenAssessment};
use crate::db::bia::exercises::{self, NewExercise};
use crate::db::catalogue::org_units;
use crate::db::catalogue::services::{self, ScopeRules};
use crate::domain::date::parse_optional_date;
use crate::domain::graph::NodeKind;
use crate::domain::workflow::ExerciseStatus;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::{Form, Query};
use crate::web::list::{
    Cell, Column, Filter, FilterKind, FilterOption, ListParams, ListSpec, ListView,
};
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};

fn status_badge(value: &str) -> (String, &'static str) {
    let status = ExerciseStatus::parse(value);
    let class = match status {
        Some(ExerciseStatus::Open) => "badge-blue",
        Some(ExerciseStatus::InReview) => "badge-amber",
        Some(ExerciseStatus::Approved) => "badge-green",
        _ => "badge-grey",
    };
    (
        status.map_or_else(|| value.to_string(), |status| status.label().to_string()),
        class,
    )
}

static EXERCISES: ListSpec = ListSpec {
    name: "bia-exercises",
    path: "/bia",
    from: "bia_exercises x",
    id: "x.id",
    columns: &[
        Column {
            key: "name",
            label: "Exercise",
            sql: "x.name",
            cell: Cell::Text,
            link: Some("/bia/"),
            sortable: true,
        },
        Column {
            key: "status",
            label: "Status",
            sql: "x.status",
            cell: Cell::Badge(status_badge),
            link: None,
            sortable: true,
        },
        Column {
            key: "due",
            label: "Due",
            sql: "x.due_date",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "services",
            label: "Services",
            sql: "(select count(*) from bia_exercise_services s where s.exercise_id = x.id)",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "approved",
            label: "Approved",
            sql: "(select count(*) from bia_assessments a where a.exercise_id = x.id and a.status = 'approved')",
            cell: Cell::Text,
            link: None,
            sortable: true,
        },
        Column {
            key: "created",
            label: "Created",
            sql: "x.created_at",
            cell: Cell::DateTime,
            link: None,
            sortable: true,
        },
    ],
    filters: &[Filter {
        key: "status",
        label: "Status",
        sql: "x.status",
        kind: FilterKind::Choice,
        default: None,
    }],
    search: &["x.name", "x.instructions"],
    default_sort: "created",
    default_descending: true,
};

#[derive(Template, WebTemplate)]
#[template(path = "bia/list.html")]
pub struct ExercisesPage {
    ctx: PageContext,
    list: ListView,
    mine: Vec<OpenAssessment>,
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<ExercisesPage> {
    let params = ListParams::parse(&EXERCISES, &query);
    let options = HashMap::from([(
        "status",
        ExerciseStatus::ALL
            .iter()
            .map(|status| FilterOption::new(status.as_str(), status.label()))
            .collect(),
    )]);
    let list = EXERCISES
        .page(
            &state.db,
            &params,
            &user.time_zone,
            &user.time_zone_name,
            options,
        )
        .await?;
    Ok(ExercisesPage {
        mine: assessments::open_for(&state.db, user.id).await?,
        ctx: PageContext::new(&user, Area::Bia, "Business impact analysis").here("BIA"),
        list,
        can_create: user.role.manages_continuity(),
    })
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let params = ListParams::parse(&EXERCISES, &query);
    Ok(EXERCISES
        .csv(&state.db, &params, &user.time_zone, &user.time_zone_name)
        .await?)
}

#[derive(Deserialize, Default)]
pub struct ExerciseForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    due_date: String,
    /// The scope rules: every active service, tiers by rank (`none`: not assessed yet), the
    /// services a unit's processes use, and services picked one by one.
    #[serde(default)]
    every: String,
    #[serde(default)]
    tier: Vec<String>,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    service: Vec<String>,
    /// The services picker's search text, and whether its Find button sent the form.
    #[serde(default)]
    pick: String,
    #[serde(default)]
    find: String,
}

impl ExerciseForm {
    fn rules<'a>(&self, tiers: &'a [i32], picked: &'a [Uuid]) -> ScopeRules<'a> {
        ScopeRules {
            every: !self.every.is_empty(),
            tiers,
            unassessed: self.tier.iter().any(|tier| tier == "none"),
            unit: self.unit.parse().ok(),
            picked,
        }
    }

    fn tier_ranks(&self) -> Vec<i32> {
        self.tier
            .iter()
            .filter_map(|tier| tier.parse().ok())
            .collect()
    }
}

pub struct TierChoice {
    value: String,
    name: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "bia/new.html")]
pub struct NewExercisePage {
    ctx: PageContext,
    form: ExerciseForm,
    errors: FieldErrors,
    tiers: Vec<TierChoice>,
    units: Vec<OptionView>,
    services: MultiPicker,
    /// How many services the rules choose now, once the form has been sent back.
    in_scope: Option<usize>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: ExerciseForm,
    errors: FieldErrors,
    in_scope: Option<usize>,
) -> AppResult<NewExercisePage> {
    let services = MultiPicker::build(
        state,
        "service",
        &[NodeKind::Service],
        None,
        (&multi::ids(&form.service), &[]),
        &form.pick,
    )
    .await?;
    let (method, _) = crate::db::bia::method::current(&state.db).await?;
    let mut tiers: Vec<TierChoice> = method
        .tiers
        .iter()
        .map(|tier| (tier.rank.to_string(), tier.name.clone()))
        .chain([("none".to_owned(), "Not assessed yet".to_owned())])
        .map(|(value, name)| TierChoice {
            checked: form.tier.contains(&value),
            value,
            name,
        })
        .collect();
    tiers.dedup_by(|a, b| a.value == b.value);
    let units = choices::from_rows(&org_units::options(&state.db).await?, &form.unit);
    Ok(NewExercisePage {
        ctx: PageContext::new(user, Area::Bia, "New BIA exercise")
            .crumb("BIA", "/bia")
            .here("New exercise"),
        form,
        errors,
        tiers,
        units,
        services,
        in_scope,
    })
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
) -> AppResult<NewExercisePage> {
    let form = ExerciseForm {
        every: "1".into(),
        ..ExerciseForm::default()
    };
    page(&state, &user, form, FieldErrors::default(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(form): Form<ExerciseForm>,
) -> AppResult<Response> {
    let picked = multi::ids(&form.service);
    let tiers = form.tier_ranks();
    let chosen = services::in_scope(&state.db, &form.rules(&tiers, &picked)).await?;
    if !form.find.is_empty() {
        let shown = page(
            &state,
            &user,
            form,
            FieldErrors::default(),
            Some(chosen.len()),
        )
        .await?;
        return Ok(shown.into_response());
    }
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.add(
            "name",
            "Name the exercise, e.g. “BIA 2027” (at most 200 characters).",
        );
    }
    let due_date = parse_optional_date(&form.due_date)
        .map_err(|error| errors.add("due_date", format!("Enter the due date as a date. {error}")))
        .ok()
        .flatten();
    if chosen.is_empty() {
        errors.add(
            "service",
            "Choose at least one service: every service, a tier, a unit's processes, or services one by one.",
        );
    }
    if !errors.is_empty() {
        return Ok(form::rejected(
            page(&state, &user, form, errors, Some(chosen.len())).await?,
        ));
    }
    let (method, _) = crate::db::bia::method::current(&state.db).await?;
    let method = serde_json::to_value(method).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    let exercise = exercises::create(
        &mut tx,
        &user.actor(),
        NewExercise {
            name,
            instructions: &form.instructions,
            due_date,
            method,
            services: &chosen,
        },
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Exercise {} planned with {} services. Open it when you are ready.",
            exercise.name,
            chosen.len()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/bia/{}", exercise.id)).into_response())
}
