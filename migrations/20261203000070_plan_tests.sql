-- Plan tests and exercises: what was tested (plans at the version in force, the services they
-- cover, the suppliers taking part), by whom, against which objectives; what was measured (step
-- times, each service's achieved recovery time and data loss, who the call tree reached); the
-- findings, which become improvement actions; the evidence files; and training sessions, which
-- with tests keep the people a plan names practised in it.
create table plan_tests (
    id uuid primary key default gen_random_uuid(),
    number integer generated always as identity unique,
    title text not null check (length(title) between 1 and 200),
    test_type text not null check (test_type in ('walk_through', 'tabletop', 'call_tree',
        'component_restore', 'functional', 'simulation', 'full_failover')),
    status text not null default 'planned' check (status in ('planned', 'completed', 'cancelled')),
    -- When it is planned for or, once completed, when it was held.
    test_on date not null,
    facilitator_id uuid references people (id),
    scenario text not null default '',
    conclusion text not null default '',
    created_by uuid references users (id),
    completed_by uuid references users (id),
    completed_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((status = 'completed') = (completed_at is not null))
);
create index plan_tests_on_idx on plan_tests (test_on);
create index plan_tests_status_idx on plan_tests (status, test_on);
create trigger plan_tests_updated_at before update on plan_tests for each row execute function set_updated_at();

-- The plans exercised, each at the version that was in force when the test was planned.
create table plan_test_plans (
    test_id uuid not null references plan_tests (id) on delete cascade,
    plan_id uuid not null references plans (id),
    version_id uuid not null references plan_versions (id),
    primary key (test_id, plan_id)
);
create index plan_test_plans_plan_idx on plan_test_plans (plan_id);

-- The services in scope, with what was measured for each and the requirement it was held to.
create table plan_test_services (
    test_id uuid not null references plan_tests (id) on delete cascade,
    service_id uuid not null references services (id),
    achieved_minutes integer check (achieved_minutes >= 0),
    -- Whether the achieved time was worked out from the recorded step times.
    achieved_from_steps boolean not null default false,
    data_lost_minutes integer check (data_lost_minutes >= 0),
    rto_minutes integer,
    rpo_minutes integer,
    result text check (result in ('met', 'met_with_issues', 'not_met')),
    -- The step whose actual duration exceeded its estimate most, in words.
    overrun text not null default '',
    note text not null default '',
    recorded_by uuid references users (id),
    recorded_at timestamptz,
    primary key (test_id, service_id)
);
create index plan_test_services_service_idx on plan_test_services (service_id);

create table plan_test_suppliers (
    test_id uuid not null references plan_tests (id) on delete cascade,
    supplier_id uuid not null references suppliers (id),
    primary key (test_id, supplier_id)
);

create table plan_test_participants (
    test_id uuid not null references plan_tests (id) on delete cascade,
    person_id uuid not null references people (id),
    primary key (test_id, person_id)
);
create index plan_test_participants_person_idx on plan_test_participants (person_id);

-- Each objective is checkable: met or not, with a note, once the test is run.
create table plan_test_objectives (
    test_id uuid not null references plan_tests (id) on delete cascade,
    position integer not null check (position >= 1),
    statement text not null check (length(statement) between 1 and 500),
    met boolean,
    note text not null default '',
    primary key (test_id, position)
);

-- The actual time of one recovery step of one exercised plan.
create table plan_test_step_times (
    test_id uuid not null references plan_tests (id) on delete cascade,
    plan_id uuid not null references plans (id),
    step_key text not null,
    -- As read off the test log: the local wall-clock time of the test, as written.
    started_at timestamp,
    ended_at timestamp,
    actual_minutes integer not null check (actual_minutes >= 0),
    deviation text not null default '',
    primary key (test_id, plan_id, step_key),
    check (ended_at is null or started_at is null or ended_at >= started_at)
);

-- Who the call tree reached in a call-tree test, and how long it took.
create table plan_test_calls (
    test_id uuid not null references plan_tests (id) on delete cascade,
    person_id uuid not null references people (id),
    reached boolean not null,
    minutes integer check (minutes >= 0),
    note text not null default '',
    primary key (test_id, person_id)
);

create table plan_test_findings (
    id uuid primary key default gen_random_uuid(),
    number integer generated always as identity unique,
    test_id uuid not null references plan_tests (id) on delete cascade,
    severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
    description text not null check (length(description) between 1 and 5000),
    -- Set on the finding a "not met" result records by itself: one per service and test.
    service_id uuid references services (id),
    automatic boolean not null default false,
    created_by uuid references users (id),
    created_at timestamptz not null default now()
);
create index plan_test_findings_test_idx on plan_test_findings (test_id, number);
create unique index plan_test_findings_automatic_key on plan_test_findings (test_id, service_id)
    where automatic;

alter table improvement_actions add column finding_id uuid references plan_test_findings (id);
alter table improvement_actions add constraint improvement_actions_finding_check
    check (source <> 'finding' or finding_id is not null);
create unique index improvement_actions_finding_key on improvement_actions (finding_id);

-- Evidence of a test (logs, screenshots, the sign-off), kept like contract documents.
create table plan_test_documents (
    id uuid primary key default gen_random_uuid(),
    test_id uuid not null references plan_tests (id) on delete cascade,
    file_name text not null check (length(file_name) between 1 and 255),
    content_type text not null,
    size_bytes integer not null check (size_bytes between 1 and 10485760),
    sha256 text not null,
    content bytea not null,
    uploaded_by uuid references users (id),
    uploaded_at timestamptz not null default now()
);
create index plan_test_documents_test_idx on plan_test_documents (test_id);

-- Training in a plan: with tests, what keeps its role holders current.
create table training_sessions (
    id uuid primary key default gen_random_uuid(),
    topic text not null check (length(topic) between 1 and 200),
    plan_id uuid not null references plans (id),
    held_on date not null,
    trainer text not null default '',
    notes text not null default '',
    created_by uuid references users (id),
    created_at timestamptz not null default now()
);
create index training_sessions_plan_idx on training_sessions (plan_id, held_on);

create table training_attendees (
    session_id uuid not null references training_sessions (id) on delete cascade,
    person_id uuid not null references people (id),
    primary key (session_id, person_id)
);
create index training_attendees_person_idx on training_attendees (person_id);
