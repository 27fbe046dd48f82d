//! Recovery strategies, one per service, and the reusable templates they may start from. Every
//! write is audited in the caller's transaction; a stale edit comes back as
//! [`Versioned::Stale`] with what is stored now.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::Versioned;
use super::audit::{self, Actor, Change, Entry};
use super::catalogue::WriteError;

/// What a strategy (or a template) sets.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StrategyFields {
    pub recovery_option: String,
    pub alternate_site_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
    pub estimated_recovery_minutes: Option<i32>,
    pub achievable_rpo_minutes: Option<i32>,
    pub capacity_percent: Option<i32>,
    pub usable_for_minutes: Option<i32>,
    pub yearly_cost: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Strategy {
    pub service_id: Uuid,
    pub template_id: Option<Uuid>,
    pub template_name: Option<String>,
    #[serde(flatten)]
    pub fields: StrategyFields,
    pub alternate_site_name: Option<String>,
    pub contract_reference: Option<String>,
    pub status: String,
    pub notes: String,
    pub version: i32,
    #[serde(skip)]
    pub updated_at: OffsetDateTime,
}

/// What the strategy form sets beyond the shared fields.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StrategyWrite {
    pub service_id: Uuid,
    pub template_id: Option<Uuid>,
    #[serde(flatten)]
    pub fields: StrategyFields,
    pub status: String,
    pub notes: String,
}

pub async fn find(db: impl PgExecutor<'_>, service: Uuid) -> sqlx::Result<Option<Strategy>> {
    let row = sqlx::query!(
        r#"select r.service_id, r.template_id, t.name as "template_name?", r.recovery_option,
                  r.alternate_site_id, s.name as "alternate_site_name?", r.contract_id,
                  c.reference as "contract_reference?", r.estimated_recovery_minutes,
                  r.achievable_rpo_minutes, r.capacity_percent, r.usable_for_minutes,
                  r.yearly_cost, r.status, r.notes, r.version, r.updated_at
           from recovery_strategies r
           left join recovery_strategy_templates t on t.id = r.template_id
           left join sites s on s.id = r.alternate_site_id
           left join contracts c on c.id = r.contract_id
           where r.service_id = $1"#,
        service
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| Strategy {
        service_id: row.service_id,
        template_id: row.template_id,
        template_name: row.template_name,
        fields: StrategyFields {
            recovery_option: row.recovery_option,
            alternate_site_id: row.alternate_site_id,
            contract_id: row.contract_id,
            estimated_recovery_minutes: row.estimated_recovery_minutes,
            achievable_rpo_minutes: row.achievable_rpo_minutes,
            capacity_percent: row.capacity_percent,
            usable_for_minutes: row.usable_for_minutes,
            yearly_cost: row.yearly_cost,
        },
        alternate_site_name: row.alternate_site_name,
        contract_reference: row.contract_reference,
        status: row.status,
        notes: row.notes,
        version: row.version,
        updated_at: row.updated_at,
    }))
}

/// Records a service's first strategy.
pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    write: &StrategyWrite,
) -> Result<Strategy, WriteError> {
    let fields = &write.fields;
    let inserted = sqlx::query!(
        "insert into recovery_strategies (service_id, template_id, recovery_option, alternate_site_id,
             contract_id, estimated_recovery_minutes, achievable_rpo_minutes, capacity_percent,
             usable_for_minutes, yearly_cost, status, notes, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (service_id) do nothing",
        write.service_id,
        write.template_id,
        fields.recovery_option,
        fields.alternate_site_id,
        fields.contract_id,
        fields.estimated_recovery_minutes,
        fields.achievable_rpo_minutes,
        fields.capacity_percent,
        fields.usable_for_minutes,
        fields.yearly_cost,
        write.status,
        write.notes,
        actor.user_id,
    )
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(WriteError::Duplicate {
            field: "recovery_option",
            message:
                "Someone recorded a strategy for this service meanwhile: open it again to edit it."
                    .into(),
        });
    }
    audit::record(
        conn,
        actor,
        Change::new("recovery_strategy", write.service_id, "create").after(write),
    )
    .await?;
    let stored = find(&mut *conn, write.service_id).await?;
    Ok(stored.expect("the strategy was just written"))
}

