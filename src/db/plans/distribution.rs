//! Who holds which offline copy (the distribution list), and who has read which version.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};

/// The newest copy one user downloaded of one plan.
#[derive(Debug, Clone)]
pub struct Holding {
    pub user_name: String,
    pub email: String,
    pub number: i32,
    pub channel: String,
    pub downloaded_at: OffsetDateTime,
}

/// Records a download of a version's offline copy.
pub async fn record_download(
    conn: &mut PgConnection,
    actor: &Actor,
    plan_id: Uuid,
    version_id: Uuid,
    channel: &str,
    checksum: &str,
) -> sqlx::Result<()> {
    let Some(user_id) = actor.user_id else {
        return Ok(());
    };
    sqlx::query!(
        "insert into plan_distributions (plan_id, version_id, user_id, channel, checksum)
         values ($1, $2, $3, $4, $5)",
        plan_id,
        version_id,
        user_id,
        channel,
        checksum,
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Change::new("plan", plan_id, "download").after(
            &serde_json::json!({ "version_id": version_id, "channel": channel, "checksum": checksum }),
        ),
    )
    .await
}

/// Records the downloads of many plans' offline copies at once (the all-plans zip): two
/// statements whatever the number of plans, with one audit row per plan as
/// [`record_download`] writes.
pub async fn record_downloads(
    conn: &mut PgConnection,
    actor: &Actor,
    channel: &str,
    downloads: &[(Uuid, Uuid, String)],
) -> sqlx::Result<()> {
    let Some(user_id) = actor.user_id else {
        return Ok(());
    };
    let plans: Vec<Uuid> = downloads.iter().map(|(plan, _, _)| *plan).collect();
    let versions: Vec<Uuid> = downloads.iter().map(|(_, version, _)| *version).collect();
    let checksums: Vec<String> = downloads.iter().map(|(_, _, sum)| sum.clone()).collect();
    sqlx::query!(
        "insert into plan_distributions (plan_id, version_id, user_id, channel, checksum)
         select plan_id, version_id, $4, $5, checksum
         from unnest($1::uuid[], $2::uuid[], $3::text[]) as d (plan_id, version_id, checksum)",
        &plans,
        &versions,
        &checksums,
        user_id,
        channel,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into audit_log (actor_id, actor_label, entity, entity_id, action, after, request_id)
         select $4, $5, 'plan', plan_id::text, 'download',
                jsonb_build_object('version_id', version_id, 'channel', $6::text, 'checksum', checksum), $7
         from unnest($1::uuid[], $2::uuid[], $3::text[]) as d (plan_id, version_id, checksum)",
        &plans,
        &versions,
        &checksums,
        user_id,
        actor.label,
        channel,
        actor.request_id,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Each holder's newest copy of the plan, most recent first.
pub async fn holdings(db: impl PgExecutor<'_>, plan_id: Uuid) -> sqlx::Result<Vec<Holding>> {
    sqlx::query_as!(
        Holding,
        "select distinct on (d.user_id) u.display_name as user_name, u.email, v.number, d.channel,
                d.downloaded_at
         from plan_distributions d
         join users u on u.id = d.user_id
         join plan_versions v on v.id = d.version_id
         where d.plan_id = $1
         order by d.user_id, v.number desc, d.downloaded_at desc",
        plan_id
    )
    .fetch_all(db)
    .await
}

/// Records "I have read this version"; reading it twice changes nothing.
pub async fn acknowledge(
    conn: &mut PgConnection,
    actor: &Actor,
    version_id: Uuid,
    person_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<()> {
    let inserted = sqlx::query!(
        "insert into plan_acknowledgements (version_id, person_id, user_id) values ($1, $2, $3)
         on conflict do nothing",
        version_id,
        person_id,
        user_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(());
    }
    audit::record(
        conn,
        actor,
        Change::new("plan_version", version_id, "acknowledge")
            .after(&serde_json::json!({ "person_id": person_id })),
    )
    .await
}

/// Who has acknowledged a version, and when.
pub async fn acknowledgements(
    db: impl PgExecutor<'_>,
    version_id: Uuid,
) -> sqlx::Result<Vec<(Uuid, OffsetDateTime)>> {
    let rows = sqlx::query!(
        "select person_id, acknowledged_at from plan_acknowledgements where version_id = $1",
        version_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.person_id, row.acknowledged_at))
        .collect())
}
