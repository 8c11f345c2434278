import type { RequestContext } from '../graphql/context';
import { runMutation, type MutationResult } from '../editing/mutation';
import { UserErrorsException } from '../graphql/errors';
import { prepareImport, type ImportReferences } from './import-prepare';
import { summariseImport, type ImportOutcome, type ImportSummary } from './import-summary';
import { writeObservations } from './observation-writer';
import { batchProblems, rejectedRowCount, validateRows, type IncomingRow, type KnownMeasure, type ValidRow } from './row-validation';
import { checkStrata, type StoredRow, type StrataCheck } from './strata-consistency';
import { jsonRows, jsonRowsParam } from '../db/json-rows';
import type { Prisma } from '../generated/prisma/client';

/**
 * Every import of observations, whoever sends it (GraphQL, FHIR; the CSV script posts to
 * GraphQL), runs these steps in one transaction:
 *   prepare    resolve the rows' measure and org-unit codes (once) and the actor's scope (import-prepare.ts)
 *   validate   check every row against them (row-validation.ts)
 *   write      insert or revise the observations and push the rollup deltas (observation-writer.ts)
 *   summarise  counts created / updated / unchanged / rejected, or user errors (import-summary.ts)
 * The summary is returned, not recorded: the caller puts it in the request's log line and metrics.
 */

export interface ImportOptions {
  dryRun: boolean;
  /** true (the default): any row error and nothing is written */
  allOrNothing: boolean;
  /** report the observation ids the rows name (single records); bulk imports skip it */
  returnIds?: boolean;
  /** the rows' measures and org units, when the caller has resolved them already; else they are looked up */
  references?: ImportReferences;
}

export async function importObservations(ctx: RequestContext, rows: IncomingRow[], options: ImportOptions): Promise<ImportSummary> {
  return summariseImport(await writeImport(ctx, rows, options), rows.length, options.dryRun);
}

async function writeImport(ctx: RequestContext, rows: IncomingRow[], options: ImportOptions): Promise<MutationResult<ImportOutcome>> {
  return runMutation(ctx, 'recordObservations', async ({ tx, sql, audit }) => {
    const tooMany = batchProblems(rows.length);
    if (tooMany.length > 0) throw new UserErrorsException(tooMany);

    const prepared = await prepareImport(tx, ctx.actor, rows, options.references);
    const checked = validateRows(rows, prepared);
    // Strata add up to their whole population (strata-consistency.ts); a whole worked out from them is written too.
    const strata = await checkBatchStrata(tx, checked.valid, prepared.measures);
    const problems = [...checked.problems, ...strata.problems];
    if (problems.length > 0 && options.allOrNothing) throw new UserErrorsException(problems);

    // With allOrNothing off, rows whose externalId conflicts are refused and the rest written.
    const written = await writeObservations(tx, strata.valid, ctx.actor.label, { dryRun: options.dryRun, returnIds: options.returnIds, skipConflicts: !options.allOrNothing, sql });
    if (written.problems.length > 0 && options.allOrNothing) throw new UserErrorsException(written.problems);
    // The derived wholes are not rows anyone sent: written, not counted.
    if (strata.derived.length > 0) await writeObservations(tx, strata.derived, ctx.actor.label, { dryRun: options.dryRun, sql });
    const outcome: ImportOutcome = { ...written, rejected: [...problems, ...written.problems] };
    // Nothing may persist from a dry run, whatever the writer did on the way.
    if (options.dryRun) throw new DryRunRollback(outcome);
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
          rejected: rejectedRowCount(outcome.rejected, rows.length),
          sources: [...new Set(rows.map((r) => r.source))],
        },
      });
    }
    return outcome;
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

/**
 * The stored rows (whole and strata) at the keys of the batch's rows whose measure has
 * stratifiers, one statement; then the pure check. Measures without stratifiers cost nothing.
 */
async function checkBatchStrata(tx: Prisma.TransactionClient, valid: ValidRow[], measures: ReadonlyMap<string, KnownMeasure>): Promise<StrataCheck> {
  const stratified = new Map([...measures.values()].filter((m) => m.stratifiers.length > 0).map((m) => [m.id, m]));
  const relevant = valid.filter((row) => stratified.has(row.measureId));
  if (relevant.length === 0) return { valid, problems: [], derived: [] };
  const keys = [...new Map(relevant.map((r) => [`${r.measureId}|${r.orgUnitId}|${r.periodStart}`, [r.measureId, r.orgUnitId, r.periodStart] as const])).values()];
  const stored = await tx.$queryRawUnsafe<Array<{ measure_id: number; org_unit_id: number; period: string; stratifier: string; stratum_code: string; numerator: number; denominator: number | null; derived_from_strata: boolean }>>(
    `SELECT o.measure_id, o.org_unit_id, to_char(o.period_start, 'YYYY-MM-DD') AS period, o.stratifier, o.stratum_code, o.numerator, o.denominator, o.derived_from_strata
     FROM ${jsonRows('$1', [['m', 'int'], ['u', 'int'], ['p', 'date']])} AS k
     JOIN observation o ON o.measure_id = k.m AND o.org_unit_id = k.u AND o.period_start = k.p`,
    jsonRowsParam(keys),
  );
  const storedRows: StoredRow[] = stored.map((r) => ({
    measureId: Number(r.measure_id),
    orgUnitId: Number(r.org_unit_id),
    periodStart: r.period,
    stratifier: r.stratifier,
    stratumCode: r.stratum_code,
    numerator: Number(r.numerator),
    denominator: r.denominator === null ? null : Number(r.denominator),
    derivedFromStrata: r.derived_from_strata,
  }));
  const check = checkStrata(relevant, storedRows, (measureId) => stratified.get(measureId)?.scoringType === 'COUNT');
  const kept = new Set(check.valid);
  const refused = new Set(relevant.filter((row) => !kept.has(row)));
  return { ...check, valid: valid.filter((row) => !refused.has(row)) };
}
