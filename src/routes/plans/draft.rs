//! `GET /plans/{id}/edit` and `POST /plans/{id}/edit`: writing the version being drafted. Only a
//! draft changes; a refused save keeps everything typed and says what to fix, row by row; a save
//! over someone else's newer one gets the conflict page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::draft_form::{DraftForm, RowErrors};
use super::draft_rows::{CallRow, RoleRow, Row, SectionRow, StepRow};
use super::{
    back, content_of, kind_of, load_plan, may_draft, plan_status, version_href, version_status,
};
use crate::auth::extract::DraftPlans;
use crate::auth::{Authorized, CurrentUser};
use crate::db::Versioned;
use crate::db::catalogue::WriteError;
use crate::db::plans::people;
use crate::db::plans::records::{self as plan_rows, CoveredService, Plan};
use crate::db::plans::versions::{self, PlanVersion};
use crate::domain::graph::NodeKind;
use crate::domain::plan::content::PlanKind;
use crate::domain::plan::steps::Phase;
use crate::domain::plan::workflow::PlanStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::conflict::{ConflictField, ConflictPage};
use crate::web::flash::{self, Flash};
use crate::web::form::{self, FieldErrors};
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};
use crate::web::picker::{MultiPicker, multi};

pub struct Choice {
    pub id: String,
    pub label: String,
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
    services: MultiPicker,
    people: Vec<Choice>,
    phases: [Phase; 3],
    role_names: Vec<String>,
    sections: Vec<Row<SectionRow>>,
    roles: Vec<Row<RoleRow>>,
    calls: Vec<Row<CallRow>>,
    steps: Vec<Row<StepRow>>,
    /// Why this draft came back, when a continuity manager returned it.
    returned: Option<String>,
}

impl DraftPage {
    fn part_error(&self, part: &str) -> Option<&String> {
        self.row_errors.get(part)
    }
}

/// What the form may choose from: the ticked services that may be covered (owners: theirs and
/// those already covered), with the picker that offers more, and everyone active in the directory.
struct Options {
    services: Vec<(Uuid, String)>,
    picker: MultiPicker,
    people: Vec<(Uuid, String)>,
}

async fn options(
    state: &AppState,
    user: &CurrentUser,
    covered: &[CoveredService],
    form: &DraftForm,
) -> AppResult<Options> {
    let owner = (!user.role.manages_continuity()).then_some(user.id);
    let covered: Vec<Uuid> = covered.iter().map(|service| service.id).collect();
    let picker = MultiPicker::build(
        state,
        "service",
        &[NodeKind::Service],
        owner,
        (&multi::ids(&form.service), &covered),
        &form.pick,
    )
    .await?;
    let services = picker
        .chosen
        .iter()
        .map(|entry| (entry.id, entry.name.clone()))
        .collect();
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
    Ok(Options {
        services,
        picker,
        people,
    })
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
        services: options.picker.clone(),
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
        returned: None,
    }
}

/// Whether the plan has a draft `user` may write now.
enum Draft {
    Writable {
        plan: Plan,
        draft: PlanVersion,
        covered: Vec<CoveredService>,
    },
    /// Why not, and where to look instead; `latest` is the version the user was editing, when
    /// there still is one, so a refused save can show it beside what they typed.
    Refused {
        plan: Plan,
        message: String,
        href: String,
        latest: Option<PlanVersion>,
    },
}

