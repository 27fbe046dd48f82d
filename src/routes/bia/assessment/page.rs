//! The questionnaire page and its derived-results panel, shared by showing, saving and previewing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use serde::Deserialize;
use uuid::Uuid;

use super::{load, may_answer};
use crate::auth::CurrentUser;
use crate::auth::contracts::ContractAccess;
use crate::db::bia::assessments::{self, Assessment, PreviousResult};
use crate::db::catalogue::{dependencies, entries};
use crate::db::users;
use crate::domain::bia::chart::impact_chart;
use crate::domain::bia::derive::{Derivation, ImpactGrid, derive};
use crate::domain::bia::method::{Method, duration_label};
use crate::domain::bia::recovery_budget_warning;
use crate::domain::duration::Duration;
use crate::domain::questionnaire::Answers;
use crate::domain::workflow::{AssessmentStatus, ExerciseStatus};
use crate::error::AppResult;
use crate::routes::bia::minutes;
use crate::state::AppState;
use crate::web::choices::{self, OptionView};
use crate::web::form::FieldErrors;
use crate::web::input::Query;
use crate::web::page::{Area, PageContext};

pub struct LevelOption {
    pub value: u8,
    pub label: String,
    pub selected: bool,
}

pub struct GridCell {
    pub name: String,
    pub bucket: String,
    pub options: Vec<LevelOption>,
    /// The answer is lower than an earlier one and counts as carried forward.
    pub carried: bool,
}

pub struct GridRow {
    pub key: String,
    pub name: String,
    pub criteria: Vec<(u8, String)>,
    pub cells: Vec<GridCell>,
    pub justification: String,
}

pub struct DependencyChoice {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
    pub confirmed: bool,
}

/// The derived objectives, the reason, warnings and the chart (also the htmx preview's body).
#[derive(Template)]
#[template(path = "bia/_derived.html")]
pub struct DerivedPanel {
    pub mtpd: String,
    pub rto: String,
    pub rpo: String,
    pub tier: String,
    pub reason: String,
    pub rpo_reason: String,
    pub warnings: Vec<String>,
    pub chart: String,
    pub started: bool,
}

impl DerivedPanel {
    pub fn new(method: &Method, answers: &Answers) -> (Self, Derivation) {
        let derivation = derive(method, &grid(answers), &answers.data_loss);
        let panel = Self {
            mtpd: derivation.mtpd.map_or_else(
                || format!("beyond {}", duration_label(method.horizon())),
                duration_label,
            ),
            rto: duration_label(derivation.rto),
            rpo: duration_label(derivation.rpo),
            tier: derivation.tier.name.clone(),
            reason: derivation.reason.clone(),
            rpo_reason: derivation.rpo_reason.clone(),
            // RTO + WRT beyond the MTPD shows as the owner types, before anyone decides.
            warnings: derivation
                .warnings
                .iter()
                .map(|warning| warning.message(method))
                .chain(budget_warning(&derivation, answers))
                .collect(),
            chart: impact_chart(method, &derivation),
            started: answers.is_started(),
        };
        (panel, derivation)
    }
}

pub fn grid(answers: &Answers) -> ImpactGrid {
    ImpactGrid {
        levels: answers.impacts.clone(),
    }
}

/// The warning when the derived RTO plus the stated work recovery time exceeds the MTPD.
fn budget_warning(derivation: &Derivation, answers: &Answers) -> Option<String> {
    let wrt = Duration::parse(&answers.wrt).ok();
    recovery_budget_warning(derivation.mtpd, derivation.rto, wrt)
}

