-- Risks (issue 13): the scoring method, the catalogues of threats and risk reduction measures,
-- the register with what each risk bears on, its score history, and acceptances kept as evidence.

create table risk_method (
    id integer primary key check (id = 1),
    definition jsonb not null,
    version integer not null default 1,
    updated_at timestamptz not null default now()
);

create table risk_threats (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    category text not null check (category in ('natural', 'environmental', 'technical',
        'human_accidental', 'human_deliberate', 'supplier', 'people')),
    description text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index risk_threats_name_key on risk_threats (lower(name));
create trigger risk_threats_updated_at before update on risk_threats for each row execute function set_updated_at();

create table risk_measures (
    id uuid primary key default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    measure_type text not null check (measure_type in ('preventive', 'detective', 'corrective')),
    status text not null check (status in ('planned', 'implemented', 'verified')),
    owner_id uuid references users (id),
    description text not null default '',
    evidence text not null default '',
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index risk_measures_name_key on risk_measures (lower(name));
create trigger risk_measures_updated_at before update on risk_measures for each row execute function set_updated_at();

create table risks (
    id uuid primary key default gen_random_uuid(),
    number integer generated always as identity unique,
    title text not null check (length(title) between 1 and 200),
    threat_id uuid references risk_threats (id),
    vulnerability text not null default '',
    cause text not null default '',
    event text not null default '',
    consequence text not null default '',
    owner_id uuid references users (id),
    inherent_likelihood smallint not null check (inherent_likelihood between 1 and 7),
    inherent_impact smallint not null check (inherent_impact between 1 and 7),
    residual_likelihood smallint check (residual_likelihood between 1 and 7),
    residual_impact smallint check (residual_impact between 1 and 7),
    -- The levels (indexes into the method's levels) when last scored, for lists and filters (the method can change later).
    inherent_level smallint not null,
    current_level smallint not null,
    above_appetite boolean not null,
    treatment text check (treatment in ('reduce', 'transfer', 'avoid', 'accept')),
    treatment_note text not null default '',
    review_due date,
    reviewed_at timestamptz,
    created_by uuid references users (id),
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((residual_likelihood is null) = (residual_impact is null))
);
create index risks_owner_idx on risks (owner_id);
create index risks_updated_at_idx on risks (updated_at);
create index risks_review_due_idx on risks (review_due) where archived_at is null;
create index risks_title_icu_idx on risks ((title collate "und-x-icu"), id);
create trigger risks_updated_at before update on risks for each row execute function set_updated_at();

-- What a risk bears on: services, components, sites and contracts. A deleted node leaves the
-- scope (which lapses any acceptance given for the old scope).
create table risk_scope (
    risk_id uuid not null references risks (id) on delete cascade,
    node_id uuid not null references catalogue_nodes (id) on delete cascade,
    primary key (risk_id, node_id)
);
create index risk_scope_node_idx on risk_scope (node_id);

create table risk_measure_links (
    risk_id uuid not null references risks (id) on delete cascade,
    measure_id uuid not null references risk_measures (id),
    primary key (risk_id, measure_id)
);
create index risk_measure_links_measure_idx on risk_measure_links (measure_id);

-- Every scoring of a risk, so its page shows its level over time.
create table risk_score_history (
    id bigint generated always as identity primary key,
    risk_id uuid not null references risks (id) on delete cascade,
    at timestamptz not null default now(),
    by_user uuid references users (id),
    by_label text not null,
    inherent_likelihood smallint not null,
    inherent_impact smallint not null,
    residual_likelihood smallint,
    residual_impact smallint,
    level_name text not null,
    note text not null default ''
);
create index risk_score_history_risk_idx on risk_score_history (risk_id, at desc);

-- An acceptance of a risk above appetite: proposed, then decided once by a continuity manager
-- who did not propose it. The snapshot is the assessment as accepted; the fingerprint lets a
-- later change of scores, scope or measures lapse it.
create table risk_acceptances (
    id uuid primary key default gen_random_uuid(),
    risk_id uuid not null references risks (id) on delete cascade,
    proposed_by uuid references users (id),
    proposed_label text not null,
    proposed_at timestamptz not null default now(),
    justification text not null check (length(justification) between 1 and 5000),
    expires_on date not null,
    fingerprint text not null,
    snapshot jsonb not null,
    approved boolean,
    decided_by uuid references users (id),
    decided_label text,
    decided_at timestamptz,
    decision_note text not null default '',
    check (decided_by is null or decided_by is distinct from proposed_by),
    check ((approved is null) = (decided_at is null))
);
create index risk_acceptances_risk_idx on risk_acceptances (risk_id, proposed_at desc);
-- One proposal waiting at a time per risk (a double click cannot make two).
create unique index risk_acceptances_one_waiting_key on risk_acceptances (risk_id) where approved is null;
-- The home page's figures watch the newest proposal and decision.
create index risk_acceptances_proposed_at_idx on risk_acceptances (proposed_at);
create index risk_acceptances_decided_at_idx on risk_acceptances (decided_at);

-- A decided acceptance is evidence: it never changes again.
create function risk_acceptances_frozen() returns trigger language plpgsql as $$
begin
    if old.approved is not null then
        raise exception 'a decided risk acceptance cannot change' using errcode = 'check_violation';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end $$;
create trigger risk_acceptances_frozen before update or delete on risk_acceptances
    for each row execute function risk_acceptances_frozen();
