//! `/risks/method`: the likelihood and impact scales, the level of every cell of the matrix, the
//! levels' names, colours and review intervals, and the appetite. Everyone reads it (a risk page
//! links here to say how its level was reached); continuity managers change it, and every risk
//! then takes the level the new matrix gives its scores.

use std::borrow::Borrow;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::extract::ManageContinuity;
use crate::auth::{Authorized, CurrentUser};
use crate::db::risks::method;
use crate::domain::risk::method::RiskMethod;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::flash::{self, Flash};
use crate::web::form;
use crate::web::input::Form;
use crate::web::page::{Area, PageContext};

#[derive(Template, WebTemplate)]
#[template(path = "risks/method.html")]
pub struct MethodPage {
    ctx: PageContext,
    method: RiskMethod,
    version: i32,
    problems: Vec<String>,
    can_edit: bool,
    heat_map: String,
}

impl MethodPage {
    /// The level index of a cell, for the matrix editor (likelihood from the top, highest first).
    fn cell(&self, likelihood: impl Borrow<u8>, impact: impl Borrow<u8>) -> u8 {
        self.method
            .score(*likelihood.borrow(), *impact.borrow())
            .map_or(0, |scored| scored.level)
    }

    fn is_cell(
        &self,
        likelihood: impl Borrow<u8>,
        impact: impl Borrow<u8>,
        index: impl Borrow<u8>,
    ) -> bool {
        self.cell(likelihood, impact) == *index.borrow()
    }

    fn is_appetite(&self, index: impl Borrow<u8>) -> bool {
        self.method.appetite == *index.borrow()
    }

    fn level_name(&self, index: impl Borrow<u8>) -> &str {
        self.method.level_name(*index.borrow())
    }

    fn likelihood_name(&self, value: impl Borrow<u8>) -> &str {
        self.method.likelihood_name(*value.borrow())
    }

    fn rows(&self) -> Vec<u8> {
        self.method
            .likelihood
            .iter()
            .rev()
            .map(|step| step.value)
            .collect()
    }

    fn level_indexes(&self) -> Vec<u8> {
        (0..self.method.levels.len() as u8).collect()
    }
}

fn page(user: &CurrentUser, method: RiskMethod, version: i32, problems: Vec<String>) -> MethodPage {
    let heat_map =
        crate::web::heat_map::render("The matrix", &method, &Default::default(), |l, i| {
            format!("/risks?inherent={l}x{i}")
        });
    MethodPage {
        ctx: PageContext::new(user, Area::Risks, "Risk method")
            .crumb("Risks", "/risks")
            .here("Method"),
        method,
        version,
        problems,
        can_edit: user.role.manages_continuity(),
        heat_map,
    }
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> AppResult<MethodPage> {
    let (current, version) = method::current(&state.db).await?;
    Ok(page(&user, current, version, Vec::new()))
}

/// The method the form describes, on the shape (number of steps and levels) of `shape`.
fn from_pairs(shape: &RiskMethod, pairs: &[(String, String)]) -> RiskMethod {
    let value = |key: String| {
        pairs
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.trim().to_owned())
    };
    let mut method = shape.clone();
    for (which, steps) in [
        ("likelihood", &mut method.likelihood),
        ("impact", &mut method.impact),
    ] {
        for step in steps.iter_mut() {
            if let Some(name) = value(format!("{which}.{}.name", step.value)) {
                step.name = name;
            }
            if let Some(meaning) = value(format!("{which}.{}.meaning", step.value)) {
                step.meaning = meaning;
            }
        }
    }
    for (index, level) in method.levels.iter_mut().enumerate() {
        if let Some(name) = value(format!("level.{index}.name")) {
            level.name = name;
        }
        if let Some(colour) = value(format!("level.{index}.colour")) {
            level.colour = colour.to_lowercase();
        }
        if let Some(months) = value(format!("level.{index}.review")) {
            level.review_months = months.parse().unwrap_or(0);
        }
    }
    for (row, cells) in method.cells.iter_mut().enumerate() {
        for (column, cell) in cells.iter_mut().enumerate() {
            if let Some(level) = value(format!("cell.{}.{}", row + 1, column + 1)) {
                *cell = level.parse().unwrap_or(u8::MAX);
            }
        }
    }
    if let Some(appetite) = value("appetite".to_owned()) {
        method.appetite = appetite.parse().unwrap_or(u8::MAX);
    }
    method
}

pub async fn save(
    State(state): State<AppState>,
    Authorized { user, .. }: Authorized<ManageContinuity>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (current, _) = method::current(&state.db).await?;
    let version = pairs
        .iter()
        .find(|(name, _)| name == "version")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(-1);
    let edited = from_pairs(&current, &pairs);
    if let Err(problems) = edited.validate() {
        return Ok(form::rejected(page(&user, edited, version, problems)));
    }
    let mut tx = state.db.begin().await?;
    if !method::save(&mut tx, &user.actor(), &edited, version).await? {
        tx.rollback().await?;
        let (_, current_version) = method::current(&state.db).await?;
        let problems = vec![
            "Someone else saved the method while you were editing. Your changes are below, not saved: check them against the current method (open it in another tab) and save again.".to_owned(),
        ];
        let mut shown = page(&user, edited, current_version, problems);
        shown.ctx.title = "Someone else saved first".into();
        return Ok((axum::http::StatusCode::CONFLICT, shown).into_response());
    }
    flash::set(
        &mut *tx,
        &user.session_token_hash,
        Flash::success("Risk method saved: every risk now has the level the new matrix gives it."),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/risks/method").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_sets_cells_names_and_appetite() {
        let shape = RiskMethod::default_method();
        let pairs = vec![
            ("cell.1.1".to_owned(), "3".to_owned()),
            ("level.0.name".to_owned(), "Negligible".to_owned()),
            ("appetite".to_owned(), "2".to_owned()),
            (
                "likelihood.3.meaning".to_owned(),
                "Once a decade".to_owned(),
            ),
        ];
        let method = from_pairs(&shape, &pairs);
        assert_eq!(method.cells[0][0], 3);
        assert_eq!(method.levels[0].name, "Negligible");
        assert_eq!(method.appetite, 2);
        assert_eq!(method.likelihood[2].meaning, "Once a decade");
        let tampered = from_pairs(&shape, &[("cell.2.2".to_owned(), "x".to_owned())]);
        assert!(
            tampered.validate().is_err(),
            "a tampered cell is refused, not stored"
        );
    }
}
