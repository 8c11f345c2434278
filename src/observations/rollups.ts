import { jsonRows, jsonRowsParam } from '../db/json-rows';
import type { Prisma } from '../generated/prisma/client';
import type { TransactionSql } from '../db/transaction-sql';

/** Joined to `org_unit u`: a row per id on the unit's materialised path, the unit itself included (`a.ancestor_id`). */
const UNIT_AND_ANCESTORS = "CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')::int[]) AS a(ancestor_id)";

/**
 * Pooled rollups: for every observation, its components are added to the rollup row of the
 * org unit itself and of each of its ancestors (read off the materialised path), so the value
 * of any org unit is one indexed read. Writes send deltas; `rebuildRollups` recomputes from
 * the observations (after a bulk load, or when the tree changes shape).
 */
export interface RollupDelta {
  measureId: number;
  /** the observed unit; its ancestors are read from the database when the delta is applied */
  orgUnitId: number;
  periodStart: string;
  numerator: number;
  denominator: number;
  contributors: number;
}

export async function applyRollupDeltas(sql: TransactionSql, deltas: readonly RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  // One JSON parameter rather than six arrays: far cheaper to hand through the driver for big batches.
  const payload = jsonRowsParam(deltas.map((d) => [d.measureId, d.orgUnitId, d.periodStart, d.numerator, d.denominator, d.contributors]));
  await sql.execute(
    `INSERT INTO observation_rollup (measure_id, org_unit_id, period_start, numerator, denominator, contributors)
     SELECT d.m, a.ancestor_id, d.p, SUM(d.n), SUM(d.d), SUM(d.c)
     FROM ${jsonRows('$1', [['m', 'int'], ['u', 'int'], ['p', 'date'], ['n', 'float8'], ['d', 'float8'], ['c', 'int']])} AS d
     -- The ancestors are read from the unit's path as it is now, under the measure lock, not as the
     -- writer read it earlier: a concurrent move of the unit (orgUnitUpdate) cannot misplace the delta.
     JOIN org_unit u ON u.id = d.u
     ${UNIT_AND_ANCESTORS}
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
     ON CONFLICT (measure_id, org_unit_id, period_start) DO UPDATE SET
       numerator = observation_rollup.numerator + EXCLUDED.numerator,
       denominator = observation_rollup.denominator + EXCLUDED.denominator,
       contributors = observation_rollup.contributors + EXCLUDED.contributors`,
    payload,
  );
}

/** Every rollup row as the whole-population observations make it (strata are not rolled up here): per measure, period and org unit, that unit's whole subtree pooled. */
const ROLLUPS_FROM_OBSERVATIONS = `
  SELECT o.measure_id, a.ancestor_id AS org_unit_id, o.period_start,
         SUM(o.numerator) AS numerator, SUM(COALESCE(o.denominator, 0)) AS denominator, COUNT(*)::int AS contributors
  FROM observation o
  JOIN org_unit u ON u.id = o.org_unit_id
  ${UNIT_AND_ANCESTORS}
  WHERE o.stratifier = ''
  GROUP BY 1, 2, 3`;

/** Recomputes every rollup from the observations (after a bulk load, or a move in the tree). */
export async function rebuildRollups(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRawUnsafe('DELETE FROM observation_rollup');
  await tx.$executeRawUnsafe(
    `INSERT INTO observation_rollup (measure_id, org_unit_id, period_start, numerator, denominator, contributors) ${ROLLUPS_FROM_OBSERVATIONS}`,
  );
}

/**
 * How many rollup rows differ from a rebuild from the observations (0: the deltas kept them
 * exact). Sums of fractional components depend on the order they are added in, so values
 * match within a relative 1e-9; the contributor counts and the set of rows must match exactly.
 */
export async function countRollupDrift(db: Prisma.TransactionClient): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(
    `WITH fresh AS (${ROLLUPS_FROM_OBSERVATIONS})
     SELECT COUNT(*) AS n
     FROM fresh f
     FULL OUTER JOIN observation_rollup r USING (measure_id, org_unit_id, period_start)
     WHERE f.measure_id IS NULL OR r.measure_id IS NULL
        OR f.contributors <> r.contributors
        OR abs(f.numerator - r.numerator) > 1e-9 * greatest(1, abs(f.numerator))
        OR abs(f.denominator - r.denominator) > 1e-9 * greatest(1, abs(f.denominator))`,
  );
  return Number(row.n);
}