/// Saves an edit unless someone saved since `version` was read.
pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    existing: &Strategy,
    version: i32,
    write: &StrategyWrite,
) -> Result<Versioned<Strategy>, WriteError> {
    let fields = &write.fields;
    let updated = sqlx::query!(
        "update recovery_strategies set template_id = $3, recovery_option = $4, alternate_site_id = $5,
             contract_id = $6, estimated_recovery_minutes = $7, achievable_rpo_minutes = $8,
             capacity_percent = $9, usable_for_minutes = $10, yearly_cost = $11, status = $12,
             notes = $13, updated_by = $14, version = version + 1
         where service_id = $1 and version = $2",
        existing.service_id,
        version,
        write.template_id,
        fields.recovery_option,
        fields.alternate_site_id,
        fields.contract_id,
        fields.estimated_recovery_minutes,
        fields.achievable_rpo_minutes,
        fields.capacity_percent,
        fields.usable_for_minutes,
        fields.yearly_cost,
        write.status,
        write.notes,
        actor.user_id,
    )
    .execute(&mut *conn)
    .await?;
    let stored = find(&mut *conn, existing.service_id)
        .await?
        .expect("a strategy is never deleted");
    if updated.rows_affected() == 0 {
        return Ok(Versioned::Stale(stored));
    }
    audit::record(
        conn,
        actor,
        Change::new("recovery_strategy", existing.service_id, "update")
            .before(existing)
            .after(write),
    )
    .await?;
    Ok(Versioned::Saved(stored))
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(flatten)]
    pub fields: StrategyFields,
    pub alternate_site_name: Option<String>,
    pub contract_reference: Option<String>,
    /// Services whose strategy started from it.
    pub used_by: i64,
    pub archived: bool,
    pub version: i32,
}

/// Every template, active ones first then by name: a practice keeps a handful.
pub async fn templates(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Template>> {
    let rows = sqlx::query!(
        r#"select t.id, t.name, t.description, t.recovery_option, t.alternate_site_id,
                  s.name as "alternate_site_name?", t.contract_id, c.reference as "contract_reference?",
                  t.estimated_recovery_minutes, t.achievable_rpo_minutes, t.capacity_percent,
                  t.usable_for_minutes, t.yearly_cost, t.archived_at is not null as "archived!",
                  t.version,
                  (select count(*) from recovery_strategies r where r.template_id = t.id) as "used_by!"
           from recovery_strategy_templates t
           left join sites s on s.id = t.alternate_site_id
           left join contracts c on c.id = t.contract_id
           order by t.archived_at is not null, lower(t.name)
           limit 500"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Template {
            id: row.id,
            name: row.name,
            description: row.description,
            fields: StrategyFields {
                recovery_option: row.recovery_option,
                alternate_site_id: row.alternate_site_id,
                contract_id: row.contract_id,
                estimated_recovery_minutes: row.estimated_recovery_minutes,
                achievable_rpo_minutes: row.achievable_rpo_minutes,
                capacity_percent: row.capacity_percent,
                usable_for_minutes: row.usable_for_minutes,
                yearly_cost: row.yearly_cost,
            },
            alternate_site_name: row.alternate_site_name,
            contract_reference: row.contract_reference,
            used_by: row.used_by,
            archived: row.archived,
            version: row.version,
        })
        .collect())
}

pub async fn template(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Template>> {
    Ok(templates(db)
        .await?
        .into_iter()
        .find(|template| template.id == id))
}

/// What the template form sets.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TemplateWrite {
    pub name: String,
    pub description: String,
    #[serde(flatten)]
    pub fields: StrategyFields,
}

fn duplicate_name(error: sqlx::Error) -> WriteError {
    super::catalogue::classify(
        error,
        &[(
            "recovery_strategy_templates_name_key",
            "name",
            "Another template has this name: choose another.",
        )],
    )
}

pub async fn create_template(
    conn: &mut PgConnection,
    actor: &Actor,
    write: &TemplateWrite,
) -> Result<Template, WriteError> {
    let fields = &write.fields;
    let id = sqlx::query_scalar!(
        "insert into recovery_strategy_templates (name, description, recovery_option, alternate_site_id,
             contract_id, estimated_recovery_minutes, achievable_rpo_minutes, capacity_percent,
             usable_for_minutes, yearly_cost)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
        write.name,
        write.description,
        fields.recovery_option,
        fields.alternate_site_id,
        fields.contract_id,
        fields.estimated_recovery_minutes,
        fields.achievable_rpo_minutes,
        fields.capacity_percent,
        fields.usable_for_minutes,
        fields.yearly_cost,
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(duplicate_name)?;
    audit::record(
        conn,
        actor,
        Change::new("recovery_strategy_template", id, "create").after(write),
    )
    .await?;
    Ok(template(&mut *conn, id).await?.expect("just written"))
}

