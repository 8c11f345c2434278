/**
 * The equality view of a measure at an org unit (the equality lens, PCREF): for one
 * stratifier, each stratum's pooled figure over a window, its ratio to a reference stratum
 * with a 95% interval (disparity.ts), its own Making Data Count series, and the ratio per
 * period, so a board sees whether a gap is narrowing; and the not-known share as a
 * data-quality figure.
 *
 * Disclosure control, for a reader who may not see the unit's true figures:
 *  - every figure is a cell of the measure's one disclosure table (disclosure-table.ts), so a
 *    stratum is hidden where the table hides it, and the table has protected it against the
 *    whole population, the other strata, the broad groups, the tree and the calendar;
 *  - the window must be a cell of that table (a month, a quarter or a quarter to date, a
 *    financial year or a year to date): the caller snaps any other window to the year to date;
 *  - a ratio and its interval are computed from the shown (rounded) figures of both strata,
 *    and withheld when either is suppressed: they say nothing the shown figures do not;
 *  - the not-known share likewise, from shown figures only.
 * Pure: no I/O.
 */
import { buildSeries, type MonthlyPooled, type SeriesDefinition, type SeriesResult } from './measure-series';
import { broadGroupSlot, bucketKey, quarterToDateKey, stratumCellKey, stratumSlot, yearToDateKey } from './disclosure-table';
import { disparity, type Disparity } from './disparity';
import type { CellSuppression } from './cell-suppression';
import { addMonths, financialYearStart, periodBucket, type Granularity } from './periods';
import { poolComponents } from './pooling';
import { valueOf, type ScoringType } from './scoring';
import { STRATIFIERS, type StratifierKey } from './stratifiers';
import { shownFigures, suppressionReason, type DisclosureRule } from './suppression';

export interface StratumMonthly {
  code: string;
  months: readonly MonthlyPooled[];
}

export interface EqualityDisclosure {
  rule: DisclosureRule;
  /** the suppression of the unit's cell with that key ('' slot: the whole population) */
  suppression(key: string): CellSuppression | null;
}

export interface EqualityInput {
  stratifier: StratifierKey;
  /** pool the detailed codes into the stratifier's broad groups (ETHNICITY: WHITE, BLACK, ...) */
  grouped: boolean;
  /** a stratum code (or a broad group's, when grouped); null: the stratifier's usual reference */
  referenceCode: string | null;
  window: { from: string; to: string };
  /** the stratum series: from, to (the window's `to`) and granularity */
  series: { from: string; granularity: Granularity };
  definition: Omit<SeriesDefinition, 'target'>;
  strata: readonly StratumMonthly[];
  /** false: window figures and ratios only, no series (a scorecard's flag needs no more) */
  withSeries?: boolean;
  /** the whole population's months at the unit (its rollups) */
  whole: readonly MonthlyPooled[];
  disclosure: EqualityDisclosure | null;
}

export interface WindowFigures {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
  suppressionReason: string | null;
  missing: boolean;
}

export interface RatioPoint {
  periodStart: string;
  label: string;
  ratio: Disparity;
}

export interface StratumView {
  code: string;
  label: string;
  group: boolean;
  notKnown: boolean;
  isReference: boolean;
  window: WindowFigures;
  /** null for the reference stratum itself */
  ratioToReference: Disparity | null;
  series: SeriesResult;
  ratioSeries: RatioPoint[];
}

export interface EqualityResult {
  /** the whole population over the window, as the board shows it */
  whole: WindowFigures;
  reference: { code: string; label: string };
  strata: StratumView[];
  /** the not-known codes' share in the window (notKnownShare below), from shown figures */
  notKnownShare: { value: number | null; withheldReason: string | null };
}

const NO_SERIES: SeriesResult = {
  points: [],
  yearToDate: { from: '', to: '', label: '', value: null, numerator: null, denominator: null, missing: true, monthsWithData: 0, monthsExpected: 0, suppressed: false, suppressionReason: null },
  variationIcon: null,
  assuranceIcon: null,
  target: null,
};

