//! Findings of a test: written by a recorder (severity, what was found, the service it concerns)
//! or recorded by a "not met" result by itself; each turns into an improvement action with one
//! click — owned by the service's owner (or the manager who clicks), due by its severity.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{load, may_record};
use crate::auth::Authorized;
use crate::auth::extract::DraftPlans;
use crate::db::actions::{self, ActionFields};
use crate::db::exercises::results;
use crate::domain::action::ActionSource;
use crate::domain::exercise::{Severity, TestStatus};
use crate::error::{AppError, AppResult};
use crate::routes::catalogue::parse_id;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;

#[derive(Deserialize, Default)]
pub struct FindingForm {
    #[serde(default)]
    severity: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    service: String,
}

pub async fn add(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<FindingForm>,
) -> AppResult<Response> {
    let test = load(&state, &id).await?;
    if !may_record(&state, &user, &test).await? {
        return Err(AppError::Forbidden);
    }
    let href = format!("/tests/{}#findings", test.id);
    let services = results::services(&state.db, test.id).await?;
    let service = if form.service.trim().is_empty() {
        Ok(None)
    } else {
        form.service
            .trim()
            .parse::<uuid::Uuid>()
            .ok()
            .and_then(|wanted| services.iter().find(|s| s.service_id == wanted))
            .filter(|s| user.role.manages_continuity() || s.owner_id == Some(user.id))
            .map(|s| Some(s.service_id))
            .ok_or("Choose one of the services in the test's scope (for a service owner: one of yours).")
    };
    let description = form.description.trim();
    let refusal = if test.status() == TestStatus::Cancelled {
        Some("The test was cancelled: it has no findings.".to_owned())
    } else if Severity::parse(form.severity.trim()).is_none() {
        Some("Choose how serious the finding is.".to_owned())
    } else if description.is_empty() || description.chars().count() > 5000 {
        Some("Describe what was found (at most 5000 characters).".to_owned())
    } else {
        service.as_ref().err().map(|message| (*message).to_owned())
    };
    if let Some(message) = refusal {
        let attempt = super::show::Attempt {
            form: "finding",
            error: message,
            severity: form.severity.clone(),
            service: form.service.clone(),
            description: form.description.clone(),
            ..Default::default()
        };
        return super::show::refused(&state, &user, test, attempt).await;
    }
    let mut tx = state.db.begin().await?;
    results::add_finding(
        &mut tx,
        &user.actor(),
        test.id,
        form.severity.trim(),
        description,
        service.ok().flatten(),
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("Finding recorded."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

/// Makes the finding an improvement action and opens it, so its owner and due date can be
/// adjusted there.
pub async fn to_action(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path((id, finding)): Path<(String, String)>,
) -> AppResult<Response> {
    let test = load(&state, &id).await?;
    let finding = results::finding(&state.db, test.id, parse_id(&finding)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let manages = user.role.manages_continuity();
    let owns = user.role == crate::domain::role::Role::ServiceOwner
        && finding.service_owner_id == Some(user.id);
    if !manages && !owns {
        return Err(AppError::Forbidden);
    }
    if let Some(action) = finding.action_id {
        flash::set(
            &state.db,
            &user.session_token_hash,
            Flash::error(format!(
                "Finding {} is already an action.",
                finding.reference()
            )),
        )
        .await?;
        return Ok(Redirect::to(&format!("/actions/{action}")).into_response());
    }
    let severity = Severity::parse(&finding.severity).unwrap_or(Severity::Medium);
    let owner = if manages {
        finding.service_owner_id.unwrap_or(user.id)
    } else {
        user.id
    };
    let title: String = {
        let first = finding
            .description
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        let short: String = first.chars().take(180).collect();
        format!("{}: {short}", finding.reference())
    };
    let fields = ActionFields {
        title,
        // Kept within what the action form accepts, so the action stays editable.
        description: format!(
            "From finding {} ({} severity) of test {} {}.\n\n{}",
            finding.reference(),
            severity.label().to_lowercase(),
            test.reference(),
            test.title,
            finding.description.chars().take(4000).collect::<String>()
        ),
        source: ActionSource::Finding,
        risk_id: None,
        finding_id: Some(finding.id),
        gap_service_id: None,
        owner_id: owner,
        due_on: OffsetDateTime::now_utc().date() + time::Duration::days(severity.days_to_act()),
    };
    let mut tx = state.db.begin().await?;
    let action = match actions::create(&mut tx, &user.actor(), &fields).await {
        Ok(action) => action,
        Err(crate::db::catalogue::WriteError::Duplicate { .. }) => {
            tx.rollback().await?;
            flash::set(
                &state.db,
                &user.session_token_hash,
                Flash::error(format!(
                    "Finding {} is already an action.",
                    finding.reference()
                )),
            )
            .await?;
            return Ok(Redirect::to(&format!("/tests/{}#findings", test.id)).into_response());
        }
        Err(crate::db::catalogue::WriteError::Database(error)) => return Err(error.into()),
    };
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(format!(
            "Action {} made from finding {}, for {}, due {}.",
            action.reference(),
            finding.reference(),
            action.owner_name,
            action.due_on
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/actions/{}", action.id)).into_response())
}
