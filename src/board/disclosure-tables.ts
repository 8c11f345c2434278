import DataLoader from 'dataloader';
import { perRequest, type RequestContext } from '../graphql/context';
import { LRUCache } from 'lru-cache';
import type { Measure } from '../measures/measure.type';
import { buildDisclosureTable, type DisclosureTable, type UnitFigures } from '../statistics/disclosure-table';
import { groupBy } from '../lib/group-by';
import { buildOnWorker, buildsOnWorker } from './disclosure-table-workers';
import { ownStrataOfEveryUnit, poolStrataUpTree, type StratumMonths } from '../observations/strata-rollups';

/**
 * Each measure's disclosure table (statistics/disclosure-table.ts): which cells of the whole
 * tree and history a reader under disclosure control may not see. Built from every unit's
 * rollups once per board data version and measure rule, and shared by every view and reader,
 * so a series, a drill-down and an export can never disagree about a cell.
 */
const tablesByDatabase = new WeakMap<object, LRUCache<string, Promise<DisclosureTable>>>();
const TABLES_KEPT = 200;

function tableCache(ctx: RequestContext): LRUCache<string, Promise<DisclosureTable>> {
  let cache = tablesByDatabase.get(ctx.db);
  if (!cache) {
    cache = new LRUCache({ max: TABLES_KEPT });
    tablesByDatabase.set(ctx.db, cache);
  }
  return cache;
}

interface UnitRollups {
  measure_id: number;
  org_unit_id: number;
  parent_id: number | null;
  /** oldest first, and the components in the same order */
  periods: string[];
  numerators: number[];
  denominators: number[];
}

/**
 * The tables of these measures, from the cache where their measure's data version (moved by
 * triggers with its rollups, in the same transaction) and rule are the same; otherwise one
 * statement reads the rollups of every measure missing. Raw SQL over every trust's units:
 * the table is the whole installation's, so every reader sees the same verdicts.
 */
async function loadTables(ctx: RequestContext, measures: readonly Measure[]): Promise<DisclosureTable[]> {
  const versionRows = await ctx.prisma.$queryRawUnsafe<Array<{ measure_id: number; version: bigint | number }>>(
    'SELECT measure_id, version FROM measure_data_version WHERE measure_id = ANY($1::int[])',
    measures.map((measure) => measure.dbId),
  );
  const versions = new Map(versionRows.map((row) => [Number(row.measure_id), String(row.version)]));
  const cache = tableCache(ctx);
  const keyOf = (measure: Measure) => `${versions.get(measure.dbId) ?? 'none'}|${measure.dbId}|${JSON.stringify(measure.disclosureRule)}`;
  // Held here for this batch: with more measures than the cache keeps, one could be evicted
  // between being found (or built) and being returned.
  const tables = new Map(measures.map((measure) => [measure.dbId, cache.get(keyOf(measure))]));
  const missing = measures.filter((measure) => tables.get(measure.dbId) === undefined);
  if (missing.length > 0) {
    const rows = ctx.prisma
      .$queryRawUnsafe<UnitRollups[]>(
        // A row per measure and unit with its months as arrays: a tenth of a million rollup rows
        // cost far more to carry one by one through the driver than as a few thousand arrays.
        `SELECT r.measure_id, r.org_unit_id, u.parent_id,
                array_agg(to_char(r.period_start, 'YYYY-MM-DD') ORDER BY r.period_start) AS periods,
                array_agg(r.numerator ORDER BY r.period_start) AS numerators,
                array_agg(r.denominator ORDER BY r.period_start) AS denominators
         FROM observation_rollup r JOIN org_unit u ON u.id = r.org_unit_id
         WHERE r.measure_id = ANY($1::int[])
         GROUP BY r.measure_id, r.org_unit_id, u.parent_id`,
        missing.map((measure) => measure.dbId),
      )
      .then((all) => groupBy(all, (row) => Number(row.measure_id), (row) => row));
    // A stratified measure's strata share its table (one table, so a stratum, the whole and
    // every other view agree); read only for the measures that declare stratifiers.
    const stratified = missing.filter((measure) => measure.stratifiers.length > 0).map((measure) => measure.dbId);
    const strata = rows.then(() => (stratified.length > 0 ? ownStrataOfEveryUnit(ctx.prisma, stratified) : new Map<number, Map<number, StratumMonths[]>>()));
    // Small tables are built one after another here, yielding to the event loop between measures;
    // large ones go to worker threads (disclosure-table-workers.ts) and may build side by side.
    const settings = { threads: ctx.config.disclosureTableThreads, minFigures: ctx.config.disclosureWorkerMinFigures };
    let previous: Promise<unknown> = rows;
    for (const measure of missing) {
      const key = keyOf(measure);
      const inputs = Promise.all([rows, strata]).then(([byMeasure, strataByMeasure]) => {
        const units = byMeasure.get(measure.dbId) ?? [];
        const own = strataByMeasure.get(measure.dbId);
        // Pooled up the tree here: every unit with strata below it has rollups, so the rollups name its ancestors.
        const pooledStrata = own ? poolStrataUpTree(own, new Map(units.map((u) => [Number(u.org_unit_id), u.parent_id === null ? null : Number(u.parent_id)]))) : undefined;
        return unitsOf(units, pooledStrata);
      });
      const before = previous; // the table built before this one, not the loop's last
      const table = inputs.then(async (figures) => {
        if (buildsOnWorker(figures, measure.disclosureRule, settings)) {
          return buildOnWorker(measure.scoringType, figures, measure.disclosureRule, settings.threads, ctx.logger);
        }
        await before;
        await new Promise((resolve) => setImmediate(resolve));
        return buildDisclosureTable(measure.scoringType, figures, measure.disclosureRule);
      });
      previous = table.catch(() => undefined);
      tables.set(measure.dbId, table);
      cache.set(key, table);
      // A failed build must not stay cached either.
      table.catch(() => {
        if (cache.get(key) === table) cache.delete(key);
      });
    }
    // A failed read must not stay cached: the next request tries again.
    Promise.all([rows, strata]).catch(() => {
      for (const measure of missing) cache.delete(keyOf(measure));
    });
  }
  return Promise.all(measures.map((measure) => tables.get(measure.dbId) as Promise<DisclosureTable>));
}

function unitsOf(rows: UnitRollups[], strata: Map<number, StratumMonths[]> | undefined): UnitFigures[] {
  return rows
    .sort((a, b) => a.org_unit_id - b.org_unit_id)
    .map((row) => ({
      unitId: row.org_unit_id,
      parentId: row.parent_id,
      months: row.periods.map((periodStart, i) => ({ periodStart, numerator: Number(row.numerators[i]), denominator: Number(row.denominators[i]) })),
      strata: (strata?.get(Number(row.org_unit_id)) ?? []).map((stratum) => ({
        stratifier: stratum.stratifier,
        code: stratum.code,
        months: stratum.periods.map((periodStart, i) => ({ periodStart, numerator: stratum.numerators[i], denominator: stratum.denominators[i] })),
      })),
    }));
}

/** The request's loader of disclosure tables, by measure. */
export const disclosureTables = perRequest(
  (ctx) => new DataLoader<Measure, DisclosureTable, number>((measures) => loadTables(ctx, measures), { cacheKeyFn: (measure) => measure.dbId }),
);
