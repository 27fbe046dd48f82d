//! The generated estate's records around the catalogue: suppliers and their contracts, two BIA
//! exercises over every service (last year's closed and approved, this year's open and a quarter
//! answered), approved plans with a test of each, and a long audit history.

use std::collections::BTreeMap;

use sqlx::PgConnection;

use super::EstateSize;
use crate::domain::bia::method::Method;
use crate::domain::plan::content::{PlanContent, PlanKind};

/// Suppliers, their contracts, and one "supplied by" edge per contract from a service.
pub async fn suppliers(conn: &mut PgConnection, size: EstateSize) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into suppliers (id, name, category, email)
         select md5('sup' || k)::uuid, format('Supplier %s', lpad(k::text, 4, '0')),
                (array['strategic', 'tactical', 'operational', 'commodity'])[1 + k % 4],
                format('support@supplier-%s.test', k)
         from generate_series(1, $1) k",
        size.suppliers(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into catalogue_nodes (id, kind)
         select md5('ctr' || k)::uuid, 'contract' from generate_series(1, $1) k",
        size.contracts(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into contracts (id, supplier_id, reference, title, start_date, end_date, auto_renewal,
                                support_hours, response_minutes, guaranteed_recovery_minutes,
                                owner_id, next_review_on)
         select md5('ctr' || k)::uuid, md5('sup' || (1 + k % $2))::uuid,
                format('CTR-%s', lpad(k::text, 5, '0')), format('Support agreement %s', k),
                current_date - 400 + k % 300, current_date - 100 + k % 900, k % 3 = 0,
                (array['24x7', 'business'])[1 + k % 2], 30 + (k % 4) * 60, 240 + (k % 5) * 240,
                md5('user' || (k % $3))::uuid, current_date - 30 + k % 400
         from generate_series(1, $1) k",
        size.contracts(),
        size.suppliers(),
        size.owners(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into dependencies (from_id, to_id, relation, confirmed)
         select md5('svc' || (1 + (k * 5) % $2))::uuid, md5('ctr' || k)::uuid, 'supplied_by', true
         from generate_series(1, $1) k
         on conflict do nothing",
        size.contracts(),
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Last year's exercise, closed with every service approved (so every service has a tier), and
/// this year's, open: a quarter each draft, submitted, returned and approved.
pub async fn bia(conn: &mut PgConnection, size: EstateSize) -> anyhow::Result<()> {
    let method = Method::default_method();
    let tiers: Vec<String> = method.tiers.iter().map(|tier| tier.name.clone()).collect();
    let method = serde_json::to_value(&method)?;
    sqlx::query!(
        "insert into bia_exercises (id, name, instructions, due_date, status, method, created_by,
                                    opened_at, closed_at)
         values (md5('bia-closed')::uuid, 'Annual BIA (last year)', 'Generated.', current_date - 300,
                 'closed', $1, md5('manager')::uuid, now() - interval '400 days', now() - interval '280 days'),
                (md5('bia-open')::uuid, 'Annual BIA (this year)', 'Generated.', current_date + 30,
                 'open', $1, md5('manager')::uuid, now() - interval '20 days', null)",
        method,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into bia_exercise_services (exercise_id, service_id)
         select x.id, md5('svc' || n)::uuid
         from (values (md5('bia-closed')::uuid), (md5('bia-open')::uuid)) x (id),
              generate_series(1, $1) n",
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    // Tier rank r = 1 + n % 4; the RTO fits the default method's tier of that rank.
    sqlx::query!(
        "insert into bia_assessments (exercise_id, service_id, assignee_id, status, last_saved_at,
             derived_mtpd_minutes, derived_rto_minutes, derived_rpo_minutes, derived_tier_rank,
             submitted_at, approved_at, approved_by, approved_mtpd_minutes, approved_rto_minutes,
             approved_rpo_minutes, approved_tier_rank, approved_tier_name)
         select x.id, md5('svc' || n)::uuid, md5('user' || (n % $2))::uuid, x.status, x.at,
                t.mtpd, t.rto, t.rpo, t.rank, x.at,
                case when x.status = 'approved' then x.at end,
                case when x.status = 'approved' then md5('manager')::uuid end,
                case when x.status = 'approved' then t.mtpd end,
                case when x.status = 'approved' then t.rto end,
                case when x.status = 'approved' then t.rpo end,
                case when x.status = 'approved' then t.rank end,
                case when x.status = 'approved' then ($3::text[])[t.rank] end
         from generate_series(1, $1) n
         cross join lateral (values
             (md5('bia-closed')::uuid, 'approved', now() - interval '300 days'),
             (md5('bia-open')::uuid, (array['draft', 'submitted', 'returned', 'approved'])[1 + n % 4],
              now() - interval '5 days')) x (id, status, at)
         cross join lateral (select 1 + n % 4 as rank,
             (array[480, 2880, 20160, 43200])[1 + n % 4] as mtpd,
             (array[240, 1440, 10080, 20160])[1 + n % 4] as rto,
             (array[60, 240, 1440, 1440])[1 + n % 4] as rpo) t",
        size.services,
        size.owners(),
        &tiers,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update bia_assessments set derived_mtpd_minutes = null, derived_rto_minutes = null,
             derived_rpo_minutes = null, derived_tier_rank = null, submitted_at = null
         where exercise_id = md5('bia-open')::uuid and status = 'draft'"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update services s set bia_mtpd_minutes = a.approved_mtpd_minutes,
             bia_rto_minutes = a.approved_rto_minutes, bia_rpo_minutes = a.approved_rpo_minutes,
             bia_tier_rank = a.approved_tier_rank, bia_tier_name = a.approved_tier_name,
             bia_assessment_id = a.id, bia_approved_at = a.approved_at
         from bia_assessments a
         where a.exercise_id = md5('bia-closed')::uuid and a.service_id = s.id"
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Plans with one approved version each, covering three services apiece.
pub async fn plans(conn: &mut PgConnection, size: EstateSize) -> anyhow::Result<()> {
    let contents: BTreeMap<&str, serde_json::Value> = [PlanKind::Itscm, PlanKind::Recovery]
        .into_iter()
        .map(|kind| {
            serde_json::to_value(PlanContent::starting(kind, Vec::new()))
                .map(|content| (kind.as_str(), content))
        })
        .collect::<Result<_, _>>()?;
    let contents = serde_json::to_value(contents)?;
    sqlx::query!(
        "insert into plans (id, kind, title, next_review_on, last_reviewed_on, created_by)
         select md5('plan' || k)::uuid, case when k % 10 = 0 then 'itscm' else 'recovery' end,
                format('Recovery plan %s', lpad(k::text, 4, '0')),
                current_date - 60 + k % 420, current_date - 300 + k % 200, md5('manager')::uuid
         from generate_series(1, $1) k",
        size.plans(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_services (plan_id, service_id)
         select md5('plan' || k)::uuid, md5('svc' || (((k - 1) * 3 + i) % $2 + 1))::uuid
         from generate_series(1, $1) k, generate_series(0, 2) i
         on conflict do nothing",
        size.plans(),
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_versions (plan_id, number, status, content, author_id, contributors,
                                    submitted_at, approved_by, approved_at)
         select p.id, 1, 'approved',
                jsonb_set($1::jsonb -> p.kind, '{services}',
                          (select coalesce(jsonb_agg(ps.service_id), '[]') from plan_services ps
                           where ps.plan_id = p.id)),
                md5('user' || 1)::uuid, array[md5('user' || 1)::uuid],
                now() - interval '200 days', md5('manager')::uuid, now() - interval '190 days'
         from plans p",
        contents,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_events (plan_id, version_number, action, actor_id, actor_label, at)
         select p.id, e.version, e.action, md5('manager')::uuid, 'Morgan Manager', e.at
         from plans p cross join (values
             (null::integer, 'created', now() - interval '210 days'),
             (1, 'submitted', now() - interval '200 days'),
             (1, 'approved', now() - interval '190 days')) e (version, action, at)"
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A history of changes, one every seven minutes back from now, by the owners and the manager.
pub async fn audit_history(conn: &mut PgConnection, size: EstateSize) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (at, actor_id, actor_label, entity, entity_id, action, before, after)
         select now() - k * interval '7 minutes',
                case when k % 5 = 0 then md5('manager')::uuid else md5('user' || (k % $2))::uuid end,
                case when k % 5 = 0 then 'Morgan Manager' else format('Owner %s', lpad((k % $2)::text, 4, '0')) end,
                e.entity, md5(e.prefix || (1 + k % $3))::uuid::text,
                (array['create', 'update', 'update', 'update', 'archive'])[1 + k % 5],
                case when k % 5 = 0 then null else jsonb_build_object('version', k % 7) end,
                jsonb_build_object('version', k % 7 + 1, 'note', format('Generated change %s', k))
         from generate_series(1, $1) k
         cross join lateral (select (array['service', 'component', 'dependency', 'bia_assessment',
                                           'plan', 'contract', 'site', 'supplier'])[1 + k % 8] as entity,
                                    (array['svc', 'cmp', 'dep', 'bia', 'plan', 'ctr', 'site', 'sup'])[1 + k % 8] as prefix) e",
        size.audit_rows(),
        size.owners(),
        size.services,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One test per plan: four in five completed over the past 400 days (walk-throughs and tabletops
/// measure nothing; functional tests and failovers measure each service, some past their RTO),
/// one in five planned within the next three months.
pub async fn tests(conn: &mut PgConnection, size: EstateSize) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into plan_tests (id, title, test_type, status, test_on, scenario, conclusion,
                                 created_by, completed_by, completed_at)
         select md5('test' || k)::uuid, format('Test of recovery plan %s', lpad(k::text, 4, '0')),
                (array['walk_through', 'tabletop', 'functional', 'full_failover'])[1 + k % 4],
                case when k % 5 = 0 then 'planned' else 'completed' end,
                case when k % 5 = 0 then current_date + k % 90 else current_date - k % 400 end,
                'The primary site is lost.',
                case when k % 5 = 0 then '' else 'Held as planned.' end,
                md5('manager')::uuid,
                case when k % 5 = 0 then null else md5('manager')::uuid end,
                case when k % 5 = 0 then null else now() - make_interval(days => k % 400) end
         from generate_series(1, $1) k",
        size.plans(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_plans (test_id, plan_id, version_id)
         select md5('test' || k)::uuid, v.plan_id, v.id
         from generate_series(1, $1) k
         join plan_versions v on v.plan_id = md5('plan' || k)::uuid and v.status = 'approved'",
        size.plans(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_services (test_id, service_id, achieved_minutes, rto_minutes,
                                         rpo_minutes, result, recorded_by, recorded_at)
         select m.test_id, m.service_id, m.achieved, m.rto, m.rpo,
                case when m.achieved is null then null
                     when m.achieved > m.rto then 'not_met' else 'met' end,
                case when m.achieved is null then null else md5('manager')::uuid end,
                case when m.achieved is null then null else m.completed_at end
         from (select tp.test_id, ps.service_id, s.bia_rto_minutes as rto, s.bia_rpo_minutes as rpo,
                      t.completed_at,
                      case when t.status = 'completed' and t.test_type in ('functional', 'full_failover')
                           then coalesce(s.bia_rto_minutes, 480) * (50 + abs(hashtext(s.id::text)) % 80) / 100
                      end as achieved
               from plan_test_plans tp
               join plan_tests t on t.id = tp.test_id
               join plan_services ps on ps.plan_id = tp.plan_id
               join services s on s.id = ps.service_id) m"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_objectives (test_id, position, statement, met)
         select t.id, 1, 'Every service in scope back within its RTO',
                case when t.status = 'completed' then not exists (
                    select 1 from plan_test_services ts where ts.test_id = t.id and ts.result = 'not_met') end
         from plan_tests t"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_test_findings (test_id, service_id, severity, description, automatic, created_by)
         select ts.test_id, ts.service_id, 'high',
                format('%s was recovered in %s minutes against an RTO of %s minutes.',
                       s.name, ts.achieved_minutes, ts.rto_minutes),
                true, md5('manager')::uuid
         from plan_test_services ts join services s on s.id = ts.service_id
         where ts.result = 'not_met'"
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
