//! Changes to the contact details of people that approved and in-review plan versions name: one
//! row per version they concern, written with the directory change, shown in the plan's history
//! and used to mark offline copies taken before them as outdated.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::db::plans::people::Person;
use crate::domain::plan::contacts::{Contact, changed_fields};

#[derive(Debug, Clone)]
pub struct ContactChange {
    pub version_number: i32,
    /// "approved" or "in_review" at the time of the change.
    pub version_status: String,
    pub person_name: String,
    pub fields: String,
    pub actor_label: String,
    pub at: OffsetDateTime,
}

fn contact(person: &Person) -> Contact<'_> {
    Contact {
        name: &person.name,
        job_title: &person.job_title,
        organisation: &person.organisation,
        email: &person.email,
        office_phone: &person.office_phone,
        mobile_phone: &person.mobile_phone,
    }
}

/// Records, on every approved or in-review version that names the person, that what it prints
/// about them changed (nothing when only unprinted fields changed). Audited as one row.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Person,
    after: &Person,
) -> sqlx::Result<()> {
    let fields = changed_fields(&contact(before), &contact(after));
    if fields.is_empty() {
        return Ok(());
    }
    let fields = fields.join(", ");
    let plans = sqlx::query_scalar!(
        "insert into plan_contact_changes
             (plan_id, version_number, version_status, person_id, person_name, fields, actor_id,
              actor_label)
         select v.plan_id, v.number, v.status, $1, $2, $3, $4, $5 from plan_versions v
         where v.status in ('approved', 'in_review') and strpos(v.content::text, $6) > 0
         returning plan_id",
        before.id,
        before.name,
        fields,
        actor.user_id,
        actor.label,
        before.id.to_string(),
    )
    .fetch_all(&mut *conn)
    .await?;
    if plans.is_empty() {
        return Ok(());
    }
    audit::record(
        conn,
        actor,
        Change::new("person", before.id, "contacts_changed_in_plans")
            .after(&serde_json::json!({ "plans": plans, "fields": fields })),
    )
    .await
}

/// A plan's contact changes, newest first.
pub async fn of_plan(db: impl PgExecutor<'_>, plan_id: Uuid) -> sqlx::Result<Vec<ContactChange>> {
    sqlx::query_as!(
        ContactChange,
        "select version_number, version_status, person_name, fields, actor_label, at from plan_contact_changes
         where plan_id = $1 order by at desc, id desc",
        plan_id
    )
    .fetch_all(db)
    .await
}
