//! Which contracts a service owner's services rely on through edges a continuity manager
//! vouched for — the walk behind `auth::contracts`, done in the database so that it reads
//! only confirmed edges (the in-memory graph holds every edge, confirmed or not).

use std::collections::HashSet;

use sqlx::PgExecutor;
use uuid::Uuid;

/// The contracts reached from the owner's active services along confirmed edges, directly or
/// through components (reliance stops at the first other service, as in the gap analysis).
pub async fn reached_by_owner(db: impl PgExecutor<'_>, owner: Uuid) -> sqlx::Result<HashSet<Uuid>> {
    let ids = sqlx::query_scalar!(
        r#"with recursive reached (id, kind, start) as (
               select s.id, 'service'::text, true
               from services s where s.owner_id = $1 and s.archived_at is null
             union
               select d.to_id, n.kind, false
               from reached r
               join dependencies d on d.from_id = r.id and d.confirmed
               join catalogue_nodes n on n.id = d.to_id
               where r.start or r.kind = 'component'
           )
           select id as "id!" from reached where kind = 'contract'"#,
        owner
    )
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().collect())
}

/// Moves whenever what an owner may read may have changed: an edge, a node or a service (its
/// owner, its archiving). One indexed query.
pub async fn fingerprint(db: impl PgExecutor<'_>) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select concat_ws('/',
               (select revision from graph_revision where id = 1),
               (select max(updated_at) from services)) as "fingerprint!""#
    )
    .fetch_one(db)
    .await
}
