//! The role pages are served as. It owns nothing, so it cannot alter a table, disable the audit
//! log's triggers or set `session_replication_role`, and it holds no UPDATE, DELETE or TRUNCATE
//! on `audit_log`: a flaw in the application cannot erase its own trail. The owner (DATABASE_URL)
//! creates it and grants it its rights at every start, so tables added by later migrations are
//! granted too (and by default privileges when the owner creates them).

use anyhow::{Context, bail};
use sqlx::{Connection, Executor, PgConnection};

use super::setup::{already_exists, quote_identifier};

/// Serialises the grants of instances starting together on one database (concurrent GRANTs on
/// one object can fail with "tuple concurrently updated").
const GRANT_LOCK: i64 = 0x636f_6e74_0010;

/// Creates the serving role when missing (roles are cluster-wide: another instance, or another
/// database's instance, may create it at the same moment), checks that it owns nothing, and
/// grants it what pages need in this database.
pub async fn ensure(
    owner: &mut PgConnection,
    role: &str,
    password: Option<&str>,
) -> anyhow::Result<()> {
    let name = quote_identifier(role);
    let create = format!(
        "create role {name} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls"
    );
    match sqlx::query(&create).execute(&mut *owner).await {
        Ok(_) => tracing::info!(role, "created the serving database role"),
        Err(error) if already_exists(&error) => {}
        Err(error) => {
            return Err(error).with_context(|| {
                format!("cannot create the serving role {role} (APP_DATABASE_ROLE): create it by hand, or let DATABASE_URL's user create roles")
            });
        }
    }
    refuse_a_powerful_role(owner, role).await?;
    let mut tx = owner.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", GRANT_LOCK)
        .execute(&mut *tx)
        .await?;
    if let Some(password) = password {
        if password.contains('\0') {
            bail!("APP_DATABASE_PASSWORD cannot contain a NUL character");
        }
        let statement = format!("alter role {name} password {}", quote_literal(password));
        (&mut *tx)
            .execute(statement.as_str())
            .await
            .context("cannot set the serving role's password")?;
    }
    let database = sqlx::query_scalar!(r#"select current_database() as "name!""#)
        .fetch_one(&mut *tx)
        .await?;
    let statements = grants(&name, &quote_identifier(&database));
    (&mut *tx)
        .execute(statements.as_str())
        .await
        .with_context(|| format!("cannot grant the serving role {role} its rights"))?;
    tx.commit().await?;
    Ok(())
}

/// The grants, all idempotent: reading and writing every table but the migrations' bookkeeping,
/// only reading and appending the audit log, using the sequences; the same for tables the owner
/// creates later. Nobody but the owner creates objects in the schema.
fn grants(role: &str, database: &str) -> String {
    format!(
        "grant connect on database {database} to {role};
         revoke create on schema public from public;
         grant usage on schema public to {role};
         grant select, insert, update, delete on all tables in schema public to {role};
         revoke all on table _sqlx_migrations from {role};
         revoke update, delete, truncate, references, trigger on table audit_log from {role};
         grant usage, select on all sequences in schema public to {role};
         alter default privileges in schema public
             grant select, insert, update, delete on tables to {role};
         alter default privileges in schema public grant usage, select on sequences to {role};"
    )
}

/// Refuses to serve as a role that could undo the audit log's protection: a superuser, one that
/// bypasses row security, the database's owner or a member of it, or one that owns a table, a
/// schema or a function here.
async fn refuse_a_powerful_role(owner: &mut PgConnection, role: &str) -> anyhow::Result<()> {
    let row = sqlx::query!(
        r#"select r.rolsuper as "superuser!", r.rolbypassrls as "bypasses_rls!",
                  pg_has_role(r.oid, d.datdba, 'MEMBER') as "owner_member!",
                  exists(select 1 from pg_class c where c.relowner = r.oid)
                  or exists(select 1 from pg_namespace n where n.nspowner = r.oid)
                  or exists(select 1 from pg_proc p where p.proowner = r.oid) as "owns_objects!"
           from pg_roles r, pg_database d
           where r.rolname = $1 and d.datname = current_database()"#,
        role
    )
    .fetch_one(&mut *owner)
    .await
    .with_context(|| format!("the serving role {role} was not found"))?;
    if row.superuser || row.bypasses_rls || row.owner_member || row.owns_objects {
        bail!(
            "APP_DATABASE_ROLE {role} must own nothing: it is a superuser, bypasses row security, \
             is or belongs to the database's owner, or owns tables, schemas or functions. Choose another role name."
        );
    }
    Ok(())
}

/// A string as an SQL literal (for `alter role … password`, which takes no parameters). The
/// `E''` form reads the same whatever `standard_conforming_strings` says.
fn quote_literal(value: &str) -> String {
    format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use super::quote_literal;

    #[test]
    fn a_password_with_quotes_and_backslashes_stays_one_literal() {
        assert_eq!(quote_literal(r"it's a \ test"), r"E'it\'s a \\ test'");
    }
}