pub async fn update_template(
    conn: &mut PgConnection,
    actor: &Actor,
    existing: &Template,
    version: i32,
    write: &TemplateWrite,
) -> Result<Versioned<Template>, WriteError> {
    let fields = &write.fields;
    let updated = sqlx::query!(
        "update recovery_strategy_templates set name = $3, description = $4, recovery_option = $5,
             alternate_site_id = $6, contract_id = $7, estimated_recovery_minutes = $8,
             achievable_rpo_minutes = $9, capacity_percent = $10, usable_for_minutes = $11,
             yearly_cost = $12, version = version + 1
         where id = $1 and version = $2",
        existing.id,
        version,
        write.name,
        write.description,
        fields.recovery_option,
        fields.alternate_site_id,
        fields.contract_id,
        fields.estimated_recovery_minutes,
        fields.achievable_rpo_minutes,
        fields.capacity_percent,
        fields.usable_for_minutes,
        fields.yearly_cost,
    )
    .execute(&mut *conn)
    .await
    .map_err(duplicate_name)?;
    let stored = template(&mut *conn, existing.id)
        .await?
        .expect("a template is never deleted");
    if updated.rows_affected() == 0 {
        return Ok(Versioned::Stale(stored));
    }
    audit::record(
        conn,
        actor,
        Change::new("recovery_strategy_template", existing.id, "update")
            .before(existing)
            .after(write),
    )
    .await?;
    Ok(Versioned::Saved(stored))
}

/// Gives `services` the template's strategy in one statement (a service that has a strategy
/// takes the template's figures and keeps its status and notes), audited in one more. Returns
/// how many services it set.
pub async fn apply_template(
    conn: &mut PgConnection,
    actor: &Actor,
    template: &Template,
    services: &[Uuid],
) -> sqlx::Result<u64> {
    let fields = &template.fields;
    let applied: Vec<Uuid> = sqlx::query_scalar!(
        "insert into recovery_strategies (service_id, template_id, recovery_option, alternate_site_id,
             contract_id, estimated_recovery_minutes, achievable_rpo_minutes, capacity_percent,
             usable_for_minutes, yearly_cost, updated_by)
         select s.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
         from services s where s.id = any($1) and s.archived_at is null
         on conflict (service_id) do update set template_id = excluded.template_id,
             recovery_option = excluded.recovery_option, alternate_site_id = excluded.alternate_site_id,
             contract_id = excluded.contract_id,
             estimated_recovery_minutes = excluded.estimated_recovery_minutes,
             achievable_rpo_minutes = excluded.achievable_rpo_minutes,
             capacity_percent = excluded.capacity_percent,
             usable_for_minutes = excluded.usable_for_minutes, yearly_cost = excluded.yearly_cost,
             updated_by = excluded.updated_by, version = recovery_strategies.version + 1
         returning service_id",
        services,
        template.id,
        fields.recovery_option,
        fields.alternate_site_id,
        fields.contract_id,
        fields.estimated_recovery_minutes,
        fields.achievable_rpo_minutes,
        fields.capacity_percent,
        fields.usable_for_minutes,
        fields.yearly_cost,
        actor.user_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let entries = applied
        .iter()
        .map(|service| {
            Entry::new(
                service,
                "apply_template",
                None::<&()>,
                Some(&serde_json::json!({ "template_id": template.id, "template": template.name, "fields": fields })),
            )
        })
        .collect();
    audit::record_many(conn, actor, "recovery_strategy", entries).await?;
    Ok(applied.len() as u64)
}

/// Per tier rank (`None`: not assessed) and option (`None`: no strategy): how many active
/// services and their yearly cost — the strategy summary, in one grouped query.
pub struct TierOption {
    pub tier_rank: Option<i32>,
    pub tier_name: Option<String>,
    pub recovery_option: Option<String>,
    pub services: i64,
    pub yearly_cost: i64,
    pub implemented: i64,
}

pub async fn summary(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<TierOption>> {
    sqlx::query_as!(
        TierOption,
        r#"select s.bia_tier_rank as tier_rank, max(s.bia_tier_name) as tier_name,
                  r.recovery_option as "recovery_option?", count(*) as "services!",
                  coalesce(sum(r.yearly_cost), 0)::bigint as "yearly_cost!",
                  count(*) filter (where r.status = 'implemented') as "implemented!"
           from services s left join recovery_strategies r on r.service_id = s.id
           where s.archived_at is null
           group by s.bia_tier_rank, r.recovery_option
           order by s.bia_tier_rank nulls last, r.recovery_option nulls first"#
    )
    .fetch_all(db)
    .await
}

/// The active contract with this reference (references are unique among active contracts).
pub async fn contract_by_reference(
    db: impl PgExecutor<'_>,
    reference: &str,
) -> sqlx::Result<Option<(Uuid, String)>> {
    let row = sqlx::query!(
        "select id, reference from contracts where lower(reference) = lower($1) and archived_at is null",
        reference.trim()
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| (row.id, row.reference)))
}
