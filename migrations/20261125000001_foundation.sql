-- Foundation: accounts, sessions, sign-in throttling and the append-only audit log.

-- Keeps updated_at honest without every query having to remember it.
create function set_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at = now();
    return new;
end;
$$;

create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null check (email = lower(email) and email like '%_@_%'),
    display_name text not null check (length(display_name) between 1 and 200),
    role text not null check (role in ('administrator', 'continuity_manager', 'service_owner', 'auditor')),
    active boolean not null default true,
    password_hash text not null,
    -- set when an administrator (or the first start) chose the password: the user is asked to change it
    password_must_change boolean not null default false,
    time_zone text not null default 'UTC',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index users_email_key on users (email);
create trigger users_updated_at before update on users for each row execute function set_updated_at();

-- Only a hash of the session token is stored, so a copy of this table cannot be used to sign in.
create table sessions (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    flash_kind text,
    flash_message text
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_last_seen_at_idx on sessions (last_seen_at);

-- Failed sign-ins per account ('email:…') and per client address ('ip:…').
create table login_failures (
    throttle_key text primary key,
    failures integer not null default 0,
    first_failure_at timestamptz not null default now(),
    locked_until timestamptz
);

create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    actor_id uuid references users (id) on delete set null,
    actor_label text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    before jsonb,
    after jsonb,
    request_id text
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_entity_idx on audit_log (entity, entity_id);

-- The audit log is append-only: the database itself refuses to change or remove a row.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
