//! The threat and measure catalogues: small tables a continuity manager keeps and new risks pick
//! from. A new installation starts with the sets in `domain::risk::catalogue`.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::{WriteError, classify};
use crate::domain::risk::catalogue::{STARTING_MEASURES, STARTING_THREATS};

#[derive(Debug, Clone, Serialize)]
pub struct Threat {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub description: String,
    pub archived: bool,
    pub version: i32,
}

pub struct ThreatFields {
    pub name: String,
    pub category: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: Uuid,
    pub name: String,
    pub measure_type: String,
    pub status: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub description: String,
    pub evidence: String,
    pub archived: bool,
    pub version: i32,
}

pub struct MeasureFields {
    pub name: String,
    pub measure_type: String,
    pub status: String,
    pub owner_id: Option<Uuid>,
    pub description: String,
    pub evidence: String,
}

const THREAT_UNIQUE: &[(&str, &str, &str)] = &[(
    "risk_threats_name_key",
    "name",
    "Another threat already has this name.",
)];
const MEASURE_UNIQUE: &[(&str, &str, &str)] = &[(
    "risk_measures_name_key",
    "name",
    "Another measure already has this name.",
)];

/// Stores the default method when there is none, and fills empty catalogues with the starting
/// sets (several instances may start together: the keys keep each entry once).
pub async fn seed_if_empty(conn: &mut PgConnection) -> sqlx::Result<()> {
    let method = serde_json::to_value(crate::domain::risk::method::RiskMethod::default_method())
        .map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    sqlx::query!(
        "insert into risk_method (id, definition) values (1, $1) on conflict (id) do nothing",
        method
    )
    .execute(&mut *conn)
    .await?;
    let (names, categories, descriptions): (Vec<&str>, Vec<&str>, Vec<&str>) = STARTING_THREATS
        .iter()
        .map(|(name, category, description)| (*name, category.as_str(), *description))
        .fold((vec![], vec![], vec![]), |mut acc, (a, b, c)| {
            acc.0.push(a);
            acc.1.push(b);
            acc.2.push(c);
            acc
        });
    sqlx::query!(
        "insert into risk_threats (name, category, description)
         select * from unnest($1::text[], $2::text[], $3::text[])
         where not exists (select 1 from risk_threats)
         on conflict do nothing",
        &names as &[&str],
        &categories as &[&str],
        &descriptions as &[&str]
    )
    .execute(&mut *conn)
    .await?;
    let (names, types, descriptions): (Vec<&str>, Vec<&str>, Vec<&str>) = STARTING_MEASURES
        .iter()
        .map(|(name, kind, description)| (*name, kind.as_str(), *description))
        .fold((vec![], vec![], vec![]), |mut acc, (a, b, c)| {
            acc.0.push(a);
            acc.1.push(b);
            acc.2.push(c);
            acc
        });
    sqlx::query!(
        "insert into risk_measures (name, measure_type, status, description)
         select n, t, 'planned', d from unnest($1::text[], $2::text[], $3::text[]) as s(n, t, d)
         where not exists (select 1 from risk_measures)
         on conflict do nothing",
        &names as &[&str],
        &types as &[&str],
        &descriptions as &[&str]
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn threats(db: impl PgExecutor<'_>, include_archived: bool) -> sqlx::Result<Vec<Threat>> {
    sqlx::query_as!(
        Threat,
        r#"select id, name, category, description, archived_at is not null as "archived!", version
           from risk_threats where $1 or archived_at is null
           order by category, lower(name)"#,
        include_archived
    )
    .fetch_all(db)
    .await
}

pub async fn find_threat(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Threat>> {
    sqlx::query_as!(
        Threat,
        r#"select id, name, category, description, archived_at is not null as "archived!", version
           from risk_threats where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn create_threat(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &ThreatFields,
) -> Result<Threat, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into risk_threats (name, category, description) values ($1, $2, $3) returning id",
        fields.name.trim(),
        fields.category,
        fields.description.trim()
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, THREAT_UNIQUE))?;
    let threat = find_threat(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("risk_threat", id, "create").after(&threat),
    )
    .await?;
    Ok(threat)
}

pub async fn update_threat(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &ThreatFields,
    archived: bool,
) -> Result<Versioned<Threat>, WriteError> {
    let before = find_threat(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update risk_threats set name = $3, category = $4, description = $5,
             archived_at = case when $6 then coalesce(archived_at, now()) end, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.category,
        fields.description.trim(),
        archived
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, THREAT_UNIQUE))?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find_threat(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("risk_threat", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}

pub async fn measures(
    db: impl PgExecutor<'_>,
    include_archived: bool,
) -> sqlx::Result<Vec<Measure>> {
    sqlx::query_as!(
        Measure,
        r#"select m.id, m.name, m.measure_type, m.status, m.owner_id, u.display_name as "owner_name?",
                  m.description, m.evidence, m.archived_at is not null as "archived!", m.version
           from risk_measures m left join users u on u.id = m.owner_id
           where $1 or m.archived_at is null
           order by lower(m.name)"#,
        include_archived
    )
    .fetch_all(db)
    .await
}

pub async fn find_measure(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Measure>> {
    sqlx::query_as!(
        Measure,
        r#"select m.id, m.name, m.measure_type, m.status, m.owner_id, u.display_name as "owner_name?",
                  m.description, m.evidence, m.archived_at is not null as "archived!", m.version
           from risk_measures m left join users u on u.id = m.owner_id
           where m.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn create_measure(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &MeasureFields,
) -> Result<Measure, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into risk_measures (name, measure_type, status, owner_id, description, evidence)
         values ($1, $2, $3, $4, $5, $6) returning id",
        fields.name.trim(),
        fields.measure_type,
        fields.status,
        fields.owner_id,
        fields.description.trim(),
        fields.evidence.trim()
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, MEASURE_UNIQUE))?;
    let measure = find_measure(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("risk_measure", id, "create").after(&measure),
    )
    .await?;
    Ok(measure)
}

pub async fn update_measure(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &MeasureFields,
    archived: bool,
) -> Result<Versioned<Measure>, WriteError> {
    let before = find_measure(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update risk_measures set name = $3, measure_type = $4, status = $5, owner_id = $6,
             description = $7, evidence = $8,
             archived_at = case when $9 then coalesce(archived_at, now()) end, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.measure_type,
        fields.status,
        fields.owner_id,
        fields.description.trim(),
        fields.evidence.trim(),
        archived
    )
    .execute(&mut *conn)
    .await
    .map_err(|error| classify(error, MEASURE_UNIQUE))?
    .rows_affected();
    if updated == 0 {
        return Ok(Versioned::Stale(before));
    }
    let after = find_measure(&mut *conn, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("risk_measure", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(Versioned::Saved(after))
}
