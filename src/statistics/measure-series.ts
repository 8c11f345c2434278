/**
 * A measure's series at one org unit, as a board reads it: pooled values per period (months,
 * quarters or financial years), Making Data Count SPC over them, the target and its
 * assurance, and small-number suppression where the reader may not see true figures.
 * Pure: the caller supplies the pooled monthly components (from the rollups).
 */
import { MONTHS_IN_BUCKET, monthsBetween, periodBucket, poolByPeriod, yearToDate, type Granularity, type PeriodBucket } from './periods';
import { poolComponents, type PooledComponents } from './pooling';
import { valueOf, type ScoringType } from './scoring';
import { computeSpc, type AssuranceIcon, type ImprovementDirection, type PointType, type VariationIcon } from './spc';
import type { CellSuppression } from './cell-suppression';
import { quarterToDateKey, yearToDateKey } from './disclosure-table';
import { shownFigures, suppressionReason, type DisclosureRule } from './suppression';

export interface MonthlyPooled {
  periodStart: string;
  numerator: number;
  /** 0 for a COUNT (unused) */
  denominator: number;
  /** frontline observations pooled into this month */
  contributors: number;
}

export interface SeriesDefinition {
  scoringType: ScoringType;
  multiplier: number | null;
  improvementDirection: ImprovementDirection;
  target: number | null;
  /** first period of the recorded baseline, if any: the history SPC runs over starts there */
  baselineStart?: string | null;
  /** last period of the baseline whose limits are carried forward (the latest recorded), if any */
  baselineEnd: string | null;
  /** first periods of recalculated processes */
  recalculations: string[];
  /** how often it is reported (MONTH when omitted): a quarterly measure has one month of data a quarter */
  periodicity?: 'MONTH' | 'QUARTER';
}

export interface SeriesWindow {
  from: string;
  to: string;
  granularity: Granularity;
  /** null: the reader sees this unit's true figures; otherwise what the reader may be shown */
  disclosure: SeriesDisclosure | null;
}

/** Disclosure control for one unit's series: the measure's rule and its disclosure table (disclosure-table.ts). */
export interface SeriesDisclosure {
  rule: DisclosureRule;
  /** the suppression of this unit's cell with that key, or null when it may be shown */
  suppression(key: string): CellSuppression | null;
}

export interface SeriesPointResult {
  periodStart: string;
  periodEnd: string;
  label: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  contributors: number;
  /** no data for the period: reported as missing, never as zero */
  missing: boolean;
  /** months of the period with data (a quarter in progress shows 1 or 2 of 3) */
  monthsWithData: number;
  monthsExpected: number;
  /**
   * A quarter or year at the edge of the data (the first with data, or the one `to` falls in)
   * with fewer reporting months than it spans: shown, but left out of the SPC mean and limits.
   */
  partial: boolean;
  suppressed: boolean;
  suppressionReason: string | null;
  mean: number | null;
  upperProcessLimit: number | null;
  lowerProcessLimit: number | null;
  pointType: PointType | null;
}

/** The financial year to date (April to `to`), pooled exactly like any other period. */
export interface YearToDateResult {
  from: string;
  to: string;
  label: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  missing: boolean;
  monthsWithData: number;
  monthsExpected: number;
  suppressed: boolean;
  suppressionReason: string | null;
}

export interface SeriesResult {
  points: SeriesPointResult[];
  yearToDate: YearToDateResult;
  variationIcon: VariationIcon | null;
  assuranceIcon: AssuranceIcon | null;
  target: number | null;
}

/**
 * The series as this reader may see it. SPC runs over the recorded history (from the
 * baseline's start, else the first month with data, to `to`), never over the window asked
 * for: `from` only trims what is shown, so two windows never give two means to subtract.
 * Under disclosure control SPC runs on the disclosed values alone (a suppressed point is a
 * gap), so no mean, limit, point type or icon rests on a figure the reader may not see.
 */
