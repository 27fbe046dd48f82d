//! What the posture is computed from, a query per kind of figure whatever the estate's size:
//! the active services with their objectives and strategy, the latest test that measured each,
//! the quickest approved plan covering each; and the fingerprint that says when to read them
//! again.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

/// A cheap fingerprint of every input of the posture, read through indexes.
pub async fn fingerprint(db: impl PgExecutor<'_>) -> sqlx::Result<String> {
    sqlx::query_scalar!(r#"select recovery_fingerprint() as "fingerprint!""#)
        .fetch_one(db)
        .await
}

pub struct ServiceRow {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Option<Uuid>,
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub mtpd_minutes: Option<i32>,
    pub recovery_option: Option<String>,
    pub strategy_status: Option<String>,
    pub estimated_recovery_minutes: Option<i32>,
    pub achievable_rpo_minutes: Option<i32>,
}

/// Every active service with its approved objectives and its strategy, in name order.
pub async fn services(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<ServiceRow>> {
    sqlx::query_as!(
        ServiceRow,
        r#"select s.id, s.name, s.owner_id, s.bia_tier_rank as tier_rank, s.bia_tier_name as tier_name,
                  s.bia_rto_minutes as rto_minutes, s.bia_rpo_minutes as rpo_minutes,
                  s.bia_mtpd_minutes as mtpd_minutes, r.recovery_option as "recovery_option?",
                  r.status as "strategy_status?",
                  r.estimated_recovery_minutes as "estimated_recovery_minutes?",
                  r.achievable_rpo_minutes as "achievable_rpo_minutes?"
           from services s left join recovery_strategies r on r.service_id = s.id
           where s.archived_at is null
           order by lower(s.name), s.id"#
    )
    .fetch_all(db)
    .await
}

pub struct MeasuredRow {
    pub service_id: Uuid,
    pub test_id: Uuid,
    pub number: i32,
    pub held_on: Date,
    pub achieved_minutes: Option<i32>,
    pub data_lost_minutes: Option<i32>,
    pub result: Option<String>,
}

/// For each service, the latest completed test that measured its recovery time (with only
/// that figure) and the latest that measured its data loss (with only that one), in one
/// statement: a newer test that measured one of them does not hide an older one's other.
pub async fn latest_measurements(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<MeasuredRow>> {
    sqlx::query_as!(
        MeasuredRow,
        r#"(select distinct on (m.service_id) m.service_id as "service_id!", t.id as "test_id!",
                   t.number as "number!", t.test_on as "held_on!", m.achieved_minutes,
                   null::integer as data_lost_minutes, m.result
            from plan_test_services m join plan_tests t on t.id = m.test_id
            where t.status = 'completed' and m.achieved_minutes is not null
            order by m.service_id, t.test_on desc, t.number desc)
           union all
           (select distinct on (m.service_id) m.service_id, t.id, t.number, t.test_on,
                   null::integer, m.data_lost_minutes, m.result
            from plan_test_services m join plan_tests t on t.id = m.test_id
            where t.status = 'completed' and m.data_lost_minutes is not null
            order by m.service_id, t.test_on desc, t.number desc)"#
    )
    .fetch_all(db)
    .await
}

pub struct PlanRow {
    pub service_id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub estimate_minutes: i32,
}

/// For each service, the active plan with an approved version that recovers it soonest.
pub async fn quickest_plans(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<PlanRow>> {
    sqlx::query_as!(
        PlanRow,
        r#"select distinct on (ps.service_id) ps.service_id, p.id as plan_id, p.title,
                  v.estimated_recovery_minutes as "estimate_minutes!"
           from plan_services ps
           join plans p on p.id = ps.plan_id and p.status = 'active'
           join plan_versions v on v.plan_id = p.id and v.status = 'approved'
           where v.estimated_recovery_minutes is not null
           order by ps.service_id, v.estimated_recovery_minutes, p.id"#
    )
    .fetch_all(db)
    .await
}
