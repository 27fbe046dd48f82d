-- The service catalogue and its dependency graph.

-- Every node of the dependency graph (process, service, component, site, later supplier contracts)
-- has a row here, so that dependency edges can carry real foreign keys at both ends.
create table catalogue_nodes (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('process', 'service', 'component', 'site', 'contract'))
);

create table org_units (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index org_units_name_key on org_units (lower(name));
create trigger org_units_updated_at before update on org_units for each row execute function set_updated_at();

create table sites (
    id uuid primary key references catalogue_nodes (id),
    name text not null check (length(name) between 1 and 200),
    kind text not null check (kind in ('office', 'data_centre', 'alternate_site', 'cloud_region')),
    location text not null default '',
    description text not null default '',
    external_id text,
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index sites_external_id_key on sites (external_id);
create unique index sites_name_key on sites (lower(name));
create trigger sites_updated_at before update on sites for each row execute function set_updated_at();

create table services (
    id uuid primary key references catalogue_nodes (id),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    owner_id uuid references users (id),
    service_type text not null check (service_type in ('business', 'technical')),
    lifecycle text not null check (lifecycle in ('planned', 'live', 'retiring', 'retired')),
    sla_reference text not null default '',
    support_hours text not null default '',
    external_id text,
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index services_external_id_key on services (external_id);
create unique index services_name_key on services (lower(name));
create index services_owner_id_idx on services (owner_id);
create trigger services_updated_at before update on services for each row execute function set_updated_at();

create table components (
    id uuid primary key references catalogue_nodes (id),
    name text not null check (length(name) between 1 and 200),
    class text not null check (class in ('application', 'database', 'server', 'network', 'storage', 'facility', 'cloud_resource', 'dataset')),
    environment text not null check (environment in ('production', 'disaster_recovery', 'staging', 'test', 'development')),
    site_id uuid references sites (id),
    description text not null default '',
    external_id text,
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index components_external_id_key on components (external_id);
create unique index components_name_key on components (lower(name));
create index components_site_id_idx on components (site_id);
create trigger components_updated_at before update on components for each row execute function set_updated_at();

create table business_processes (
    id uuid primary key references catalogue_nodes (id),
    name text not null check (length(name) between 1 and 200),
    description text not null default '',
    owner_id uuid references users (id),
    org_unit_id uuid references org_units (id),
    peak_periods text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index business_processes_name_key on business_processes (lower(name));
create trigger business_processes_updated_at before update on business_processes for each row execute function set_updated_at();

-- "from needs to": a process needs a service, a service needs a component, a component runs at a site …
create table dependencies (
    id uuid primary key default gen_random_uuid(),
    from_id uuid not null references catalogue_nodes (id),
    to_id uuid not null references catalogue_nodes (id),
    relation text not null check (relation in ('uses', 'runs_on', 'stores_data_in', 'hosted_at', 'connects_through', 'supplied_by', 'other')),
    redundancy text not null default 'none' check (redundancy in ('none', 'active_active', 'active_passive', 'manual_alternative')),
    notes text not null default '',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (from_id <> to_id)
);
create unique index dependencies_pair_key on dependencies (from_id, to_id);
create index dependencies_to_id_idx on dependencies (to_id);
create trigger dependencies_updated_at before update on dependencies for each row execute function set_updated_at();

-- One row per graph node with what pages need to show it anywhere (name, sub-kind, owner).
create view catalogue_entries as
    select id, 'process'::text as kind, name, ''::text as subtype, owner_id, archived_at from business_processes
    union all
    select id, 'service', name, service_type, owner_id, archived_at from services
    union all
    select id, 'component', name, class, null::uuid, archived_at from components
    union all
    select id, 'site', name, kind, null::uuid, archived_at from sites;

-- A counter that moves whenever the graph changes, so each app instance can keep the graph in
-- memory and reload it only when another instance (or itself) changed it.
create table graph_revision (
    id integer primary key default 1 check (id = 1),
    revision bigint not null default 0
);
insert into graph_revision (id, revision) values (1, 0);

create function bump_graph_revision() returns trigger language plpgsql as $$
begin
    update graph_revision set revision = revision + 1 where id = 1;
    return null;
end;
$$;
create trigger dependencies_bump_graph after insert or update or delete on dependencies
    for each statement execute function bump_graph_revision();
create trigger catalogue_nodes_bump_graph after insert or update or delete on catalogue_nodes
    for each statement execute function bump_graph_revision();

-- A CSV file uploaded for import, kept between the preview and the confirmation.
create table catalogue_imports (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('sites', 'services', 'components', 'dependencies')),
    file_name text not null,
    content text not null,
    uploaded_by uuid not null references users (id),
    uploaded_at timestamptz not null default now(),
    applied_at timestamptz
);
