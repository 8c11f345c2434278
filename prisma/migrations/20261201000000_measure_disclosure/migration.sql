-- A measure's own small-number rule (Measure.disclosure); NULL keeps the default for its
-- audience and scoring type. The measure table's trigger already bumps the board data
-- version, so cached board views never outlive a change of rule.
ALTER TABLE "measure" ADD COLUMN "disclosure" JSONB;
