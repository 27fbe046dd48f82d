-- Recovery strategies (the ITSCM strategy of each service, optionally started from a reusable
-- template), saved disaster scenarios, and improvement actions raised from a posture gap.

create table recovery_strategy_templates (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    recovery_option text not null check (recovery_option in ('do_nothing', 'manual_workaround',
        'reciprocal', 'gradual', 'intermediate', 'fast', 'immediate')),
    alternate_site_id uuid references sites (id),
    contract_id uuid references contracts (id),
    estimated_recovery_minutes integer check (estimated_recovery_minutes >= 0),
    achievable_rpo_minutes integer check (achievable_rpo_minutes >= 0),
    capacity_percent integer check (capacity_percent between 0 and 100),
    usable_for_minutes integer check (usable_for_minutes >= 0),
    yearly_cost bigint check (yearly_cost >= 0),
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index recovery_strategy_templates_name_key on recovery_strategy_templates (lower(name));
create trigger recovery_strategy_templates_updated_at before update on recovery_strategy_templates
    for each row execute function set_updated_at();

-- One strategy per service: how it is recovered, where, backed by which contract, how fast and
-- with how much data lost, with what capacity for how long, at what yearly cost.
create table recovery_strategies (
    service_id uuid primary key references services (id),
    template_id uuid references recovery_strategy_templates (id),
    recovery_option text not null check (recovery_option in ('do_nothing', 'manual_workaround',
        'reciprocal', 'gradual', 'intermediate', 'fast', 'immediate')),
    alternate_site_id uuid references sites (id),
    contract_id uuid references contracts (id),
    estimated_recovery_minutes integer check (estimated_recovery_minutes >= 0),
    achievable_rpo_minutes integer check (achievable_rpo_minutes >= 0),
    capacity_percent integer check (capacity_percent between 0 and 100),
    usable_for_minutes integer check (usable_for_minutes >= 0),
    yearly_cost bigint check (yearly_cost >= 0),
    status text not null default 'proposed' check (status in ('proposed', 'approved', 'implemented')),
    notes text not null default '',
    updated_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index recovery_strategies_template_idx on recovery_strategies (template_id);
create index recovery_strategies_updated_at_idx on recovery_strategies (updated_at);
create trigger recovery_strategies_updated_at before update on recovery_strategies
    for each row execute function set_updated_at();

-- A named set of losses (sites, components, contracts) to run again and again.
create table scenarios (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    lost uuid[] not null check (cardinality(lost) between 1 and 200),
    created_by uuid references users (id),
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index scenarios_name_key on scenarios (lower(name)) where archived_at is null;
create trigger scenarios_updated_at before update on scenarios for each row execute function set_updated_at();

-- An action raised from a posture gap names the service whose gap it closes.
alter table improvement_actions add column gap_service_id uuid references services (id);
alter table improvement_actions add constraint improvement_actions_gap_check
    check (source <> 'gap' or gap_service_id is not null);
create index improvement_actions_gap_idx on improvement_actions (gap_service_id) where gap_service_id is not null;
-- The posture's fingerprint reads these through indexes.
create index plan_tests_updated_at_idx on plan_tests (updated_at);
