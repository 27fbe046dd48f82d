//! Where a supplier contract does not support the recovery the business needs: a guaranteed
//! recovery time that, with the wait for support hours, exceeds the RTO of a service depending
//! on the contract; a guaranteed RPO looser than the service's; a mission-critical service relying
//! on a contract without any continuity terms; supplier continuity evidence that is missing or
//! has expired. Every gap carries its figures so that a page can say exactly what is wrong.

use time::Date;
use uuid::Uuid;

use super::hours::SupportHours;
use crate::domain::bia::method::duration_labels_alike;
use crate::domain::duration::Duration;

/// What a contract promises, as far as continuity is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub guaranteed_recovery: Option<Duration>,
    pub guaranteed_rpo: Option<Duration>,
    pub support: SupportHours,
    /// Whether the supplier must hold its own continuity plan and show evidence of it.
    pub bcp_required: bool,
    pub evidence_received_on: Option<Date>,
    pub evidence_expires_on: Option<Date>,
}

impl Terms {
    /// A contract says something about continuity when it guarantees a recovery time or an RPO,
    /// or requires the supplier's own continuity plan.
    pub fn has_continuity_terms(&self) -> bool {
        self.guaranteed_recovery.is_some() || self.guaranteed_rpo.is_some() || self.bcp_required
    }

    /// The guaranteed recovery time plus the worst wait for support hours: how long, at worst,
    /// until the supplier has recovered. `None` without a guarantee or when support never opens.
    pub fn worst_recovery(&self) -> Option<Duration> {
        let guaranteed = self.guaranteed_recovery?;
        let wait = self.support.worst_wait()?;
        Duration::from_minutes(guaranteed.minutes() + wait.minutes())
    }
}

/// A service that depends on the contract, directly or through components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    pub id: Uuid,
    pub name: String,
    pub rto: Option<Duration>,
    pub rpo: Option<Duration>,
    /// Rank 1 is mission critical.
    pub tier_rank: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Guaranteed recovery plus the wait for support is longer than the service's RTO.
    RecoveryTooSlow {
        service: Uuid,
        service_name: String,
        rto: Duration,
        guaranteed: Duration,
        wait: Duration,
    },
    /// Support never opens, so nothing is ever recovered by the supplier.
    NoSupportHours { service: Uuid, service_name: String },
    /// The supplier may lose more data than the service tolerates.
    RpoTooLoose {
        service: Uuid,
        service_name: String,
        rpo: Duration,
        guaranteed: Duration,
    },
    /// A mission-critical service relies on a contract that promises nothing about continuity.
    NoContinuityTerms { service: Uuid, service_name: String },
    /// The supplier's continuity plan is required but no evidence was received.
    EvidenceMissing,
    /// The evidence of the supplier's continuity plan has expired.
    EvidenceExpired { expired_on: Date },
}

impl Gap {
    /// The service the gap is about, when it is about one.
    pub fn service(&self) -> Option<Uuid> {
        match self {
            Self::RecoveryTooSlow { service, .. }
            | Self::NoSupportHours { service, .. }
            | Self::RpoTooLoose { service, .. }
            | Self::NoContinuityTerms { service, .. } => Some(*service),
            Self::EvidenceMissing | Self::EvidenceExpired { .. } => None,
        }
    }

    /// One sentence with the figures.
    pub fn message(&self) -> String {
        match self {
            Self::RecoveryTooSlow {
                service_name,
                rto,
                guaranteed,
                wait,
                ..
            } if *wait == Duration::ZERO => {
                let [rto, guaranteed] = duration_labels_alike([*rto, *guaranteed]);
                format!(
                    "{service_name} must be back within {rto} but the supplier guarantees recovery in {guaranteed}."
                )
            }
            Self::RecoveryTooSlow {
                service_name,
                rto,
                guaranteed,
                wait,
                ..
            } => {
                let worst = Duration::from_minutes(guaranteed.minutes() + wait.minutes())
                    .unwrap_or(*guaranteed);
                let [rto, guaranteed, wait, worst] =
                    duration_labels_alike([*rto, *guaranteed, *wait, worst]);
                format!(
                    "{service_name} must be back within {rto} but the supplier guarantees recovery in {guaranteed} and may only start after waiting up to {wait} for support hours: {worst} at worst."
                )
            }
            Self::NoSupportHours { service_name, .. } => {
                format!("{service_name} depends on a contract whose support hours never open.")
            }
            Self::RpoTooLoose {
                service_name,
                rpo,
                guaranteed,
                ..
            } => {
                let [rpo, guaranteed] = duration_labels_alike([*rpo, *guaranteed]);
                format!(
                    "{service_name} may lose at most {rpo} of data but the supplier guarantees an RPO of {guaranteed}."
                )
            }
            Self::NoContinuityTerms { service_name, .. } => format!(
                "{service_name} is mission critical but this contract has no continuity terms: no guaranteed recovery time, no RPO, no continuity plan required."
            ),
            Self::EvidenceMissing => {
                "The supplier must hold a continuity plan, but no evidence of it has been received."
                    .to_owned()
            }
            Self::EvidenceExpired { expired_on } => {
                format!("The evidence of the supplier's continuity plan expired on {expired_on}.")
            }
        }
    }
}

/// Every gap of one contract, for the services depending on it, on `today`.
pub fn gaps(terms: &Terms, dependents: &[Dependent], today: Date) -> Vec<Gap> {
    let mut found = Vec::new();
    for service in dependents {
        if let (Some(guaranteed), Some(rto)) = (terms.guaranteed_recovery, service.rto) {
            match terms.support.worst_wait() {
                None => found.push(Gap::NoSupportHours {
                    service: service.id,
                    service_name: service.name.clone(),
                }),
                Some(wait) if guaranteed.minutes() + wait.minutes() > rto.minutes() => {
                    found.push(Gap::RecoveryTooSlow {
                        service: service.id,
                        service_name: service.name.clone(),
                        rto,
                        guaranteed,
                        wait,
                    });
                }
                Some(_) => {}
            }
        }
        if let (Some(guaranteed), Some(rpo)) = (terms.guaranteed_rpo, service.rpo)
            && guaranteed > rpo
        {
            found.push(Gap::RpoTooLoose {
                service: service.id,
                service_name: service.name.clone(),
                rpo,
                guaranteed,
            });
        }
        if service.tier_rank == Some(1) && !terms.has_continuity_terms() {
            found.push(Gap::NoContinuityTerms {
                service: service.id,
                service_name: service.name.clone(),
            });
        }
    }
    match terms.evidence_expires_on {
        Some(expired_on) if expired_on < today => found.push(Gap::EvidenceExpired { expired_on }),
        _ if terms.bcp_required && terms.evidence_received_on.is_none() => {
            found.push(Gap::EvidenceMissing);
        }
        _ => {}
    }
    found
}

#[cfg(test)]
mod tests;
