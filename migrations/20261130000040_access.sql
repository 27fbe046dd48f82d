-- Rights that follow from data must follow from data a continuity manager vouched for.

-- A dependency edge is "confirmed" when a continuity manager (or an import a manager ran) made,
-- edited or confirmed it. Owners' own edges start unconfirmed; an owner sees a supplier contract
-- only through confirmed edges, so linking their service to a component cannot open a contract.
-- Existing edges count as confirmed unless the audit log shows a service owner last wrote them.
alter table dependencies add column confirmed boolean not null default true;
update dependencies d set confirmed = false
where (
    select u.role from audit_log a join users u on u.id = a.actor_id
    where a.entity = 'dependency' and a.entity_id = d.id::text and a.action in ('create', 'update')
    order by a.at desc, a.id desc
    limit 1
) = 'service_owner';
alter table dependencies alter column confirmed set default false;

-- A change to the contact details of someone a plan in force (or in review) names, shown in that
-- plan's history; offline copies taken before it are outdated.
create table plan_contact_changes (
    id bigint generated always as identity primary key,
    plan_id uuid not null references plans (id) on delete cascade,
    version_number integer not null,
    -- 'approved' or 'in_review' when the change was made.
    version_status text not null,
    person_id uuid not null references people (id),
    person_name text not null,
    fields text not null,
    actor_id uuid references users (id) on delete set null,
    actor_label text not null,
    at timestamptz not null default now()
);
create index plan_contact_changes_plan_idx on plan_contact_changes (plan_id, at);
