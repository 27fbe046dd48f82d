//! The generated estate's people and catalogue: accounts, sites, processes, services, components
//! and the dependency graph between them (acyclic: edges only point to lower layers or to a
//! service with a smaller number).

use sqlx::PgConnection;

use super::{AUDITOR_EMAIL, EstateSize, MANAGER_EMAIL, OWNER_EMAIL};

/// A manager, an auditor, and the service owners (the first is `owner@estate.test`).
pub async fn users(
    conn: &mut PgConnection,
    size: EstateSize,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into users (id, email, display_name, role, password_hash)
         values (md5('manager')::uuid, $1, 'Morgan Manager', 'continuity_manager', $3),
                (md5('auditor')::uuid, $2, 'Ada Auditor', 'auditor', $3)",
        MANAGER_EMAIL,
        AUDITOR_EMAIL,
        password_hash,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into users (id, email, display_name, role, password_hash)
         select md5('user' || k)::uuid,
                case when k = 0 then $2 else format('owner-%s@estate.test', lpad(k::text, 4, '0')) end,
                case when k = 0 then 'Olivia Owner' else format('Owner %s', lpad(k::text, 4, '0')) end,
                'service_owner', $3
         from generate_series(0, $1 - 1) k",
        size.owners(),
        OWNER_EMAIL,
        password_hash,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Graph nodes of one kind, numbered 1..=count, with ids `md5(prefix || n)`.
async fn nodes(conn: &mut PgConnection, kind: &str, prefix: &str, count: i32) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into catalogue_nodes (id, kind)
         select md5($2 || n)::uuid, $1 from generate_series(1, $3) n",
        kind,
        prefix,
        count,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Org units, sites, processes, services and components.
pub async fn estate(conn: &mut PgConnection, size: EstateSize) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into org_units (id, name)
         select md5('ou' || k)::uuid, format('Division %s', k) from generate_series(1, 10) k"
    )
    .execute(&mut *conn)
    .await?;
    nodes(conn, "site", "site", size.sites()).await?;
    sqlx::query!(
        "insert into sites (id, name, kind, location, external_id)
         select md5('site' || k)::uuid, format('Site %s', lpad(k::text, 2, '0')),
                (array['data_centre', 'office', 'alternate_site', 'cloud_region'])[1 + k % 4],
                format('City %s', k), format('GEN-SITE-%s', k)
         from generate_series(1, $1) k",
        size.sites(),
    )
    .execute(&mut *conn)
    .await?;
    nodes(conn, "process", "proc", size.processes()).await?;
    sqlx::query!(
        "insert into business_processes (id, name, description, owner_id, org_unit_id)
         select md5('proc' || k)::uuid, format('Process %s', lpad(k::text, 4, '0')),
                'A generated business process.', md5('user' || (k % $2))::uuid,
                md5('ou' || (1 + k % 10))::uuid
         from generate_series(1, $1) k",
        size.processes(),
        size.owners(),
    )
    .execute(&mut *conn)
    .await?;
    nodes(conn, "service", "svc", size.services).await?;
    sqlx::query!(
        "insert into services (id, name, description, owner_id, service_type, lifecycle, external_id)
         select md5('svc' || n)::uuid, format('Service %s', lpad(n::text, 5, '0')),
                format('Generated service number %s.', n), md5('user' || (n % $2))::uuid,
                case when n % 3 = 0 then 'business' else 'technical' end,
                case when n % 50 = 0 then 'retiring' when n % 97 = 0 then 'planned' else 'live' end,
                format('GEN-SVC-%s', n)
         from generate_series(1, $1) n",
        size.services,
        size.owners(),
    )
    .execute(&mut *conn)
    .await?;
    nodes(conn, "component", "cmp", size.components()).await?;
    // Component c belongs to service (c - 1) / 3 + 1: an application, its database, its server.
    sqlx::query!(
        "insert into components (id, name, class, environment, site_id, external_id)
         select md5('cmp' || c)::uuid,
                format('%s %s', (array['app', 'db', 'srv'])[1 + (c - 1) % 3], lpad(((c - 1) / 3 + 1)::text, 5, '0')),
                (array['application', 'database', 'server'])[1 + (c - 1) % 3],
                case when c % 10 = 0 then 'disaster_recovery' else 'production' end,
                md5('site' || (1 + c % $2))::uuid, format('GEN-CMP-%s', c)
         from generate_series(1, $1) c",
        size.components(),
        size.sites(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// About 6.7 edges per service: processes use services, services run on their three
/// components and use a lower-numbered service, applications use their database, servers are
/// hosted at a site and some databases store data at another (contracts add their own).
pub async fn dependencies(conn: &mut PgConnection, size: EstateSize) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into dependencies (from_id, to_id, relation, redundancy, confirmed)
         select md5('proc' || p)::uuid, md5('svc' || (((p - 1) * 4 + i) % $2 + 1))::uuid, 'uses', 'none', true
         from generate_series(1, $1) p, generate_series(0, 3) i
         on conflict do nothing",
        size.processes(),
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into dependencies (from_id, to_id, relation, redundancy, confirmed)
         select md5('svc' || n)::uuid, md5('cmp' || ((n - 1) * 3 + i))::uuid, 'runs_on',
                case when n % 4 = 0 then 'active_passive' else 'none' end, true
         from generate_series(1, $1) n, generate_series(1, 3) i
         union all
         select md5('svc' || n)::uuid, md5('svc' || (n / 2))::uuid, 'uses', 'none', true
         from generate_series(2, $1) n",
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into dependencies (from_id, to_id, relation, confirmed)
         select md5('cmp' || ((n - 1) * 3 + 1))::uuid, md5('cmp' || ((n - 1) * 3 + 2))::uuid, 'uses', true
         from generate_series(1, $1) n
         union all
         select md5('cmp' || ((n - 1) * 3 + 3))::uuid, md5('site' || (1 + n % $2))::uuid, 'hosted_at', true
         from generate_series(1, $1) n
         union all
         select md5('cmp' || ((n - 1) * 3 + 2))::uuid, md5('site' || (1 + (n + 7) % $2))::uuid, 'stores_data_in', true
         from generate_series(1, $1) n where n % 10 < 3",
        size.services,
        size.sites(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
