-- A risk's id in the register it was imported from: re-importing the file updates the same risk.
alter table risks add column external_id text unique check (length(external_id) between 1 and 200);

-- A risk register can be imported from CSV like the catalogue.
alter table catalogue_imports drop constraint catalogue_imports_kind_check;
alter table catalogue_imports add constraint catalogue_imports_kind_check
    check (kind in ('sites', 'services', 'components', 'dependencies', 'contracts', 'risks'));

-- Imports match external ids in any case: so does the database.
create unique index risks_external_id_lower_key on risks (lower(external_id));
