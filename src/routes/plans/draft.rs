//! `GET /plans/{id}/edit` and `POST /plans/{id}/edit`: writing the version being drafted. Only a
//! draft changes; a refused save keeps everything typed and says what to fix, row by row; a save
//! over someone else's newer one gets the conflict page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use uuid::Uuid;

use super::draft_form::{DraftForm, RowErrors};
use super::draft_rows::{CallRow, RoleRow, Row, SectionRow, StepRow};
use super::{content_of, kind_of, load_plan, may_draft, plan_status, version_href, version_status};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::catalogue::WriteError;
use crate::db::plans::people;
use crate::db::plans::records::{self as plan_rows, Plan};
use crate::db::plans::versions::{self, PlanVersion};
use crate::domain::plan::content::PlanKind;
use crate::domain::plan::steps::Phase;
use crate::domain::plan::workflow::PlanStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::page::{Area, PageContext};

pub struct Choice {
    pub id: String,
    pub label: String,
}

pub struct ServiceChoice {
    pub id: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/edit.html")]
pub struct DraftPage {
    ctx: PageContext,
    plan: Plan,
    kind: PlanKind,
    number: i32,
    form: DraftForm,
    errors: FieldErrors,
    row_errors: RowErrors,
    services: Vec<ServiceChoice>,
    people: Vec<Choice>,
    phases: [Phase; 3],
    role_names: Vec<String>,
    sections: Vec<Row<SectionRow>>,
    roles: Vec<Row<RoleRow>>,
    calls: Vec<Row<CallRow>>,
    steps: Vec<Row<StepRow>>,
}

impl DraftPage {
    fn part_error(&self, part: &str) -> Option<&String> {
        self.row_errors.get(part)
    }
}

/// What the form may choose from: services (owners: theirs and those already covered) and
/// everyone active in the directory.
struct Options {
    services: Vec<(Uuid, String)>,
    people: Vec<(Uuid, String)>,
}

async fn options(state: &AppState, user: &CurrentUser, plan: &Plan) -> AppResult<Options> {
    let owner = (!user.role.manages_continuity()).then_some(user.id);
    let mut services = plan_rows::service_choices(&state.db, owner).await?;
    for covered in plan_rows::covered_services(&state.db, plan.id).await? {
        if !services.iter().any(|(id, _)| *id == covered.id) {
            services.push((covered.id, covered.name));
        }
    }
    let people = people::all(&state.db)
        .await?
        .into_iter()
        .filter(|person| !person.archived)
        .map(|person| {
            let label = if person.job_title.is_empty() {
                person.name
            } else {
                format!("{} — {}", person.name, person.job_title)
            };
            (person.id, label)
        })
        .collect();
    Ok(Options { services, people })
}

fn page(
    user: &CurrentUser,
    plan: Plan,
    number: i32,
    form: DraftForm,
    errors: FieldErrors,
    row_errors: RowErrors,
    options: &Options,
) -> DraftPage {
    let role_names = form
        .role_name
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    DraftPage {
        ctx: PageContext::new(user, Area::Plans, format!("Edit {}", plan.title))
            .crumb("Plans", "/plans")
            .crumb(plan.title.clone(), format!("/plans/{}", plan.id))
            .here(format!("Draft v{number}")),
        kind: kind_of(&plan),
        services: options
            .services
            .iter()
            .map(|(id, name)| ServiceChoice {
                id: id.to_string(),
                name: name.clone(),
                checked: form.service.contains(&id.to_string()),
            })
            .collect(),
        people: options
            .people
            .iter()
            .map(|(id, label)| Choice {
                id: id.to_string(),
                label: label.clone(),
            })
            .collect(),
        phases: Phase::ALL,
        role_names,
        sections: form.section_rows(&row_errors),
        roles: form.role_rows(&row_errors),
        calls: form.call_rows(&row_errors),
        steps: form.step_rows(&row_errors),
        plan,
        number,
        form,
        errors,
        row_errors,
    }
}

/// The plan and its draft, when `user` may write it; otherwise why not.
async fn writable_draft(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<Result<(Plan, PlanVersion), Response>> {
    let plan = load_plan(state, id).await?;
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    if !may_draft(user, &covered) {
        return Err(AppError::Forbidden);
    }
    let refusal = |message: String, href: String| async move {
        flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
        Ok::<_, AppError>(Err(Redirect::to(&href).into_response()))
    };
    if plan_status(&plan) == PlanStatus::Retired {
        let href = format!("/plans/{}", plan.id);
        return refusal(
            "This plan is retired: it can no longer change.".into(),
            href,
        )
        .await;
    }
    let open = versions::open(&mut *state.db.acquire().await?, plan.id).await?;
    match open {
        Some(draft) if draft.status == "draft" => Ok(Ok((plan, draft))),
        Some(review) => {
            let href = version_href(plan.id, review.number);
            refusal(
                format!(
                    "Version {} is {}: it is frozen until a continuity manager returns it.",
                    review.number,
                    version_status(&review).label().to_lowercase()
                ),
                href,
            )
            .await
        }
        None => {
            let href = format!("/plans/{}", plan.id);
            refusal(
                "There is no draft: start a new version from the one in force.".into(),
                href,
            )
            .await
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (plan, draft) = match writable_draft(&state, &user, &id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let options = options(&state, &user, &plan).await?;
    let form = DraftForm::from_content(&plan.title, &content_of(&draft), draft.version);
    Ok(page(
        &user,
        plan,
        draft.number,
        form,
        FieldErrors::default(),
        RowErrors::new(),
        &options,
    )
    .into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    let (plan, draft) = match writable_draft(&state, &user, &id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let options = options(&state, &user, &plan).await?;
    let checked = form.check(&options.services, &options.people);
    let content = match checked {
        Ok(content) => {
            let owns_one = user.role.manages_continuity()
                || plan_rows::services_by_ids(&state.db, &content.services)
                    .await?
                    .iter()
                    .any(|service| service.owner_id == Some(user.id));
            if owns_one {
                content
            } else {
                let mut errors = FieldErrors::default();
                errors.add(
                    "service",
                    "Keep at least one of your services: otherwise you could no longer edit this plan.",
                );
                let number = draft.number;
                return Ok(form::rejected(page(
                    &user,
                    plan,
                    number,
                    form,
                    errors,
                    RowErrors::new(),
                    &options,
                )));
            }
        }
        Err((errors, rows)) => {
            let number = draft.number;
            return Ok(form::rejected(page(
                &user, plan, number, form, errors, rows, &options,
            )));
        }
    };
    let estimate = content.estimated_recovery_minutes();
    let json = serde_json::to_value(&content).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    match plan_rows::rename(&mut tx, &user.actor(), plan.id, &form.title).await {
        Ok(()) => {}
        Err(WriteError::Duplicate { field, message }) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            let number = draft.number;
            return Ok(form::rejected(page(
                &user,
                plan,
                number,
                form,
                errors,
                RowErrors::new(),
                &options,
            )));
        }
        Err(WriteError::Database(error)) => return Err(error.into()),
    }
    match versions::save_draft(
        &mut tx,
        &user.actor(),
        &draft,
        form.version,
        &json,
        estimate,
    )
    .await?
    {
        Versioned::Saved(saved) => {
            plan_rows::set_services(&mut tx, plan.id, &content.services).await?;
            flash::set(
                &mut *tx,
                &user.session_token_hash,
                Flash::success(format!("Draft v{} saved.", saved.number)),
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to(&version_href(plan.id, saved.number)).into_response())
        }
        Versioned::Stale(current) => {
            tx.rollback().await?;
            conflict(&user, &plan, &form, &current)
        }
    }
}

fn conflict(
    user: &CurrentUser,
    plan: &Plan,
    form: &DraftForm,
    current: &PlanVersion,
) -> AppResult<Response> {
    let href = format!("/plans/{}/edit", plan.id);
    let mine = |values: &[String]| values.iter().filter(|v| !v.trim().is_empty()).count();
    let stored = content_of(current);
    let mut hidden: Vec<(String, String)> = vec![
        ("title".into(), form.title.clone()),
        ("criteria".into(), form.criteria.clone()),
        ("authority".into(), form.authority.clone()),
        ("successor".into(), form.successor.clone()),
    ];
    let repeated: [(&str, &Vec<String>); 16] = [
        ("service", &form.service),
        ("section_title", &form.section_title),
        ("section_body", &form.section_body),
        ("role_name", &form.role_name),
        ("role_duties", &form.role_duties),
        ("role_person", &form.role_person),
        ("role_alternate", &form.role_alternate),
        ("call_caller", &form.call_caller),
        ("call_callee", &form.call_callee),
        ("call_fallback", &form.call_fallback),
        ("step_key", &form.step_key),
        ("step_phase", &form.step_phase),
        ("step_action", &form.step_action),
        ("step_role", &form.step_role),
        ("step_duration", &form.step_duration),
        ("step_after", &form.step_after),
    ];
    for (name, values) in repeated {
        hidden.extend(values.iter().map(|value| (name.to_owned(), value.clone())));
    }
    ConflictPage {
        ctx: PageContext::new(user, Area::Plans, "Someone else saved first")
            .crumb("Plans", "/plans")
            .crumb(plan.title.clone(), format!("/plans/{}", plan.id))
            .here("Conflict"),
        subject: format!("draft v{} of {}", current.number, plan.title),
        fields: vec![
            ConflictField::new(
                "Steps",
                mine(&form.step_action).to_string(),
                stored.steps.len().to_string(),
            ),
            ConflictField::new(
                "Roles",
                mine(&form.role_name).to_string(),
                stored.roles.len().to_string(),
            ),
            ConflictField::new(
                "Sections",
                mine(&form.section_title).to_string(),
                stored.sections.len().to_string(),
            ),
        ],
        hidden,
        form_action: href,
        current_version: current.version,
        current_href: version_href(plan.id, current.number),
    }
    .into_response()
}