export function buildSeries(monthly: readonly MonthlyPooled[], definition: SeriesDefinition, window: SeriesWindow): SeriesResult {
  const upToDate = monthly.filter((m) => m.periodStart <= window.to);
  const firstWithData = upToDate[0]?.periodStart ?? window.from;
  const historyFrom = definition.baselineStart ?? (firstWithData < window.from ? firstWithData : window.from);
  const chartFrom = historyFrom < window.from ? historyFrom : window.from;
  // poolByPeriod reads no denominator for a COUNT (the rollups hold 0 there): the months go in as they are.
  const pooledBuckets = new Map(poolByPeriod(definition.scoringType, upToDate, window.granularity).map((b) => [b.key, b]));
  const contributorsByBucket = new Map<string, number>();
  for (const m of upToDate) {
    const key = periodBucket(m.periodStart, window.granularity).key;
    contributorsByBucket.set(key, (contributorsByBucket.get(key) ?? 0) + m.contributors);
  }

  // Every bucket from the history's start, with or without data, so gaps are visible.
  const buckets = uniqueBuckets(chartFrom, window.to, window.granularity);
  const shown = buckets.map((bucket) => {
    const pooledBucket = pooledBuckets.get(bucket.key);
    if (!pooledBucket) return MISSING;
    return figuresFor(definition, pooledBucket.pooled, window.disclosure, cellKeyAt(bucket, window.to, window.granularity));
  });

  // A quarter or year at either edge of the data with fewer reporting months than it spans (a
  // quarter in progress, or data that began mid-year) would sit beside whole ones as if it were
  // one: it is flagged and, like a gap, left out of SPC. Months are always whole.
  const monthsExpected = MONTHS_IN_BUCKET[window.granularity];
  const reportingMonths = definition.periodicity === 'QUARTER' ? Math.max(1, monthsExpected / 3) : monthsExpected;
  const firstWithDataIndex = buckets.findIndex((b) => pooledBuckets.has(b.key));
  const partial = buckets.map((bucket, index) => {
    const pooledBucket = pooledBuckets.get(bucket.key);
    const atEdge = index === firstWithDataIndex || index === buckets.length - 1;
    return window.granularity !== 'MONTH' && pooledBucket !== undefined && atEdge && pooledBucket.monthsWithData < reportingMonths;
  });

  // SPC over the history: from `historyFrom` (the baseline's start where one is recorded).
  const firstInHistory = buckets.findIndex((b) => b.end >= historyFrom);
  const spcOffset = firstInHistory < 0 ? buckets.length : firstInHistory;
  const spcBuckets = buckets.slice(spcOffset);
  const spcValues = shown.slice(spcOffset).map((figures, i) => (partial[spcOffset + i] ? null : figures.value));
  const baselinePoints = definition.baselineEnd ? spcBuckets.filter((b) => b.start <= (definition.baselineEnd as string)).length : null;
  const recalculateAt = definition.recalculations.map((period) => spcBuckets.findIndex((b) => b.end >= period)).filter((index) => index > 0);
  const spc = computeSpc(spcValues, {
    improvementDirection: definition.improvementDirection,
    target: definition.target,
    baselinePoints: baselinePoints && baselinePoints > 0 ? baselinePoints : null,
    recalculateAt: [...new Set(recalculateAt)].sort((a, b) => a - b),
  });

  // Points only for the window shown: the history before it feeds SPC above, and is not decorated.
  const points: SeriesPointResult[] = [];
  for (let index = 0; index < buckets.length; index += 1) {
    const bucket = buckets[index];
    if (bucket.end < window.from) continue;
    const pooledBucket = pooledBuckets.get(bucket.key);
    const spcPoint = index >= spcOffset ? spc.points[index - spcOffset] : null;
    points.push({
      periodStart: bucket.start,
      periodEnd: bucket.end,
      label: bucket.label,
      ...shown[index],
      contributors: contributorsByBucket.get(bucket.key) ?? 0,
      missing: pooledBucket === undefined,
      monthsWithData: pooledBucket?.monthsWithData ?? 0,
      monthsExpected,
      partial: partial[index],
      mean: spcPoint?.mean ?? null,
      upperProcessLimit: spcPoint?.upperProcessLimit ?? null,
      lowerProcessLimit: spcPoint?.lowerProcessLimit ?? null,
      pointType: spcPoint?.pointType ?? null,
    });
  }
  return {
    points,
    yearToDate: buildYearToDate(monthly, definition, window),
    variationIcon: spc.variationIcon,
    assuranceIcon: spc.assuranceIcon,
    target: definition.target,
  };
}