/** A window's disclosure-table key, or null when the window is not a cell of the table. */
export function windowCellKey(from: string, to: string): string | null {
  if (from > to) return null;
  if (from === to) return bucketKey('MONTH', from);
  const quarter = periodBucket(from, 'QUARTER');
  if (quarter.start === from && quarter.end === to) return quarter.key;
  if (quarter.start === from && addMonths(from, 1) === to) return quarterToDateKey(to);
  const year = periodBucket(from, 'FINANCIAL_YEAR');
  if (year.start === from && year.end === to) return year.key;
  if (financialYearStart(to) === from) return yearToDateKey(to);
  return null;
}

interface Entry {
  code: string;
  label: string;
  group: boolean;
  notKnown: boolean;
  slot: string;
  months: MonthlyPooled[];
}

/** The strata to show: the detailed codes, or the broad groups and the codes outside any group. */
function entriesOf(input: EqualityInput): Entry[] {
  const definition = STRATIFIERS[input.stratifier];
  const byCode = new Map(input.strata.map((s) => [s.code, s.months]));
  const entries: Entry[] = [];
  const codeEntry = (code: string): Entry | null => {
    const stratum = definition.strata.find((s) => s.code === code);
    const months = byCode.get(code);
    if (!stratum || !months || months.length === 0) return null;
    return { code, label: stratum.label, group: false, notKnown: stratum.notKnown, slot: stratumSlot(input.stratifier, code), months: [...months] };
  };
  if (!input.grouped || definition.groups.length === 0) {
    for (const stratum of definition.strata) {
      const entry = codeEntry(stratum.code);
      if (entry) entries.push(entry);
    }
    return entries;
  }
  for (const group of definition.groups) {
    const summed = new Map<string, MonthlyPooled>();
    for (const stratum of definition.strata.filter((s) => s.group === group.code)) {
      for (const month of byCode.get(stratum.code) ?? []) {
        const sum = summed.get(month.periodStart);
        summed.set(
          month.periodStart,
          sum
            ? { periodStart: month.periodStart, numerator: sum.numerator + month.numerator, denominator: sum.denominator + month.denominator, contributors: sum.contributors + month.contributors }
            : { ...month },
        );
      }
    }
    if (summed.size === 0) continue;
    const months = [...summed.values()].sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
    entries.push({ code: group.code, label: group.label, group: true, notKnown: false, slot: broadGroupSlot(input.stratifier, group.code), months });
  }
  for (const stratum of definition.strata.filter((s) => s.group === null)) {
    const entry = codeEntry(stratum.code);
    if (entry) entries.push(entry);
  }
  return entries;
}

