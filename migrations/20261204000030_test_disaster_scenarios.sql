-- A plan test may rehearse a saved disaster scenario: the test page opens the scenario (what it
-- brings down, the recovery order), and the scenario lists the tests that rehearsed it.
alter table plan_tests add column disaster_scenario_id uuid references scenarios (id);
create index plan_tests_disaster_scenario_idx on plan_tests (disaster_scenario_id)
    where disaster_scenario_id is not null;
