-- Stratified observations (the equality lens): an observation may give one stratum of the
-- population (ETHNICITY A, SEX 2, ...) rather than the whole. '' in both columns is the whole
-- population, so the key stays a plain unique index (NULLs would not be equal in it).
ALTER TABLE "observation" ADD COLUMN "stratifier" TEXT NOT NULL DEFAULT '';
ALTER TABLE "observation" ADD COLUMN "stratum_code" TEXT NOT NULL DEFAULT '';
-- Whole-population rows are derived from their strata when only strata are sent.
ALTER TABLE "observation" ADD COLUMN "derived_from_strata" BOOLEAN NOT NULL DEFAULT false;
DROP INDEX "observation_measure_id_org_unit_id_period_start_key";
CREATE UNIQUE INDEX "observation_measure_id_org_unit_id_period_start_stratifier_stratum_code_key"
  ON "observation"("measure_id", "org_unit_id", "period_start", "stratifier", "stratum_code");
CREATE INDEX "observation_strata_idx" ON "observation"("measure_id", "stratifier", "period_start") WHERE "stratifier" <> '';

-- The stratifiers a measure is reported by.
ALTER TABLE "measure" ADD COLUMN "stratifiers" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- Strata are not in the rollups (those are whole populations): a change to any observation
-- moves its measure's data version too, so what is built from strata is rebuilt.
CREATE TRIGGER "measure_version_observation_insert" AFTER INSERT ON "observation"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
CREATE TRIGGER "measure_version_observation_update" AFTER UPDATE ON "observation"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
CREATE TRIGGER "measure_version_observation_delete" AFTER DELETE ON "observation"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "bump_measure_data_version"();
