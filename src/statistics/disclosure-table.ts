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
 *  - a stratified measure (the equality lens) adds a cell per stratum slot (ETHNICITY A, SEX 2,
 *    and ETHNICITY's broad groups) in every unit and period, with the same tree and time sums,
 *    and the sums across strata: the whole population = Σ each stratifier's codes, a broad
 *    group = Σ its codes, the whole = Σ the broad groups and the ungrouped codes. Above the
 *    units that send strata, the whole also holds units that send none; that remainder is
 *    treated as known to the reader (it is the shown wholes of those units), the cautious choice.
 * Pure: no I/O.
 */
import { COMPLEMENTARY, IndexedGroups, suppressIndexedCells, type CellFigures, type CellSuppression } from './cell-suppression';
import { addMonths, financialYearStart, periodBucket, type Granularity } from './periods';
import { poolComponents, type PooledComponents } from './pooling';
import type { ScoringType } from './scoring';
import { STRATIFIERS, isStratifierKey } from './stratifiers';
import { suppressionReason, type DisclosureRule } from './suppression';

type MonthFigures = { periodStart: string; numerator: number; denominator: number | null };

export interface UnitFigures {
  unitId: number;
  parentId: number | null;
  /** the unit's subtree pooled per month (its rollups), oldest first */
  months: ReadonlyArray<MonthFigures>;
  /** the unit's subtree pooled per month and stratum, for a stratified measure */
  strata?: ReadonlyArray<StratumFigures>;
}

export interface StratumFigures {
  stratifier: string;
  code: string;
  /** oldest first */
  months: ReadonlyArray<MonthFigures>;
}

/** The slot of a stratum's cells (ETHNICITY A) and of a broad group's (ETHNICITY group BLACK). */
export function stratumSlot(stratifier: string, code: string): string {
  return `${stratifier}:${code}`;
}
export function broadGroupSlot(stratifier: string, group: string): string {
  return `${stratifier}:group:${group}`;
}
/** The key of a stratum slot's cell in a period (a month, quarter, year, quarter or year to date). */
export function stratumCellKey(periodKey: string, slot: string): string {
  return `${periodKey}#${slot}`;
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

/**
 * The table's cells by integer id, found by unit, slot ('' for the whole population) and period
 * key, and its sums over those ids. A large trust's stratified table has hundreds of thousands of
 * cells and millions of group parts: a string per part was most of its cost.
 */
class Cells {
  figures: CellFigures[] = [];
  groups = new IndexedGroups();
  private unitOf: number[] = [];
  private slotOf: string[] = [];
  private periodOf: string[] = [];
  /** period keys as small integers: a table has about a hundred (months, quarters, years, to-dates) */
  private readonly periodIndex = new Map<string, number>();
  /** per unit, per slot: cell ids by period index (-1: none). Kept for the table's life, so compact. */
  private readonly index = new Map<number, Map<string, Int32Array>>();

  private periodNumber(periodKey: string, create: boolean): number {
    let n = this.periodIndex.get(periodKey);
    if (n === undefined) {
      if (!create) return -1;
      n = this.periodIndex.size;
      this.periodIndex.set(periodKey, n);
    }
    return n;
  }

  put(unitId: number, slot: string, periodKey: string, figures: CellFigures): void {
    let slots = this.index.get(unitId);
    if (!slots) {
      slots = new Map();
      this.index.set(unitId, slots);
    }
    const period = this.periodNumber(periodKey, true);
    let ids = slots.get(slot);
    if (!ids || ids.length <= period) {
      const grown = new Int32Array(Math.max(128, period + 1, (ids?.length ?? 0) * 2)).fill(-1);
      if (ids) grown.set(ids);
      ids = grown;
      slots.set(slot, ids);
    }
    if (ids[period] >= 0) {
      this.figures[ids[period]] = figures;
      return;
    }
    ids[period] = this.figures.length;
    this.figures.push(figures);
    this.unitOf.push(unitId);
    this.slotOf.push(slot);
    this.periodOf.push(periodKey);
  }

  /** the cell's id, or -1 when it has no data (a known zero) */
  id(unitId: number, slot: string, periodKey: string): number {
    const ids = this.index.get(unitId)?.get(slot);
    if (!ids) return -1;
    const period = this.periodNumber(periodKey, false);
    return period < 0 || period >= ids.length ? -1 : ids[period];
  }

  /** the cell's name, as `suppression` is asked for it: `<unit>|<period key>[#<slot>]` (ties are broken on it) */
  keyOf(id: number): string {
    const slot = this.slotOf[id];
    return `${this.unitOf[id]}|${slot === '' ? this.periodOf[id] : stratumCellKey(this.periodOf[id], slot)}`;
  }

  /** The index, to answer lookups after the build (see DisclosureVerdicts). */
  lookup(): { periods: string[]; ids: Map<number, Map<string, Int32Array>> } {
    return { periods: [...this.periodIndex.keys()], ids: this.index };
  }

  /** After the build: only the index stays (a table is cached for as long as its data stand). */
  release(): void {
    this.figures = [];
    this.groups = new IndexedGroups();
    this.unitOf = [];
    this.slotOf = [];
    this.periodOf = [];
  }
}

export function buildDisclosureTable(scoringType: ScoringType, units: readonly UnitFigures[], rule: DisclosureRule): DisclosureTable {
  return tableOfVerdicts(disclosureVerdicts(scoringType, units, rule));
}

/**
 * A table's verdicts as plain data, compact enough to post from a worker thread in milliseconds
 * (structured clone copies Maps and typed arrays, not closures; a Map entry per cell would take
 * seconds for the million cells of a large stratified table): the cells' ids by unit, slot and
 * period index, and per id its state (0 shown, 1 primary, 2 complementary) and reason.
 */
export interface DisclosureVerdicts {
  /** the period keys, by their index in `ids` */
  readonly periods: string[];
  /** per unit, per slot ('' the whole population): cell ids by period index, -1 for none */
  readonly ids: Map<number, Map<string, Int32Array>>;
  readonly state: Uint8Array;
  /** for a primary cell, its reason's index in `reasons` */
  readonly reasonOf: Uint16Array;
  readonly reasons: string[];
}

/** The table's verdicts (see DisclosureVerdicts); buildDisclosureTable answers from them. */
export function disclosureVerdicts(scoringType: ScoringType, units: readonly UnitFigures[], rule: DisclosureRule): DisclosureVerdicts {
  if (rule.kind === 'NONE') return { periods: [], ids: new Map(), state: new Uint8Array(0), reasonOf: new Uint16Array(0), reasons: [] };
  const { cells, state, reasons } = solveTable(scoringType, units, rule);
  cells.release();
  // The reasons as an index into their few distinct texts, rather than a map entry per cell.
  const reasonTexts: string[] = [];
  const reasonOf = new Uint16Array(state.length);
  const textIndex = new Map<string, number>();
  for (const [id, reason] of reasons) {
    let n = textIndex.get(reason);
    if (n === undefined) {
      n = reasonTexts.length;
      reasonTexts.push(reason);
      textIndex.set(reason, n);
    }
    reasonOf[id] = n;
  }
  return { ...cells.lookup(), state, reasonOf, reasons: reasonTexts };
}

/** The table these verdicts are of. */
export function tableOfVerdicts(verdicts: DisclosureVerdicts): DisclosureTable {
  const { ids, state, reasonOf, reasons } = verdicts;
  const periodIndex = new Map(verdicts.periods.map((key, n) => [key, n]));
  const idOf = (unitId: number, slot: string, periodKey: string): number => {
    const byPeriod = ids.get(unitId)?.get(slot);
    const period = periodIndex.get(periodKey);
    return byPeriod === undefined || period === undefined || period >= byPeriod.length ? -1 : byPeriod[period];
  };
  let suppressedCount = 0;
  for (let id = 0; id < state.length; id++) if (state[id] !== 0) suppressedCount++;
  return {
    suppression(unitId, key) {
      const hash = key.indexOf('#');
      const id = hash < 0 ? idOf(unitId, '', key) : idOf(unitId, key.slice(hash + 1), key.slice(0, hash));
      if (id < 0 || state[id] === 0) return null;
      return state[id] === 1 ? { cause: 'PRIMARY', reason: reasons[reasonOf[id]] } : COMPLEMENTARY;
    },
    suppressedCount,
  };
}

/** Every cell of the table, its sums, and cell suppression's verdict on each. */
function solveTable(scoringType: ScoringType, units: readonly UnitFigures[], rule: DisclosureRule) {
  const cells = new Cells();
  /** per unit, per slot ('' the whole population), the period keys it has */
  const keysOfUnit = new Map<number, Map<string, string[]>>();
  const infoOf = monthInfoMemo();
  for (const unit of units) {
    const slots = new Map<string, string[]>();
    slots.set('', addUnitCells(scoringType, unit.unitId, '', unit.months, cells, infoOf));
    if (unit.strata && unit.strata.length > 0) addStrataCells(scoringType, unit, slots, cells, infoOf);
    keysOfUnit.set(unit.unitId, slots);
  }

  // A parent is the sum of its children in every period and slot either has.
  const children = new Map<number, number[]>();
  for (const unit of units) {
    if (unit.parentId === null) continue;
    const list = children.get(unit.parentId);
    if (list) list.push(unit.unitId);
    else children.set(unit.parentId, [unit.unitId]);
  }
  const none = new Map<string, string[]>();
  for (const [parentId, childIds] of children) {
    const family = [parentId, ...childIds].map((id) => keysOfUnit.get(id) ?? none);
    const slots = new Set(family.flatMap((slotsOfUnit) => [...slotsOfUnit.keys()]));
    for (const slot of slots) {
      const keys = new Set(family.flatMap((slotsOfUnit) => slotsOfUnit.get(slot) ?? []));
      for (const key of keys) cells.groups.add(cells.id(parentId, slot, key), childIds.map((id) => cells.id(id, slot, key)));
    }
  }

  const { state, reasons } = suppressIndexedCells(cells.figures, cells.groups, (figures) => suppressionReason(scoringType, figures as PooledComponents, rule), (id) => cells.keyOf(id));
  return { cells, state, reasons };
}

/**
 * A unit's stratum cells: each code's and each broad group's periods, and the sums across
 * strata in every period key any of them has.
 */
function addStrataCells(
  scoringType: ScoringType,
  unit: UnitFigures,
  slots: Map<string, string[]>,
  cells: Cells,
  infoOf: (period: string) => MonthInfo,
): void {
  const byStratifier = new Map<string, StratumFigures[]>();
  for (const stratum of unit.strata ?? []) {
    const list = byStratifier.get(stratum.stratifier);
    if (list) list.push(stratum);
    else byStratifier.set(stratum.stratifier, [stratum]);
  }
  const wholeCell = (key: string) => cells.id(unit.unitId, '', key);
  for (const [stratifier, strata] of byStratifier) {
    const codeSlots: string[] = [];
    for (const stratum of strata) {
      const slot = stratumSlot(stratifier, stratum.code);
      slots.set(slot, addUnitCells(scoringType, unit.unitId, slot, stratum.months, cells, infoOf));
      codeSlots.push(slot);
    }
    // The broad groups, pooled from their codes month by month, and the codes left ungrouped.
    const definition = isStratifierKey(stratifier) ? STRATIFIERS[stratifier] : null;
    const groupOf = new Map((definition?.strata ?? []).map((s) => [s.code, s.group]));
    const wholeParts: string[] = [];
    const members = new Map<string, string[]>();
    const groupMonths = new Map<string, Map<string, MonthFigures>>();
    for (const stratum of strata) {
      const group = groupOf.get(stratum.code) ?? null;
      const slot = stratumSlot(stratifier, stratum.code);
      if (group === null) {
        wholeParts.push(slot);
        continue;
      }
      const list = members.get(group) ?? [];
      list.push(slot);
      members.set(group, list);
      const months = groupMonths.get(group) ?? new Map<string, MonthFigures>();
      for (const month of stratum.months) {
        const sum = months.get(month.periodStart);
        if (sum) months.set(month.periodStart, { periodStart: month.periodStart, numerator: sum.numerator + month.numerator, denominator: (sum.denominator ?? 0) + (month.denominator ?? 0) });
        else months.set(month.periodStart, { ...month });
      }
      groupMonths.set(group, months);
    }
    for (const [group, months] of groupMonths) {
      const slot = broadGroupSlot(stratifier, group);
      const sorted = [...months.values()].sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
      const keys = addUnitCells(scoringType, unit.unitId, slot, sorted, cells, infoOf);
      slots.set(slot, keys);
      wholeParts.push(slot);
      const parts = members.get(group) ?? [];
      for (const key of keys) cells.groups.add(cells.id(unit.unitId, slot, key), parts.map((part) => cells.id(unit.unitId, part, key)));
    }
    // The whole population = Σ the codes, and = Σ the broad groups and the ungrouped codes.
    const keys = new Set(codeSlots.flatMap((slot) => slots.get(slot) ?? []));
    for (const key of keys) {
      cells.groups.add(wholeCell(key), codeSlots.map((slot) => cells.id(unit.unitId, slot, key)));
      if (groupMonths.size > 0) cells.groups.add(wholeCell(key), wholeParts.map((slot) => cells.id(unit.unitId, slot, key)));
    }
  }
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

/** Adds one unit's period cells in one slot and their time groups; returns the period keys it has. */
function addUnitCells(
  scoringType: ScoringType,
  unitId: number,
  slot: string,
  unitMonths: ReadonlyArray<MonthFigures>,
  cells: Cells,
  infoOf: (period: string) => MonthInfo,
): string[] {
  const isCount = scoringType === 'COUNT';
  const cell = (key: string) => cells.id(unitId, slot, key);
  const group = (total: number, parts: number[]) => cells.groups.add(total, parts);
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
  for (const month of unitMonths) {
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
    if (pooled) cells.put(unitId, slot, key, { numerator: pooled.numerator, denominator: pooled.denominator });
  };
  for (const [key, items] of byBucket) put(key, items);
  for (const [quarterKey, months] of monthsOf) group(cell(quarterKey), months.map(cell));
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
    group(cell(key), [monthCell(start), monthCell(second)]);
    group(cell(quarterKey), [cell(key), monthCell(third)]);
  }
  for (const [yearKey, quarters] of quartersOfYear) group(cell(yearKey), [...quarters].map(cell));

  // Years to date: every month from April to the last month with data in each financial year.
  const lastOfYear = new Map<string, string>();
  for (const month of unitMonths) lastOfYear.set(infoOf(month.periodStart).yearStart, month.periodStart);
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
      group(cell(key), previous ? [cell(previous), monthCell] : [monthCell]);
      previous = key;
      if (info.endsQuarter) {
        const quarterCell = cell(info.quarterKey);
        group(cell(key), previousQuarterEnd ? [cell(previousQuarterEnd), quarterCell] : [quarterCell]);
        previousQuarterEnd = key;
      }
    }
    const lastInfo = infoOf(last);
    if (lastInfo.endsYear && previous) group(cell(lastInfo.yearKey), [cell(previous)]);
  }
  return keys;
}
