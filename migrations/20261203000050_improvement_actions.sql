-- Improvement actions: what someone must do to close a weakness, where it comes from (a risk's
-- treatment here; test findings, gaps and changes later), who does it by when, and its progress
-- open -> in progress -> done -> verified, verified by someone other than who marked it done.
create table improvement_actions (
    id uuid primary key default gen_random_uuid(),
    number integer generated always as identity unique,
    title text not null check (length(title) between 1 and 200),
    description text not null default '',
    source text not null check (source in ('risk', 'finding', 'gap', 'change', 'other')),
    risk_id uuid references risks (id),
    owner_id uuid not null references users (id),
    due_on date not null,
    status text not null default 'open' check (status in ('open', 'in_progress', 'done', 'verified')),
    evidence text not null default '',
    done_by uuid references users (id),
    done_at timestamptz,
    verified_by uuid references users (id),
    verified_at timestamptz,
    verification_note text not null default '',
    created_by uuid references users (id),
    archived_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (source <> 'risk' or risk_id is not null),
    check ((status in ('done', 'verified')) = (done_at is not null)),
    check ((status = 'verified') = (verified_at is not null)),
    -- Four eyes, kept by the database as well as the handler.
    check (verified_by is null or verified_by is distinct from done_by)
);
create index improvement_actions_outstanding_idx on improvement_actions (owner_id, due_on)
    where archived_at is null and status in ('open', 'in_progress');
create index improvement_actions_due_idx on improvement_actions (due_on)
    where archived_at is null and status in ('open', 'in_progress');
create index improvement_actions_done_idx on improvement_actions (done_at)
    where archived_at is null and status = 'done';
create index improvement_actions_risk_idx on improvement_actions (risk_id, due_on);
create index improvement_actions_updated_at_idx on improvement_actions (updated_at);
create index improvement_actions_title_icu_idx on improvement_actions ((title collate "und-x-icu"), id);
create trigger improvement_actions_updated_at before update on improvement_actions
    for each row execute function set_updated_at();

-- Each move of an action, with who made it and what they said: the action's story as evidence.
create table improvement_action_steps (
    id bigint generated always as identity primary key,
    action_id uuid not null references improvement_actions (id) on delete cascade,
    at timestamptz not null default now(),
    by_user uuid references users (id),
    by_label text not null,
    from_status text not null,
    to_status text not null,
    note text not null default ''
);
create index improvement_action_steps_action_idx on improvement_action_steps (action_id, at desc);
