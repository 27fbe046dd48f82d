//! What plans wait for one person, for their home page: drafts returned to them, versions
//! waiting for their approval, plans of theirs due for review, and versions in force they are
//! named in but have not acknowledged. Each list is bounded, with its full count beside it.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

/// How many items of each kind the home page lists; the count says how many there are.
pub const SHOWN: i64 = 8;

/// One plan that waits for someone, with what the home page says of it.
#[derive(Debug, Clone)]
pub struct PlanItem {
    pub plan_id: Uuid,
    pub title: String,
    pub number: i32,
    /// Who returned it and why, for a returned draft; empty otherwise.
    pub note: String,
    /// The review date, for a plan due for review.
    pub due_on: Option<Date>,
    /// How many items of this kind there are in all (the same on every row).
    pub total: i64,
}

/// Drafts that a continuity manager returned, on plans covering services `user` owns or that
/// `user` helped write: the owner must act on them.
pub async fn returned_to(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<PlanItem>> {
    sqlx::query_as!(
        PlanItem,
        r#"select p.id as plan_id, p.title, v.number,
                  coalesce(r.who || ': ' || r.comment, '') as "note!",
                  null::date as due_on, count(*) over () as "total!"
           from plan_versions v
           join plans p on p.id = v.plan_id and p.status = 'active'
           join lateral (select coalesce(u.display_name, e.actor_label) as who, e.comment
                           from plan_events e left join users u on u.id = e.actor_id
                          where e.plan_id = v.plan_id and e.version_number = v.number
                            and e.action = 'returned'
                          order by e.at desc limit 1) r on true
           where v.status = 'draft'
             and ($1 = any(v.contributors) or v.author_id = $1
                  or exists (select 1 from plan_services ps join services s on s.id = ps.service_id
                              where ps.plan_id = p.id and s.owner_id = $1))
           order by v.updated_at
           limit $2"#,
        user,
        SHOWN
    )
    .fetch_all(db)
    .await
}

/// Versions in review that `user`, a continuity manager, may approve: not their own work.
pub async fn to_approve_by(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<PlanItem>> {
    sqlx::query_as!(
        PlanItem,
        r#"select p.id as plan_id, p.title, v.number, ''::text as "note!",
                  null::date as due_on, count(*) over () as "total!"
           from plan_versions v
           join plans p on p.id = v.plan_id and p.status = 'active'
           where v.status = 'in_review'
             and not ($1 = any(v.contributors)) and v.author_id is distinct from $1
           order by v.submitted_at nulls last
           limit $2"#,
        user,
        SHOWN
    )
    .fetch_all(db)
    .await
}

/// Active plans due for review by `before`, overdue first: for a manager every plan, for anyone
/// else the plans covering services they own.
pub async fn due_for_review(
    db: impl PgExecutor<'_>,
    user: Uuid,
    every_plan: bool,
    before: Date,
) -> sqlx::Result<Vec<PlanItem>> {
    sqlx::query_as!(
        PlanItem,
        r#"select p.id as plan_id, p.title,
                  coalesce((select max(v.number) from plan_versions v
                             where v.plan_id = p.id and v.status = 'approved'), 0) as "number!",
                  ''::text as "note!", p.next_review_on as due_on, count(*) over () as "total!"
           from plans p
           where p.status = 'active' and p.next_review_on <= $3
             and ($2 or exists (select 1 from plan_services ps join services s on s.id = ps.service_id
                                 where ps.plan_id = p.id and s.owner_id = $1))
           order by p.next_review_on, p.title
           limit $4"#,
        user,
        every_plan,
        before,
        SHOWN
    )
    .fetch_all(db)
    .await
}

/// Versions in force whose roles name the person linked to `user`, not yet acknowledged.
pub async fn to_acknowledge(db: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<PlanItem>> {
    sqlx::query_as!(
        PlanItem,
        r#"select p.id as plan_id, p.title, v.number, ''::text as "note!",
                  null::date as due_on, count(*) over () as "total!"
           from people me
           join plan_versions v on v.status = 'approved'
           join plans p on p.id = v.plan_id and p.status = 'active'
           where me.user_id = $1
             and exists (select 1 from jsonb_array_elements(v.content -> 'roles') role
                          where role ->> 'person' = me.id::text or role ->> 'alternate' = me.id::text)
             and not exists (select 1 from plan_acknowledgements a
                              where a.version_id = v.id and a.person_id = me.id)
           order by p.title
           limit $2"#,
        user,
        SHOWN
    )
    .fetch_all(db)
    .await
}