/**
 * The disclosure-table key of a bucket as seen at `to`: a whole month, quarter or year, or,
 * for the bucket `to` falls in, the part of it up to `to` (a quarter to date, a year to date).
 */
export function cellKeyAt(bucket: { key: string; start: string; end: string }, to: string, granularity: Granularity): string {
  if (granularity === 'MONTH' || bucket.end <= to) return bucket.key;
  if (granularity === 'FINANCIAL_YEAR') return yearToDateKey(to);
  return to === bucket.start ? periodBucket(to, 'MONTH').key : quarterToDateKey(to);
}

function buildYearToDate(monthly: readonly MonthlyPooled[], definition: SeriesDefinition, window: SeriesWindow): YearToDateResult {
  const range = yearToDate(window.to);
  const months = monthly.filter((m) => m.periodStart >= range.from && m.periodStart <= range.to);
  const isCount = definition.scoringType === 'COUNT';
  const pooled = poolComponents(
    definition.scoringType,
    months.map((m) => ({ numerator: m.numerator, denominator: isCount ? null : m.denominator })),
  );
  const shown = pooled ? figuresFor(definition, pooled, window.disclosure, yearToDateKey(window.to)) : MISSING;
  return {
    from: range.from,
    to: range.to,
    label: `${periodBucket(range.to, 'FINANCIAL_YEAR').label} to ${periodBucket(range.to, 'MONTH').label}`,
    ...shown,
    missing: pooled === null,
    monthsWithData: months.length,
    monthsExpected: monthsBetween(range.from, range.to).length,
  };
}

interface ShownFigures {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
  suppressionReason: string | null;
}

const MISSING: ShownFigures = { value: null, numerator: null, denominator: null, suppressed: false, suppressionReason: null };

/** A cell's figures for this reader: true, or suppressed, or rounded with the value computed from what is shown. */
function figuresFor(definition: SeriesDefinition, pooled: PooledComponents, disclosure: SeriesDisclosure | null, key: string): ShownFigures {
  if (!disclosure) {
    return { value: valueOf(definition.scoringType, pooled, definition.multiplier), numerator: pooled.numerator, denominator: pooled.denominator, suppressed: false, suppressionReason: null };
  }
  // The table decides; the rule is checked again on the figures themselves, so a table built a
  // moment earlier or later than these figures (a write between the two reads) never shows a small one.
  const reason = disclosure.suppression(key)?.reason ?? suppressionReason(definition.scoringType, pooled, disclosure.rule);
  if (reason !== null) return { value: null, numerator: null, denominator: null, suppressed: true, suppressionReason: reason };
  return { ...shownFigures(definition.scoringType, pooled, definition.multiplier, disclosure.rule), suppressed: false, suppressionReason: null };
}

/** Every bucket from `from` to `to`; the same few windows recur across a request's series (and requests), so kept, frozen. */
function uniqueBuckets(from: string, to: string, granularity: Granularity): readonly PeriodBucket[] {
  const cacheKey = `${granularity}|${from}|${to}`;
  const cached = WINDOW_BUCKETS.get(cacheKey);
  if (cached) return cached;
  const seen = new Map<string, PeriodBucket>();
  for (const month of monthsBetween(from, to)) {
    const bucket = periodBucket(month, granularity);
    if (!seen.has(bucket.key)) seen.set(bucket.key, bucket);
  }
  const buckets = Object.freeze([...seen.values()]);
  if (WINDOW_BUCKETS.size >= WINDOW_BUCKETS_LIMIT) WINDOW_BUCKETS.clear();
  WINDOW_BUCKETS.set(cacheKey, buckets);
  return buckets;
}

const WINDOW_BUCKETS = new Map<string, readonly PeriodBucket[]>();
const WINDOW_BUCKETS_LIMIT = 10_000;
