import type { MutationResult } from '../editing/mutation';
import type { UserErrorData } from '../graphql/errors';
import type { RowOutcome, WriteCounts } from './observation-writer';
import { rejectedRowCount, type RowProblem } from './row-validation';

/**
 * The last step of an import (import-pipeline.ts): its answer, the same whoever called it. The
 * callers shape it for their protocol (a GraphQL payload, a FHIR OperationOutcome) and record
 * it in the request's log line and metrics (noteObservationRows): the pipeline records nothing.
 */

/** What the write step produced, when the import went ahead (a dry run included). */
export interface ImportOutcome extends WriteCounts {
  /** rows refused while the valid ones were written (allOrNothing: false only) */
  rejected: RowProblem[];
  observationIds: Map<number, bigint>;
  rowOutcomes: Map<number, RowOutcome>;
}

export interface ImportSummary extends WriteCounts {
  /** false: the import was refused whole (userErrors say why) and nothing was written */
  accepted: boolean;
  dryRun: boolean;
  /** how many rows were refused, each once, whether the import went ahead or not */
  rejected: number;
  /** the problems of the rows refused while the others were written (allOrNothing: false) */
  rejectedRows: RowProblem[];
  /** why the import was refused whole; empty when it was accepted */
  userErrors: UserErrorData[];
  /** with `returnIds`: ids of the observations the rows name, by row index */
  observationIds: Map<number, bigint>;
  /** created / updated / unchanged for each row written (or that a dry run would write), by row index */
  rowOutcomes: Map<number, RowOutcome>;
}

export function summariseImport(result: MutationResult<ImportOutcome>, rowCount: number, dryRun: boolean): ImportSummary {
  const outcome = result.value;
  return {
    accepted: outcome !== null,
    dryRun,
    created: outcome?.created ?? 0,
    updated: outcome?.updated ?? 0,
    unchanged: outcome?.unchanged ?? 0,
    rejected: rejectedRowCount(outcome ? outcome.rejected : result.userErrors, rowCount),
    rejectedRows: outcome?.rejected ?? [],
    userErrors: result.userErrors,
    observationIds: outcome?.observationIds ?? new Map(),
    rowOutcomes: outcome?.rowOutcomes ?? new Map(),
  };
}
