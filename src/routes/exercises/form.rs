//! Planning a test: its type, date, facilitator, the plans exercised (each at the version in
//! force), the suppliers and people taking part, checkable objectives one per line, and the
//! scenario. Continuity managers plan any test; a service owner plans tests of the plans that
//! cover one of their services.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{load, may_plan};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::audit::Actor;
use crate::db::catalogue::WriteError;
use crate::db::exercises::records::{self, PlanChoice, PlanTest, TestFields};
use crate::db::plans::people;
use crate::domain::date::parse_date;
use crate::domain::exercise::{TestStatus, TestType};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::choices::OptionView;
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::flash::Flash;
use crate::web::form::FieldErrors;
use crate::web::input::{Form, Query};
use crate::web::page::{Area, PageContext};
use crate::web::record::{self, RecordForm};

const MAX_TEXT: usize = 5000;
const MAX_OBJECTIVES: usize = 30;

#[derive(Deserialize, Default, Clone)]
pub struct TestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    test_type: String,
    #[serde(default)]
    test_on: String,
    #[serde(default)]
    facilitator: String,
    #[serde(default)]
    plan: Vec<String>,
    #[serde(default)]
    supplier: Vec<String>,
    #[serde(default)]
    participant: Vec<String>,
    /// One objective per line.
    #[serde(default)]
    objectives: String,
    #[serde(default)]
    scenario: String,
    /// A saved disaster scenario the test rehearses.
    #[serde(default)]
    disaster_scenario: String,
    #[serde(default)]
    version: i32,
}

impl TestForm {
    fn from_test(test: &PlanTest, scope: &records::Scope) -> Self {
        let ids = |ids: &[Uuid]| ids.iter().map(Uuid::to_string).collect();
        Self {
            title: test.title.clone(),
            test_type: test.test_type.clone(),
            test_on: test.test_on.to_string(),
            facilitator: test
                .facilitator_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            plan: ids(&scope.plans),
            supplier: ids(&scope.suppliers),
            participant: ids(&scope.participants),
            objectives: scope.objectives.join("\n"),
            scenario: test.scenario.clone(),
            disaster_scenario: test
                .disaster_scenario_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            version: test.version,
        }
    }
}

