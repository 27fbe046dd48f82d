//! What a plan test measured: the recovery time achieved, worked out from the step times recorded
//! during the test by the same critical-path rules as the plan's estimate, compared with each
//! covered service's RTO, with the step that overran most named — and so each service's result
//! (met, met with issues, not met). Pure, so the test page, the service page and the programme
//! agree.

use std::collections::HashMap;

use crate::domain::choice::choice_set;
use crate::domain::duration::Duration;
use crate::domain::plan::steps::{Schedule, ScheduleError, Step, schedule};

pub mod awareness;
pub mod programme;
pub mod recording;
pub mod timeline;

choice_set! {
    /// Where a test stands: planned, held (completed) or called off.
    TestStatus {
        Planned => "planned", "Planned";
        Completed => "completed", "Completed";
        Cancelled => "cancelled", "Cancelled";
    }
}

impl TestStatus {
    pub fn badge(self) -> &'static str {
        match self {
            Self::Planned => "badge-blue",
            Self::Completed => "badge-green",
            Self::Cancelled => "badge-grey",
        }
    }
}

choice_set! {
    /// How serious a finding is; a "not met" result of a mission-critical service is critical.
    Severity {
        Critical => "critical", "Critical";
        High => "high", "High";
        Medium => "medium", "Medium";
        Low => "low", "Low";
    }
}

impl Severity {
    pub fn badge(self) -> &'static str {
        match self {
            Self::Critical | Self::High => "badge-red",
            Self::Medium => "badge-amber",
            Self::Low => "badge-grey",
        }
    }

    /// The severity of the finding a "not met" result records, by the service's tier rank.
    pub fn of_missed_rto(tier_rank: Option<i32>) -> Self {
        match tier_rank {
            Some(rank) if rank <= 1 => Self::Critical,
            Some(2) => Self::High,
            _ => Self::Medium,
        }
    }

    /// Days an action made from a finding of this severity has by default.
    pub fn days_to_act(self) -> i64 {
        match self {
            Self::Critical => 14,
            Self::High => 30,
            Self::Medium => 60,
            Self::Low => 90,
        }
    }
}

impl ServiceResult {
    pub fn badge(self) -> &'static str {
        match self {
            Self::Met => "badge-green",
            Self::MetWithIssues => "badge-amber",
            Self::NotMet => "badge-red",
        }
    }
}

choice_set! {
    /// How a service came out of a test.
    ServiceResult {
        Met => "met", "Met";
        MetWithIssues => "met_with_issues", "Met with issues";
        NotMet => "not_met", "Not met";
    }
}

choice_set! {
    /// The kinds of test, lightest first.
    TestType {
        WalkThrough => "walk_through", "Plan walk-through";
        Tabletop => "tabletop", "Tabletop exercise";
        CallTree => "call_tree", "Call-tree test";
        ComponentRestore => "component_restore", "Component restore";
        Functional => "functional", "Functional test";
        Simulation => "simulation", "Simulation";
        FullFailover => "full_failover", "Full failover";
    }
}

impl TestType {
    /// What the type involves, for the planning form.
    pub fn help(self) -> &'static str {
        match self {
            Self::WalkThrough => "the plan's owners read it through together",
            Self::Tabletop => "the team talks a scenario through, step by step",
            Self::CallTree => "the call tree is rung and who was reached, how fast, recorded",
            Self::ComponentRestore => "one component (a database, a server) is restored",
            Self::Functional => "the recovery steps are carried out on real systems",
            Self::Simulation => "a realistic incident is played out, without touching production",
            Self::FullFailover => "production is switched to the recovery site and run there",
        }
    }

    /// Whether the test actually recovers something, so that it can measure a recovery time
    /// (a walk-through or a tabletop talks the plan through; a call-tree test reaches people).
    pub fn measures_recovery(self) -> bool {
        matches!(
            self,
            Self::ComponentRestore | Self::Functional | Self::Simulation | Self::FullFailover
        )
    }
}

/// A step that took longer than the plan said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrun {
    pub step: String,
    pub estimated: Duration,
    pub actual: Duration,
}

impl Overrun {
    pub fn by(&self) -> Duration {
        Duration::from_minutes(self.actual.minutes() - self.estimated.minutes())
            .unwrap_or(Duration::ZERO)
    }
}

/// What the recorded step times add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    /// The schedule with the actual durations (the estimate where a step's time was not recorded).
    pub schedule: Schedule,
    /// When the service was back, counted from invocation: [`Schedule::recovered`] with actuals.
    pub achieved: Duration,
    /// The plan's own estimate, for comparison.
    pub estimated: Duration,
    /// The step whose actual duration exceeded its estimate most, if any did.
    pub biggest_overrun: Option<Overrun>,
    /// Steps whose time was not recorded (their estimate was used).
    pub not_recorded: Vec<String>,
}

/// The recovery time `steps` achieved with `actual` durations by step key (missing keys take the
/// estimate), by the plan schedule's critical-path rules.
pub fn measure(
    steps: &[Step],
    actual: &HashMap<String, Duration>,
) -> Result<Measured, ScheduleError> {
    let estimate = schedule(steps)?;
    let mut biggest: Option<Overrun> = None;
    let mut not_recorded = Vec::new();
    let with_actuals: Vec<Step> = steps
        .iter()
        .map(|step| {
            let mut step = step.clone();
            match actual.get(&step.id) {
                Some(taken) => {
                    if *taken > step.duration
                        && biggest.as_ref().is_none_or(|overrun| {
                            taken.minutes() - step.duration.minutes() > overrun.by().minutes()
                        })
                    {
                        biggest = Some(Overrun {
                            step: step.id.clone(),
                            estimated: step.duration,
                            actual: *taken,
                        });
                    }
                    step.duration = *taken;
                }
                None => not_recorded.push(step.id.clone()),
            }
            step
        })
        .collect();
    let measured = schedule(&with_actuals)?;
    Ok(Measured {
        achieved: measured.recovered,
        estimated: estimate.recovered,
        schedule: measured,
        biggest_overrun: biggest,
        not_recorded,
    })
}