/// The plan and its draft, when `user` may write it; otherwise why not. Someone who may not
/// write the plan at all is refused outright.
async fn writable_draft(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Draft> {
    let plan = load_plan(state, id).await?;
    let covered = plan_rows::covered_services(&state.db, plan.id).await?;
    if !may_draft(user, &covered) {
        return Err(AppError::Forbidden);
    }
    let open = versions::open(&mut *state.db.acquire().await?, plan.id).await?;
    let plan_href = format!("/plans/{}", plan.id);
    Ok(match open {
        _ if plan_status(&plan) == PlanStatus::Retired => Draft::Refused {
            message: "This plan is retired: it can no longer change.".into(),
            href: plan_href,
            latest: None,
            plan,
        },
        Some(draft) if version_status(&draft).editable() => Draft::Writable {
            plan,
            draft,
            covered,
        },
        Some(frozen) => Draft::Refused {
            message: format!(
                "Version {} is {}: it is frozen until a continuity manager returns it.",
                frozen.number,
                version_status(&frozen).label().to_lowercase()
            ),
            href: version_href(plan.id, frozen.number),
            latest: Some(frozen),
            plan,
        },
        None => Draft::Refused {
            message: "There is no draft: start a new version from the one in force.".into(),
            href: plan_href,
            latest: None,
            plan,
        },
    })
}

pub async fn edit(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (plan, draft, covered) = match writable_draft(&state, &user, &id).await? {
        Draft::Writable {
            plan,
            draft,
            covered,
        } => (plan, draft, covered),
        Draft::Refused { message, href, .. } => {
            return back(&state, &user, &href, Flash::error(message)).await;
        }
    };
    let form = DraftForm::from_content(
        &plan.title,
        &content_of(&draft),
        draft.number,
        draft.version,
    );
    let options = options(&state, &user, &covered, &form).await?;
    let mut shown = page(
        &user,
        plan,
        draft.number,
        form,
        FieldErrors::default(),
        RowErrors::new(),
        &options,
    );
    shown.returned = super::return_note(&state, &user, &draft).await?;
    Ok(shown.into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    let (plan, draft, covered) = match writable_draft(&state, &user, &id).await? {
        Draft::Writable {
            plan,
            draft,
            covered,
        } => (plan, draft, covered),
        // What was typed is kept: the conflict page shows it beside the frozen version.
        Draft::Refused {
            plan,
            message,
            latest: Some(latest),
            ..
        } => return conflict(&user, &plan, &form, &latest, &message),
        Draft::Refused { message, href, .. } => {
            return back(&state, &user, &href, Flash::error(message)).await;
        }
    };
    // A form opened on an earlier draft must not land on a later one.
    if form.number.is_some_and(|number| number != draft.number) {
        let message = format!(
            "You were editing an earlier version; the draft is now version {}.",
            draft.number
        );
        return conflict(&user, &plan, &form, &draft, &message);
    }
    let options = options(&state, &user, &covered, &form).await?;
    let number = draft.number;
    let returned = super::return_note(&state, &user, &draft).await?;
    let rejected = |plan: Plan, form: DraftForm, errors: FieldErrors, rows: RowErrors| {
        let mut shown = page(&user, plan, number, form, errors, rows, &options);
        shown.returned = returned.clone();
        Ok(form::rejected(shown))
    };
    if !form.find.is_empty() {
        let mut shown = page(
            &user,
            plan,
            number,
            form,
            FieldErrors::default(),
            RowErrors::new(),
            &options,
        );
        shown.returned = returned.clone();
        return Ok(shown.into_response());
    }
    let content = match form.check(&options.services, &options.people) {
        Ok(content) => content,
        Err((errors, rows)) => return rejected(plan, form, errors, rows),
    };
    let still_covered = plan_rows::services_by_ids(&state.db, &content.services).await?;
    if !may_draft(&user, &still_covered) {
        let mut errors = FieldErrors::default();
        errors.add(
            "service",
            "Keep at least one of your services: otherwise you could no longer edit this plan.",
        );
        return rejected(plan, form, errors, RowErrors::new());
    }
    let estimate = content.estimated_recovery_minutes();
    let json = serde_json::to_value(&content).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin().await?;
    match plan_rows::rename(&mut tx, &user.actor(), plan.id, &form.title).await {
        Ok(()) => {}
        Err(WriteError::Duplicate { field, message }) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            return rejected(plan, form, errors, RowErrors::new());
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
            conflict(
                &user,
                &plan,
                &form,
                &current,
                "Someone else saved this draft first.",
            )
        }
    }
}

fn conflict(
    user: &CurrentUser,
    plan: &Plan,
    form: &DraftForm,
    current: &PlanVersion,
    why: &str,
) -> AppResult<Response> {
    let href = format!("/plans/{}/edit", plan.id);
    let mine = |values: &[String]| values.iter().filter(|v| !v.trim().is_empty()).count();
    let stored = content_of(current);
    let mut hidden: Vec<(String, String)> = vec![
        ("title".into(), form.title.clone()),
        ("criteria".into(), form.criteria.clone()),
        ("authority".into(), form.authority.clone()),
        ("successor".into(), form.successor.clone()),
        ("number".into(), current.number.to_string()),
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
        subject: format!("version {} of {} ({why})", current.number, plan.title),
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
