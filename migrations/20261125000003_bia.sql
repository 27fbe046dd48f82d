-- Business impact analysis: exercises (campaigns), one assessment per service in scope, and the
-- approved results each service carries.

create table bia_exercises (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    instructions text not null default '',
    due_date date,
    status text not null default 'planned'
        check (status in ('planned', 'open', 'in_review', 'approved', 'closed')),
    -- The method as it was when the exercise was created, so results stay reproducible.
    method jsonb not null,
    created_by uuid references users (id),
    opened_at timestamptz,
    closed_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create trigger bia_exercises_updated_at before update on bia_exercises for each row execute function set_updated_at();

-- The services chosen for an exercise while it is being planned.
create table bia_exercise_services (
    exercise_id uuid not null references bia_exercises (id) on delete cascade,
    service_id uuid not null references services (id),
    primary key (exercise_id, service_id)
);

create table bia_assessments (
    id uuid primary key default gen_random_uuid(),
    exercise_id uuid not null references bia_exercises (id) on delete cascade,
    service_id uuid not null references services (id),
    assignee_id uuid references users (id),
    status text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'approved')),
    -- The owner's answers as the questionnaire holds them (grid, justifications, data loss, …).
    answers jsonb not null default '{}'::jsonb,
    last_saved_at timestamptz,
    derived_mtpd_minutes integer,
    derived_rto_minutes integer,
    derived_rpo_minutes integer,
    derived_tier_rank integer,
    return_comment text not null default '',
    submitted_at timestamptz,
    reminded_at timestamptz,
    approved_at timestamptz,
    approved_by uuid references users (id),
    approved_mtpd_minutes integer,
    approved_rto_minutes integer,
    approved_rpo_minutes integer,
    approved_tier_rank integer,
    approved_tier_name text,
    override_justification text not null default '',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (exercise_id, service_id)
);
create index bia_assessments_assignee_idx on bia_assessments (assignee_id);
create index bia_assessments_service_idx on bia_assessments (service_id);
create trigger bia_assessments_updated_at before update on bia_assessments for each row execute function set_updated_at();

-- What a service carries from its latest approved assessment.
alter table services
    add column bia_mtpd_minutes integer,
    add column bia_rto_minutes integer,
    add column bia_rpo_minutes integer,
    add column bia_tier_rank integer,
    add column bia_tier_name text,
    add column bia_assessment_id uuid references bia_assessments (id),
    add column bia_approved_at timestamptz;

-- Entries now carry the tier their latest approved BIA gave them (services only).
create or replace view catalogue_entries as
    select id, 'process'::text as kind, name, ''::text as subtype, owner_id, archived_at,
           null::integer as tier_rank, null::text as tier_name
    from business_processes
    union all
    select id, 'service', name, service_type, owner_id, archived_at, bia_tier_rank, bia_tier_name from services
    union all
    select id, 'component', name, class, null::uuid, archived_at, null, null from components
    union all
    select id, 'site', name, kind, null::uuid, archived_at, null, null from sites;

-- The method new exercises copy: one row, created with the shipped defaults on first save.
create table bia_method (
    id integer primary key default 1 check (id = 1),
    definition jsonb not null,
    version integer not null default 1,
    updated_at timestamptz not null default now()
);
