-- Continuity and recovery plans: a directory of the people plans name, plans whose versions are
-- frozen once submitted, the review history, who holds which offline copy, and who has read what.

-- Everyone a plan may name: users of the application and people who are not (a supplier's
-- engineer, a facilities manager). Contact details are what the call tree prints.
create table people (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    organisation text not null default '',
    job_title text not null default '',
    user_id uuid unique references users (id),
    email text not null default '',
    office_phone text not null default '',
    -- Where to reach them outside office hours.
    mobile_phone text not null default '',
    notes text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index people_name_key on people (lower(name)) where archived_at is null;
create trigger people_updated_at before update on people for each row execute function set_updated_at();

create table plans (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('itscm', 'recovery', 'policy')),
    title text not null check (length(title) between 1 and 200),
    status text not null default 'active' check (status in ('active', 'retired')),
    -- Null: the interval follows the tiers of the services the plan covers.
    review_interval_months integer check (review_interval_months between 1 and 60),
    next_review_on date,
    last_reviewed_on date,
    review_required boolean not null default false,
    review_required_reason text not null default '',
    created_by uuid references users (id),
    retired_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index plans_title_key on plans (lower(title)) where status = 'active';
create trigger plans_updated_at before update on plans for each row execute function set_updated_at();

create table plan_versions (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references plans (id) on delete cascade,
    number integer not null check (number >= 1),
    status text not null default 'draft' check (status in ('draft', 'in_review', 'approved', 'superseded')),
    -- Sections, invocation, roles, call tree and steps (see `domain::plan::content`).
    content jsonb not null,
    author_id uuid references users (id),
    -- Everyone who saved this version: none of them may approve it.
    contributors uuid[] not null default '{}',
    submitted_at timestamptz,
    approved_by uuid references users (id),
    approved_at timestamptz,
    -- The critical path's length when the version was last saved.
    estimated_recovery_minutes integer,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (plan_id, number)
);
-- At most one current version, and at most one version being worked on, per plan.
create unique index plan_versions_one_current on plan_versions (plan_id) where status = 'approved';
create unique index plan_versions_one_open on plan_versions (plan_id) where status in ('draft', 'in_review');
create trigger plan_versions_updated_at before update on plan_versions for each row execute function set_updated_at();

-- Submitting freezes a version: the database refuses any later change to its content.
create function plan_versions_frozen() returns trigger language plpgsql as $$
begin
    if old.status <> 'draft' and new.content is distinct from old.content then
        raise exception 'plan version % is % and its content cannot change', old.id, old.status
            using errcode = 'check_violation';
    end if;
    return new;
end
$$;
create trigger plan_versions_frozen before update on plan_versions for each row execute function plan_versions_frozen();

-- The services a plan covers: those of its newest version, kept in step when a draft is saved.
create table plan_services (
    plan_id uuid not null references plans (id) on delete cascade,
    service_id uuid not null references services (id),
    primary key (plan_id, service_id)
);
create index plan_services_service_idx on plan_services (service_id);

-- Submissions, returns with their comments, approvals, reviews without change, flags, retirement.
create table plan_events (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references plans (id) on delete cascade,
    version_number integer,
    action text not null check (action in ('created', 'submitted', 'returned', 'approved', 'reviewed', 'flagged', 'retired', 'new_version')),
    comment text not null default '',
    actor_id uuid references users (id),
    actor_label text not null,
    at timestamptz not null default now()
);
create index plan_events_plan_idx on plan_events (plan_id, at);

-- The distribution list: every offline copy handed out, so outdated holders can be found.
create table plan_distributions (
    id uuid primary key default gen_random_uuid(),
    plan_id uuid not null references plans (id) on delete cascade,
    version_id uuid not null references plan_versions (id) on delete cascade,
    user_id uuid not null references users (id),
    channel text not null check (channel in ('pack', 'zip')),
    checksum text not null,
    downloaded_at timestamptz not null default now()
);
create index plan_distributions_plan_idx on plan_distributions (plan_id, user_id, downloaded_at);

-- "I have read version N", by a person the version names.
create table plan_acknowledgements (
    version_id uuid not null references plan_versions (id) on delete cascade,
    person_id uuid not null references people (id),
    user_id uuid not null references users (id),
    acknowledged_at timestamptz not null default now(),
    primary key (version_id, person_id)
);
