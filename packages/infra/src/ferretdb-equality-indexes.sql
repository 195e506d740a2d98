-- Index-served equality reads for FerretDB v1.x on PostgreSQL (installed by @commerce/infra into
-- FerretDB's PostgreSQL database; see packages/infra/README.md, "Equality reads on FerretDB").
--
-- FerretDB pushes a top-level equality filter down to SQL as `_jsonb->$1 @> $2`, but its own
-- indexes are btree on `(_jsonb->'field')`, which cannot serve `@>`: PostgreSQL scans the table.
-- A GIN index (jsonb_path_ops) on the same expression does serve it. These functions keep one
-- such index for the leading field of every index FerretDB creates (its `_id` index included),
-- as a MongoDB compound index serves equality on its prefix. An event trigger runs them whenever
-- FerretDB creates or drops an index, so collections and indexes a service creates later are
-- covered at once; `commerce_equality_indexes_all()` brings existing tables up to date.
--
-- Two settings make PostgreSQL use these indexes reliably:
-- - `fastupdate = off`: GIN's default pending list grows with every insert until a vacuum, and every
--   lookup reads all of it, so lookups slowed down as the tables grew;
-- - `plan_cache_mode = force_custom_plan` for this database: FerretDB sends the field name as a
--   parameter (`_jsonb->$1`), and a generic plan, which PostgreSQL may switch a prepared statement
--   to after five runs, cannot match an index expression; a custom plan sees `_jsonb->'_id'`.
--
-- - per-table autovacuum after a fixed number of changed rows (not 20 % of the table): FerretDB
--   rewrites a whole row on every update, and until a vacuum the GIN index keeps pointing at the
--   dead versions, so an equality like `status: 'pending'` on a large outbox read more and more of
--   them between vacuums.
--
-- Idempotent: the whole file can be applied again at every start.

DO $do$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END
$do$;

CREATE OR REPLACE FUNCTION commerce_equality_index_field(expr text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  -- `(_jsonb -> 'field'::text)` → field; nested paths and anything else → NULL (find never pushes
  -- nested paths down, so an index on them would never be used)
  SELECT replace(substring(expr FROM '^\(+_jsonb -> ''((?:[^'']|'''')*)''::text\)+$'), '''''', '''')
$fn$;

CREATE OR REPLACE FUNCTION commerce_equality_indexes(p_schema text, p_table text) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  wanted text[];
  table_options text[];
  field text;
  r record;
  changed integer := 0;
BEGIN
  IF p_table = '_ferretdb_database_metadata' OR to_regclass(format('%I._ferretdb_database_metadata', p_schema)) IS NULL THEN
    RETURN 0; -- not a FerretDB collection table
  END IF;
  IF to_regclass(format('%I.%I', p_schema, p_table)) IS NULL THEN
    RETURN 0;
  END IF;
  -- the leading field of every btree index on the table (FerretDB's indexes)
  SELECT coalesce(array_agg(DISTINCT f), ARRAY[]::text[]) INTO wanted
  FROM (
    SELECT commerce_equality_index_field(pg_get_indexdef(i.indexrelid, 1, false)) AS f
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = format('%I.%I', p_schema, p_table)::regclass AND am.amname = 'btree'
  ) leading_fields
  WHERE f IS NOT NULL;

  SELECT reloptions INTO table_options FROM pg_class WHERE oid = format('%I.%I', p_schema, p_table)::regclass;
  IF NOT coalesce('autovacuum_vacuum_threshold=1000' = ANY (table_options), false) THEN
    EXECUTE format('ALTER TABLE %I.%I SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05, autovacuum_analyze_threshold = 1000)', p_schema, p_table);
  END IF;

  FOREACH field IN ARRAY wanted LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = format('%I.%I', p_schema, p_table)::regclass AND am.amname = 'gin'
        AND commerce_equality_index_field(pg_get_indexdef(i.indexrelid, 1, false)) = field
    ) THEN
      EXECUTE format('CREATE INDEX %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops) WITH (fastupdate = off)',
        'eq_' || left(md5(p_table || E'\n' || field), 24), p_schema, p_table, field);
      changed := changed + 1;
    END IF;
  END LOOP;

  -- a GIN index of ours whose field no longer leads any FerretDB index (the index was dropped);
  -- one made before `fastupdate = off` was set gets it (and its pending list is merged)
  FOR r IN
    SELECT ic.relname AS name, commerce_equality_index_field(pg_get_indexdef(i.indexrelid, 1, false)) AS f,
      coalesce('fastupdate=off' = ANY (ic.reloptions), false) AS direct
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = format('%I.%I', p_schema, p_table)::regclass AND am.amname = 'gin' AND ic.relname LIKE 'eq\_%'
  LOOP
    IF r.f IS NULL OR NOT (r.f = ANY (wanted)) THEN
      EXECUTE format('DROP INDEX %I.%I', p_schema, r.name);
      changed := changed + 1;
    ELSIF NOT r.direct THEN
      EXECUTE format('ALTER INDEX %I.%I SET (fastupdate = off)', p_schema, r.name);
      PERFORM gin_clean_pending_list(format('%I.%I', p_schema, r.name)::regclass);
      changed := changed + 1;
    END IF;
  END LOOP;
  RETURN changed;
END
$fn$;

-- Every FerretDB collection table of every FerretDB database (schema) in this PostgreSQL database.
CREATE OR REPLACE FUNCTION commerce_equality_indexes_all() RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  changed integer := 0;
BEGIN
  FOR r IN
    SELECT n.nspname AS schema_name, t.relname AS table_name
    FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE t.relkind = 'r' AND t.relname <> '_ferretdb_database_metadata'
      AND EXISTS (SELECT 1 FROM pg_class m WHERE m.relnamespace = n.oid AND m.relname = '_ferretdb_database_metadata')
  LOOP
    changed := changed + commerce_equality_indexes(r.schema_name, r.table_name);
  END LOOP;
  RETURN changed;
END
$fn$;

-- The fields of a FerretDB collection whose equality filters an index of ours serves (tests, bench).
CREATE OR REPLACE FUNCTION commerce_equality_indexed_fields(p_database text, p_collection text) RETURNS SETOF text
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  tbl text;
BEGIN
  IF to_regclass(format('%I._ferretdb_database_metadata', p_database)) IS NULL THEN RETURN; END IF;
  EXECUTE format('SELECT _jsonb->>''table'' FROM %I._ferretdb_database_metadata WHERE _jsonb->>''_id'' = $1', p_database) INTO tbl USING p_collection;
  IF tbl IS NULL THEN RETURN; END IF;
  RETURN QUERY
    SELECT commerce_equality_index_field(pg_get_indexdef(i.indexrelid, 1, false))
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = format('%I.%I', p_database, tbl)::regclass AND am.amname = 'gin' AND ic.relname LIKE 'eq\_%'
    ORDER BY 1;
END
$fn$;

CREATE OR REPLACE FUNCTION commerce_equality_indexes_on_create() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT n.nspname AS schema_name, t.relname AS table_name
    FROM pg_event_trigger_ddl_commands() c
    JOIN pg_index i ON i.indexrelid = c.objid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.command_tag = 'CREATE INDEX' AND am.amname = 'btree' -- ours are GIN: no recursion
  LOOP
    PERFORM commerce_equality_indexes(r.schema_name, r.table_name);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION commerce_equality_indexes_on_drop() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  s text;
  r record;
BEGIN
  -- a dropped index no longer names its table: reconcile the tables of its schema (catalog reads only)
  FOR s IN SELECT DISTINCT schema_name FROM pg_event_trigger_dropped_objects() WHERE object_type = 'index' AND original LOOP
    FOR r IN
      SELECT t.relname FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = s AND t.relkind = 'r' AND t.relname <> '_ferretdb_database_metadata'
    LOOP
      PERFORM commerce_equality_indexes(s, r.relname);
    END LOOP;
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS commerce_equality_indexes_on_create;
CREATE EVENT TRIGGER commerce_equality_indexes_on_create ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION commerce_equality_indexes_on_create();
DROP EVENT TRIGGER IF EXISTS commerce_equality_indexes_on_drop;
CREATE EVENT TRIGGER commerce_equality_indexes_on_drop ON sql_drop WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION commerce_equality_indexes_on_drop();

SELECT commerce_equality_indexes_all() AS equality_indexes_changed;
