-- Trusts kept apart. A credential names the trusts it may read and write (no rows: every
-- trust of the installation, which only ADMIN and whole-ICS BOARD keys may be).
CREATE TABLE "api_key_trust" (
    "api_key_id" INTEGER NOT NULL,
    "trust_id" INTEGER NOT NULL,
    CONSTRAINT "api_key_trust_pkey" PRIMARY KEY ("api_key_id", "trust_id")
);
CREATE INDEX "api_key_trust_trust_id_idx" ON "api_key_trust"("trust_id");
ALTER TABLE "api_key_trust" ADD CONSTRAINT "api_key_trust_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_key_trust" ADD CONSTRAINT "api_key_trust_trust_id_fkey" FOREIGN KEY ("trust_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Keys made before: a TEAM_MANAGER key reads its own scope's trust; a FACULTY_LEAD key the
-- trusts there are now, named (so a trust added later is not theirs). ADMIN and BOARD keys
-- keep every trust; integration keys take their client's units' trusts when they sign in.
INSERT INTO "api_key_trust" ("api_key_id", "trust_id")
  SELECT k.id, split_part(u.path, '/', 2)::int FROM "api_key" k JOIN "org_unit" u ON u.id = k.scope_org_unit_id
  WHERE k.role = 'TEAM_MANAGER';
INSERT INTO "api_key_trust" ("api_key_id", "trust_id")
  SELECT k.id, t.id FROM "api_key" k CROSS JOIN "org_unit" t
  WHERE k.role = 'FACULTY_LEAD' AND t.type = 'TRUST' AND t.parent_id IS NULL;

-- The org unit an audit entry belongs to (its trust decides who may read it); NULL: shared by
-- every trust (principles, measures, workstreams, keys). The unit, not the trust, is stored,
-- so a unit moved to another trust takes its history with it.
ALTER TABLE "audit_event" ADD COLUMN "org_unit_id" INTEGER;
CREATE INDEX "audit_event_org_unit_id_idx" ON "audit_event"("org_unit_id");
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Entries written before: the unit of what they are about, where it has one.
UPDATE "audit_event" a SET "org_unit_id" = u.id FROM "org_unit" u
  WHERE a.entity_type = 'OrgUnit' AND a.entity_id ~ '^[0-9]{1,9}$' AND u.id = a.entity_id::int;
UPDATE "audit_event" a SET "org_unit_id" = p.org_unit_id FROM "person" p
  WHERE a.entity_type = 'Person' AND a.entity_id ~ '^[0-9]{1,9}$' AND p.id = a.entity_id::int;
UPDATE "audit_event" a SET "org_unit_id" = c.org_unit_id FROM "commentary" c
  WHERE a.entity_type = 'Commentary' AND a.entity_id ~ '^[0-9]{1,9}$' AND c.id = a.entity_id::int;
UPDATE "audit_event" a SET "org_unit_id" = s.org_unit_id FROM "spc_phase" s
  WHERE a.entity_type = 'SpcPhase' AND a.entity_id ~ '^[0-9]{1,9}$' AND s.id = a.entity_id::int;
UPDATE "audit_event" a SET "org_unit_id" = t.org_unit_id FROM "measure_target" t
  WHERE a.entity_type = 'MeasureTarget' AND a.entity_id ~ '^[0-9]{1,9}$' AND t.id = a.entity_id::int;
UPDATE "audit_event" a SET "org_unit_id" = o.org_unit_id FROM "observation" o
  WHERE a.entity_type = 'Observation' AND a.entity_id ~ '^[0-9]{1,18}$' AND o.id = a.entity_id::bigint;
-- A link between a shared entity and a unit (a team joining a workstream, a unit's target on a measure).
UPDATE "audit_event" a SET "org_unit_id" = u.id FROM "org_unit" u
  WHERE a.org_unit_id IS NULL AND a.entity_type IN ('Workstream', 'Measure')
    AND u.code = COALESCE(a.after->>'orgUnit', a.before->>'orgUnit', a.after->>'orgUnitCode', a.before->>'orgUnitCode');
-- An import batch's record: the unit of its rows is not kept, so it is shared only with
-- readers of every trust (who alone may see import records at all).

-- Annotations hang on a unit, and tenancy filters them through it: say so to the database.
ALTER TABLE "spc_phase" ADD CONSTRAINT "spc_phase_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "commentary" ADD CONSTRAINT "commentary_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
