-- The faculty map's and the coverage matrix's response cache keys on board_data_version, so the
-- counter now also moves, in the same transaction, when something only the map shows changes:
-- people, a workstream's leads, principles and teams, milestones and lived-experience
-- involvement, and (below) the feedback ledger. One counter, not a second one: a second row bumped by other tables would be locked
-- in different orders by different writes (a team joining, then the workstream's version; a
-- workstream edit, then its audit entry) and could deadlock them.
CREATE TRIGGER "board_version_person" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "person" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_workstream_lead" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_lead" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_workstream_principle" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_principle" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_workstream_team" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workstream_team" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_milestone" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "milestone" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_lived_experience_involvement" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "lived_experience_involvement" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
-- The feedback ledger and CORE item 22 assessments: OrgUnit.coreItem22 and coreItem22Assessments
-- can be asked under the map (a workstream's teams, the coverage columns) and under the board's
-- views (a scorecard's orgUnit), both cached under this counter.
CREATE TRIGGER "board_version_feedback_theme" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "feedback_theme" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_feedback" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "feedback" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_feedback_theme_link" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "feedback_theme_link" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_feedback_action" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "feedback_action" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
CREATE TRIGGER "board_version_core_item22_assessment" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "core_item22_assessment" FOR EACH STATEMENT EXECUTE FUNCTION "bump_board_data_version"();
