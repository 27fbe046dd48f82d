//! A plan's recovery steps and what follows from them: when each step can start at the earliest,
//! the critical path, and so the plan's estimated recovery time, which must fit within the RTO of
//! every service the plan covers. Kept apart from storage so that it can be tested exhaustively.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::domain::bia::method::duration_label;
use crate::domain::duration::Duration;

/// The three phases of a recovery, in the order they normally happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Deciding to invoke the plan and getting people and places ready.
    Activation,
    /// Bringing the service back, possibly in a degraded form.
    Recovery,
    /// Returning to normal operation at the primary site.
    Reconstitution,
}

impl Phase {
    pub const ALL: [Self; 3] = [Self::Activation, Self::Recovery, Self::Reconstitution];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::Recovery => "recovery",
            Self::Reconstitution => "reconstitution",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|phase| phase.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Activation => "Activation",
            Self::Recovery => "Recovery",
            Self::Reconstitution => "Reconstitution",
        }
    }
}

/// One recovery step as the plan's author wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable key, unique within a version, kept from one version to the next so that steps can
    /// be compared across versions and named as predecessors.
    pub id: String,
    pub phase: Phase,
    pub action: String,
    /// The plan role responsible, not a person: people change, roles stay.
    pub role: String,
    pub duration: Duration,
    /// Keys of the steps that must finish before this one starts.
    pub predecessors: Vec<String>,
}

/// When one step happens, counted from the moment the plan is invoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub id: String,
    /// Position of the step in the input slice.
    pub index: usize,
    pub start: Duration,
    pub finish: Duration,
    /// How much the step could slip without delaying the whole recovery.
    pub slack: Duration,
    /// Whether the step is on [`Schedule::critical_path`].
    pub critical: bool,
}

/// The result of [`schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// Every step, by earliest start; a step always comes after its predecessors.
    pub steps: Vec<Scheduled>,
    /// The estimated recovery time: when the last step finishes.
    pub total: Duration,
    /// Keys of a chain of zero-slack steps, first to last, starting at 0 and ending with the step
    /// that finishes last. Where several chains would do, the earlier steps in the input win.
    pub critical_path: Vec<String>,
}

impl Schedule {
    pub fn get(&self, id: &str) -> Option<&Scheduled> {
        self.steps.iter().find(|step| step.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("Two steps have the key “{0}”: each step needs its own.")]
    DuplicateId(String),
    #[error("Step “{step}” waits for “{predecessor}”, which is not a step of this plan.")]
    UnknownPredecessor { step: String, predecessor: String },
    /// The cycle as a closed path `[a, b, …, a]`, each step waiting for the one before it.
    #[error("These steps wait for each other in a circle, so none of them can start: {}.", .0.join(" → "))]
    Cycle(Vec<String>),
    #[error("The steps add up to more than ten years: check the durations.")]
    TooLong,
}

/// Earliest start and finish, slack and the critical path of `steps`, in O(steps + links).
///
/// Only explicit predecessors count: a step without any starts at 0 whatever its phase, because
/// the phase says what kind of work a step is, not when it may begin.
pub fn schedule(steps: &[Step]) -> Result<Schedule, ScheduleError> {
    let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        if index_of.insert(step.id.as_str(), index).is_some() {
            return Err(ScheduleError::DuplicateId(step.id.clone()));
        }
    }
    let mut predecessors: Vec<Vec<usize>> = Vec::with_capacity(steps.len());
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (index, step) in steps.iter().enumerate() {
        let mut own = Vec::with_capacity(step.predecessors.len());
        for key in &step.predecessors {
            let Some(&before) = index_of.get(key.as_str()) else {
                return Err(ScheduleError::UnknownPredecessor {
                    step: step.id.clone(),
                    predecessor: key.clone(),
                });
            };
            // A predecessor named twice is one link; counting it twice would be harmless but
            // would make the link counts below harder to reason about.
            if !own.contains(&before) {
                own.push(before);
                successors[before].push(index);
            }
        }
        predecessors.push(own);
    }

