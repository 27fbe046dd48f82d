//! The figures of the home page's posture summary, in one query, and the fingerprint of its
//! inputs that tells when they must be read again.

use sqlx::PgExecutor;

#[derive(Debug, Clone, Default)]
pub struct Posture {
    pub services: i64,
    /// Services per tier rank 1 to 4.
    pub by_tier: [i64; 4],
    pub not_assessed: i64,
    /// Assessments in open exercises not yet submitted or approved.
    pub assessments_waiting: i64,
    /// Assessments submitted and waiting for a manager.
    pub assessments_to_review: i64,
    /// Mission-critical services that no approved plan covers.
    pub critical_without_plan: i64,
    /// Active plans past their review date.
    pub plans_overdue: i64,
    /// Plan versions submitted and waiting for a manager.
    pub plans_to_approve: i64,
}

/// A cheap fingerprint of everything the home page's counts read — services, assessments,
/// exercises, plans and their versions and coverage, and the day — and the recovery posture's,
/// in one statement (both are SQL functions, read through indexes).
pub async fn fingerprints(db: impl PgExecutor<'_>) -> sqlx::Result<(String, String)> {
    let row = sqlx::query!(
        r#"select home_posture_fingerprint() as "home!", recovery_fingerprint() as "recovery!""#
    )
    .fetch_one(db)
    .await?;
    Ok((row.home, row.recovery))
}

pub async fn load(db: impl PgExecutor<'_>) -> sqlx::Result<Posture> {
    // One pass over the services and one over the open exercises' assessments (through the
    // `(exercise_id, service_id)` index), instead of a scan per figure.
    let row = sqlx::query!(
        r#"with s as (
             select count(*) as services,
                    count(*) filter (where bia_tier_rank = 1) as tier1,
                    count(*) filter (where bia_tier_rank = 2) as tier2,
                    count(*) filter (where bia_tier_rank = 3) as tier3,
                    count(*) filter (where bia_tier_rank >= 4) as tier4,
                    count(*) filter (where bia_tier_rank is null) as not_assessed
             from services where archived_at is null
           ), a as (
             -- A draft in an exercise under review is frozen: it waits for a manager, not its owner.
             select count(*) filter (where a.status = 'returned'
                                        or (a.status = 'draft' and x.status = 'open')) as waiting,
                    count(*) filter (where a.status = 'submitted'
                                        or (a.status = 'draft' and x.status = 'in_review')) as to_review
             from bia_assessments a join bia_exercises x on x.id = a.exercise_id
             where x.status in ('open', 'in_review')
           )
           select s.services as "services!", s.tier1 as "tier1!", s.tier2 as "tier2!",
             s.tier3 as "tier3!", s.tier4 as "tier4!", s.not_assessed as "not_assessed!",
             a.waiting as "waiting!", a.to_review as "to_review!",
             (select count(*) from services s where s.archived_at is null and s.bia_tier_rank = 1
               and not exists (select 1 from plan_services ps
                                 join plans p on p.id = ps.plan_id and p.status = 'active'
                                 join plan_versions v on v.plan_id = p.id and v.status = 'approved'
                                where ps.service_id = s.id)) as "without_plan!",
             (select count(*) from plans where status = 'active' and next_review_on < current_date) as "overdue!",
             (select count(*) from plan_versions v join plans p on p.id = v.plan_id
               where p.status = 'active' and v.status = 'in_review') as "to_approve!"
           from s, a"#
    )
    .fetch_one(db)
    .await?;
    Ok(Posture {
        services: row.services,
        by_tier: [row.tier1, row.tier2, row.tier3, row.tier4],
        not_assessed: row.not_assessed,
        assessments_waiting: row.waiting,
        assessments_to_review: row.to_review,
        critical_without_plan: row.without_plan,
        plans_overdue: row.overdue,
        plans_to_approve: row.to_approve,
    })
}
