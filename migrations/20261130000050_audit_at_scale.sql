-- The audit log at scale (issue 11): the list's order is `at desc nulls last, id desc` (or the
-- same ascending), which the old `(at desc)` index cannot give; these two can, so a page reads
-- only its own rows whichever way it is sorted.
create index audit_log_at_newest_idx on audit_log (at desc nulls last, id desc);
create index audit_log_at_oldest_idx on audit_log (at asc nulls last, id asc);
drop index audit_log_at_idx;

-- The entity kinds and actions seen so far, for the audit page's filters: a few dozen rows
-- kept by the insert itself, instead of reading the whole log twice on every visit.
create table audit_log_terms (
    field text not null check (field in ('entity', 'action')),
    value text not null,
    primary key (field, value)
);
insert into audit_log_terms (field, value)
    select distinct 'entity', entity from audit_log
    union
    select distinct 'action', action from audit_log;

create function audit_log_note_terms() returns trigger language plpgsql as $$
begin
    insert into audit_log_terms (field, value)
        select 'entity', entity from new_rows
        union
        select 'action', action from new_rows
    on conflict do nothing;
    return null;
end;
$$;
create trigger audit_log_note_terms after insert on audit_log
    referencing new table as new_rows
    for each statement execute function audit_log_note_terms();
