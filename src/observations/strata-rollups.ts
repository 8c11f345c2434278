import type { Prisma } from '../generated/prisma/client';
import { UNIT_AND_ANCESTORS } from './rollups';

/**
 * Strata pooled up the tree (the equality lens): Σ numerators and Σ denominators of each
 * stratum's observations over an org unit's whole subtree, per month, exactly as the whole
 * population's rollups pool. Strata are read from the observations when asked for rather than
 * kept in a rollup table: they are a few measures' figures, read by the few views that show them,
 * and cached with the disclosure tables under each measure's data version.
 */
export interface StratumMonths {
  stratifier: string;
  code: string;
  /** oldest first, and the components in the same order */
  periods: string[];
  numerators: number[];
  denominators: number[];
  contributors: number[];
}

interface StrataRow {
  measure_id: number;
  org_unit_id: number;
  stratifier: string;
  stratum_code: string;
  periods: string[];
  numerators: Array<number | string>;
  denominators: Array<number | string>;
  contributors: Array<number | string>;
}

const AS_ARRAYS = `array_agg(to_char(s.period_start, 'YYYY-MM-DD') ORDER BY s.period_start) AS periods,
       array_agg(s.numerator ORDER BY s.period_start) AS numerators,
       array_agg(s.denominator ORDER BY s.period_start) AS denominators,
       array_agg(s.contributors ORDER BY s.period_start) AS contributors`;

function toMonths(row: StrataRow): StratumMonths {
  return {
    stratifier: row.stratifier,
    code: row.stratum_code,
    periods: row.periods,
    numerators: row.numerators.map(Number),
    denominators: row.denominators.map(Number),
    contributors: row.contributors.map(Number),
  };
}

/**
 * Every unit's pooled strata of these measures (for their disclosure tables), by measure and
 * unit. Installation-wide like the tables themselves: no figure of it reaches a reader except
 * through a table's verdicts and the reader's own trust-scoped views.
 */
export async function strataOfEveryUnit(db: Prisma.TransactionClient, measureIds: readonly number[]): Promise<Map<number, Map<number, StratumMonths[]>>> {
  const rows = await db.$queryRawUnsafe<StrataRow[]>(
    `SELECT s.measure_id, s.org_unit_id, s.stratifier, s.stratum_code, ${AS_ARRAYS}
     FROM (
       SELECT o.measure_id, a.ancestor_id AS org_unit_id, o.stratifier, o.stratum_code, o.period_start,
              SUM(o.numerator) AS numerator, SUM(COALESCE(o.denominator, 0)) AS denominator, COUNT(*)::int AS contributors
       FROM observation o
       JOIN org_unit u ON u.id = o.org_unit_id
       ${UNIT_AND_ANCESTORS}
       WHERE o.measure_id = ANY($1::int[]) AND o.stratifier <> ''
       GROUP BY 1, 2, 3, 4, 5
     ) s
     GROUP BY 1, 2, 3, 4`,
    [...measureIds],
  );
  const result = new Map<number, Map<number, StratumMonths[]>>();
  for (const row of rows) {
    const measureId = Number(row.measure_id);
    const byUnit = result.get(measureId) ?? new Map<number, StratumMonths[]>();
    result.set(measureId, byUnit);
    const unitId = Number(row.org_unit_id);
    const list = byUnit.get(unitId) ?? [];
    list.push(toMonths(row));
    byUnit.set(unitId, list);
  }
  return result;
}

export interface StrataRequest {
  measureId: number;
  /** the unit whose subtree is pooled: resolved through the reader's trust-scoped client */
  orgUnitId: number;
  stratifier: string;
}

/** For each request, one stratifier's strata pooled over the unit's subtree: one statement for every request. */
export async function strataOfSubtrees(db: Prisma.TransactionClient, requests: readonly StrataRequest[]): Promise<StratumMonths[][]> {
  if (requests.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<StrataRow & { i: number | bigint }>>(
    `SELECT s.i, 0 AS measure_id, 0 AS org_unit_id, s.stratifier, s.stratum_code, ${AS_ARRAYS}
     FROM (
       SELECT k.i, o.stratifier, o.stratum_code, o.period_start,
              SUM(o.numerator) AS numerator, SUM(COALESCE(o.denominator, 0)) AS denominator, COUNT(*)::int AS contributors
       FROM unnest($1::int[], $2::int[], $3::text[]) WITH ORDINALITY AS k(measure_id, unit_id, stratifier, i)
       JOIN org_unit top ON top.id = k.unit_id
       JOIN org_unit u ON u.path LIKE top.path || '%'
       JOIN observation o ON o.org_unit_id = u.id AND o.measure_id = k.measure_id AND o.stratifier = k.stratifier
       GROUP BY 1, 2, 3, 4
     ) s
     GROUP BY 1, 2, 3, 4, 5`,
    requests.map((r) => r.measureId),
    requests.map((r) => r.orgUnitId),
    requests.map((r) => r.stratifier),
  );
  const result: StratumMonths[][] = requests.map(() => []);
  for (const row of rows) result[Number(row.i) - 1].push(toMonths(row));
  return result;
}
