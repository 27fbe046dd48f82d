-- Suppliers and their contracts. A contract is a node of the dependency graph, so services and
-- components can depend on it ("supplied by") and its gaps follow the graph.

create table suppliers (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    category text not null check (category in ('strategic', 'tactical', 'operational', 'commodity')),
    website text not null default '',
    email text not null default '',
    phone text not null default '',
    address text not null default '',
    notes text not null default '',
    -- Who to call, in order: [{level, name, role, phone, hours}].
    escalation jsonb not null default '[]'::jsonb,
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index suppliers_name_key on suppliers (lower(name)) where archived_at is null;
create trigger suppliers_updated_at before update on suppliers for each row execute function set_updated_at();

create table contracts (
    id uuid primary key references catalogue_nodes (id),
    supplier_id uuid not null references suppliers (id),
    reference text not null check (length(reference) between 1 and 100),
    title text not null default '',
    start_date date,
    end_date date,
    auto_renewal boolean not null default false,
    renewal_notice_days integer check (renewal_notice_days >= 0),
    termination_notice_days integer check (termination_notice_days >= 0),
    -- '24x7', 'business' (Mon–Fri 09:00–17:00) or 'custom' (the days and times below).
    support_hours text not null default 'business' check (support_hours in ('24x7', 'business', 'custom')),
    -- Monday to Sunday as seven 0/1 characters.
    support_days text not null default '1111100' check (support_days ~ '^[01]{7}$'),
    support_from_minute integer not null default 540 check (support_from_minute between 0 and 1439),
    support_to_minute integer not null default 1020 check (support_to_minute between 0 and 1440),
    response_minutes integer check (response_minutes >= 0),
    onsite_minutes integer check (onsite_minutes >= 0),
    guaranteed_recovery_minutes integer check (guaranteed_recovery_minutes >= 0),
    guaranteed_rpo_minutes integer check (guaranteed_rpo_minutes >= 0),
    availability_percent double precision check (availability_percent between 0 and 100),
    -- Our priority for the supplier's attention in a regional disaster.
    regional_priority text not null default 'unspecified'
        check (regional_priority in ('guaranteed', 'best_effort', 'none', 'unspecified')),
    right_to_audit boolean not null default false,
    test_participation boolean not null default false,
    bcp_required boolean not null default false,
    bcp_evidence_received_on date,
    bcp_evidence_expires_on date,
    exit_plan text not null default '',
    owner_id uuid references users (id),
    next_review_on date,
    notes text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (end_date is null or start_date is null or end_date >= start_date)
);
create unique index contracts_reference_key on contracts (lower(reference)) where archived_at is null;
create index contracts_supplier_idx on contracts (supplier_id);
create index contracts_end_idx on contracts (end_date);
create trigger contracts_updated_at before update on contracts for each row execute function set_updated_at();

-- Documents attached to a contract, kept in the database so every instance serves them.
create table contract_documents (
    id uuid primary key default gen_random_uuid(),
    contract_id uuid not null references contracts (id) on delete cascade,
    file_name text not null check (length(file_name) between 1 and 255),
    content_type text not null,
    size_bytes integer not null check (size_bytes between 1 and 10485760),
    sha256 text not null,
    content bytea not null,
    uploaded_by uuid references users (id),
    uploaded_at timestamptz not null default now()
);
create index contract_documents_contract_idx on contract_documents (contract_id);

-- Entries now include contracts, named after their supplier and reference.
create or replace view catalogue_entries as
    select id, 'process'::text as kind, name, ''::text as subtype, owner_id, archived_at,
           null::integer as tier_rank, null::text as tier_name
    from business_processes
    union all
    select id, 'service', name, service_type, owner_id, archived_at, bia_tier_rank, bia_tier_name from services
    union all
    select id, 'component', name, class, null::uuid, archived_at, null, null from components
    union all
    select id, 'site', name, kind, null::uuid, archived_at, null, null from sites
    union all
    select c.id, 'contract', s.name || ' · ' || c.reference, s.category, c.owner_id,
           coalesce(c.archived_at, s.archived_at), null, null
    from contracts c join suppliers s on s.id = c.supplier_id;

-- Contracts can be imported from CSV like the catalogue.
alter table catalogue_imports drop constraint catalogue_imports_kind_check;
alter table catalogue_imports add constraint catalogue_imports_kind_check
    check (kind in ('sites', 'services', 'components', 'dependencies', 'contracts'));
