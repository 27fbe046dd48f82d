-- The sites list counts each site's active components; with this partial index the count is an
-- index-only scan instead of a visit to every component row of the site (issue 11).
create index components_active_site_idx on components (site_id) where archived_at is null;
