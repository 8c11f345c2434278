-- Keyset pages for the faculty map (issue 15 item 3).
--
-- Workstream.teams is listed by the team's name, then id. Ordering a workstream's links by a
-- column of another table made every page read and sort all of the workstream's links (thousands
-- on a large trust). The link now carries its unit's name as its sort key, kept by triggers in the
-- same transaction as the link or the rename, so a page is one range of one index.
ALTER TABLE "workstream_team" ADD COLUMN "unit_name" TEXT NOT NULL DEFAULT '';
UPDATE "workstream_team" wt SET "unit_name" = u."name" FROM "org_unit" u WHERE u."id" = wt."org_unit_id";

CREATE FUNCTION "workstream_team_unit_name"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."unit_name" := (SELECT "name" FROM "org_unit" WHERE "id" = NEW."org_unit_id");
  RETURN NEW;
END $$;
CREATE TRIGGER "workstream_team_unit_name" BEFORE INSERT OR UPDATE OF "org_unit_id", "unit_name" ON "workstream_team"
  FOR EACH ROW EXECUTE FUNCTION "workstream_team_unit_name"();

CREATE FUNCTION "org_unit_name_to_team_links"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "workstream_team" SET "unit_name" = NEW."name" WHERE "org_unit_id" = NEW."id";
  RETURN NULL;
END $$;
CREATE TRIGGER "org_unit_name_to_team_links" AFTER UPDATE OF "name" ON "org_unit"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION "org_unit_name_to_team_links"();

CREATE INDEX "workstream_team_page_idx" ON "workstream_team" ("workstream_id", "unit_name", "org_unit_id");

-- Coverage columns: the live units at one depth by name, then id (a page of them, in index order).
CREATE INDEX "org_unit_depth_name_idx" ON "org_unit" ("depth", "name", "id");
