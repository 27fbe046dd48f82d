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

/// What one recorder may record in a test. Continuity managers record everything. A service
/// owner records the results of their own services; the step times of an exercised plan only
/// when the plan covers services of the test's scope and every one of them is theirs (the
/// steps of a plan that covers none in scope are a manager's to record); and the objectives and
/// the call tree only when every service in scope and every exercised plan is theirs, so that
/// the whole test is theirs. Step times and objectives decide services' results, so an owner never records them
/// where they would decide the result of a service that is someone else's.
pub struct Rights {
    manager: bool,
    user: Uuid,
    plans: Vec<Uuid>,
    whole_test: bool,
}

impl Rights {
    pub fn of(user: &crate::auth::CurrentUser, loaded: &Loaded) -> Self {
        let manager = user.role.manages_continuity();
        let owner_of: HashMap<Uuid, Option<Uuid>> = loaded
            .services
            .iter()
            .map(|service| (service.service_id, service.owner_id))
            .collect();
        let is_mine = |service: &Uuid| owner_of.get(service) == Some(&Some(user.id));
        let plans: Vec<Uuid> = loaded
            .plans
            .iter()
            .filter(|plan| {
                if manager {
                    return true;
                }
                let in_scope: Vec<&Uuid> = plan
                    .content
                    .services
                    .iter()
                    .filter(|service| owner_of.contains_key(service))
                    .collect();
                !in_scope.is_empty() && in_scope.into_iter().all(is_mine)
            })
            .map(|plan| plan.row.plan_id)
            .collect();
        let every_service_mine =
            !loaded.services.is_empty() && loaded.services.iter().all(|s| is_mine(&s.service_id));
        Self {
            whole_test: manager || (every_service_mine && plans.len() == loaded.plans.len()),
            manager,
            user: user.id,
            plans,
        }
    }

    pub fn steps_of(&self, plan: Uuid) -> bool {
        self.plans.contains(&plan)
    }

    pub fn service(&self, owner: Option<Uuid>) -> bool {
        self.manager || owner == Some(self.user)
    }

    /// Objectives and calls.
    pub fn whole_test(&self) -> bool {
        self.whole_test
    }
}
