-- A contract's history shows the services and components linked to it: the dependency rows of
-- the audit log are found by the node they point to, without reading the whole log.
create index audit_log_dependency_target_idx on audit_log ((coalesce(after, before) ->> 'to_id'))
    where entity = 'dependency';
