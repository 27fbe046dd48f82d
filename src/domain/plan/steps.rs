//! A plan's recovery steps and what follows from them: when each step can start at the earliest,
//! the critical path, and so the plan's estimated recovery time, which must fit within the RTO of
//! every service the plan covers. Kept apart from storage so that it can be tested exhaustively.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::domain::bia::method::duration_labels_alike;
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
    /// How much the step could slip without delaying the service's return
    /// ([`Schedule::recovered`]); for a step the return does not wait for (reconstitution after
    /// it), how much it could slip without delaying the return to normal.
    pub slack: Duration,
    /// How much the step could slip without delaying the return to normal ([`Schedule::total`]).
    pub slack_to_normal: Duration,
    /// Whether the step is on [`Schedule::critical_path`].
    pub critical: bool,
}

/// The result of [`schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// Every step, by earliest start; a step always comes after its predecessors.
    pub steps: Vec<Scheduled>,
    /// The estimated recovery time: when the service is back, i.e. when the last activation or
    /// recovery step finishes. This, not [`Schedule::total`], must fit within the RTO.
    pub recovered: Duration,
    /// The return to normal: when the last step, reconstitution included, finishes.
    pub total: Duration,
    /// Keys of the chain of zero-slack steps that decides [`Schedule::recovered`], first to last,
    /// starting at 0. Where several chains would do, the earlier steps in the input win. Empty
    /// when every step is reconstitution.
    pub critical_path: Vec<String>,
    /// The same for [`Schedule::total`], the return to normal.
    pub path_to_normal: Vec<String>,
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
    // Links as flat adjacency arrays (one allocation each, not one per step): long plans stay fast.
    let mut before_of: Vec<usize> = Vec::with_capacity(steps.len() * 2);
    let mut before_start: Vec<usize> = Vec::with_capacity(steps.len() + 1);
    for step in steps {
        let first = before_of.len();
        before_start.push(first);
        for key in &step.predecessors {
            let Some(&before) = index_of.get(key.as_str()) else {
                return Err(ScheduleError::UnknownPredecessor {
                    step: step.id.clone(),
                    predecessor: key.clone(),
                });
            };
            // A predecessor named twice is one link; counting it twice would be harmless but
            // would make the link counts below harder to reason about.
            if !before_of[first..].contains(&before) {
                before_of.push(before);
            }
        }
    }
    before_start.push(before_of.len());
    let predecessors = Links {
        start: before_start,
        targets: before_of,
    };
    let successors = predecessors.reversed();

    let order = topological_order(steps, &predecessors, &successors)?;

    // Forward pass: earliest finish of every step, in minutes.
    let mut start = vec![0i64; steps.len()];
    let mut finish = vec![0i64; steps.len()];
    for &step in &order {
        start[step] = predecessors
            .row(step)
            .iter()
            .map(|&before| finish[before])
            .max()
            .unwrap_or(0);
        finish[step] = start[step] + steps[step].duration.minutes();
    }
    let total = finish.iter().copied().max().unwrap_or(0);
    let every_step = vec![true; steps.len()];
    let latest_to_normal = latest_finish(steps, &order, &predecessors, &every_step, total);

    // The service is back when its last activation or recovery step ends. Only those steps, and
    // whatever they wait for, can delay that moment.
    let restores: Vec<bool> = steps
        .iter()
        .map(|step| step.phase != Phase::Reconstitution)
        .collect();
    let recovered = (0..steps.len())
        .filter(|&step| restores[step])
        .map(|step| finish[step])
        .max()
        .unwrap_or(0);
    let mut delays_return = restores.clone();
    for &step in order.iter().rev() {
        if delays_return[step] {
            for &before in predecessors.row(step) {
                delays_return[before] = true;
            }
        }
    }
    let latest_to_return = latest_finish(steps, &order, &predecessors, &delays_return, recovered);

    let path = critical_path(
        &predecessors,
        &successors,
        &start,
        &finish,
        recovered,
        &restores,
    );
    let path_to_normal = critical_path(
        &predecessors,
        &successors,
        &start,
        &finish,
        total,
        &every_step,
    );
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
                slack: minutes(if delays_return[step] {
                    latest_to_return[step] - finish[step]
                } else {
                    latest_to_normal[step] - finish[step]
                })?,
                slack_to_normal: minutes(latest_to_normal[step] - finish[step])?,
                critical: on_path[step],
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let keys = |path: Vec<usize>| {
        path.into_iter()
            .map(|step| steps[step].id.clone())
            .collect()
    };
    Ok(Schedule {
        steps: scheduled,
        recovered: minutes(recovered)?,
        total: minutes(total)?,
        critical_path: keys(path),
        path_to_normal: keys(path_to_normal),
    })
}

