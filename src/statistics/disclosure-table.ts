/**
 * The disclosure table of one measure: every figure a reader under disclosure control could
 * be shown (each org unit's pooled month, quarter, financial year and year to date), which of
 * them are suppressed, and why. Built from the whole tree and the whole history, so the
 * answer for a cell never depends on the view that asks: a series, a drill-down, a scorecard,
 * an export and a FHIR report all hide the same cells.
 *
 * The sums a reader could use, and so the groups given to cell suppression:
 *  - a parent = the sum of its children, in every period;
 *  - a quarter = its three months; a financial year = its four quarters;
 *  - a quarter to date (its first two months) = those months, and the quarter = it plus the third;
 *  - a year to date = the one before it plus its month; the year to date at a quarter's end
 *    = the one at the previous quarter's end plus the quarter; the year to date in March =
 *    the financial year.
 * Pure: no I/O.
 */
import { suppressCells, type AdditiveGroup, type CellFigures, type CellSuppression } from './cell-suppression';
import { addMonths, financialYearStart, periodBucket, type Granularity } from './periods';
import { poolComponents, type PooledComponents } from './pooling';
import type { ScoringType } from './scoring';
import { suppressionReason, type DisclosureRule } from './suppression';

export interface UnitFigures {
  unitId: number;
  parentId: number | null;
  /** the unit's subtree pooled per month (its rollups), oldest first */
  months: ReadonlyArray<{ periodStart: string; numerator: number; denominator: number | null }>;
}

/** The key of a period cell: a month, quarter or financial year bucket, or a year to date. */
export function bucketKey(granularity: Granularity, period: string): string {
  return periodBucket(period, granularity).key;
}
export function yearToDateKey(to: string): string {
  return `YTD:${to}`;
}
/** The first two months of a quarter (the quarter's first month is its month, the third the quarter). */
export function quarterToDateKey(to: string): string {
  return `QTD:${to}`;
}

export interface DisclosureTable {
  /** null: the figure may be shown (rounded) */
  suppression(unitId: number, key: string): CellSuppression | null;
  readonly suppressedCount: number;
}

const cellKey = (unitId: number, key: string) => `${unitId}|${key}`;

export function buildDisclosureTable(scoringType: ScoringType, units: readonly UnitFigures[], rule: DisclosureRule): DisclosureTable {
  if (rule.kind === 'NONE') return { suppression: () => null, suppressedCount: 0 };

  const cells = new Map<string, CellFigures>();
  const groups: AdditiveGroup[] = [];
  const keysOfUnit = new Map<number, string[]>();
  for (const unit of units) keysOfUnit.set(unit.unitId, addUnitCells(scoringType, unit, cells, groups));

  // A parent is the sum of its children in every period either has.
  const children = new Map<number, number[]>();
  for (const unit of units) {
    if (unit.parentId === null) continue;
    const list = children.get(unit.parentId);
    if (list) list.push(unit.unitId);
    else children.set(unit.parentId, [unit.unitId]);
  }
  for (const [parentId, childIds] of children) {
    const keys = new Set([...(keysOfUnit.get(parentId) ?? []), ...childIds.flatMap((id) => keysOfUnit.get(id) ?? [])]);
    for (const key of keys) groups.push({ total: cellKey(parentId, key), parts: childIds.map((id) => cellKey(id, key)) });
  }

  const suppressed = suppressCells(cells, groups, (figures) => suppressionReason(scoringType, figures as PooledComponents, rule));
  return { suppression: (unitId, key) => suppressed.get(cellKey(unitId, key)) ?? null, suppressedCount: suppressed.size };
}

