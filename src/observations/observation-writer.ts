import { jsonRows, jsonRowsParam } from '../db/json-rows';
import type { Prisma } from '../generated/prisma/client';
import { transactionSql, type TransactionSql } from '../db/transaction-sql';
import { isUniqueViolation } from '../editing/mutation';
import { lockMeasures } from './measure-locks';
import { applyRollupDeltas, type RollupDelta } from './rollups';
import type { RowProblem, ValidRow } from './row-validation';

/**
 * Writes validated observations in a handful of set-based statements, whatever the batch size:
 * lock the batch's measures, read what exists, insert the new, update the changed (keeping the
 * old value as a revision), and push the differences into the pooled rollups.
 *
 * One current value per (measure, org unit, period): concurrent writers of the same measure
 * queue on the measure locks (measure-locks.ts), so overlapping batches from two systems
 * serialise instead of racing (and rollup rows are only ever touched under those locks).
 */
export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface WriteResult extends WriteCounts {
  problems: RowProblem[];
  /** with `returnIds`: ids of the observations the rows name (created, updated or unchanged), by row index */
  observationIds: Map<number, bigint>;
  /** what happened to each row written (or, in a dry run, would have), by row index: FHIR answers per entry */
  rowOutcomes: Map<number, RowOutcome>;
}

export type RowOutcome = 'created' | 'updated' | 'unchanged';

interface ExistingRow {
  id: bigint;
  ord: number;
  numerator: number;
  denominator: number | null;
  source: string;
  external_id: string | null;
  revision: number;
  recorded_by: string;
  recorded_at: Date;
}