/// Backward pass: the latest each step may finish without moving `end`, counting only the
/// steps `counts` marks (every predecessor of a counted step must be counted too). Steps not
/// counted keep `end`.
fn latest_finish(
    steps: &[Step],
    order: &[usize],
    predecessors: &Links,
    counts: &[bool],
    end: i64,
) -> Vec<i64> {
    let mut latest = vec![end; steps.len()];
    for &step in order.iter().rev() {
        if !counts[step] {
            continue;
        }
        let latest_start = latest[step] - steps[step].duration.minutes();
        for &before in predecessors.row(step) {
            latest[before] = latest[before].min(latest_start);
        }
    }
    latest
}

/// Each step's links as one flat array: `targets[start[s]..start[s + 1]]` are the steps linked
/// from `s`, in the order they were named.
struct Links {
    start: Vec<usize>,
    targets: Vec<usize>,
}

impl Links {
    fn row(&self, step: usize) -> &[usize] {
        &self.targets[self.start[step]..self.start[step + 1]]
    }

    /// The same links the other way round, each row in increasing step order.
    fn reversed(&self) -> Links {
        let steps = self.start.len() - 1;
        let mut count = vec![0usize; steps + 1];
        for &target in &self.targets {
            count[target + 1] += 1;
        }
        for step in 0..steps {
            count[step + 1] += count[step];
        }
        let mut next = count.clone();
        let mut targets = vec![0usize; self.targets.len()];
        for from in 0..steps {
            for &to in self.row(from) {
                targets[next[to]] = from;
                next[to] += 1;
            }
        }
        Links {
            start: count,
            targets,
        }
    }
}

/// Kahn's algorithm, taking ready steps in input order so the result is deterministic. `Err`
/// names a cycle when some steps can never become ready.
fn topological_order(
    steps: &[Step],
    predecessors: &Links,
    successors: &Links,
) -> Result<Vec<usize>, ScheduleError> {
    let mut waiting: Vec<usize> = (0..steps.len())
        .map(|s| predecessors.row(s).len())
        .collect();
    let mut ready: VecDeque<usize> = (0..steps.len()).filter(|&s| waiting[s] == 0).collect();
    let mut order = Vec::with_capacity(steps.len());
    while let Some(step) = ready.pop_front() {
        order.push(step);
        for &after in successors.row(step) {
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
fn cycle_among_waiting(waiting: &[usize], predecessors: &Links) -> Vec<usize> {
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
        match predecessors
            .row(step)
            .iter()
            .find(|&&before| waiting[before] > 0)
        {
            Some(&before) => step = before,
            // Cannot happen (see above); an empty answer beats a panic.
            None => return Vec::new(),
        }
    }
}

/// Walks back from the first step (in input order) among those `ends` marks that finishes at
/// `end` and has no marked successor, each time to the first predecessor (in input order) that
/// finishes exactly when the step starts. Such a predecessor always exists while the step starts
/// after 0, and it has zero slack because its successor has. Ending on a step without marked
/// successors keeps a closing zero-length milestone ("service handed back") on the path rather
/// than stopping at the step before it.
fn critical_path(
    predecessors: &Links,
    successors: &Links,
    start: &[i64],
    finish: &[i64],
    end: i64,
    ends: &[bool],
) -> Vec<usize> {
    let last = (0..finish.len()).find(|&s| {
        ends[s] && finish[s] == end && successors.row(s).iter().all(|&after| !ends[after])
    });
    let Some(mut step) = last else {
        return Vec::new();
    };
    let mut path = vec![step];
    while let Some(&before) = predecessors
        .row(step)
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
            let [total, rto] = duration_labels_alike([total, *rto]);
            format!("The plan needs {total} but {service} must be back within {rto}.")
        })
        .collect()
}

#[cfg(test)]
mod tests;
