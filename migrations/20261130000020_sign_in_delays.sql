-- Sign-in throttling by growing delays instead of a fixed lock, and browsers known to an account.
--
-- login_failures now holds, per key ('email:…', 'ip:…', 'device:…', 'password-change:…'), the
-- attempts counted since the last quiet day; locked_until is the moment before which no further
-- attempt for that key is checked (a delay that doubles with each failure, capped).
alter table login_failures add column last_failure_at timestamptz not null default now();

-- A browser that has signed in to an account before carries a random token whose SHA-256 is kept
-- here. Its attempts for that account are throttled on their own key, so that strangers who
-- fail on purpose cannot keep the account's owner out.
create table known_devices (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now()
);
create index known_devices_user_id_idx on known_devices (user_id);
