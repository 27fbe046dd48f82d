-- Figures derived from the whole estate (the home page's posture and supplier-gap counts) are
-- kept per instance and recomputed only when their inputs move; these indexes let the
-- fingerprint read the latest change of each input table without scanning it.
create index services_updated_at_idx on services (updated_at);
create index contracts_updated_at_idx on contracts (updated_at);
create index suppliers_updated_at_idx on suppliers (updated_at);
create index bia_assessments_updated_at_idx on bia_assessments (updated_at);
create index bia_exercises_updated_at_idx on bia_exercises (updated_at);
create index plans_updated_at_idx on plans (updated_at);
create index plan_versions_updated_at_idx on plan_versions (updated_at);
