-- The fingerprints the per-instance caches compare before reusing what they computed: as
-- functions, so that a page needing two of them (the home page) reads both in one statement.

-- The home page's counts: services, BIA campaigns and plans.
create function home_posture_fingerprint() returns text language sql stable as $$
    select concat_ws('/',
        (select revision from graph_revision where id = 1),
        (select max(updated_at) from services),
        (select max(updated_at) from bia_assessments),
        (select max(updated_at) from bia_exercises),
        (select max(updated_at) from plans),
        (select max(updated_at) from plan_versions),
        (select count(*) from plan_services),
        current_date)
$$;

-- Required against achievable recovery: the graph, the BIA figures, plans, tests, strategies,
-- contracts and the BIA method.
create function recovery_fingerprint() returns text language sql stable as $$
    select concat_ws('/',
        (select revision from graph_revision where id = 1),
        (select max(updated_at) from services),
        (select max(updated_at) from plans),
        (select max(updated_at) from plan_versions),
        (select count(*) from plan_services),
        (select max(updated_at) from plan_tests),
        (select max(updated_at) from recovery_strategies),
        (select count(*) from recovery_strategies),
        (select max(updated_at) from contracts), (select count(*) from contracts),
        (select version from bia_method where id = 1),
        current_date)
$$;
