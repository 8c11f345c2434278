-- A version per measure that moves, in the same transaction, whenever that measure's rollups
-- change. A measure's disclosure table (which cells are suppressed) depends only on its own
-- rollups and the tree above them (a move rewrites the rollups), so it is rebuilt only when
-- its own figures change, not on every write anywhere (the board_data_version does that for
-- the views' caches). Values come from one sequence, so a version is never reused.
CREATE SEQUENCE "measure_data_version_seq";
CREATE TABLE "measure_data_version" (
    "measure_id" INTEGER PRIMARY KEY,
    "version" BIGINT NOT NULL
);

CREATE FUNCTION "bump_measure_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "measure_data_version" ("measure_id", "version")
    SELECT d.measure_id, nextval('measure_data_version_seq') FROM (SELECT DISTINCT measure_id FROM changed_rows) d
  ON CONFLICT ("measure_id") DO UPDATE SET "version" = EXCLUDED."version";
  RETURN NULL;
END;
$$;

CREATE FUNCTION "bump_every_measure_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "measure_data_version" SET "version" = nextval('measure_data_version_seq');
  RETURN NULL;
END;
$$;

-- Statement-level with transition tables: one bump per measure a statement touches.
CREATE TRIGGER "measure_version_rollup_insert" AFTER INSERT ON "observation_rollup"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
CREATE TRIGGER "measure_version_rollup_update" AFTER UPDATE ON "observation_rollup"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
CREATE TRIGGER "measure_version_rollup_delete" AFTER DELETE ON "observation_rollup"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
CREATE TRIGGER "measure_version_rollup_truncate" AFTER TRUNCATE ON "observation_rollup"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_every_measure_data_version"();

-- Rollups already there.
INSERT INTO "measure_data_version" ("measure_id", "version")
  SELECT DISTINCT measure_id, 0 FROM "observation_rollup";
