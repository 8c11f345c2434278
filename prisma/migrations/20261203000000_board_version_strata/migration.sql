-- The board's views now read strata too (the equality lens: scorecard disparity flags, widening
-- disparities, the equality view), and a correction between strata can leave the whole, and so
-- the rollups, unchanged: any change to an observation moves the board data version as well.
CREATE TRIGGER "board_version_observation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "observation"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
