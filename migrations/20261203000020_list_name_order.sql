-- Lists open sorted by their name column as people read it (ICU collation); these indexes give
-- that order directly, so a list's first page reads its 50 rows instead of sorting the table.
create index services_name_icu_idx on services ((name collate "und-x-icu"), id);
create index components_name_icu_idx on components ((name collate "und-x-icu"), id);
create index business_processes_name_icu_idx on business_processes ((name collate "und-x-icu"), id);
create index sites_name_icu_idx on sites ((name collate "und-x-icu"), id);
create index suppliers_name_icu_idx on suppliers ((name collate "und-x-icu"), id);
create index contracts_reference_icu_idx on contracts ((reference collate "und-x-icu"), id);
create index plans_title_icu_idx on plans ((title collate "und-x-icu"), id);
create index people_name_icu_idx on people ((name collate "und-x-icu"), id);
