//! Everything the report and the recording form show of one test, read in a fixed number of
//! queries, with the plans' contents parsed and each plan's step times measured against its
//! estimate.

use std::collections::HashMap;

use uuid::Uuid;

use crate::db::exercises::records::PlanTest;
use crate::db::exercises::results::{
    self, CallRow, ExercisedPlanRow, ObjectiveRow, ServiceRow, StepTimeRow,
};
use crate::domain::duration::Duration;
use crate::domain::exercise::recording::ExercisedPlan;
use crate::domain::exercise::{Measured, measure};
use crate::domain::plan::content::PlanContent;
use crate::domain::plan::steps::{Schedule, schedule};
use crate::error::AppResult;
use crate::state::AppState;

pub struct Plan {
    pub row: ExercisedPlanRow,
    pub content: PlanContent,
    /// The recorded step times of this plan, by step key.
    pub times: HashMap<String, StepTimeRow>,
    /// The plan's own estimate, when its steps can be scheduled.
    pub estimate: Option<Schedule>,
}

impl Plan {
    pub fn actual(&self) -> HashMap<String, Duration> {
        self.times
            .iter()
            .filter_map(|(key, time)| {
                Some((
                    key.clone(),
                    Duration::from_minutes(i64::from(time.actual_minutes))?,
                ))
            })
            .collect()
    }

    pub fn measured(&self) -> Option<Measured> {
        if self.times.is_empty() {
            return None;
        }
        measure(&self.content.steps, &self.actual()).ok()
    }

    pub fn exercised(&self) -> ExercisedPlan<'_> {
        ExercisedPlan {
            steps: &self.content.steps,
            actual: self.actual(),
            deviations: self
                .times
                .values()
                .any(|time| !time.deviation.trim().is_empty()),
        }
    }

    pub fn covers(&self, service: Uuid) -> bool {
        self.content.services.contains(&service)
    }
}

pub struct Loaded {
    pub plans: Vec<Plan>,
    pub services: Vec<ServiceRow>,
    pub objectives: Vec<ObjectiveRow>,
    pub calls: Vec<CallRow>,
}

impl Loaded {
    pub async fn read(state: &AppState, test: &PlanTest) -> AppResult<Self> {
        let mut conn = state.db.acquire().await?;
        let rows = results::plans(&mut *conn, test.id).await?;
        let mut times: HashMap<Uuid, HashMap<String, StepTimeRow>> = HashMap::new();
        for time in results::step_times(&mut *conn, test.id).await? {
            times
                .entry(time.plan_id)
                .or_default()
                .insert(time.step_key.clone(), time);
        }
        let plans = rows
            .into_iter()
            .map(|row| {
                let content: PlanContent =
                    serde_json::from_value(row.content.clone()).unwrap_or_default();
                let estimate = (!content.steps.is_empty())
                    .then(|| schedule(&content.steps).ok())
                    .flatten();
                Plan {
                    times: times.remove(&row.plan_id).unwrap_or_default(),
                    row,
                    content,
                    estimate,
                }
            })
            .collect();
        Ok(Self {
            plans,
            services: results::services(&mut *conn, test.id).await?,
            objectives: results::objectives(&mut *conn, test.id).await?,
            calls: results::calls(&mut *conn, test.id).await?,
        })
    }

    /// Everyone the exercised plans' call trees call, each once, in cascade order.
    pub fn callees(&self) -> Vec<Uuid> {
        let mut people = Vec::new();
        for plan in &self.plans {
            for call in &plan.content.call_tree {
                if !people.contains(&call.callee) {
                    people.push(call.callee);
                }
            }
        }
        people
    }
}