export function buildEqualityView(input: EqualityInput): EqualityResult {
  const definition = STRATIFIERS[input.stratifier];
  const entries = entriesOf(input);
  const referenceCode = input.referenceCode ?? (input.grouped && definition.groups.length > 0 ? (definition.strata.find((s) => s.code === definition.defaultReference)?.group ?? definition.defaultReference) : definition.defaultReference);
  const referenceLabel =
    definition.groups.find((g) => g.code === referenceCode)?.label ?? definition.strata.find((s) => s.code === referenceCode)?.label ?? referenceCode;
  const { scoringType, multiplier } = input.definition;
  const windowKey = windowCellKey(input.window.from, input.window.to);
  if (input.disclosure && windowKey === null) throw new RangeError('Under disclosure control the window must be a cell of the disclosure table');

  const windowFigures = (entry: Pick<Entry, 'slot' | 'months'>): WindowFigures => {
    const months = entry.months.filter((m) => m.periodStart >= input.window.from && m.periodStart <= input.window.to);
    const pooled = poolComponents(scoringType, months.map((m) => ({ numerator: m.numerator, denominator: scoringType === 'COUNT' ? null : m.denominator })));
    if (!pooled) return { value: null, numerator: null, denominator: null, suppressed: false, suppressionReason: null, missing: true };
    if (!input.disclosure) {
      return { value: valueOf(scoringType, pooled, multiplier), numerator: pooled.numerator, denominator: pooled.denominator, suppressed: false, suppressionReason: null, missing: false };
    }
    const cell = entry.slot === '' ? (windowKey as string) : stratumCellKey(windowKey as string, entry.slot);
    const reason = input.disclosure.suppression(cell)?.reason ?? suppressionReason(scoringType, pooled, input.disclosure.rule);
    if (reason !== null) return { value: null, numerator: null, denominator: null, suppressed: true, suppressionReason: reason, missing: false };
    return { ...shownFigures(scoringType, pooled, multiplier, input.disclosure.rule), suppressed: false, suppressionReason: null, missing: false };
  };

  const seriesOf = (entry: Entry): SeriesResult =>
    input.withSeries === false ? NO_SERIES : buildSeries(
      entry.months,
      { ...input.definition, target: null },
      {
        from: input.series.from,
        to: input.window.to,
        granularity: input.series.granularity,
        disclosure: input.disclosure ? { rule: input.disclosure.rule, suppression: (key) => (input.disclosure as EqualityDisclosure).suppression(stratumCellKey(key, entry.slot)) } : null,
      },
    );

  const built = entries.map((entry) => ({ entry, window: windowFigures(entry), series: seriesOf(entry) }));
  const reference = built.find((b) => b.entry.code === referenceCode) ?? null;

  const ratioOf = (stratum: { numerator: number | null; denominator: number | null; suppressed: boolean; missing: boolean }, ref: typeof stratum | null): Disparity => {
    const withheld = (reason: string): Disparity => ({ value: null, lower: null, upper: null, significant: false, reason });
    if (!ref || ref.missing) return withheld('The reference stratum has no data here');
    if (stratum.missing) return withheld('The stratum has no data here');
    if (stratum.suppressed || ref.suppressed) {
      return withheld(`Withheld: the ${stratum.suppressed ? 'stratum' : 'reference stratum'}’s figure is suppressed, and a ratio or interval would let it be worked out`);
    }
    if (stratum.numerator === null || stratum.denominator === null || ref.numerator === null || ref.denominator === null) {
      return disparity(scoringType, { numerator: 0, denominator: 0 }, { numerator: 0, denominator: 0 });
    }
    return disparity(scoringType, { numerator: stratum.numerator, denominator: stratum.denominator }, { numerator: ref.numerator, denominator: ref.denominator });
  };

  const strata = built.map(({ entry, window, series }): StratumView => {
    const isReference = entry.code === referenceCode;
    const referencePoints = new Map((reference?.series.points ?? []).map((p) => [p.periodStart, p]));
    const ratioSeries = isReference
      ? []
      : series.points.map((point) => ({ periodStart: point.periodStart, label: point.label, ratio: ratioOf(point, referencePoints.get(point.periodStart) ?? null) }));
    return {
      code: entry.code,
      label: entry.label,
      group: entry.group,
      notKnown: entry.notKnown,
      isReference,
      window,
      ratioToReference: isReference ? null : ratioOf(window, reference?.window ?? null),
      series,
      ratioSeries,
    };
  });

  return { whole: windowFigures({ slot: '', months: [...input.whole] }), reference: { code: referenceCode, label: referenceLabel }, strata, notKnownShare: notKnownShare(scoringType, strata) };
}

/**
 * The not-known codes' share, from shown figures only: of the people (a PROPORTION's
 * denominator, a MEAN's responses) or of the events (a RATE's or a COUNT's numerator).
 */
function notKnownShare(scoringType: ScoringType, strata: readonly StratumView[]): EqualityResult['notKnownShare'] {
  const present = strata.filter((s) => !s.window.missing);
  if (present.length === 0) return { value: null, withheldReason: 'No stratified data in the window' };
  const base = scoringType === 'PROPORTION' || scoringType === 'MEAN' ? 'denominator' : 'numerator';
  if (present.some((s) => s.window.suppressed || s.window[base] === null)) {
    return { value: null, withheldReason: 'Withheld: a stratum’s figure is suppressed, so the share would reveal it' };
  }
  const total = present.reduce((sum, s) => sum + (s.window[base] as number), 0);
  if (total === 0) return { value: null, withheldReason: 'Nothing recorded in the window' };
  const notKnown = present.filter((s) => s.notKnown).reduce((sum, s) => sum + (s.window[base] as number), 0);
  return { value: notKnown / total, withheldReason: null };
}