/// What the form chooses from: plans with an approved version, suppliers, the directory.
pub struct Choices {
    plans: Vec<PlanChoice>,
    suppliers: Vec<(Uuid, String)>,
    people: Vec<(Uuid, String)>,
    /// The saved scenarios, and the one the edited test rehearses even when archived since.
    scenarios: Vec<(Uuid, String)>,
    /// Whether the test being edited has recovery times or step times recorded already.
    measured: bool,
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The ids ticked in `values` that are among `known`, or the field's error.
fn chosen(values: &[String], known: impl Fn(Uuid) -> bool) -> Result<Vec<Uuid>, ()> {
    let mut ids = Vec::new();
    for value in values.iter().filter(|value| !value.trim().is_empty()) {
        let id: Uuid = value.trim().parse().map_err(|_| ())?;
        if !known(id) {
            return Err(());
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub struct TestRecords;

impl RecordForm for TestRecords {
    type Form = TestForm;
    type Record = PlanTest;
    type Choices = Choices;
    type Fields = TestFields;
    type Page = TestFormPage;

    async fn choices(
        state: &AppState,
        user: &CurrentUser,
        _form: &TestForm,
        existing: Option<&PlanTest>,
    ) -> AppResult<Choices> {
        let measured = match existing {
            Some(test) => {
                crate::db::exercises::results::measured_anything(&state.db, test.id).await?
            }
            None => false,
        };
        let plans = records::plan_choices(&state.db).await?;
        let suppliers = crate::db::suppliers::suppliers_table::options(&state.db).await?;
        let people = people::all(&state.db)
            .await?
            .into_iter()
            .map(|person| (person.id, person.name))
            .collect();
        // Service owners do not read scenarios: they keep the one a manager chose.
        let mut scenarios: Vec<(Uuid, String)> = if user.role.manages_continuity() {
            crate::db::scenarios::active(&state.db)
                .await?
                .into_iter()
                .map(|scenario| (scenario.id, scenario.name))
                .collect()
        } else {
            Vec::new()
        };
        if let Some(test) = existing
            && let (Some(id), Some(name)) = (
                test.disaster_scenario_id,
                test.disaster_scenario_name.as_ref(),
            )
            && !scenarios.iter().any(|(known, _)| *known == id)
        {
            scenarios.push((id, format!("{name} (archived)")));
        }
        Ok(Choices {
            scenarios,
            plans,
            suppliers,
            people,
            measured,
        })
    }

    fn check(
        form: &TestForm,
        user: &CurrentUser,
        choices: &Choices,
        existing: Option<&PlanTest>,
    ) -> Result<TestFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.add(
                "title",
                "Name the test in a few words, e.g. “Failover of the Frankfurt data centre” (at most 200 characters).",
            );
        }
        let test_type = TestType::parse(form.test_type.trim());
        if test_type.is_none() {
            errors.add("test_type", "Choose the type of test.");
        }
        // Recorded times would silently stop counting (or start to): keep the kind of test.
        let measures_changed = |kind: TestType| {
            existing.is_some_and(|test| {
                test.test_type().measures_recovery() != kind.measures_recovery()
            })
        };
        if choices.measured && test_type.is_some_and(measures_changed) {
            errors.add(
                "test_type",
                "Recovery times are already recorded for this test: choose a type that recovers services too, or clear the recorded times first.",
            );
        }
        let unchanged_date =
            existing.is_some_and(|test| test.test_on.to_string() == form.test_on.trim());
        let test_on = match parse_date(&form.test_on) {
            Ok(date) if date < today() && !unchanged_date => {
                errors.add(
                    "test_on",
                    "A test is planned for today or later; record one already held by planning it for today and recording its results.",
                );
                None
            }
            Ok(date) => Some(date),
            Err(error) => {
                errors.add("test_on", format!("Enter the date of the test. {error}"));
                None
            }
        };
        let facilitator =
            match crate::web::choices::parse_optional_id(&form.facilitator, &choices.people) {
                Ok(found) => found,
                Err(_) => {
                    errors.add("facilitator", "Choose the facilitator from the directory.");
                    None
                }
            };
        let manages = user.role.manages_continuity();
        let plans = match chosen(&form.plan, |id| {
            choices.plans.iter().any(|plan| plan.id == id)
        }) {
            Ok(plans) if plans.is_empty() => {
                errors.add("plan", "Choose at least one approved plan to exercise.");
                plans
            }
            Ok(plans) => {
                let not_theirs = plans.iter().any(|id| {
                    choices
                        .plans
                        .iter()
                        .find(|plan| plan.id == *id)
                        .is_none_or(|plan| !plan.owners.contains(&user.id))
                });
                if !manages && not_theirs {
                    errors.add(
                        "plan",
                        "Service owners plan tests of the plans that cover one of their services.",
                    );
                }
                plans
            }
            Err(()) => {
                errors.add(
                    "plan",
                    "One of the chosen plans is not an approved plan (any more).",
                );
                Vec::new()
            }
        };
        let suppliers = chosen(&form.supplier, |id| {
            choices.suppliers.iter().any(|(known, _)| *known == id)
        })
        .unwrap_or_else(|()| {
            errors.add(
                "supplier",
                "One of the chosen suppliers does not exist (any more).",
            );
            Vec::new()
        });
        let participants = chosen(&form.participant, |id| {
            choices.people.iter().any(|(known, _)| *known == id)
        })
        .unwrap_or_else(|()| {
            errors.add(
                "participant",
                "One of the chosen people is not in the directory (any more).",
            );
            Vec::new()
        });
        let objectives: Vec<String> = form
            .objectives
            .lines()
            .map(|line| {
                line.trim()
                    .trim_start_matches(['-', '*', '•'])
                    .trim()
                    .to_owned()
            })
            .filter(|line| !line.is_empty())
            .collect();
        if objectives.len() > MAX_OBJECTIVES {
            errors.add(
                "objectives",
                format!("At most {MAX_OBJECTIVES} objectives."),
            );
        } else if objectives.iter().any(|line| line.chars().count() > 500) {
            errors.add("objectives", "Keep each objective under 500 characters.");
        }
        let disaster_scenario =
            crate::web::choices::parse_optional_id(&form.disaster_scenario, &choices.scenarios)
                .unwrap_or_else(|_| {
                    errors.add(
                        "disaster_scenario",
                        "Choose one of the saved scenarios, or none.",
                    );
                    None
                });
        if form.scenario.chars().count() > MAX_TEXT {
            errors.add(
                "scenario",
                format!("Keep the scenario under {MAX_TEXT} characters."),
            );
        }
        match (test_type, test_on) {
            (Some(test_type), Some(test_on)) if errors.is_empty() => Ok(TestFields {
                title: title.to_owned(),
                test_type,
                test_on,
                facilitator_id: facilitator,
                scenario: form.scenario.clone(),
                disaster_scenario_id: disaster_scenario,
                plans,
                suppliers,
                participants,
                objectives,
            }),
            _ => Err(errors),
        }
    }

    fn page(
        user: &CurrentUser,
        form: TestForm,
        errors: FieldErrors,
        choices: Choices,
        existing: Option<&PlanTest>,
    ) -> TestFormPage {
        let title = existing.map_or("Plan a test".to_owned(), |test| {
            format!("Edit {} {}", test.reference(), test.title)
        });
        let mut ctx = PageContext::new(user, Area::Tests, title).crumb("Tests", "/tests");
        if let Some(test) = existing {
            ctx = ctx.crumb(test.reference(), format!("/tests/{}", test.id));
        }
        let manages = user.role.manages_continuity();
        let ticked = |values: &[String], rows: &[(Uuid, String)]| -> Vec<OptionView> {
            rows.iter()
                .map(|(id, name)| OptionView {
                    value: id.to_string(),
                    label: name.clone(),
                    help: "",
                    selected: values.iter().any(|value| value.trim() == id.to_string()),
                })
                .collect()
        };
        let plan_rows: Vec<(Uuid, String)> = choices
            .plans
            .iter()
            .filter(|plan| manages || plan.owners.contains(&user.id))
            .map(|plan| (plan.id, plan.title.clone()))
            .collect();
        TestFormPage {
            ctx: ctx.here(if existing.is_some() {
                "Edit"
            } else {
                "Plan a test"
            }),
            types: TestType::ALL
                .iter()
                .map(|kind| OptionView {
                    value: kind.as_str().to_owned(),
                    label: kind.label().to_owned(),
                    help: kind.help(),
                    selected: kind.as_str() == form.test_type,
                })
                .collect(),
            facilitators: crate::web::choices::from_rows(&choices.people, &form.facilitator),
            disaster_scenarios: crate::web::choices::from_rows(
                &choices.scenarios,
                &form.disaster_scenario,
            ),
            plans: ticked(&form.plan, &plan_rows),
            suppliers: ticked(&form.supplier, &choices.suppliers),
            participants: ticked(&form.participant, &choices.people),
            action: existing.map_or("/tests".to_owned(), |test| format!("/tests/{}", test.id)),
            cancel: existing.map_or("/tests".to_owned(), |test| format!("/tests/{}", test.id)),
            is_new: existing.is_none(),
            form,
            errors,
        }
    }

    async fn insert(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        fields: &TestFields,
    ) -> Result<PlanTest, WriteError> {
        records::create(conn, actor, fields).await
    }

    async fn update(
        conn: &mut sqlx::PgConnection,
        actor: &Actor,
        existing: &PlanTest,
        version: i32,
        fields: &TestFields,
    ) -> Result<Versioned<PlanTest>, WriteError> {
        records::update(conn, actor, existing.id, version, fields).await
    }

    fn version(form: &TestForm) -> i32 {
        form.version
    }

    fn saved(test: &PlanTest, created: bool) -> (String, String) {
        let message = if created {
            format!(
                "Test {} planned for {}. Record its results here during or after the test.",
                test.reference(),
                test.test_on
            )
        } else {
            format!("Test {} saved.", test.reference())
        };
        (message, format!("/tests/{}", test.id))
    }

    fn conflict(user: &CurrentUser, form: &TestForm, current: &PlanTest) -> AppResult<Response> {
        let href = format!("/tests/{}", current.id);
        let mut hidden = vec![
            ("title".into(), form.title.clone()),
            ("test_type".into(), form.test_type.clone()),
            ("test_on".into(), form.test_on.clone()),
            ("facilitator".into(), form.facilitator.clone()),
            ("objectives".into(), form.objectives.clone()),
            ("scenario".into(), form.scenario.clone()),
            ("disaster_scenario".into(), form.disaster_scenario.clone()),
        ];
        for (name, values) in [
            ("plan", &form.plan),
            ("supplier", &form.supplier),
            ("participant", &form.participant),
        ] {
            hidden.extend(values.iter().map(|value| (name.to_owned(), value.clone())));
        }
        ConflictPage {
            ctx: PageContext::new(user, Area::Tests, "Someone else saved first")
                .crumb("Tests", "/tests")
                .crumb(current.reference(), href.clone())
                .here("Conflict"),
            subject: format!("the test {} {}", current.reference(), current.title),
            fields: vec![
                ConflictField::new("Title", &form.title, &current.title),
                ConflictField::new("Date", &form.test_on, current.test_on.to_string()),
                ConflictField::new("Scenario", &form.scenario, &current.scenario),
            ],
            hidden,
            form_action: href.clone(),
            current_version: current.version,
            current_href: href,
        }
        .into_response()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "exercises/form.html")]
pub struct TestFormPage {
    ctx: PageContext,
    form: TestForm,
    errors: FieldErrors,
    types: Vec<OptionView>,
    facilitators: Vec<OptionView>,
    disaster_scenarios: Vec<OptionView>,
    plans: Vec<OptionView>,
    suppliers: Vec<OptionView>,
    participants: Vec<OptionView>,
    action: String,
    cancel: String,
    is_new: bool,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    test_type: String,
}

pub async fn new(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let form = TestForm {
        plan: vec![query.plan]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect(),
        test_type: query.test_type,
        test_on: (today() + time::Duration::days(30)).to_string(),
        ..TestForm::default()
    };
    record::new_page::<TestRecords>(&state, &user, form).await
}

pub async fn create(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Form(form): Form<TestForm>,
) -> AppResult<Response> {
    record::create::<TestRecords>(&state, &user, form).await
}

/// The test `user` is about to change, or what to answer instead.
async fn writable(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<Result<PlanTest, Response>> {
    let test = load(state, id).await?;
    if !may_plan(state, user, &test).await? {
        return Err(AppError::Forbidden);
    }
    if test.status() != TestStatus::Planned {
        let href = format!("/tests/{}", test.id);
        let message = format!(
            "Test {} is {}: what was planned stays as it was.",
            test.reference(),
            test.status().label().to_lowercase()
        );
        return Ok(Err(record::notice(
            state,
            user,
            Flash::error(message),
            &href,
        )
        .await?));
    }
    Ok(Ok(test))
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let test = match writable(&state, &user, &id).await? {
        Ok(test) => test,
        Err(answer) => return Ok(answer),
    };
    let scope = records::scope(&mut *state.db.acquire().await?, test.id).await?;
    let form = TestForm::from_test(&test, &scope);
    record::edit_page::<TestRecords>(&state, &user, &test, form).await
}

pub async fn update(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<TestForm>,
) -> AppResult<Response> {
    let test = match writable(&state, &user, &id).await? {
        Ok(test) => test,
        Err(answer) => return Ok(answer),
    };
    record::update::<TestRecords>(&state, &user, test, form).await
}
