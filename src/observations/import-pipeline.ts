import type { RequestContext } from '../graphql/context';
import { runMutation, type MutationResult } from '../editing/mutation';
import { UserErrorsException } from '../graphql/errors';
import { prepareImport, type ImportReferences } from './import-prepare';
import { summariseImport, type ImportOutcome, type ImportSummary } from './import-summary';
import { writeObservations } from './observation-writer';
import { batchProblems, rejectedRowCount, validateRows, type IncomingRow } from './row-validation';

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
  return runMutation(ctx, 'recordObservations', async ({ tx, audit }) => {
    const tooMany = batchProblems(rows.length);
    if (tooMany.length > 0) throw new UserErrorsException(tooMany);

    const { valid, problems } = validateRows(rows, await prepareImport(tx, ctx.actor, rows, options.references));
    if (problems.length > 0 && options.allOrNothing) throw new UserErrorsException(problems);

    // With allOrNothing off, rows whose externalId conflicts are refused and the rest written.
    const written = await writeObservations(tx, valid, ctx.actor.label, { dryRun: options.dryRun, returnIds: options.returnIds, skipConflicts: !options.allOrNothing });
    if (written.problems.length > 0 && options.allOrNothing) throw new UserErrorsException(written.problems);
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
