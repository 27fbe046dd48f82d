//! IT services: what the business uses, each with an owner who answers for it.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use super::{WriteError, blank_to_none, classify, new_node};
use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::domain::graph::NodeKind;

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub service_type: String,
    pub lifecycle: String,
    pub sla_reference: String,
    pub support_hours: String,
    pub external_id: Option<String>,
    pub archived: bool,
    pub version: i32,
    /// The objectives of the latest approved BIA, and where they came from.
    pub bia: Option<BiaResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BiaResult {
    pub mtpd_minutes: Option<i32>,
    pub rto_minutes: Option<i32>,
    pub rpo_minutes: Option<i32>,
    pub tier_name: Option<String>,
    pub exercise_name: Option<String>,
    pub approved_at: Option<time::OffsetDateTime>,
    pub assessment_id: Uuid,
}

pub struct ServiceFields {
    pub name: String,
    pub description: String,
    pub owner_id: Option<Uuid>,
    pub service_type: String,
    pub lifecycle: String,
    pub sla_reference: String,
    pub support_hours: String,
    pub external_id: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[
    (
        "services_name_key",
        "name",
        "Another service already has this name.",
    ),
    (
        "services_external_id_key",
        "external_id",
        "Another service already has this external id.",
    ),
];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Service>> {
    Ok(find_many(conn, &[id]).await?.pop())
}

/// The services with these ids (in no particular order), in one query.
pub async fn find_many(conn: &mut PgConnection, ids: &[Uuid]) -> sqlx::Result<Vec<Service>> {
    let rows = sqlx::query!(
        r#"select s.id, s.name, s.description, s.owner_id, u.display_name as "owner_name?", s.service_type,
                  s.lifecycle, s.sla_reference, s.support_hours, s.external_id,
                  s.archived_at is not null as "archived!", s.version,
                  s.bia_mtpd_minutes, s.bia_rto_minutes, s.bia_rpo_minutes, s.bia_tier_name, s.bia_approved_at,
                  s.bia_assessment_id, x.name as "bia_exercise_name?"
           from services s
           left join users u on u.id = s.owner_id
           left join bia_assessments a on a.id = s.bia_assessment_id
           left join bia_exercises x on x.id = a.exercise_id
           where s.id = any($1)"#,
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Service {
            id: row.id,
            name: row.name,
            description: row.description,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            service_type: row.service_type,
            lifecycle: row.lifecycle,
            sla_reference: row.sla_reference,
            support_hours: row.support_hours,
            external_id: row.external_id,
            archived: row.archived,
            version: row.version,
            bia: row.bia_assessment_id.map(|assessment_id| BiaResult {
                mtpd_minutes: row.bia_mtpd_minutes,
                rto_minutes: row.bia_rto_minutes,
                rpo_minutes: row.bia_rpo_minutes,
                tier_name: row.bia_tier_name,
                exercise_name: row.bia_exercise_name,
                approved_at: row.bia_approved_at,
                assessment_id,
            }),
        })
        .collect())
}

pub async fn id_by_external_id(
    conn: &mut PgConnection,
    external_id: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from services where external_id = $1",
        external_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ServiceFields,
) -> Result<Service, WriteError> {
    let id = new_node(conn, NodeKind::Service).await?;
    sqlx::query!(
        "insert into services (id, name, description, owner_id, service_type, lifecycle, sla_reference,
                               support_hours, external_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        fields.name.trim(),
        fields.description.trim(),
        fields.owner_id,
        fields.service_type,
        fields.lifecycle,
        fields.sla_reference.trim(),
        fields.support_hours.trim(),
        blank_to_none(&fields.external_id),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let service = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("service", id, "create").after(&service),
    )
    .await?;
    Ok(service)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ServiceFields,
) -> Result<Versioned<Service>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update services set name = $3, description = $4, owner_id = $5, service_type = $6, lifecycle = $7,
             sla_reference = $8, support_hours = $9, external_id = $10, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.description.trim(),
        fields.owner_id,
        fields.service_type,
        fields.lifecycle,
        fields.sla_reference.trim(),
        fields.support_hours.trim(),
        blank_to_none(&fields.external_id),
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("service", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

/// What an exercise's scope rules choose: every active service, or those of the given tiers
/// (rank; `unassessed` adds those without an approved BIA), those the processes of `unit` use
/// directly, and the `picked` ones — as one set of active service ids, in one query.
pub struct ScopeRules<'a> {
    pub every: bool,
    pub tiers: &'a [i32],
    pub unassessed: bool,
    pub unit: Option<Uuid>,
    pub picked: &'a [Uuid],
}

pub async fn in_scope(db: impl PgExecutor<'_>, rules: &ScopeRules<'_>) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select s.id from services s
         where s.archived_at is null
           and ($1 or s.bia_tier_rank = any($2) or ($3 and s.bia_tier_rank is null)
                or s.id = any($4)
                or s.id in (select d.to_id from business_processes p
                            join dependencies d on d.from_id = p.id
                            where p.org_unit_id = $5 and p.archived_at is null))
         order by s.id",
        rules.every,
        rules.tiers,
        rules.unassessed,
        rules.picked,
        rules.unit
    )
    .fetch_all(db)
    .await
}
