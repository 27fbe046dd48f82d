//! Any catalogue node by id — name, kind, owner — for pages that list mixed nodes (dependencies,
//! the map, references that block a deletion).

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::graph::NodeKind;

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: Uuid,
    pub kind: NodeKind,
    pub name: String,
    /// Service type, component class or site kind (stored value).
    pub subtype: String,
    pub owner_id: Option<Uuid>,
    pub archived: bool,
    /// From the latest approved BIA (services only): rank 1 is the most critical.
    pub tier: Option<(u8, String)>,
    /// A contract its reader may not open: shown by kind only, without name or link
    /// (see `auth::contracts::ContractAccess::conceal`).
    pub concealed: bool,
}

impl Entry {
    pub fn href(&self) -> String {
        href(self.kind, self.id)
    }

    /// Where a page links this entry to; empty when it is concealed from the reader.
    pub fn link(&self) -> String {
        if self.concealed {
            String::new()
        } else {
            self.href()
        }
    }
}

/// The page of a node.
pub fn href(kind: NodeKind, id: Uuid) -> String {
    let area = match kind {
        NodeKind::Process => "processes",
        NodeKind::Service => "services",
        NodeKind::Component => "components",
        NodeKind::Site => "sites",
        NodeKind::Contract => "contracts",
    };
    format!("/{area}/{id}")
}

struct Row {
    id: Option<Uuid>,
    kind: Option<String>,
    name: Option<String>,
    subtype: Option<String>,
    owner_id: Option<Uuid>,
    archived_at: Option<OffsetDateTime>,
    tier_rank: Option<i32>,
    tier_name: Option<String>,
}

fn entry(row: Row) -> Option<Entry> {
    Some(Entry {
        id: row.id?,
        kind: NodeKind::parse(row.kind.as_deref()?)?,
        name: row.name.unwrap_or_default(),
        subtype: row.subtype.unwrap_or_default(),
        owner_id: row.owner_id,
        archived: row.archived_at.is_some(),
        tier: row
            .tier_rank
            .and_then(|rank| u8::try_from(rank).ok())
            .zip(row.tier_name),
        concealed: false,
    })
}

/// The entries for these ids (one query, whatever the count), in no particular order.
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Entry>> {
    let rows = sqlx::query_as!(
        Row,
        "select id, kind, name, subtype, owner_id, archived_at, tier_rank, tier_name from catalogue_entries where id = any($1)",
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(entry).collect())
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Entry>> {
    Ok(by_ids(conn, &[id]).await?.into_iter().next())
}

/// At most `limit` entries of these kinds (stored names: `service`, `component` …) whose name
/// contains `text`, case-insensitively, archived ones and `except` left out, and only those
/// `owner` owns when one is given: what a picker offers, never the whole estate.
pub async fn search(
    db: impl PgExecutor<'_>,
    kinds: &[&str],
    text: &str,
    except: &[Uuid],
    owner: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Entry>> {
    let kinds: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
    let rows = sqlx::query_as!(
        Row,
        "select id, kind, name, subtype, owner_id, archived_at, tier_rank, tier_name
         from catalogue_entries
         where archived_at is null and kind = any($1) and strpos(lower(name), lower($2)) > 0
           and id <> all($3) and ($4::uuid is null or owner_id = $4)
         order by strpos(lower(name), lower($2)), lower(name)
         limit $5",
        &kinds,
        text,
        except,
        owner,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(entry).collect())
}

/// Every entry that is not archived, for the map and for choosing a dependency target.
pub async fn all_active(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Entry>> {
    let rows = sqlx::query_as!(
        Row,
        "select id, kind, name, subtype, owner_id, archived_at, tier_rank, tier_name from catalogue_entries
         where archived_at is null order by kind, lower(name)"
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(entry).collect())
}

/// What points at a node: entries that depend on it, and components hosted at it (sites).
pub async fn referencing(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Entry>> {
    let rows = sqlx::query_as!(
        Row,
        "select e.id, e.kind, e.name, e.subtype, e.owner_id, e.archived_at, e.tier_rank, e.tier_name
         from catalogue_entries e
         where e.id in (select from_id from dependencies where to_id = $1)
            or e.id in (select c.id from components c where c.site_id = $1)
         order by e.kind, lower(e.name)",
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(entry).collect())
}

/// The BIA exercises whose scope includes a service (a service with a BIA history is kept).
pub async fn bia_exercises_of(db: impl PgExecutor<'_>, service: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select x.name from bia_exercises x
         where x.id in (select exercise_id from bia_exercise_services where service_id = $1)
            or x.id in (select exercise_id from bia_assessments where service_id = $1)
         order by x.created_at",
        service
    )
    .fetch_all(db)
    .await
}

/// The plans covering a service (a service a plan names is kept), as titles.
pub async fn plans_of(db: impl PgExecutor<'_>, service: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select p.title from plans p join plan_services ps on ps.plan_id = p.id
         where ps.service_id = $1 order by lower(p.title)",
        service
    )
    .fetch_all(db)
    .await
}