export async function writeObservations(
  tx: Prisma.TransactionClient,
  rows: readonly ValidRow[],
  recordedBy: string,
  options: {
    dryRun: boolean;
    returnIds?: boolean;
    /** true: rows whose externalId conflicts are left out and the rest written; false: any conflict and nothing is */
    skipConflicts?: boolean;
    /** the transaction's statements past Prisma's client (runMutation's `sql`); else through `tx` */
    sql?: TransactionSql;
  },
): Promise<WriteResult> {
  const sql = options.sql ?? transactionSql(tx);
  const result: WriteResult = { created: 0, updated: 0, unchanged: 0, problems: [], observationIds: new Map(), rowOutcomes: new Map() };
  if (rows.length === 0) return result;

  await lockMeasures(tx, rows.map((r) => r.measureId));

  // One unique-index probe per row (LATERAL ... LIMIT 1 keeps the planner from hash-joining a
  // scan of the whole table, which grows with every load); the key is unique, so LIMIT 1 drops nothing.
  const existing = await sql.query<ExistingRow>(
    `SELECT o.id, i.ord, o.numerator, o.denominator, o.source, o.external_id, o.revision, o.recorded_by, o.recorded_at
     FROM ${jsonRows('$1', [['ord', 'int'], ['m', 'int'], ['u', 'int'], ['p', 'date'], ['sf', 'text'], ['sc', 'text']])} AS i
     CROSS JOIN LATERAL (
       SELECT * FROM observation x
       WHERE x.measure_id = i.m AND x.org_unit_id = i.u AND x.period_start = i.p AND x.stratifier = i.sf AND x.stratum_code = i.sc
       LIMIT 1
     ) o`,
    jsonRowsParam(rows.map((r, ord) => [ord, r.measureId, r.orgUnitId, r.periodStart, r.stratifier, r.stratumCode])),
  );
  const existingByOrd = new Map(existing.map((e) => [Number(e.ord), e]));

  // An externalId names one record of its source. A row whose key already holds that very
  // (source, externalId) cannot conflict; a new row's externalId is checked by the insert
  // itself (the unique index), so a first load probes nothing. The probe runs for the rest,
  // and for every row when nothing will be inserted to check it (a dry run, or a batch that is
  // refused anyway, so that every conflict is named at once).
  const renamed: number[] = [];
  const fresh: number[] = [];
  rows.forEach((row, ord) => {
    if (row.externalId === null) return;
    const old = existingByOrd.get(ord);
    if (!old) fresh.push(ord);
    else if (old.source !== row.source || old.external_id !== row.externalId) renamed.push(ord);
  });
  const insertChecks = !options.dryRun && sql.direct;
  result.problems.push(...(await externalIdConflicts(sql, rows, insertChecks ? renamed : [...renamed, ...fresh], existingByOrd)));
  if (insertChecks && result.problems.length > 0 && !options.skipConflicts) result.problems.push(...(await externalIdConflicts(sql, rows, fresh, existingByOrd)));
  if (result.problems.length > 0 && !options.skipConflicts) return sortedByRow(result);
  const conflicting = new Set(result.problems.map((p) => p.field[1]));

  let creates: ValidRow[] = [];
  const updates: Array<{ row: ValidRow; old: ExistingRow }> = [];
  rows.forEach((row, ord) => {
    if (conflicting.has(String(row.index))) return;
    const old = existingByOrd.get(ord);
    if (!old) {
      creates.push(row);
      result.rowOutcomes.set(row.index, 'created');
    } else if (old.numerator === row.numerator && old.denominator === row.denominator) {
      result.unchanged += 1;
      result.rowOutcomes.set(row.index, 'unchanged');
      if (options.returnIds) result.observationIds.set(row.index, BigInt(old.id));
    } else {
      updates.push({ row, old });
      result.rowOutcomes.set(row.index, 'updated');
    }
  });
  result.created = creates.length;
  result.updated = updates.length;
  if (options.dryRun) return sortedByRow(result);

  if (creates.length > 0) {
    const insert = (rowsToInsert: readonly ValidRow[]) => insertCreates(sql, rowsToInsert, recordedBy, result, options.returnIds === true);
    // `fresh` holds no conflicting row here: only stored rows were probed before the insert.
    let refusedByInsert: RowProblem[] = [];
    if (insertChecks && fresh.length > 0) refusedByInsert = await insertCheckingExternalIds(sql, rows, fresh, existingByOrd, () => insert(creates));
    else await insert(creates);
    if (refusedByInsert.length > 0) {
      // New rows whose externalId another observation holds: nothing written, or the rest.
      result.problems.push(...refusedByInsert);
      if (!options.skipConflicts) return sortedByRow(result);
      const refused = new Set(refusedByInsert.map((p) => p.field[1]));
      creates = creates.filter((row) => !refused.has(String(row.index)));
      for (const index of refused) result.rowOutcomes.delete(Number(index));
      result.created = creates.length;
      if (creates.length > 0) await insert(creates);
    }
  }

  if (updates.length > 0) {
    await sql.execute(
      `INSERT INTO observation_revision (observation_id, revision, numerator, denominator, source, external_id, recorded_by, recorded_at)
       SELECT * FROM ${jsonRows('$1', [['id', 'bigint'], ['revision', 'int'], ['n', 'float8'], ['d', 'float8'], ['s', 'text'], ['e', 'text'], ['by', 'text'], ['at', 'timestamptz']])} AS old`,
      jsonRowsParam(
        updates.map(({ old }) => [old.id.toString(), old.revision, old.numerator, old.denominator, old.source, old.external_id, old.recorded_by, old.recorded_at.toISOString()]),
      ),
    );
    await sql.execute(
      `UPDATE observation o SET numerator = i.n, denominator = i.d, source = i.s,
         external_id = i.e, revision = o.revision + 1, recorded_by = $2, recorded_at = now(), derived_from_strata = i.dv
       FROM ${jsonRows('$1', [['id', 'bigint'], ['n', 'float8'], ['d', 'float8'], ['s', 'text'], ['e', 'text'], ['dv', 'boolean']])} AS i
       WHERE o.id = i.id`,
      jsonRowsParam(updates.map(({ row, old }) => [old.id.toString(), row.numerator, row.denominator, row.source, row.externalId, row.derivedFromStrata === true])),
      recordedBy,
    );
    if (options.returnIds) for (const u of updates) result.observationIds.set(u.row.index, BigInt(u.old.id));
  }

  // The rollups pool whole populations only; strata are pooled by the equality lens.
  const deltas: RollupDelta[] = [
    ...creates.filter((r) => r.stratifier === '').map((r) => ({ measureId: r.measureId, orgUnitId: r.orgUnitId, periodStart: r.periodStart, numerator: r.numerator, denominator: r.denominator ?? 0, contributors: 1 })),
    ...updates.filter(({ row }) => row.stratifier === '').map(({ row, old }) => ({
      measureId: row.measureId,
      orgUnitId: row.orgUnitId,
      periodStart: row.periodStart,
      numerator: row.numerator - old.numerator,
      denominator: (row.denominator ?? 0) - (old.denominator ?? 0),
      contributors: 0,
    })),
  ];
  await applyRollupDeltas(sql, deltas);
  return sortedByRow(result);
}