/** Adds one unit's period cells and its time groups; returns the period keys it has. */
function addUnitCells(scoringType: ScoringType, unit: UnitFigures, cells: Map<string, CellFigures>, groups: AdditiveGroup[]): string[] {
  const isCount = scoringType === 'COUNT';
  const byBucket = new Map<string, Array<{ numerator: number; denominator: number | null }>>();
  const monthsOf = new Map<string, string[]>();
  const add = (key: string, month: { numerator: number; denominator: number | null }) => {
    const list = byBucket.get(key);
    if (list) list.push(month);
    else byBucket.set(key, [month]);
  };
  const quartersOfYear = new Map<string, Set<string>>();
  for (const month of unit.months) {
    const figures = { numerator: month.numerator, denominator: isCount ? null : month.denominator };
    const monthKey = bucketKey('MONTH', month.periodStart);
    const quarterKey = bucketKey('QUARTER', month.periodStart);
    const yearKey = bucketKey('FINANCIAL_YEAR', month.periodStart);
    add(monthKey, figures);
    add(quarterKey, figures);
    add(yearKey, figures);
    const months = monthsOf.get(quarterKey);
    if (months) months.push(monthKey);
    else monthsOf.set(quarterKey, [monthKey]);
    const quarters = quartersOfYear.get(yearKey) ?? new Set<string>();
    quarters.add(quarterKey);
    quartersOfYear.set(yearKey, quarters);
  }
  const put = (key: string, items: Array<{ numerator: number; denominator: number | null }>) => {
    const pooled = poolComponents(scoringType, items);
    if (pooled) cells.set(cellKey(unit.unitId, key), { numerator: pooled.numerator, denominator: pooled.denominator });
  };
  for (const [key, items] of byBucket) put(key, items);
  for (const [quarterKey, months] of monthsOf) groups.push({ total: cellKey(unit.unitId, quarterKey), parts: months.map((m) => cellKey(unit.unitId, m)) });
  const keys = [...byBucket.keys()];

  // Quarters to date: the first two months of each quarter with data in either.
  const byMonth = new Map(unit.months.map((m) => [m.periodStart, { numerator: m.numerator, denominator: isCount ? null : m.denominator }]));
  for (const quarterKey of monthsOf.keys()) {
    const first = unit.months.find((m) => bucketKey('QUARTER', m.periodStart) === quarterKey)!.periodStart;
    const start = periodBucket(first, 'QUARTER').start;
    const second = addMonths(start, 1);
    const third = addMonths(start, 2);
    const items = [byMonth.get(start), byMonth.get(second)].filter((m) => m !== undefined);
    if (items.length === 0) continue;
    const key = quarterToDateKey(second);
    put(key, items);
    keys.push(key);
    const monthCell = (month: string) => cellKey(unit.unitId, bucketKey('MONTH', month));
    groups.push({ total: cellKey(unit.unitId, key), parts: [monthCell(start), monthCell(second)] });
    groups.push({ total: cellKey(unit.unitId, quarterKey), parts: [cellKey(unit.unitId, key), monthCell(third)] });
  }
  for (const [yearKey, quarters] of quartersOfYear) groups.push({ total: cellKey(unit.unitId, yearKey), parts: [...quarters].map((q) => cellKey(unit.unitId, q)) });

  // Years to date: every month from April to the last month with data in each financial year.
  const lastOfYear = new Map<string, string>();
  for (const month of unit.months) lastOfYear.set(financialYearStart(month.periodStart), month.periodStart);
  for (const [yearStart, last] of lastOfYear) {
    const running: Array<{ numerator: number; denominator: number | null }> = [];
    let previous: string | null = null;
    let previousQuarterEnd: string | null = null;
    for (let month = yearStart; month <= last; month = addMonths(month, 1)) {
      const figures = byMonth.get(month);
      if (figures) running.push(figures);
      if (running.length === 0) continue;
      const key = yearToDateKey(month);
      put(key, running);
      keys.push(key);
      const monthCell = cellKey(unit.unitId, bucketKey('MONTH', month));
      groups.push({ total: cellKey(unit.unitId, key), parts: previous ? [cellKey(unit.unitId, previous), monthCell] : [monthCell] });
      previous = key;
      const quarter = periodBucket(month, 'QUARTER');
      if (quarter.end.slice(0, 7) === month.slice(0, 7)) {
        const quarterCell = cellKey(unit.unitId, quarter.key);
        groups.push({ total: cellKey(unit.unitId, key), parts: previousQuarterEnd ? [cellKey(unit.unitId, previousQuarterEnd), quarterCell] : [quarterCell] });
        previousQuarterEnd = key;
      }
    }
    const year = periodBucket(last, 'FINANCIAL_YEAR');
    if (year.end.slice(0, 7) === last.slice(0, 7) && previous) groups.push({ total: cellKey(unit.unitId, year.key), parts: [cellKey(unit.unitId, previous)] });
  }
  return keys;
}