/// A service's result: not met when the recovery took longer than its RTO (or the data lost
/// exceeds its RPO); met with issues when it was within them but something went wrong on the
/// way (a step overran, an objective was missed, a deviation was noted); met otherwise.
pub fn result(
    achieved: Duration,
    rto: Option<Duration>,
    data_lost: Option<Duration>,
    rpo: Option<Duration>,
    issues: bool,
) -> ServiceResult {
    let over = |value: Option<Duration>, limit: Option<Duration>| matches!((value, limit), (Some(value), Some(limit)) if value > limit);
    if over(Some(achieved), rto) || over(data_lost, rpo) {
        ServiceResult::NotMet
    } else if issues {
        ServiceResult::MetWithIssues
    } else {
        ServiceResult::Met
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::steps::Phase;
    use proptest::prelude::*;

    fn minutes(value: i64) -> Duration {
        Duration::from_minutes(value).expect("a duration")
    }

    fn step(id: &str, length: i64, predecessors: &[&str]) -> Step {
        Step {
            id: id.to_owned(),
            phase: Phase::Recovery,
            action: format!("do {id}"),
            role: "IT recovery lead".to_owned(),
            duration: minutes(length),
            predecessors: predecessors.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn plan() -> Vec<Step> {
        vec![
            step("invoke", 30, &[]),
            step("restore-db", 240, &["invoke"]),
            step("restore-app", 60, &["invoke"]),
            step("smoke-test", 30, &["restore-db", "restore-app"]),
        ]
    }

    #[test]
    fn the_achieved_time_follows_the_critical_path_of_the_actual_durations() {
        let actual = HashMap::from([
            ("invoke".to_owned(), minutes(20)),
            ("restore-db".to_owned(), minutes(400)),
            ("smoke-test".to_owned(), minutes(30)),
        ]);
        let measured = measure(&plan(), &actual).expect("a valid plan");
        assert_eq!(measured.estimated.minutes(), 30 + 240 + 30);
        assert_eq!(measured.achieved.minutes(), 20 + 400 + 30);
        let overrun = measured.biggest_overrun.expect("the database overran");
        assert_eq!(overrun.step, "restore-db");
        assert_eq!(overrun.by().minutes(), 160);
        assert_eq!(measured.not_recorded, vec!["restore-app".to_owned()]);
    }

    #[test]
    fn a_faster_step_off_the_critical_path_changes_nothing() {
        let actual = HashMap::from([("restore-app".to_owned(), minutes(10))]);
        let measured = measure(&plan(), &actual).expect("a valid plan");
        assert_eq!(measured.achieved, measured.estimated);
        assert!(measured.biggest_overrun.is_none());
    }

    #[test]
    fn results_compare_with_the_rto_and_rpo() {
        assert_eq!(
            result(minutes(450), Some(minutes(480)), None, None, false),
            ServiceResult::Met
        );
        assert_eq!(
            result(minutes(450), Some(minutes(480)), None, None, true),
            ServiceResult::MetWithIssues
        );
        assert_eq!(
            result(minutes(500), Some(minutes(480)), None, None, false),
            ServiceResult::NotMet
        );
        assert_eq!(
            result(
                minutes(60),
                Some(minutes(480)),
                Some(minutes(30)),
                Some(minutes(15)),
                false
            ),
            ServiceResult::NotMet,
            "more data lost than the RPO allows"
        );
        assert_eq!(
            result(minutes(10_000), None, None, None, false),
            ServiceResult::Met,
            "without an RTO there is nothing to miss"
        );
    }

    #[test]
    fn only_tests_that_recover_something_measure_a_recovery_time() {
        assert!(TestType::FullFailover.measures_recovery());
        assert!(!TestType::Tabletop.measures_recovery());
        assert!(!TestType::CallTree.measures_recovery());
    }

    proptest! {
        /// Recording exactly the estimates gives the plan's estimated recovery time, with no overrun.
        #[test]
        fn actual_durations_equal_to_the_estimates_give_the_estimate(
            durations in proptest::collection::vec(1i64..600, 1..12),
            links in proptest::collection::vec((0usize..12, 0usize..12), 0..20),
        ) {
            let mut steps: Vec<Step> = durations
                .iter()
                .enumerate()
                .map(|(index, length)| step(&format!("s{index}"), *length, &[]))
                .collect();
            // Only links from an earlier step to a later one: never a cycle.
            for (a, b) in links {
                let (a, b) = (a % steps.len(), b % steps.len());
                if a < b {
                    let predecessor = steps[a].id.clone();
                    if !steps[b].predecessors.contains(&predecessor) {
                        steps[b].predecessors.push(predecessor);
                    }
                }
            }
            let actual: HashMap<String, Duration> =
                steps.iter().map(|step| (step.id.clone(), step.duration)).collect();
            let measured = measure(&steps, &actual).expect("acyclic");
            prop_assert_eq!(measured.achieved, measured.estimated);
            prop_assert!(measured.biggest_overrun.is_none());
            prop_assert!(measured.not_recorded.is_empty());
        }
    }
}
