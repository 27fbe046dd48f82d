//! Where a service's own recovery figure comes from, best evidence first: a test that measured
//! it within its tier's interval; else the critical path of its quickest approved plan; else
//! the estimate of its recovery strategy; else a test beyond its interval. For a contract, the
//! guaranteed time plus the wait for support hours. Each figure keeps its source, so every page
//! can say where a number came from.

use time::Date;
use uuid::Uuid;

use super::{ContractFacts, RecoveryOption, ServiceFacts, StrategyStatus, minutes_of};
use crate::domain::duration::Duration;
use crate::domain::graph::Own;

/// A completed test that measured a service's recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestEvidence {
    pub test_id: Uuid,
    pub number: i32,
    pub held_on: Date,
    pub achieved: Option<Duration>,
    pub data_lost: Option<Duration>,
    /// Whether the test met its objective for the service; a failed test still shows what
    /// happened, but never proves the requirement met.
    pub passed: bool,
}

/// An approved plan covering a service, with the critical path of its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEvidence {
    pub plan_id: Uuid,
    pub title: String,
    pub estimate: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyFacts {
    pub option: RecoveryOption,
    pub status: StrategyStatus,
    pub estimate: Option<Duration>,
    pub achievable_rpo: Option<Duration>,
}

/// How far a figure can be trusted, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// Measured within the interval, or bound by contract.
    Current,
    /// Worked out (a plan's critical path, a strategy's estimate), not shown.
    Estimate,
    /// Measured, but longer ago than the tier's interval allows.
    Stale,
    /// Nothing shows it.
    Nothing,
}

impl Grade {
    pub fn rank(self) -> u8 {
        self as u8
    }

    pub fn from_rank(rank: u8) -> Grade {
        match rank {
            0 => Self::Current,
            1 => Self::Estimate,
            2 => Self::Stale,
            _ => Self::Nothing,
        }
    }
}

/// A figure and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    Test {
        test_id: Uuid,
        number: i32,
        held_on: Date,
        minutes: Duration,
        current: bool,
        passed: bool,
    },
    Plan {
        plan_id: Uuid,
        title: String,
        minutes: Duration,
    },
    Strategy {
        option: RecoveryOption,
        minutes: Duration,
    },
    Contract {
        minutes: Duration,
        wait: Duration,
    },
    /// A contract that guarantees nothing: nothing says how long the supplier takes.
    ContractSilent,
    Nothing,
}

impl Evidence {
    pub fn minutes(&self) -> Option<Duration> {
        match self {
            Self::Test { minutes, .. }
            | Self::Plan { minutes, .. }
            | Self::Strategy { minutes, .. }
            | Self::Contract { minutes, .. } => Some(*minutes),
            Self::ContractSilent | Self::Nothing => None,
        }
    }

    pub fn grade(&self) -> Grade {
        match self {
            Self::Test {
                current: true,
                passed: true,
                ..
            }
            | Self::Contract { .. } => Grade::Current,
            Self::Plan { .. } | Self::Strategy { .. } => Grade::Estimate,
            Self::Test { .. } => Grade::Stale,
            Self::ContractSilent | Self::Nothing => Grade::Nothing,
        }
    }

    pub fn own(&self) -> Own {
        Own {
            minutes: self.minutes().map(minutes_of),
            grade: self.grade().rank(),
        }
    }

    /// Where the figure comes from, in a few words: "test T-0004 on 2026-10-12".
    pub fn source(&self) -> String {
        match self {
            Self::Test {
                number,
                held_on,
                current,
                passed,
                ..
            } => {
                let stale = if *current {
                    ""
                } else {
                    ", beyond its tier's test interval"
                };
                let failed = if *passed {
                    ""
                } else {
                    ", which did not meet its objective"
                };
                format!("test T-{number:04} on {held_on}{stale}{failed}")
            }
            Self::Plan { title, .. } => format!("the critical path of the plan “{title}”"),
            Self::Strategy { option, .. } => {
                format!("the estimate of its {} strategy", option.short())
            }
            Self::Contract { wait, .. } if *wait == Duration::ZERO => {
                "the contract's guaranteed recovery time".to_owned()
            }
            Self::Contract { wait, .. } => format!(
                "the contract's guaranteed recovery time and up to {wait} waiting for support hours"
            ),
            Self::ContractSilent => "a contract that guarantees no recovery time".to_owned(),
            Self::Nothing => "nothing: no test, approved plan or agreed strategy".to_owned(),
        }
    }
}

/// Whether a test is within the interval its tier allows between tests.
pub fn is_current(test: &TestEvidence, interval_months: u8, today: Date) -> bool {
    crate::domain::plan::workflow::next_review(test.held_on, interval_months) >= today
}

/// The strategy, when it is approved or in place: a proposal shows nothing yet.
fn agreed(service: &ServiceFacts) -> Option<&StrategyFacts> {
    service
        .strategy
        .as_ref()
        .filter(|strategy| strategy.status != StrategyStatus::Proposed)
}

/// A service's own recovery time, from the best evidence there is.
pub fn own_time(service: &ServiceFacts, today: Date) -> Evidence {
    let measured = service.test.as_ref().and_then(|test| {
        Some(Evidence::Test {
            test_id: test.test_id,
            number: test.number,
            held_on: test.held_on,
            minutes: test.achieved?,
            current: is_current(test, service.test_interval_months, today),
            passed: test.passed,
        })
    });
    if let Some(test @ Evidence::Test { current: true, .. }) = &measured {
        return test.clone();
    }
    if let Some(plan) = &service.plan {
        return Evidence::Plan {
            plan_id: plan.plan_id,
            title: plan.title.clone(),
            minutes: plan.estimate,
        };
    }
    if let Some(strategy) = agreed(service)
        && let Some(minutes) = strategy.estimate
    {
        return Evidence::Strategy {
            option: strategy.option,
            minutes,
        };
    }
    measured.unwrap_or(Evidence::Nothing)
}

/// A service's own data loss: what a current test lost, else the strategy's achievable RPO
/// (its backup or replication interval), else a stale test's.
pub fn own_loss(service: &ServiceFacts, today: Date) -> Evidence {
    let measured = service.loss_test.as_ref().and_then(|test| {
        Some(Evidence::Test {
            test_id: test.test_id,
            number: test.number,
            held_on: test.held_on,
            minutes: test.data_lost?,
            current: is_current(test, service.test_interval_months, today),
            passed: test.passed,
        })
    });
    if let Some(test @ Evidence::Test { current: true, .. }) = &measured {
        return test.clone();
    }
    if let Some(strategy) = agreed(service)
        && let Some(minutes) = strategy.achievable_rpo
    {
        return Evidence::Strategy {
            option: strategy.option,
            minutes,
        };
    }
    measured.unwrap_or(Evidence::Nothing)
}

pub fn contract_time(contract: &ContractFacts) -> Evidence {
    match contract.worst_recovery {
        Some(minutes) => Evidence::Contract {
            minutes,
            wait: contract.support_wait,
        },
        None => Evidence::ContractSilent,
    }
}

pub fn contract_loss(contract: &ContractFacts) -> Evidence {
    match contract.guaranteed_rpo {
        Some(minutes) => Evidence::Contract {
            minutes,
            wait: Duration::ZERO,
        },
        None => Evidence::ContractSilent,
    }
}
