import type { Actor } from '../access/actor';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { runMutation, type MutationResult } from '../editing/mutation';
import { UserErrorsException } from '../graphql/errors';
import { monthStart } from '../statistics/periods';
import { noteObservationRows } from '../server/request-state';
import { writeObservations, type WriteCounts } from './observation-writer';
import { rejectedRowCount, validateRows, type IncomingRow, type KnownMeasure, type KnownOrgUnit, type RowProblem } from './row-validation';

export const MAX_IMPORT_ROWS = 10_000;

export interface ImportOptions {
  dryRun: boolean;
  /** true (the default): any row error and nothing is written */
  allOrNothing: boolean;
  /** report the observation ids the rows name (single records); bulk imports skip it */
  returnIds?: boolean;
}

/** An import's answer: its outcome or user errors, and how many rows it refused either way. */
export type ImportResult = MutationResult<ImportOutcome> & { rejectedRows: number };

export interface ImportOutcome extends WriteCounts {
  dryRun: boolean;
  /** rows refused while the valid ones were written (allOrNothing: false only) */
  rejected: RowProblem[];
  observationIds: Map<number, bigint>;
}

/**
 * What an actor may write: a TEAM_MANAGER its own subtree; an INTEGRATION client the measures
 * and org-unit subtrees it was registered for; ADMIN and FACULTY_LEAD anything.
 */
async function scopeChecker(tx: Prisma.TransactionClient, actor: Actor) {
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

export async function importObservations(
  ctx: RequestContext,
  rows: IncomingRow[],
  options: ImportOptions,
): Promise<ImportResult> {
  const result = await writeImport(ctx, rows, options);
  const outcome = result.value;
  const rejectedRows = rejectedRowCount(outcome ? outcome.rejected : result.userErrors, rows.length);
  if (!options.dryRun) {
    noteObservationRows({
      sender: ctx.actor.role === 'INTEGRATION' ? (ctx.actor.sourceSystem ?? 'integration') : ctx.actor.role,
      created: outcome?.created ?? 0,
      updated: outcome?.updated ?? 0,
      unchanged: outcome?.unchanged ?? 0,
      rejected: rejectedRows,
    });
  }
  return { ...result, rejectedRows };
}

async function writeImport(ctx: RequestContext, rows: IncomingRow[], options: ImportOptions): Promise<MutationResult<ImportOutcome>> {
  return runMutation(ctx, 'recordObservations', async ({ tx, audit }) => {
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new UserErrorsException([{ field: ['rows'], code: 'TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows a call; split the batch` }]);
    }
    const measureCodes = [...new Set(rows.map((r) => r.measureCode))];
    const orgUnitCodes = [...new Set(rows.map((r) => r.orgUnitCode))];
    const [measures, orgUnits] = await Promise.all([
      tx.measure.findMany({ where: { code: { in: measureCodes } }, select: { id: true, code: true, scoringType: true, periodicity: true, archivedAt: true } }),
      tx.orgUnit.findMany({ where: { code: { in: orgUnitCodes } }, select: { id: true, code: true, path: true, archivedAt: true } }),
    ]);
    const { valid, problems } = validateRows(rows, {
      measures: new Map(measures.map((m) => [m.code, { id: m.id, scoringType: m.scoringType, periodicity: m.periodicity, archived: m.archivedAt !== null }])),
      orgUnits: new Map(orgUnits.map((u) => [u.code, { id: u.id, path: u.path, archived: u.archivedAt !== null }])),
      latestPeriod: monthStart(new Date()),
      scopeProblem: await scopeChecker(tx, ctx.actor),
    });
    if (problems.length > 0 && options.allOrNothing) throw new UserErrorsException(problems);

    // With allOrNothing off, rows whose externalId conflicts are refused and the rest written.
    const written = await writeObservations(tx, valid, ctx.actor.label, { dryRun: options.dryRun, returnIds: options.returnIds, skipConflicts: !options.allOrNothing });
    if (written.problems.length > 0 && options.allOrNothing) throw new UserErrorsException(written.problems);
    if (options.dryRun) {
      // Nothing may persist from a dry run, whatever the writer did on the way.
      throw new DryRunRollback({ ...written, dryRun: true, rejected: [...problems, ...written.problems] });
    }
    if (written.created + written.updated > 0) {
      audit({
        entityType: 'ObservationImport',
        entityId: ctx.requestId,
        action: 'import',
        after: {
          rows: rows.length,
          created: written.created,
          updated: written.updated,
          unchanged: written.unchanged,
          rejected: rejectedRowCount([...problems, ...written.problems], rows.length),
          sources: [...new Set(rows.map((r) => r.source))],
        },
      });
    }
    return { ...written, dryRun: false, rejected: [...problems, ...written.problems] };
  }).catch((error: unknown) => {
    if (error instanceof DryRunRollback) return { value: error.outcome, userErrors: [] as [] };
    throw error;
  });
}

/** Thrown to roll back a dry run's transaction while still answering with its counts. */
class DryRunRollback extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}
