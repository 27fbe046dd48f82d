//! Reading what a recorder typed during or after a test: a step's actual start and end as read
//! off the test log (local wall-clock time, as written) or its duration, checked so that an end
//! before its start or a malformed time is refused with a sentence rather than stored; and from
//! the recorded step times, each covered service's achieved recovery time and result.

use std::collections::HashMap;

use time::{PrimitiveDateTime, Time};

use super::{Measured, ServiceResult, measure, result};
use crate::domain::bia::method::duration_label;
use crate::domain::date::parse_date;
use crate::domain::duration::Duration;
use crate::domain::plan::steps::{Phase, Step};

/// A step's actual time as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepTime {
    pub started: Option<PrimitiveDateTime>,
    pub ended: Option<PrimitiveDateTime>,
    pub taken: Duration,
}

/// A moment typed in a `datetime-local` field: `2026-05-12T08:30` (a space for the `T` and
/// seconds are accepted too).
pub fn parse_moment(text: &str) -> Result<PrimitiveDateTime, String> {
    let text = text.trim();
    let Some((day, clock)) = text.split_once(['T', 't', ' ']) else {
        return Err(format!(
            "“{text}” is not a date and time: use the form 2026-05-12 08:30."
        ));
    };
    let date = parse_date(day).map_err(|error| error.to_string())?;
    let mut parts = clock.trim().split(':');
    let number = |part: Option<&str>, limit: u8| -> Option<u8> {
        part.and_then(|part| part.trim().parse::<u8>().ok())
            .filter(|value| *value < limit)
    };
    let hour = number(parts.next(), 24);
    let minute = number(parts.next(), 60);
    let second = match parts.next() {
        None => Some(0),
        Some(part) => part
            .split('.')
            .next()
            .and_then(|whole| whole.parse::<u8>().ok())
            .filter(|value| *value < 60),
    };
    match (hour, minute, second, parts.next()) {
        (Some(hour), Some(minute), Some(second), None) => {
            let time = Time::from_hms(hour, minute, second).map_err(|error| error.to_string())?;
            Ok(PrimitiveDateTime::new(date, time))
        }
        _ => Err(format!(
            "“{}” is not a time of day: use hours and minutes, such as 08:30.",
            clock.trim()
        )),
    }
}

/// The value a `datetime-local` field shows for `moment`.
pub fn moment_value(moment: PrimitiveDateTime) -> String {
    format!(
        "{}T{:02}:{:02}",
        moment.date(),
        moment.hour(),
        moment.minute()
    )
}

/// One step's entry: nothing (not recorded), a duration, a start and an end, or a start and a
/// duration. A start and an end that disagree with a duration given as well are refused rather
/// than one of them silently winning.
pub fn step_time(start: &str, end: &str, duration: &str) -> Result<Option<StepTime>, String> {
    let (start, end, duration) = (start.trim(), end.trim(), duration.trim());
    if start.is_empty() && end.is_empty() && duration.is_empty() {
        return Ok(None);
    }
    let started = (!start.is_empty())
        .then(|| parse_moment(start).map_err(|error| format!("Start: {error}")))
        .transpose()?;
    let ended = (!end.is_empty())
        .then(|| parse_moment(end).map_err(|error| format!("End: {error}")))
        .transpose()?;
    let typed = (!duration.is_empty())
        .then(|| Duration::parse(duration).map_err(|error| format!("Duration: {error}.")))
        .transpose()?;
    let between = match (started, ended) {
        (Some(started), Some(ended)) => {
            if ended < started {
                return Err("The end is before the start.".to_owned());
            }
            let minutes = (ended - started).whole_minutes();
            Some(
                Duration::from_minutes(minutes)
                    .ok_or("A step cannot take longer than ten years.")?,
            )
        }
        _ => None,
    };
    let taken = match (between, typed) {
        (Some(between), Some(typed)) if between != typed => {
            return Err(format!(
                "The start and end make {between}, but the duration says {typed}: give one, or make them agree."
            ));
        }
        (Some(between), _) => between,
        (None, Some(typed)) => typed,
        (None, None) if started.is_some() => {
            return Err("Give the end or the duration as well as the start.".to_owned());
        }
        (None, None) => {
            return Err("Give the start or the duration as well as the end.".to_owned());
        }
    };
    let ended = ended.or_else(|| {
        started.and_then(|started| started.checked_add(time::Duration::minutes(taken.minutes())))
    });
    Ok(Some(StepTime {
        started,
        ended,
        taken,
    }))
}

