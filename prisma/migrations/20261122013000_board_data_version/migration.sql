-- A single counter that moves whenever anything a board view shows changes, in the same
-- transaction as the change. Board views cache their results under it: a reader reads the
-- counter first, so it can never find old results filed under a new counter value.
CREATE TABLE "board_data_version" (
    "id" INTEGER PRIMARY KEY CHECK ("id" = 1),
    "version" BIGINT NOT NULL
);
INSERT INTO "board_data_version" ("id", "version") VALUES (1, 1);

CREATE FUNCTION "bump_board_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "board_data_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

-- Statement-level: one bump per statement, however many rows it writes.
CREATE TRIGGER "board_version_observation_rollup" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "observation_rollup" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_measure" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measure" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_measure_principle" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measure_principle" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_measure_workstream" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measure_workstream" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_measure_target" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "measure_target" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_workstream" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_org_unit" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "org_unit" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_spc_phase" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "spc_phase" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_commentary" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "commentary" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_principle" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "principle" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
