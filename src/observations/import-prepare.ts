import type { Actor } from '../access/actor';
import type { Prisma } from '../generated/prisma/client';
import { monthStart } from '../statistics/periods';
import type { IncomingRow, KnownMeasure, KnownOrgUnit, RowContext } from './row-validation';

/**
 * Step 1 of an import (import-pipeline.ts): what the rows refer to and what the actor may
 * write. The measures and org units the rows name are resolved once, by the pipeline (one
 * query each) or by a caller that has looked them up already (FHIR reads them to map its
 * reports, and hands them on rather than having them read again).
 */

/** The measures and org units of a batch, by the codes its rows use. */
export interface ImportReferences {
  measures: ReadonlyMap<string, KnownMeasure>;
  orgUnits: ReadonlyMap<string, KnownOrgUnit>;
}

/** The columns a measure needs to be a reference (select them, or more, when reading measures to hand on). */
export const MEASURE_REFERENCE_SELECT = { id: true, code: true, scoringType: true, periodicity: true, archivedAt: true, stratifiers: true } as const;
const ORG_UNIT_REFERENCE_SELECT = { id: true, code: true, path: true, archivedAt: true } as const;

interface MeasureReferenceRow {
  id: number;
  code: string;
  scoringType: KnownMeasure['scoringType'];
  periodicity: KnownMeasure['periodicity'];
  archivedAt: Date | null;
  stratifiers: string[];
}

interface OrgUnitReferenceRow {
  id: number;
  code: string;
  path: string;
  archivedAt: Date | null;
}

/** References from measure and org-unit rows, however they were read. */
export function importReferences(measures: readonly MeasureReferenceRow[], orgUnits: readonly OrgUnitReferenceRow[]): ImportReferences {
  return {
    measures: new Map(measures.map((m) => [m.code, { id: m.id, scoringType: m.scoringType, periodicity: m.periodicity, archived: m.archivedAt !== null, stratifiers: m.stratifiers }])),
    orgUnits: new Map(orgUnits.map((u) => [u.code, { id: u.id, path: u.path, archived: u.archivedAt !== null }])),
  };
}

/** Looks up the measures and org units the rows name, one query each. */
export async function resolveReferences(tx: Prisma.TransactionClient, rows: readonly IncomingRow[]): Promise<ImportReferences> {
  const measureCodes = [...new Set(rows.map((r) => r.measureCode))];
  const orgUnitCodes = [...new Set(rows.map((r) => r.orgUnitCode))];
  const [measures, orgUnits] = await Promise.all([
    tx.measure.findMany({ where: { code: { in: measureCodes } }, select: MEASURE_REFERENCE_SELECT }),
    tx.orgUnit.findMany({ where: { code: { in: orgUnitCodes } }, select: ORG_UNIT_REFERENCE_SELECT }),
  ]);
  return importReferences(measures, orgUnits);
}

/**
 * What an actor may write: a TEAM_MANAGER its own subtree; an INTEGRATION client the measures
 * and org-unit subtrees it was registered for; ADMIN and FACULTY_LEAD anything.
 */
async function scopeChecker(tx: Prisma.TransactionClient, actor: Actor): Promise<RowContext['scopeProblem']> {
  if (actor.role === 'TEAM_MANAGER') {
    return (_code: string, _m: KnownMeasure, unit: KnownOrgUnit) =>
      actor.scopePath && unit.path.startsWith(actor.scopePath) ? null : 'This org unit is outside your key’s scope';
  }
  if (actor.role === 'INTEGRATION') {
    // One statement for the whole scope (Prisma's nested include would take four).
    const [scope] = actor.integrationClientId
      ? await tx.$queryRawUnsafe<Array<{ measure_ids: number[]; paths: string[] }>>(
          `SELECT ARRAY(SELECT measure_id FROM integration_client_measure WHERE client_id = $1) AS measure_ids,
                  ARRAY(SELECT u.path FROM integration_client_org_unit c JOIN org_unit u ON u.id = c.org_unit_id WHERE c.client_id = $1) AS paths`,
          actor.integrationClientId,
        )
      : [];
    const measureIds = new Set(scope?.measure_ids ?? []);
    const paths = scope?.paths ?? [];
    return (code: string, measure: KnownMeasure, unit: KnownOrgUnit) => {
      if (!measureIds.has(measure.id)) return `This integration client may not write measure ${code}`;
      if (!paths.some((p) => unit.path.startsWith(p))) return 'This integration client may not write to this org unit';
      return null;
    };
  }
  return () => null;
}

/** Everything row validation needs: the references (resolved here unless given), the latest period, the actor's scope. */
export async function prepareImport(
  tx: Prisma.TransactionClient,
  actor: Actor,
  rows: readonly IncomingRow[],
  references?: ImportReferences,
): Promise<RowContext> {
  const { measures, orgUnits } = references ?? (await resolveReferences(tx, rows));
  return { measures, orgUnits, latestPeriod: monthStart(new Date()), scopeProblem: await scopeChecker(tx, actor) };
}