    let order = topological_order(steps, &predecessors, &successors)?;

    // Forward pass: earliest finish of every step, in minutes.
    let mut start = vec![0i64; steps.len()];
    let mut finish = vec![0i64; steps.len()];
    for &step in &order {
        start[step] = predecessors[step]
            .iter()
            .map(|&before| finish[before])
            .max()
            .unwrap_or(0);
        finish[step] = start[step] + steps[step].duration.minutes();
    }
    let total = finish.iter().copied().max().unwrap_or(0);

    // Backward pass: latest finish that does not delay the total.
    let mut latest_finish = vec![total; steps.len()];
    for &step in order.iter().rev() {
        let latest_start = latest_finish[step] - steps[step].duration.minutes();
        for &before in &predecessors[step] {
            latest_finish[before] = latest_finish[before].min(latest_start);
        }
    }

    let path = critical_path(&predecessors, &successors, &start, &finish, total);
    let mut on_path = vec![false; steps.len()];
    for &step in &path {
        on_path[step] = true;
    }

    let mut position = vec![0usize; steps.len()];
    for (at, &step) in order.iter().enumerate() {
        position[step] = at;
    }
    let mut rows: Vec<usize> = order.clone();
    rows.sort_by_key(|&step| (start[step], position[step]));

    let minutes = |value: i64| Duration::from_minutes(value).ok_or(ScheduleError::TooLong);
    let scheduled = rows
        .into_iter()
        .map(|step| {
            Ok(Scheduled {
                id: steps[step].id.clone(),
                index: step,
                start: minutes(start[step])?,
                finish: minutes(finish[step])?,
                slack: minutes(latest_finish[step] - finish[step])?,
                critical: on_path[step],
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Schedule {
        steps: scheduled,
        total: minutes(total)?,
        critical_path: path
            .into_iter()
            .map(|step| steps[step].id.clone())
            .collect(),
    })
}

/// Kahn's algorithm, taking ready steps in input order so the result is deterministic. `Err`
/// names a cycle when some steps can never become ready.
fn topological_order(
    steps: &[Step],
    predecessors: &[Vec<usize>],
    successors: &[Vec<usize>],
) -> Result<Vec<usize>, ScheduleError> {
    let mut waiting: Vec<usize> = predecessors.iter().map(Vec::len).collect();
    let mut ready: VecDeque<usize> = (0..steps.len()).filter(|&s| waiting[s] == 0).collect();
    let mut order = Vec::with_capacity(steps.len());
    while let Some(step) = ready.pop_front() {
        order.push(step);
        for &after in &successors[step] {
            waiting[after] -= 1;
            if waiting[after] == 0 {
                ready.push_back(after);
            }
        }
    }
    if order.len() == steps.len() {
        return Ok(order);
    }
    Err(ScheduleError::Cycle(
        cycle_among_waiting(&waiting, predecessors)
            .into_iter()
            .map(|step| steps[step].id.clone())
            .collect(),
    ))
}

/// Every step still waiting has a predecessor still waiting, so walking back from any of them
/// must come round to a step already seen: that loop is a cycle. Returned as a closed path in
/// the order the steps would run, starting from its earliest step in the input.
fn cycle_among_waiting(waiting: &[usize], predecessors: &[Vec<usize>]) -> Vec<usize> {
    let Some(first) = (0..waiting.len()).find(|&s| waiting[s] > 0) else {
        return Vec::new();
    };
    let mut seen_at: Vec<Option<usize>> = vec![None; waiting.len()];
    let mut walk = Vec::new();
    let mut step = first;
    loop {
        if let Some(at) = seen_at[step] {
            let mut cycle: Vec<usize> = walk[at..].to_vec();
            // The walk went backwards, from a step to what it waits for.
            cycle.reverse();
            let earliest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(earliest);
            cycle.push(cycle[0]);
            return cycle;
        }
        seen_at[step] = Some(walk.len());
        walk.push(step);
        match predecessors[step]
            .iter()
            .find(|&&before| waiting[before] > 0)
        {
            Some(&before) => step = before,
            // Cannot happen (see above); an empty answer beats a panic.
            None => return Vec::new(),
        }
    }
}

/// Walks back from the first step (in input order) that finishes last and has no successor, each
/// time to the first predecessor (in input order) that finishes exactly when the step starts.
/// Such a predecessor always exists while the step starts after 0, and it has zero slack because
/// its successor has. Ending on a step without successors keeps a closing zero-length milestone
/// ("service handed back") on the path rather than stopping at the step before it.
fn critical_path(
    predecessors: &[Vec<usize>],
    successors: &[Vec<usize>],
    start: &[i64],
    finish: &[i64],
    total: i64,
) -> Vec<usize> {
    let last = (0..finish.len()).find(|&s| finish[s] == total && successors[s].is_empty());
    let Some(mut step) = last else {
        return Vec::new();
    };
    let mut path = vec![step];
    while let Some(&before) = predecessors[step]
        .iter()
        .filter(|&&before| finish[before] == start[step])
        .min()
    {
        path.push(before);
        step = before;
    }
    path.reverse();
    path
}

/// A warning for each covered service whose RTO is shorter than the plan's estimated recovery
/// time, in the order given: `rtos` holds each service's name and RTO.
pub fn fits_rto(total: Duration, rtos: &[(String, Duration)]) -> Vec<String> {
    rtos.iter()
        .filter(|(_, rto)| *rto < total)
        .map(|(service, rto)| {
            format!(
                "The plan needs {} but {service} must be back within {}.",
                duration_label(total),
                duration_label(*rto)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn step(id: &str, hours: i64, predecessors: &[&str]) -> Step {
        Step {
            id: id.to_owned(),
            phase: Phase::Recovery,
            action: format!("Do {id}"),
            role: "Recovery lead".to_owned(),
            duration: Duration::hours(hours),
            predecessors: predecessors.iter().map(|&p| p.to_owned()).collect(),
        }
    }

    fn ids(path: &[String]) -> Vec<&str> {
        path.iter().map(String::as_str).collect()
    }

    #[test]
    fn phases_round_trip_through_their_names() {
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.as_str()), Some(phase));
        }
        assert_eq!(Phase::parse("Recovery"), None);
        assert_eq!(Phase::Reconstitution.label(), "Reconstitution");
    }

    #[test]
    fn a_plan_without_steps_takes_no_time() {
        let schedule = schedule(&[]).unwrap();
        assert_eq!(schedule.total, Duration::ZERO);
        assert!(schedule.critical_path.is_empty());
        assert!(schedule.steps.is_empty());
    }

    #[test]
    fn the_critical_path_of_a_diamond_goes_through_the_longer_side() {
        let steps = [
            step("invoke", 1, &[]),
            step("network", 2, &["invoke"]),
            step("database", 5, &["invoke"]),
            step("app", 1, &["network", "database"]),
        ];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(schedule.total, Duration::hours(7));
        assert_eq!(ids(&schedule.critical_path), ["invoke", "database", "app"]);
        let network = schedule.get("network").unwrap();
        assert_eq!(network.start, Duration::hours(1));
        assert_eq!(network.slack, Duration::hours(3));
        assert!(!network.critical);
        let app = schedule.get("app").unwrap();
        assert_eq!(
            (app.start, app.finish),
            (Duration::hours(6), Duration::hours(7))
        );
        assert!(app.critical);
    }

    #[test]
    fn equally_long_sides_of_a_diamond_are_broken_by_input_order() {
        let steps = [
            step("invoke", 1, &[]),
            step("left", 2, &["invoke"]),
            step("right", 2, &["invoke"]),
            step("end", 1, &["right", "left"]),
        ];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(ids(&schedule.critical_path), ["invoke", "left", "end"]);
        // Both sides have zero slack even though only one is drawn as the path.
        assert_eq!(schedule.get("right").unwrap().slack, Duration::ZERO);
    }

    #[test]
    fn parallel_branches_run_at_the_same_time_and_the_longest_decides() {
        let steps = [
            step("email", 3, &[]),
            step("telephony", 2, &[]),
            step("erp-db", 4, &[]),
            step("erp-app", 4, &["erp-db"]),
        ];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(schedule.total, Duration::hours(8));
        assert_eq!(ids(&schedule.critical_path), ["erp-db", "erp-app"]);
        assert_eq!(schedule.get("email").unwrap().start, Duration::ZERO);
        assert_eq!(schedule.get("email").unwrap().slack, Duration::hours(5));
        assert_eq!(schedule.get("telephony").unwrap().slack, Duration::hours(6));
    }

    #[test]
    fn steps_are_listed_by_start_and_after_their_predecessors() {
        let steps = [
            step("late", 1, &["early"]),
            step("zero", 0, &["early"]),
            step("early", 0, &[]),
        ];
        let schedule = schedule(&steps).unwrap();
        let order: Vec<&str> = schedule.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(order, ["early", "late", "zero"]);
        assert_eq!(schedule.steps[1].index, 0);
    }

    #[test]
    fn zero_duration_steps_are_milestones_on_the_path() {
        let steps = [
            step("decide", 0, &[]),
            step("restore", 3, &["decide"]),
            step("sign-off", 0, &["restore"]),
        ];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(schedule.total, Duration::hours(3));
        assert_eq!(
            ids(&schedule.critical_path),
            ["decide", "restore", "sign-off"]
        );
        let sign_off = schedule.get("sign-off").unwrap();
        assert_eq!(sign_off.start, sign_off.finish);
    }

    #[test]
    fn only_zero_duration_steps_take_no_time() {
        let steps = [step("a", 0, &[]), step("b", 0, &["a"])];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(schedule.total, Duration::ZERO);
        assert_eq!(ids(&schedule.critical_path), ["a", "b"]);
    }

    #[test]
    fn a_predecessor_named_twice_counts_once() {
        let steps = [step("a", 1, &[]), step("b", 1, &["a", "a"])];
        let schedule = schedule(&steps).unwrap();
        assert_eq!(schedule.total, Duration::hours(2));
    }

    #[test]
    fn an_unknown_predecessor_names_both_steps() {
        let steps = [step("restore", 1, &["backup"])];
        let error = schedule(&steps).unwrap_err();
        assert_eq!(
            error,
            ScheduleError::UnknownPredecessor {
                step: "restore".to_owned(),
                predecessor: "backup".to_owned()
            }
        );
        assert_eq!(
            error.to_string(),
            "Step “restore” waits for “backup”, which is not a step of this plan."
        );
    }

    #[test]
    fn a_cycle_is_named_in_running_order() {
        let steps = [
            step("start", 1, &[]),
            step("a", 1, &["start", "c"]),
            step("b", 1, &["a"]),
            step("c", 1, &["b"]),
            step("after", 1, &["c"]),
        ];
        let error = schedule(&steps).unwrap_err();
        assert_eq!(
            error,
            ScheduleError::Cycle(["a", "b", "c", "a"].map(str::to_owned).to_vec())
        );
        assert_eq!(
            error.to_string(),
            "These steps wait for each other in a circle, so none of them can start: a → b → c → a."
        );
    }

    #[test]
    fn a_step_waiting_for_itself_is_a_cycle() {
        let error = schedule(&[step("a", 1, &["a"])]).unwrap_err();
        assert_eq!(
            error,
            ScheduleError::Cycle(vec!["a".to_owned(), "a".to_owned()])
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let steps = [step("a", 1, &[]), step("b", 1, &[]), step("a", 2, &[])];
        assert_eq!(
            schedule(&steps).unwrap_err(),
            ScheduleError::DuplicateId("a".to_owned())
        );
    }

    #[test]
    fn steps_adding_up_to_more_than_ten_years_are_refused() {
        let long = |id: &str, after: &[&str]| Step {
            duration: Duration::days(3000),
            ..step(id, 0, after)
        };
        let steps = [long("a", &[]), long("b", &["a"])];
        assert_eq!(schedule(&steps).unwrap_err(), ScheduleError::TooLong);
    }

    #[test]
    fn services_whose_rto_is_shorter_than_the_plan_are_warned_about() {
        let rtos = [
            ("Payroll".to_owned(), Duration::hours(8)),
            ("Email".to_owned(), Duration::hours(10)),
            ("Intranet".to_owned(), Duration::days(3)),
            ("Trading".to_owned(), Duration::from_minutes(30).unwrap()),
        ];
        assert_eq!(
            fits_rto(Duration::hours(10), &rtos),
            [
                "The plan needs 10h but Payroll must be back within 8h.",
                "The plan needs 10h but Trading must be back within 30m.",
            ]
        );
        assert!(fits_rto(Duration::ZERO, &rtos).is_empty());
        assert!(fits_rto(Duration::days(30), &[]).is_empty());
    }

    /// A random DAG in a random input order: step `i` may only wait for steps `j < i` in
    /// generation order, and the order is then shuffled so the input is rarely topological.
    fn dag() -> impl Strategy<Value = Vec<Step>> {
        (0usize..14)
            .prop_flat_map(|n| {
                (
                    proptest::collection::vec(0i64..600, n),
                    proptest::collection::vec(proptest::collection::vec(any::<bool>(), n), n),
                    Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                )
            })
            .prop_map(|(durations, links, order)| {
                let generated: Vec<Step> = durations
                    .iter()
                    .enumerate()
                    .map(|(i, &minutes)| Step {
                        id: format!("s{i}"),
                        phase: Phase::ALL[i % 3],
                        action: format!("Step {i}"),
                        role: "Lead".to_owned(),
                        duration: Duration::from_minutes(minutes).unwrap_or_default(),
                        predecessors: (0..i)
                            .filter(|&j| links[i][j])
                            .map(|j| format!("s{j}"))
                            .collect(),
                    })
                    .collect();
                order.into_iter().map(|i| generated[i].clone()).collect()
            })
    }

    proptest! {
        #[test]
        fn every_step_starts_after_each_predecessor_finishes(steps in dag()) {
            let schedule = schedule(&steps).unwrap();
            prop_assert_eq!(schedule.steps.len(), steps.len());
            for step in &steps {
                let own = schedule.get(&step.id).unwrap();
                prop_assert_eq!(own.finish.minutes() - own.start.minutes(), step.duration.minutes());
                for before in &step.predecessors {
                    prop_assert!(own.start >= schedule.get(before).unwrap().finish);
                }
            }
        }

        #[test]
        fn the_total_is_the_latest_finish(steps in dag()) {
            let schedule = schedule(&steps).unwrap();
            let latest = schedule.steps.iter().map(|s| s.finish).max().unwrap_or_default();
            prop_assert_eq!(schedule.total, latest);
        }

        #[test]
        fn the_critical_path_is_a_zero_slack_chain_as_long_as_the_plan(steps in dag()) {
            let schedule = schedule(&steps).unwrap();
            let by_id: HashMap<&str, &Step> = steps.iter().map(|s| (s.id.as_str(), s)).collect();
            let path = &schedule.critical_path;
            prop_assert_eq!(path.is_empty(), steps.is_empty());
            for pair in path.windows(2) {
                prop_assert!(by_id[pair[1].as_str()].predecessors.contains(&pair[0]));
            }
            let mut sum = 0;
            for id in path {
                let own = schedule.get(id).unwrap();
                prop_assert_eq!(own.slack, Duration::ZERO);
                prop_assert!(own.critical);
                sum += by_id[id.as_str()].duration.minutes();
            }
            prop_assert_eq!(sum, schedule.total.minutes());
            let critical = schedule.steps.iter().filter(|s| s.critical).count();
            prop_assert_eq!(critical, path.len());
        }

        #[test]
        fn slack_never_lets_a_step_delay_the_plan(steps in dag()) {
            let schedule = schedule(&steps).unwrap();
            for own in &schedule.steps {
                prop_assert!(own.finish.minutes() + own.slack.minutes() <= schedule.total.minutes());
            }
        }
    }
}
