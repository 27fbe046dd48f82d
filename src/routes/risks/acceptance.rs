//! Accepting a risk above appetite: its owner or a continuity manager proposes, with a
//! justification and an expiry at most 12 months ahead; another continuity manager approves or
//! rejects. The assessment as proposed is kept with the acceptance.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{load, writable};
use crate::auth::Authorized;
use crate::auth::extract::{DraftPlans, ManageContinuity};
use crate::db::risks::acceptances::{self, AcceptanceRow, Proposal};
use crate::db::risks::{method, records};
use crate::domain::date::parse_date;
use crate::domain::risk::acceptance::{AcceptanceState, check_expiry, fingerprint, may_decide};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::input::Form;

#[derive(Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    justification: String,
    #[serde(default)]
    expires_on: String,
}

pub async fn propose(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<DraftPlans>,
    Path(id): Path<String>,
    Form(form): Form<ProposalForm>,
) -> AppResult<Response> {
    let risk = match writable(&state, &user, &id).await? {
        Ok(risk) => risk,
        Err(answer) => return Ok(answer),
    };
    let href = format!("/risks/{}", risk.id);
    let back = |message: String| async {
        flash::set(&state.db, &user.session_token_hash, Flash::error(message)).await?;
        Ok::<Response, AppError>(Redirect::to(&href).into_response())
    };
    let (method, _) = method::current(&state.db).await?;
    let scores = risk.scores();
    let above = scores
        .current(&method)
        .is_some_and(|scored| method.above_appetite(scored.level));
    if !above {
        return back(format!(
            "This risk is within the appetite ({}): there is nothing to accept.",
            method.appetite_name()
        ))
        .await;
    }
    let justification = form.justification.trim();
    if justification.is_empty() || justification.chars().count() > 5000 {
        return back(
            "Say why the risk can be carried as it is (at most 5000 characters): an acceptance is evidence.".to_owned(),
        )
        .await;
    }
    let today = OffsetDateTime::now_utc().date();
    let expires_on = match parse_date(&form.expires_on) {
        Ok(date) => date,
        Err(error) => return back(format!("Enter the expiry as a date. {error}")).await,
    };
    if let Err(message) = check_expiry(expires_on, today) {
        return back(message).await;
    }
    let scope = records::scope(&state.db, risk.id).await?;
    let measures = records::measures(&state.db, risk.id).await?;
    let current = fingerprint(&scores, risk.current_level as u8, &scope, &measures);
    let latest = acceptances::latest(&state.db, risk.id).await?;
    match AcceptanceState::of(
        latest.as_ref().map(AcceptanceRow::facts).as_ref(),
        &current,
        today,
    ) {
        AcceptanceState::Proposed { .. } => {
            return back("An acceptance is already waiting for a decision.".to_owned()).await;
        }
        AcceptanceState::Valid { until } => {
            return back(format!("The risk is accepted until {until} already.")).await;
        }
        _ => {}
    }
    let mut tx = state.db.begin().await?;
    // A proposal that lapsed before anyone decided it is closed, so this one can take its place.
    if let Some(pending) = latest.filter(|row| row.approved.is_none()) {
        acceptances::close_lapsed(
            &mut tx,
            &user.actor(),
            pending.id,
            "Lapsed before a decision: a new acceptance was proposed.",
        )
        .await?;
    }
    acceptances::propose(
        &mut tx,
        &user.actor(),
        Proposal {
            risk: risk.id,
            justification,
            expires_on,
            fingerprint: &current,
            snapshot: serde_json::json!({
                "risk": &risk,
                "scope": scope,
                "measures": measures,
                "explained": scores.current(&method).map(|scored| method.explain(&scored)),
            }),
        },
    )
    .await?;
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success(
            "Acceptance proposed. Another continuity manager must approve it before it counts.",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&href).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let risk = load(&state, &id).await?;
    let href = format!("/risks/{}", risk.id);
    let approved = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            flash::set(
                &state.db,
                &user.session_token_hash,
                Flash::error("Choose to approve or to reject the acceptance."),
            )
            .await?;
            return Ok(Redirect::to(&href).into_response());
        }
    };
    let latest = acceptances::latest(&state.db, risk.id).await?;
    let scope = records::scope(&state.db, risk.id).await?;
    let measures = records::measures(&state.db, risk.id).await?;
    let current = fingerprint(&risk.scores(), risk.current_level as u8, &scope, &measures);
    let today = OffsetDateTime::now_utc().date();
    let standing = AcceptanceState::of(
        latest.as_ref().map(AcceptanceRow::facts).as_ref(),
        &current,
        today,
    );
    let message = match latest {
        Some(row) if !may_decide(&row.facts(), user.id) && row.approved.is_none() => Flash::error(
            "You proposed this acceptance: another continuity manager must decide it (four eyes).",
        ),
        // Decided only as it was proposed: not after it expired or the risk changed.
        Some(row)
            if row.approved.is_none()
                && (risk.archived || !matches!(standing, AcceptanceState::Proposed { .. })) =>
        {
            let mut tx = state.db.begin().await?;
            acceptances::close_lapsed(
                &mut tx,
                &user.actor(),
                row.id,
                "Lapsed before a decision: it expired or the risk changed after it was proposed.",
            )
            .await?;
            flash::set(
                &mut *tx,
                &user.session_token_hash,
                Flash::error("This proposal lapsed before a decision (it expired, or the risk changed since): it is closed, and the risk's owner can propose again."),
            )
            .await?;
            tx.commit().await?;
            return Ok(Redirect::to(&href).into_response());
        }
        Some(row) if row.approved.is_none() => {
            let mut tx = state.db.begin().await?;
            let decided =
                acceptances::decide(&mut tx, &user.actor(), row.id, approved, &form.note).await?;
            let message = match (decided, approved) {
                (false, _) => Flash::error("This acceptance was decided already."),
                (true, true) => Flash::success(format!(
                    "Acceptance approved until {}. It lapses if the risk's scores, scope or measures change.",
                    row.expires_on
                )),
                (true, false) => Flash::success("Acceptance rejected: the risk needs a decision."),
            };
            flash::set(&mut *tx, &user.session_token_hash, message).await?;
            tx.commit().await?;
            return Ok(Redirect::to(&href).into_response());
        }
        _ => Flash::error("There is no acceptance waiting for a decision."),
    };
    flash::set(&state.db, &user.session_token_hash, message).await?;
    Ok(Redirect::to(&href).into_response())
}
