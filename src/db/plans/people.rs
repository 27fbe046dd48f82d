//! The directory of people plans name: users and people who are not (a supplier's engineer).

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::Versioned;
use crate::db::audit::{self, Actor, Change};
use crate::db::catalogue::{WriteError, classify};
use crate::db::plans::contact_changes;

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub job_title: String,
    pub user_id: Option<Uuid>,
    pub email: String,
    pub office_phone: String,
    pub mobile_phone: String,
    pub notes: String,
    pub archived: bool,
    pub version: i32,
}

pub struct PersonFields {
    pub name: String,
    pub organisation: String,
    pub job_title: String,
    pub user_id: Option<Uuid>,
    pub email: String,
    pub office_phone: String,
    pub mobile_phone: String,
    pub notes: String,
}

const UNIQUE: &[(&str, &str, &str)] = &[
    (
        "people_name_key",
        "name",
        "Someone in the directory already has this name: add what tells them apart.",
    ),
    (
        "people_user_id_key",
        "user_id",
        "This user account is already linked to someone in the directory.",
    ),
];

pub async fn find(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Person>> {
    sqlx::query_as!(
        Person,
        r#"select id, name, organisation, job_title, user_id, email, office_phone, mobile_phone, notes,
                  archived_at is not null as "archived!", version
           from people where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Everyone in the directory, archived people included (old versions still name them).
pub async fn all(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Person>> {
    sqlx::query_as!(
        Person,
        r#"select id, name, organisation, job_title, user_id, email, office_phone, mobile_phone, notes,
                  archived_at is not null as "archived!", version
           from people order by lower(name)"#
    )
    .fetch_all(db)
    .await
}

/// The directory entry linked to a user account, if any.
pub async fn of_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from people where user_id = $1", user_id)
        .fetch_optional(db)
        .await
}

pub async fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    fields: &PersonFields,
) -> Result<Person, WriteError> {
    let id = sqlx::query_scalar!(
        "insert into people (name, organisation, job_title, user_id, email, office_phone, mobile_phone, notes)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        fields.name.trim(),
        fields.organisation.trim(),
        fields.job_title.trim(),
        fields.user_id,
        fields.email.trim(),
        fields.office_phone.trim(),
        fields.mobile_phone.trim(),
        fields.notes.trim(),
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| classify(error, UNIQUE))?;
    let person = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    audit::record(
        conn,
        actor,
        Change::new("person", id, "create").after(&person),
    )
    .await?;
    Ok(person)
}

pub async fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: &PersonFields,
) -> Result<Versioned<Person>, WriteError> {
    let before = find(conn, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let updated = sqlx::query!(
        "update people set name = $3, organisation = $4, job_title = $5, user_id = $6, email = $7,
             office_phone = $8, mobile_phone = $9, notes = $10, version = version + 1
         where id = $1 and version = $2",
        id,
        expected_version,
        fields.name.trim(),
        fields.organisation.trim(),
        fields.job_title.trim(),
        fields.user_id,
        fields.email.trim(),
        fields.office_phone.trim(),
        fields.mobile_phone.trim(),
        fields.notes.trim(),
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
        Change::new("person", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    // What approved plans print about them changed: say so on each of those plans.
    contact_changes::record(conn, actor, &before, &after).await?;
    Ok(Versioned::Saved(after))
}

/// Active plans whose current or open version names a person, as (id, title).
pub async fn plans_naming(
    db: impl PgExecutor<'_>,
    person: Uuid,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select distinct p.id, p.title from plans p join plan_versions v on v.plan_id = p.id
         where p.status = 'active' and v.status in ('draft', 'in_review', 'approved')
           and strpos(v.content::text, $1) > 0
         order by p.title",
        person.to_string()
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.title)).collect())
}

/// Whether a version a service owner does not control names the person: a draft, in-review or
/// approved version of a plan covering none of the owner's services, or an in-review or approved
/// version of a plan that also covers a service someone else owns (or nobody does).
pub async fn named_beyond_owner(
    db: impl PgExecutor<'_>,
    person: Uuid,
    owner: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (
               select 1 from plan_versions v
               where v.status in ('draft', 'in_review', 'approved')
                 and strpos(v.content::text, $1) > 0
                 and (
                     not exists (select 1 from plan_services ps join services s on s.id = ps.service_id
                                 where ps.plan_id = v.plan_id and s.owner_id = $2)
                     or (v.status in ('in_review', 'approved')
                         and exists (select 1 from plan_services ps join services s on s.id = ps.service_id
                                     where ps.plan_id = v.plan_id and s.owner_id is distinct from $2))
                 )
           ) as "beyond!""#,
        person.to_string(),
        owner
    )
    .fetch_one(db)
    .await
}