/// One exercised plan as the service results need it: its steps (of the version tested), the
/// actual durations recorded by step key, and whether any step noted a deviation.
pub struct ExercisedPlan<'a> {
    pub steps: &'a [Step],
    pub actual: HashMap<String, Duration>,
    pub deviations: bool,
}

impl ExercisedPlan<'_> {
    /// Whether every step the service's return waits for (activation and recovery) has its
    /// actual time recorded.
    pub fn is_complete(&self) -> bool {
        !self.actual.is_empty()
            && self
                .steps
                .iter()
                .filter(|step| step.phase != Phase::Reconstitution)
                .all(|step| self.actual.contains_key(&step.id))
    }
}

/// What a test shows for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOutcome {
    pub achieved: Option<Duration>,
    /// Whether [`Self::achieved`] was worked out from step times (rather than typed).
    pub from_steps: bool,
    pub result: Option<ServiceResult>,
    /// "“Restore the platform” took 6h against 4h planned (+2h)", when a step overran.
    pub overrun: String,
}

/// The outcome for a service covered by `plans` (those of the test that cover it): the typed
/// achieved time if given, else the longest recovery the recorded step times give among the
/// plans whose every activation and recovery step is recorded — a recording still missing a
/// step the return waits for proves nothing yet (reconstitution may stay unrecorded). Issues — a step overran or noted a deviation, or an objective
/// was missed — make a result within the RTO "met with issues".
pub fn service_outcome(
    plans: &[ExercisedPlan<'_>],
    typed: Option<Duration>,
    data_lost: Option<Duration>,
    rto: Option<Duration>,
    rpo: Option<Duration>,
    objective_missed: bool,
) -> ServiceOutcome {
    let measured: Vec<(&ExercisedPlan<'_>, Measured)> = plans
        .iter()
        .filter(|plan| plan.is_complete())
        .filter_map(|plan| Some((plan, measure(plan.steps, &plan.actual).ok()?)))
        .collect();
    let from_steps = measured.iter().map(|(_, m)| m.achieved).max();
    let achieved = typed.or(from_steps);
    let worst = measured
        .iter()
        .filter_map(|(plan, m)| Some((*plan, m.biggest_overrun.as_ref()?)))
        .max_by_key(|(_, overrun)| overrun.by());
    let overrun = worst
        .map(|(plan, overrun)| {
            let action = plan
                .steps
                .iter()
                .find(|step| step.id == overrun.step)
                .map_or(overrun.step.as_str(), |step| step.action.as_str());
            format!(
                "“{action}” took {} against {} planned (+{})",
                duration_label(overrun.actual),
                duration_label(overrun.estimated),
                duration_label(overrun.by())
            )
        })
        .unwrap_or_default();
    let issues =
        worst.is_some() || objective_missed || measured.iter().any(|(plan, _)| plan.deviations);
    ServiceOutcome {
        result: achieved.map(|achieved| result(achieved, rto, data_lost, rpo, issues)),
        from_steps: typed.is_none() && from_steps.is_some(),
        achieved,
        overrun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::steps::Phase;
    use time::macros::datetime;

    fn minutes(value: i64) -> Duration {
        Duration::from_minutes(value).expect("a duration")
    }

    #[test]
    fn a_start_and_an_end_give_the_duration() {
        let time = step_time("2026-05-12T08:30", "2026-05-12 10:45", "")
            .expect("valid")
            .expect("recorded");
        assert_eq!(time.taken, minutes(135));
        assert_eq!(time.started, Some(datetime!(2026-05-12 08:30)));
    }

    #[test]
    fn a_start_and_a_duration_give_the_end() {
        let time = step_time("2026-05-12T23:30", "", "1h")
            .expect("valid")
            .expect("recorded");
        assert_eq!(time.ended, Some(datetime!(2026-05-13 00:30)));
    }

    #[test]
    fn nothing_typed_is_not_recorded() {
        assert_eq!(step_time(" ", "", ""), Ok(None));
    }

    #[test]
    fn bad_entries_are_refused_with_a_reason() {
        assert_eq!(
            step_time("2026-05-12T10:00", "2026-05-12T09:00", ""),
            Err("The end is before the start.".to_owned())
        );
        assert!(step_time("", "", "four hours").is_err());
        assert!(step_time("2026-05-12T25:00", "", "1h").is_err());
        assert!(step_time("2026-02-30T10:00", "", "1h").is_err());
        assert!(step_time("2026-05-12T10:00", "", "").is_err());
        assert!(
            step_time("2026-05-12T08:00", "2026-05-12T09:00", "2h")
                .expect_err("they disagree")
                .contains("agree")
        );
        assert!(step_time("yesterday", "", "1h").is_err());
    }

    fn step(id: &str, length: i64, predecessors: &[&str]) -> Step {
        Step {
            id: id.to_owned(),
            phase: Phase::Recovery,
            action: format!("do {id}"),
            role: "lead".to_owned(),
            duration: minutes(length),
            predecessors: predecessors.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn an_overrun_past_the_rto_is_not_met_and_names_the_step() {
        let steps = vec![step("a", 60, &[]), step("b", 240, &["a"])];
        let plan = ExercisedPlan {
            steps: &steps,
            actual: HashMap::from([
                ("a".to_owned(), minutes(60)),
                ("b".to_owned(), minutes(480)),
            ]),
            deviations: false,
        };
        let outcome = service_outcome(&[plan], None, None, Some(minutes(360)), None, false);
        assert_eq!(outcome.achieved, Some(minutes(540)));
        assert!(outcome.from_steps);
        assert_eq!(outcome.result, Some(ServiceResult::NotMet));
        assert_eq!(outcome.overrun, "“do b” took 8h against 4h planned (+4h)");
    }

    #[test]
    fn a_recording_missing_a_step_the_return_waits_for_measures_nothing_yet() {
        let steps = vec![step("a", 60, &[]), step("b", 240, &["a"])];
        let plan = ExercisedPlan {
            steps: &steps,
            actual: HashMap::from([("a".to_owned(), minutes(10))]),
            deviations: false,
        };
        assert!(!plan.is_complete());
        let outcome = service_outcome(&[plan], None, None, Some(minutes(360)), None, false);
        assert_eq!(outcome.achieved, None);
        assert_eq!(outcome.result, None);

        let mut with_reconstitution = steps.clone();
        let mut back = step("c", 480, &["b"]);
        back.phase = Phase::Reconstitution;
        with_reconstitution.push(back);
        let plan = ExercisedPlan {
            steps: &with_reconstitution,
            actual: HashMap::from([("a".to_owned(), minutes(60)), ("b".to_owned(), minutes(60))]),
            deviations: false,
        };
        assert!(plan.is_complete(), "reconstitution may stay unrecorded");
        let outcome = service_outcome(&[plan], None, None, Some(minutes(360)), None, false);
        assert_eq!(outcome.achieved, Some(minutes(120)));
    }

    #[test]
    fn within_the_rto_with_an_overrun_is_met_with_issues() {
        let steps = vec![step("a", 60, &[])];
        let plan = ExercisedPlan {
            steps: &steps,
            actual: HashMap::from([("a".to_owned(), minutes(90))]),
            deviations: false,
        };
        let outcome = service_outcome(&[plan], None, None, Some(minutes(240)), None, false);
        assert_eq!(outcome.result, Some(ServiceResult::MetWithIssues));
    }

    #[test]
    fn a_typed_time_wins_and_without_any_time_there_is_no_result() {
        let steps = vec![step("a", 60, &[])];
        let plan = ExercisedPlan {
            steps: &steps,
            actual: HashMap::new(),
            deviations: false,
        };
        let none = service_outcome(
            std::slice::from_ref(&plan),
            None,
            None,
            Some(minutes(240)),
            None,
            false,
        );
        assert_eq!(none.result, None);
        let typed = service_outcome(
            &[plan],
            Some(minutes(30)),
            None,
            Some(minutes(240)),
            None,
            false,
        );
        assert_eq!(typed.result, Some(ServiceResult::Met));
        assert!(!typed.from_steps);
    }
}
