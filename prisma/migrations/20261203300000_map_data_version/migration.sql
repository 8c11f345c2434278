-- A counter that moves, in the same transaction, whenever something the faculty map or the
-- coverage matrix shows changes and board_data_version does not already move: people, a
-- workstream's leads, principles and teams, milestones, lived-experience involvement, and the
-- audit log (every audited edit). The map's response cache keys on both counters, read in one
-- statement first, so it can never find old answers filed under new counters.
CREATE TABLE "map_data_version" (
    "id" INTEGER PRIMARY KEY CHECK ("id" = 1),
    "version" BIGINT NOT NULL
);
INSERT INTO "map_data_version" ("id", "version") VALUES (1, 1);

CREATE FUNCTION "bump_map_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "map_data_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

-- Statement-level: one bump per statement, however many rows it writes.
CREATE TRIGGER "map_version_person" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "person" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_workstream_lead" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_lead" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_workstream_principle" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_principle" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_workstream_team" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_team" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_milestone" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "milestone" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_lived_experience_involvement" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "lived_experience_involvement" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
CREATE TRIGGER "map_version_audit_event" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION "bump_map_data_version"();
