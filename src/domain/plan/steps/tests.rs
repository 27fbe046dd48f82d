//! Tests of the parent module.

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
    fn the_critical_path_is_a_zero_slack_chain_as_long_as_the_recovery(steps in dag()) {
        let schedule = schedule(&steps).unwrap();
        let by_id: HashMap<&str, &Step> = steps.iter().map(|s| (s.id.as_str(), s)).collect();
        let path = &schedule.critical_path;
        let restoring = steps.iter().any(|s| s.phase != Phase::Reconstitution);
        prop_assert_eq!(path.is_empty(), !restoring);
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
        prop_assert_eq!(sum, schedule.recovered.minutes());
        let critical = schedule.steps.iter().filter(|s| s.critical).count();
        prop_assert_eq!(critical, path.len());
    }

    #[test]
    fn the_path_to_normal_is_a_zero_slack_chain_as_long_as_the_plan(steps in dag()) {
        let schedule = schedule(&steps).unwrap();
        let by_id: HashMap<&str, &Step> = steps.iter().map(|s| (s.id.as_str(), s)).collect();
        let path = &schedule.path_to_normal;
        prop_assert_eq!(path.is_empty(), steps.is_empty());
        for pair in path.windows(2) {
            prop_assert!(by_id[pair[1].as_str()].predecessors.contains(&pair[0]));
        }
        let mut sum = 0;
        for id in path {
            prop_assert_eq!(schedule.get(id).unwrap().slack_to_normal, Duration::ZERO);
            sum += by_id[id.as_str()].duration.minutes();
        }
        prop_assert_eq!(sum, schedule.total.minutes());
    }

    #[test]
    fn slack_never_lets_a_step_delay_the_plan(steps in dag()) {
        let schedule = schedule(&steps).unwrap();
        for own in &schedule.steps {
            prop_assert!(own.finish.minutes() + own.slack_to_normal.minutes() <= schedule.total.minutes());
        }
    }
}

#[test]
fn the_service_is_back_when_the_last_recovery_step_ends_not_after_reconstitution() {
    let mut fail_back = step("S3", 8, &["S2"]);
    fail_back.phase = Phase::Reconstitution;
    let steps = [step("S1", 1, &[]), step("S2", 2, &["S1"]), fail_back];
    let schedule = schedule(&steps).unwrap();
    assert_eq!(schedule.total, Duration::hours(11));
    assert_eq!(schedule.recovered, Duration::hours(3));
}

#[test]
fn a_plan_of_only_reconstitution_is_back_at_once() {
    let mut only = step("S1", 4, &[]);
    only.phase = Phase::Reconstitution;
    let steps = [only];
    let schedule = schedule(&steps).unwrap();
    assert_eq!(schedule.recovered, Duration::ZERO);
}

proptest! {
    #[test]
    fn the_service_is_never_back_after_the_whole_plan_ends(hours in proptest::collection::vec(0i64..10, 1..8)) {
        let steps: Vec<Step> = hours
            .iter()
            .enumerate()
            .map(|(i, &h)| {
                let mut s = step(&format!("S{i}"), h, &[]);
                if i % 3 == 2 {
                    s.phase = Phase::Reconstitution;
                }
                if i > 0 {
                    s.predecessors = vec![format!("S{}", i - 1)];
                }
                s
            })
            .collect();
        let schedule = schedule(&steps).unwrap();
        prop_assert!(schedule.recovered <= schedule.total);
    }
}

/// The plan of issue 12: back at 15h through A1 → R1 → R3, back to normal at 95h through X1.
fn back_at_fifteen_hours() -> Vec<Step> {
    let with_phase = |mut step: Step, phase| {
        step.phase = phase;
        step
    };
    vec![
        with_phase(step("A1", 2, &[]), Phase::Activation),
        with_phase(step("A2", 1, &[]), Phase::Activation),
        step("R1", 10, &["A1"]),
        step("R2", 4, &["A1", "A2"]),
        step("R3", 3, &["R1", "R2"]),
        step("R4", 1, &["A2"]),
        with_phase(step("X1", 80, &["R3"]), Phase::Reconstitution),
    ]
}

#[test]
fn the_critical_path_is_the_one_that_decides_the_recovery_time() {
    let schedule = schedule(&back_at_fifteen_hours()).unwrap();
    assert_eq!(schedule.recovered, Duration::hours(15));
    assert_eq!(ids(&schedule.critical_path), ["A1", "R1", "R3"]);
    assert_eq!(schedule.total, Duration::hours(95));
    assert_eq!(ids(&schedule.path_to_normal), ["A1", "R1", "R3", "X1"]);
    assert!(!schedule.get("X1").unwrap().critical);
}

#[test]
fn slack_is_measured_to_the_services_return_not_to_the_end_of_reconstitution() {
    let schedule = schedule(&back_at_fifteen_hours()).unwrap();
    let r4 = schedule.get("R4").unwrap();
    // R4 ends at 2h; the service is back at 15h: slipping it by more than 13h delays the return.
    assert_eq!(r4.slack, Duration::hours(13));
    assert_eq!(r4.slack_to_normal, Duration::hours(93));
    assert_eq!(schedule.get("R2").unwrap().slack, Duration::hours(6));
    assert_eq!(schedule.get("R3").unwrap().slack, Duration::ZERO);
    // The return to normal waits for nothing after X1: its slack counts to the end.
    assert_eq!(schedule.get("X1").unwrap().slack, Duration::ZERO);
}

proptest! {
    #[test]
    fn slipping_a_step_by_its_slack_never_delays_the_return_but_a_minute_more_does_on_the_path(
        hours in proptest::collection::vec(0i64..6, 1..9),
        links in proptest::collection::vec((0usize..9, 0usize..9), 0..12),
        reconstitution in proptest::collection::vec(proptest::bool::ANY, 9),
    ) {
        let mut steps: Vec<Step> = hours
            .iter()
            .enumerate()
            .map(|(i, &h)| {
                let mut s = step(&format!("S{i}"), h, &[]);
                if reconstitution[i] {
                    s.phase = Phase::Reconstitution;
                }
                s
            })
            .collect();
        for (a, b) in links {
            let (before, after) = (a.min(b), a.max(b));
            if before != after && after < steps.len() {
                steps[after].predecessors.push(format!("S{before}"));
            }
        }
        let base = schedule(&steps).unwrap();
        for at in &base.steps {
            let mut slipped = steps.clone();
            slipped[at.index].duration =
                Duration::from_minutes(slipped[at.index].duration.minutes() + at.slack.minutes()).unwrap();
            let later = schedule(&slipped).unwrap();
            prop_assert_eq!(later.recovered, base.recovered);
            if at.critical {
                slipped[at.index].duration =
                    Duration::from_minutes(slipped[at.index].duration.minutes() + 1).unwrap();
                prop_assert!(schedule(&slipped).unwrap().recovered > base.recovered);
            }
        }
    }
}
