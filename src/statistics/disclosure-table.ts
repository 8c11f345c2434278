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
  const infoOf = monthInfoMemo();
  for (const unit of units) keysOfUnit.set(unit.unitId, addUnitCells(scoringType, unit, cells, groups, infoOf));

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

/** What the table needs to know of a month, worked out once per month for all units (the same 36 months recur in every unit). */
interface MonthInfo {
  monthKey: string;
  quarterKey: string;
  yearKey: string;
  /** the quarter's first, second and third months */
  quarterMonths: [string, string, string];
  yearStart: string;
  /** the last month of its quarter / of its financial year */
  endsQuarter: boolean;
  endsYear: boolean;
}

function monthInfoMemo(): (period: string) => MonthInfo {
  const memo = new Map<string, MonthInfo>();
  return (period) => {
    let info = memo.get(period);
    if (!info) {
      const quarter = periodBucket(period, 'QUARTER');
      const year = periodBucket(period, 'FINANCIAL_YEAR');
      info = {
        monthKey: bucketKey('MONTH', period),
        quarterKey: quarter.key,
        yearKey: year.key,
        quarterMonths: [quarter.start, addMonths(quarter.start, 1), addMonths(quarter.start, 2)],
        yearStart: financialYearStart(period),
        endsQuarter: quarter.end.slice(0, 7) === period.slice(0, 7),
        endsYear: year.end.slice(0, 7) === period.slice(0, 7),
      };
      memo.set(period, info);
    }
    return info;
  };
}

type Figures = { numerator: number; denominator: number | null };

/** Adds one unit's period cells and its time groups; returns the period keys it has. */
function addUnitCells(
  scoringType: ScoringType,
  unit: UnitFigures,
  cells: Map<string, CellFigures>,
  groups: AdditiveGroup[],
  infoOf: (period: string) => MonthInfo,
): string[] {
  const isCount = scoringType === 'COUNT';
  const cell = (key: string) => cellKey(unit.unitId, key);
  const byBucket = new Map<string, Figures[]>();
  const monthsOf = new Map<string, string[]>();
  /** each quarter with data: its first month */
  const quarterStarts = new Map<string, string>();
  const add = (key: string, month: Figures) => {
    const list = byBucket.get(key);
    if (list) list.push(month);
    else byBucket.set(key, [month]);
  };
  const quartersOfYear = new Map<string, Set<string>>();
  const byMonth = new Map<string, Figures>();
  for (const month of unit.months) {
    const figures = { numerator: month.numerator, denominator: isCount ? null : month.denominator };
    const info = infoOf(month.periodStart);
    byMonth.set(month.periodStart, figures);
    add(info.monthKey, figures);
    add(info.quarterKey, figures);
    add(info.yearKey, figures);
    const months = monthsOf.get(info.quarterKey);
    if (months) months.push(info.monthKey);
    else {
      monthsOf.set(info.quarterKey, [info.monthKey]);
      quarterStarts.set(info.quarterKey, month.periodStart);
    }
    const quarters = quartersOfYear.get(info.yearKey) ?? new Set<string>();
    quarters.add(info.quarterKey);
    quartersOfYear.set(info.yearKey, quarters);
  }
  const put = (key: string, items: Figures[]) => {
    const pooled = poolComponents(scoringType, items);
    if (pooled) cells.set(cell(key), { numerator: pooled.numerator, denominator: pooled.denominator });
  };
  for (const [key, items] of byBucket) put(key, items);
  for (const [quarterKey, months] of monthsOf) groups.push({ total: cell(quarterKey), parts: months.map(cell) });
  const keys = [...byBucket.keys()];

  // Quarters to date: the first two months of each quarter with data in either.
  for (const [quarterKey, firstWithData] of quarterStarts) {
    const [start, second, third] = infoOf(firstWithData).quarterMonths;
    const items = [byMonth.get(start), byMonth.get(second)].filter((m) => m !== undefined);
    if (items.length === 0) continue;
    const key = quarterToDateKey(second);
    put(key, items);
    keys.push(key);
    const monthCell = (month: string) => cell(infoOf(month).monthKey);
    groups.push({ total: cell(key), parts: [monthCell(start), monthCell(second)] });
    groups.push({ total: cell(quarterKey), parts: [cell(key), monthCell(third)] });
  }
  for (const [yearKey, quarters] of quartersOfYear) groups.push({ total: cell(yearKey), parts: [...quarters].map(cell) });

  // Years to date: every month from April to the last month with data in each financial year.
  const lastOfYear = new Map<string, string>();
  for (const month of unit.months) lastOfYear.set(infoOf(month.periodStart).yearStart, month.periodStart);
  for (const [yearStart, last] of lastOfYear) {
    const running: Figures[] = [];
    let previous: string | null = null;
    let previousQuarterEnd: string | null = null;
    for (let month = yearStart; month <= last; month = addMonths(month, 1)) {
      const figures = byMonth.get(month);
      if (figures) running.push(figures);
      if (running.length === 0) continue;
      const info = infoOf(month);
      const key = yearToDateKey(month);
      put(key, running);
      keys.push(key);
      const monthCell = cell(info.monthKey);
      groups.push({ total: cell(key), parts: previous ? [cell(previous), monthCell] : [monthCell] });
      previous = key;
      if (info.endsQuarter) {
        const quarterCell = cell(info.quarterKey);
        groups.push({ total: cell(key), parts: previousQuarterEnd ? [cell(previousQuarterEnd), quarterCell] : [quarterCell] });
        previousQuarterEnd = key;
      }
    }
    const lastInfo = infoOf(last);
    if (lastInfo.endsYear && previous) groups.push({ total: cell(lastInfo.yearKey), parts: [cell(previous)] });
  }
  return keys;
}