/// The method's shape, for reading forms and stored answers.
pub fn shape(method: &Method) -> (Vec<String>, usize, usize) {
    (
        method
            .categories
            .iter()
            .map(|category| category.key.clone())
            .collect(),
        method.time_buckets.len(),
        method.data_loss_buckets.len(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "bia/assessment.html")]
pub struct QuestionnairePage {
    pub ctx: PageContext,
    pub assessment: Assessment,
    pub status_label: &'static str,
    pub editable: bool,
    pub can_review: bool,
    /// A manager may hand a draft frozen by the review back to its owner.
    pub can_return_draft: bool,
    pub buckets: Vec<String>,
    pub rows: Vec<GridRow>,
    pub data_loss_buckets: Vec<String>,
    pub data_loss: Vec<GridCell>,
    pub answers: Answers,
    pub dependencies: Vec<DependencyChoice>,
    pub derived: DerivedPanel,
    pub missing: Vec<String>,
    pub unacceptable: String,
    pub previous: Option<PreviousResult>,
    pub previous_rto: String,
    pub previous_mtpd: String,
    pub previous_rpo: String,
    pub approved_rto: String,
    pub approved_rpo: String,
    pub review: ReviewForm,
    /// A draft the owner can no longer change because the exercise is in review.
    pub frozen_for_review: bool,
    /// Who may be asked to answer instead (continuity managers only; empty otherwise).
    pub owners: Vec<OptionView>,
    /// The form holds last year's answers, not saved yet.
    pub prefilled: bool,
}

/// What the manager's approval form shows and keeps, with its refusals by field.
#[derive(Default)]
pub struct ReviewForm {
    pub errors: FieldErrors,
    /// RTO + WRT beyond the MTPD, shown before the manager decides.
    pub budget_warning: Option<String>,
    /// The typed override breaks the budget: approving again confirms it with the warning seen.
    pub confirming: bool,
    pub rto: String,
    pub rpo: String,
    pub justification: String,
}

fn cells(
    method: &Method,
    prefix: &str,
    buckets: &[String],
    levels: &[Option<u8>],
    effective: &[Option<u8>],
) -> Vec<GridCell> {
    buckets
        .iter()
        .enumerate()
        .map(|(index, bucket)| {
            let answered = levels.get(index).copied().flatten();
            let counted = effective.get(index).copied().flatten();
            GridCell {
                name: format!("{prefix}.{index}"),
                bucket: bucket.clone(),
                options: method
                    .levels
                    .iter()
                    .map(|level| LevelOption {
                        value: level.value,
                        label: format!("{} {}", level.value, level.name),
                        selected: answered == Some(level.value),
                    })
                    .collect(),
                carried: answered.is_some() && counted > answered,
            }
        })
        .collect()
}

/// Builds the page from the answers as they are (stored, or just typed).
pub async fn build(
    state: &AppState,
    user: &CurrentUser,
    assessment: Assessment,
    method: &Method,
    answers: Answers,
) -> AppResult<QuestionnairePage> {
    let (derived, derivation) = DerivedPanel::new(method, &answers);
    let buckets: Vec<String> = method
        .time_buckets
        .iter()
        .copied()
        .map(duration_label)
        .collect();
    let data_loss_buckets: Vec<String> = method
        .data_loss_buckets
        .iter()
        .copied()
        .map(duration_label)
        .collect();
    let rows = method
        .categories
        .iter()
        .map(|category| {
            let levels = answers
                .impacts
                .get(&category.key)
                .cloned()
                .unwrap_or_default();
            let effective = derivation
                .effective
                .levels
                .get(&category.key)
                .cloned()
                .unwrap_or_default();
            GridRow {
                key: category.key.clone(),
                name: category.name.clone(),
                criteria: category
                    .criteria
                    .iter()
                    .enumerate()
                    .map(|(index, text)| (index as u8 + 1, text.clone()))
                    .collect(),
                cells: cells(
                    method,
                    &format!("impact.{}", category.key),
                    &buckets,
                    &levels,
                    &effective,
                ),
                justification: answers
                    .justifications
                    .get(&category.key)
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect();
    let data_loss = cells(
        method,
        "data_loss",
        &data_loss_buckets,
        &answers.data_loss,
        &derivation.effective_data_loss,
    );
    let direct = dependencies::touching(&state.db, assessment.service_id).await?;
    let needed: Vec<Uuid> = direct
        .iter()
        .filter(|edge| edge.from_id == assessment.service_id)
        .map(|edge| edge.to_id)
        .collect();
    // A contract the reader may not open shows only as "a supplier contract" (an assessment
    // can be reassigned to someone who does not own the service).
    let access = ContractAccess::of(state, user).await?;
    let mut dependencies: Vec<DependencyChoice> = entries::by_ids(&state.db, &needed)
        .await?
        .into_iter()
        .map(|mut entry| {
            access.conceal(&mut entry);
            entry
        })
        .map(|entry| DependencyChoice {
            confirmed: answers.confirmed_dependencies.contains(&entry.id),
            id: entry.id,
            name: entry.name,
            kind: entry.kind.label(),
        })
        .collect();
    dependencies.sort_by_key(|choice| choice.name.to_lowercase());
    let status = AssessmentStatus::parse(&assessment.status).unwrap_or(AssessmentStatus::Draft);
    let exercise_status =
        ExerciseStatus::parse(&assessment.exercise_status).unwrap_or(ExerciseStatus::Planned);
    let exercise_open = exercise_status.accepts_answers();
    let previous =
        assessments::previous_approved(&state.db, assessment.service_id, assessment.id).await?;
    let review = ReviewForm {
        rto: duration_label(derivation.rto),
        rpo: duration_label(derivation.rpo),
        budget_warning: budget_warning(&derivation, &answers),
        ..ReviewForm::default()
    };
    let owners = if user.role.manages_continuity() {
        let current = assessment
            .assignee_id
            .map(|id| id.to_string())
            .unwrap_or_default();
        choices::from_rows(&users::owner_options(&state.db).await?, &current)
    } else {
        Vec::new()
    };
    Ok(QuestionnairePage {
        ctx: PageContext::new(user, Area::Bia, format!("BIA: {}", assessment.service_name))
            .crumb("BIA", "/bia")
            .crumb(
                assessment.exercise_name.clone(),
                format!("/bia/{}", assessment.exercise_id),
            )
            .here(assessment.service_name.clone()),
        status_label: if status == AssessmentStatus::Draft && assessment.last_saved_at.is_none() {
            "Not started"
        } else {
            status.label()
        },
        owners,
        prefilled: false,
        editable: status.answerable_in(exercise_status) && may_answer(user, &assessment),
        frozen_for_review: exercise_status == ExerciseStatus::InReview
            && status == AssessmentStatus::Draft,
        can_review: exercise_open
            && status == AssessmentStatus::Submitted
            && user.role.manages_continuity(),
        can_return_draft: exercise_status == ExerciseStatus::InReview
            && status == AssessmentStatus::Draft
            && user.role.manages_continuity(),
        unacceptable: method.level_label(method.unacceptable_level),
        previous_rto: minutes(previous.as_ref().and_then(|p| p.approved_rto_minutes)),
        previous_mtpd: minutes(previous.as_ref().and_then(|p| p.approved_mtpd_minutes)),
        previous_rpo: minutes(previous.as_ref().and_then(|p| p.approved_rpo_minutes)),
        previous,
        approved_rto: minutes(assessment.approved_rto_minutes),
        approved_rpo: minutes(assessment.approved_rpo_minutes),
        buckets,
        rows,
        data_loss_buckets,
        data_loss,
        answers,
        dependencies,
        derived,
        missing: Vec::new(),
        review,
        assessment,
    })
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// `previous`: fill the form with last year's approved answers (nothing is saved).
    #[serde(default)]
    start: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> AppResult<QuestionnairePage> {
    let (assessment, method) = load(&state, &user, &id).await?;
    let (categories, buckets, data_loss) = shape(&method);
    // Only a questionnaire its owner can still answer is filled in from last year.
    let status = AssessmentStatus::parse(&assessment.status).unwrap_or(AssessmentStatus::Draft);
    let exercise =
        ExerciseStatus::parse(&assessment.exercise_status).unwrap_or(ExerciseStatus::Planned);
    let answerable = status.answerable_in(exercise) && may_answer(&user, &assessment);
    let previous = if query.start == "previous" && answerable {
        assessments::previous_answers(&state.db, assessment.service_id, assessment.id).await?
    } else {
        None
    };
    let prefilled = previous.is_some();
    let source = previous.as_ref().unwrap_or(&assessment.answers);
    let answers = Answers::from_json(source, &categories, buckets, data_loss);
    let mut page = build(&state, &user, assessment, &method, answers).await?;
    page.prefilled = prefilled;
    Ok(page)
}
