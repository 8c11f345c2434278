/**
 * A measure's series at one org unit, as a board reads it: pooled values per period (months,
 * quarters or financial years), Making Data Count SPC over them, the target and its
 * assurance, and small-number suppression where the reader may not see true figures.
 * Pure: the caller supplies the pooled monthly components (from the rollups).
 */
import { MONTHS_IN_BUCKET, monthsBetween, periodBucket, poolByPeriod, yearToDate, type Granularity } from './periods';
import { poolComponents, type PooledComponents } from './pooling';
import { valueOf, type ScoringType } from './scoring';
import { computeSpc, type AssuranceIcon, type ImprovementDirection, type PointType, type VariationIcon } from './spc';
import { disclose } from './suppression';

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
  /** last period of the baseline whose limits are carried forward (the latest recorded), if any */
  baselineEnd: string | null;
  /** first periods of recalculated processes */
  recalculations: string[];
}

export interface SeriesWindow {
  from: string;
  to: string;
  granularity: Granularity;
  /** hide small numbers (the reader may not see this unit's true figures) */
  suppress: boolean;
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

export function buildSeries(monthly: readonly MonthlyPooled[], definition: SeriesDefinition, window: SeriesWindow): SeriesResult {
  const inWindow = monthly.filter((m) => m.periodStart >= window.from && m.periodStart <= window.to);
  const isCount = definition.scoringType === 'COUNT';
  const pooledBuckets = new Map(
    poolByPeriod(
      definition.scoringType,
      inWindow.map((m) => ({ periodStart: m.periodStart, numerator: m.numerator, denominator: isCount ? null : m.denominator })),
      window.granularity,
    ).map((b) => [b.key, b]),
  );
  const contributorsByBucket = new Map<string, number>();
  for (const m of inWindow) {
    const key = periodBucket(m.periodStart, window.granularity).key;
    contributorsByBucket.set(key, (contributorsByBucket.get(key) ?? 0) + m.contributors);
  }

  // Every bucket of the window appears, with or without data, so gaps are visible.
  const buckets = uniqueBuckets(window);
  const values = buckets.map((bucket) => {
    const pooled = pooledBuckets.get(bucket.key)?.pooled;
    return pooled ? valueOf(definition.scoringType, pooled, definition.multiplier) : null;
  });

  const baselinePoints = definition.baselineEnd ? buckets.filter((b) => b.start <= (definition.baselineEnd as string)).length : null;
  const recalculateAt = definition.recalculations
    .map((period) => buckets.findIndex((b) => b.end >= period))
    .filter((index) => index > 0);
  const spc = computeSpc(values, {
    improvementDirection: definition.improvementDirection,
    target: definition.target,
    baselinePoints: baselinePoints && baselinePoints > 0 ? baselinePoints : null,
    recalculateAt: [...new Set(recalculateAt)].sort((a, b) => a - b),
  });

  const monthsExpected = MONTHS_IN_BUCKET[window.granularity];
  const points = buckets.map((bucket, index): SeriesPointResult => {
    const pooledBucket = pooledBuckets.get(bucket.key);
    const spcPoint = spc.points[index];
    const shown = pooledBucket ? shownFigures(definition, pooledBucket.pooled, values[index], window.suppress) : MISSING;
    return {
      periodStart: bucket.start,
      periodEnd: bucket.end,
      label: bucket.label,
      value: shown.value,
      numerator: shown.numerator,
      denominator: shown.denominator,
      contributors: contributorsByBucket.get(bucket.key) ?? 0,
      missing: pooledBucket === undefined,
      monthsWithData: pooledBucket?.monthsWithData ?? 0,
      monthsExpected,
      suppressed: shown.suppressed,
      suppressionReason: shown.suppressionReason,
      mean: spcPoint.mean,
      upperProcessLimit: spcPoint.upperProcessLimit,
      lowerProcessLimit: spcPoint.lowerProcessLimit,
      // A suppressed point keeps its classification: SPC ran on the true values.
      pointType: spcPoint.pointType,
    };
  });
  return {
    points,
    yearToDate: buildYearToDate(monthly, definition, window),
    variationIcon: spc.variationIcon,
    assuranceIcon: spc.assuranceIcon,
    target: definition.target,
  };
}

function buildYearToDate(monthly: readonly MonthlyPooled[], definition: SeriesDefinition, window: SeriesWindow): YearToDateResult {
  const range = yearToDate(window.to);
  const months = monthly.filter((m) => m.periodStart >= range.from && m.periodStart <= range.to);
  const isCount = definition.scoringType === 'COUNT';
  const pooled = poolComponents(
    definition.scoringType,
    months.map((m) => ({ numerator: m.numerator, denominator: isCount ? null : m.denominator })),
  );
  const shown = pooled ? shownFigures(definition, pooled, valueOf(definition.scoringType, pooled, definition.multiplier), window.suppress) : MISSING;
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

function shownFigures(definition: SeriesDefinition, pooled: PooledComponents, value: number | null, suppress: boolean): ShownFigures {
  if (!suppress) {
    return { value, numerator: pooled.numerator, denominator: pooled.denominator, suppressed: false, suppressionReason: null };
  }
  const disclosed = disclose(definition.scoringType, pooled, definition.multiplier);
  return disclosed.suppressed
    ? { value: null, numerator: null, denominator: null, suppressed: true, suppressionReason: disclosed.reason }
    : { value: disclosed.value, numerator: disclosed.numerator, denominator: disclosed.denominator, suppressed: false, suppressionReason: null };
}

function uniqueBuckets(window: SeriesWindow) {
  const seen = new Map<string, ReturnType<typeof periodBucket>>();
  for (const month of monthsBetween(window.from, window.to)) {
    const bucket = periodBucket(month, window.granularity);
    if (!seen.has(bucket.key)) seen.set(bucket.key, bucket);
  }
  return [...seen.values()];
}