/** The new rows inserted in one statement (with their ids matched back by key when asked). */
async function insertCreates(sql: TransactionSql, creates: readonly ValidRow[], recordedBy: string, result: WriteResult, returnIds: boolean): Promise<void> {
  const payload = jsonRowsParam(
    creates.map((r, ord) => [ord, r.measureId, r.orgUnitId, r.periodStart, r.numerator, r.denominator, r.source, r.externalId, r.stratifier, r.stratumCode, r.derivedFromStrata === true]),
  );
  const insert = `INSERT INTO observation (measure_id, org_unit_id, period_start, numerator, denominator, source, external_id, recorded_by, stratifier, stratum_code, derived_from_strata)
       SELECT m, u, p, n, d, s, e, $2, sf, sc, dv FROM input`;
  const columns = [['ord', 'int'], ['m', 'int'], ['u', 'int'], ['p', 'date'], ['n', 'float8'], ['d', 'float8'], ['s', 'text'], ['e', 'text'], ['sf', 'text'], ['sc', 'text'], ['dv', 'boolean']] as const;
  const input = `input AS ${jsonRows('$1', columns)}`;
  if (returnIds) {
    const inserted = await sql.query<{ id: bigint; ord: number }>(
      `WITH ${input}, inserted AS (${insert} RETURNING id, measure_id, org_unit_id, period_start, stratifier, stratum_code)
       SELECT inserted.id, input.ord FROM inserted
       JOIN input ON input.m = inserted.measure_id AND input.u = inserted.org_unit_id AND input.p = inserted.period_start
                 AND input.sf = inserted.stratifier AND input.sc = inserted.stratum_code`,
      payload,
      recordedBy,
    );
    // Matched back by key (unique), not by RETURNING order.
    for (const row of inserted) result.observationIds.set(creates[Number(row.ord)].index, BigInt(row.id));
  } else {
    // Bulk imports need no ids back: skipping RETURNING and the match saves a tenth of a batch.
    await sql.execute(`WITH ${input} ${insert}`, payload, recordedBy);
  }
}

/**
 * Runs the insert under a savepoint. If a unique index refuses it, the insert is undone and the
 * new rows (`fresh`, indexes into `rows`) probed on (source, external_id), to say which rows
 * conflict (the problems are returned, nothing of the insert is kept); any other failure, or one
 * the probe cannot explain, is thrown as it came. The key's own unique index cannot be what refused it: the
 * rows' keys were read under the measure locks and a batch repeats no key (row validation).
 */
async function insertCheckingExternalIds(
  sql: TransactionSql,
  rows: readonly ValidRow[],
  fresh: readonly number[],
  existingByOrd: Map<number, ExistingRow>,
  insert: () => Promise<void>,
): Promise<RowProblem[]> {
  await sql.execute('SAVEPOINT observation_insert');
  try {
    await insert();
    return [];
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await sql.execute('ROLLBACK TO SAVEPOINT observation_insert');
    const problems = await externalIdConflicts(sql, rows, fresh, existingByOrd);
    if (problems.length === 0) throw error;
    return problems;
  }
}

/** Problems in row order, as one probe over the whole batch reported them. */
function sortedByRow(result: WriteResult): WriteResult {
  result.problems.sort((a, b) => Number(a.field[1]) - Number(b.field[1]));
  return result;
}

/**
 * A (source, externalId) names one record in the sending system. If it already names an
 * observation at another measure, org unit or period, the row is refused rather than
 * silently moving or duplicating data. Probes the rows at `ords` (indexes into `rows`).
 */
async function externalIdConflicts(
  sql: TransactionSql,
  rows: readonly ValidRow[],
  ords: readonly number[],
  existingByOrd: Map<number, ExistingRow>,
): Promise<RowProblem[]> {
  if (ords.length === 0) return [];
  // As above: a probe of the (source, external_id) unique index per row, never a table scan.
  const found = await sql.query<{ id: bigint; ord: number }>(
    `SELECT o.id, i.ord FROM ${jsonRows('$1', [['ord', 'int'], ['source', 'text'], ['external_id', 'text']])} AS i
     CROSS JOIN LATERAL (
       SELECT x.id FROM observation x WHERE x.source = i.source AND x.external_id = i.external_id LIMIT 1
     ) o`,
    jsonRowsParam(ords.map((ord) => [ord, rows[ord].source, rows[ord].externalId])),
  );
  const problems: RowProblem[] = [];
  for (const hit of found) {
    const ord = Number(hit.ord);
    const atKey = existingByOrd.get(ord);
    if (!atKey || BigInt(atKey.id) !== BigInt(hit.id)) {
      const row = rows[ord];
      problems.push({
        field: ['rows', String(row.index), 'externalId'],
        code: 'EXTERNAL_ID_CONFLICT',
        message: `externalId "${row.externalId}" from ${row.source} already names an observation of another measure, org unit or period`,
      });
    }
  }
  return problems;
}
