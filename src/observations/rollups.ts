import { jsonRows, jsonRowsParam } from '../db/json-rows';
import type { Prisma } from '../generated/prisma/client';

/**
 * Pooled rollups: for every observation, its components are added to the rollup row of the
 * org unit itself and of each of its ancestors (read off the materialised path), so the value
 * of any org unit is one indexed read. Writes send deltas; `rebuildRollups` recomputes from
 * the observations (after a bulk load, or when the tree changes shape).
 */
export interface RollupDelta {
  measureId: number;
  /** the observed unit's materialised path, e.g. "/1/4/17/" */
  path: string;
  periodStart: string;
  numerator: number;
  denominator: number;
  contributors: number;
}

export async function applyRollupDeltas(tx: Prisma.TransactionClient, deltas: readonly RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  // One JSON parameter rather than six arrays: far cheaper to hand through the driver for big batches.
  const payload = jsonRowsParam(deltas.map((d) => [d.measureId, leafId(d.path), d.periodStart, d.numerator, d.denominator, d.contributors]));
  await tx.$executeRawUnsafe(
    `INSERT INTO observation_rollup (measure_id, org_unit_id, period_start, numerator, denominator, contributors)
     SELECT d.m, a.ancestor_id, d.p, SUM(d.n), SUM(d.d), SUM(d.c)
     FROM ${jsonRows('$1', [['m', 'int'], ['u', 'int'], ['p', 'date'], ['n', 'float8'], ['d', 'float8'], ['c', 'int']])} AS d
     -- The ancestors are read from the unit's path as it is now, under the measure lock, not as the
     -- writer read it earlier: a concurrent move of the unit (orgUnitUpdate) cannot misplace the delta.
     JOIN org_unit u ON u.id = d.u
     CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')::int[]) AS a(ancestor_id)
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
     ON CONFLICT (measure_id, org_unit_id, period_start) DO UPDATE SET
       numerator = observation_rollup.numerator + EXCLUDED.numerator,
       denominator = observation_rollup.denominator + EXCLUDED.denominator,
       contributors = observation_rollup.contributors + EXCLUDED.contributors`,
    payload,
  );
}

/** The observed unit's own id: the last id of its materialised path. */
function leafId(path: string): number {
  const ids = path.split('/').filter(Boolean);
  return Number(ids[ids.length - 1]);
}

/** Recomputes every rollup (or one measure's) from the observations, in one statement each. */
export async function rebuildRollups(tx: Prisma.TransactionClient, measureId?: number): Promise<void> {
  const filter = measureId === undefined ? '' : 'WHERE o.measure_id = $1';
  const params = measureId === undefined ? [] : [measureId];
  await tx.$executeRawUnsafe(`DELETE FROM observation_rollup ${measureId === undefined ? '' : 'WHERE measure_id = $1'}`, ...params);
  await tx.$executeRawUnsafe(
    `INSERT INTO observation_rollup (measure_id, org_unit_id, period_start, numerator, denominator, contributors)
     SELECT o.measure_id, a.ancestor_id, o.period_start, SUM(o.numerator), SUM(COALESCE(o.denominator, 0)), COUNT(*)
     FROM observation o
     JOIN org_unit u ON u.id = o.org_unit_id
     CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')::int[]) AS a(ancestor_id)
     ${filter}
     GROUP BY 1, 2, 3`,
    ...params,
  );
}
