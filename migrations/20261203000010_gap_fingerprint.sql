-- The home page's supplier-gap figures are recomputed only when their inputs move; these
-- indexes let the fingerprint read the latest change of each table without scanning it.
create index services_updated_at_idx on services (updated_at);
create index contracts_updated_at_idx on contracts (updated_at);
create index suppliers_updated_at_idx on suppliers (updated_at);
