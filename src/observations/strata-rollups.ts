import type { Prisma } from '../generated/prisma/client';

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
 * Every unit's own strata of these measures (not pooled: the caller pools them up its tree), by
 * measure and unit, as a row of arrays per unit and stratum. Installation-wide like the
 * disclosure tables they are read for: no figure of it reaches a reader except through a table's
 * verdicts and the reader's own trust-scoped views. Pooling up the tree in SQL multiplied the
 * rows by the tree's depth; on a large trust that read outlasted the statement timeout.
 */
export async function ownStrataOfEveryUnit(db: Prisma.TransactionClient, measureIds: readonly number[]): Promise<Map<number, Map<number, StratumMonths[]>>> {
  const rows = await db.$queryRawUnsafe<StrataRow[]>(
    `SELECT s.measure_id, s.org_unit_id, s.stratifier, s.stratum_code, ${AS_ARRAYS}
     FROM (SELECT o.measure_id, o.org_unit_id, o.stratifier, o.stratum_code, o.period_start, o.numerator, COALESCE(o.denominator, 0) AS denominator, 1 AS contributors
           FROM observation o WHERE o.measure_id = ANY($1::int[]) AND o.stratifier <> '') s
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

/**
 * Each unit's strata pooled over its subtree, from every unit's own strata and the tree
 * (`parentOf`): Σ numerators and Σ denominators per stratum and month, as the rollups pool.
 */
export function poolStrataUpTree(own: ReadonlyMap<number, readonly StratumMonths[]>, parentOf: ReadonlyMap<number, number | null>): Map<number, StratumMonths[]> {
  const sums = new Map<number, Map<string, Map<string, { numerator: number; denominator: number; contributors: number }>>>();
  for (const [unitId, strata] of own) {
    for (const stratum of strata) {
      const slot = `${stratum.stratifier}\u0000${stratum.code}`;
      for (let unit: number | null | undefined = unitId; unit !== null && unit !== undefined; unit = parentOf.get(unit)) {
        const slots = sums.get(unit) ?? new Map();
        sums.set(unit, slots);
        const months = slots.get(slot) ?? new Map();
        slots.set(slot, months);
        stratum.periods.forEach((period, i) => {
          const sum = months.get(period);
          if (sum) {
            sum.numerator += stratum.numerators[i];
            sum.denominator += stratum.denominators[i];
            sum.contributors += stratum.contributors[i];
          } else months.set(period, { numerator: stratum.numerators[i], denominator: stratum.denominators[i], contributors: stratum.contributors[i] });
        });
      }
    }
  }
  const result = new Map<number, StratumMonths[]>();
  for (const [unitId, slots] of sums) {
    result.set(
      unitId,
      [...slots].map(([slot, months]) => {
        const [stratifier, code] = slot.split('\u0000');
        const periods = [...months.keys()].sort();
        return {
          stratifier,
          code,
          periods,
          numerators: periods.map((p) => (months.get(p) as { numerator: number }).numerator),
          denominators: periods.map((p) => (months.get(p) as { denominator: number }).denominator),
          contributors: periods.map((p) => (months.get(p) as { contributors: number }).contributors),
        };
      }),
    );
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
