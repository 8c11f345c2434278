/**
 * Making Data Count (MDC) XmR statistical process control.
 *
 * Reproduces NHS England's MDC "Single Chart Tool" v5.0 as described in
 * test/fixtures/spc/mdc-xmr-testing.md, which is the specification here:
 *  - limits = mean ± 2.66 × mean moving range, with no moving-range outlier screening;
 *  - special cause rules: a point beyond a process limit; a shift of 6+ points on one side
 *    of the mean; a trend of 6+ points all increasing or all decreasing (no pauses); two
 *    of three consecutive points beyond a two-sigma line, all three on one side of the
 *    mean, where points beyond the process limits do not count towards the two;
 *  - the multi-point rules (shift, trend, two-sigma) run across recalculations, each point
 *    being judged against its own segment's mean and lines;
 *  - a point that is both improvement and concern (only possible through the trend rule)
 *    is shown as improvement;
 *  - with 12 points or fewer there are no limits, no point types and no icons, but the
 *    mean is still given (the tool still draws it);
 *  - when a baseline is set, recalculations are ignored ("only the baseline is
 *    implemented").
 *
 * Missing values (null): the document says empty dates must be skipped, not left as gaps,
 * because a gap corrupts the moving range. So a null is left out of every calculation as if
 * its date were not there: the moving range joins the values either side of it, runs of
 * points (shift, trend, two-sigma) carry on across it, and it does not count towards the
 * 13-point minimum. The null point keeps its index, gets its segment's mean and limits (so
 * the lines stay continuous) and a null pointType.
 *
 * Pure: no I/O and no imports.
 */

export type ImprovementDirection = 'INCREASE' | 'DECREASE' | 'NEITHER';
export type PointType =
  | 'COMMON_CAUSE'
  | 'SPECIAL_CAUSE_IMPROVEMENT'
  | 'SPECIAL_CAUSE_CONCERN'
  | 'SPECIAL_CAUSE_NEITHER';
export type VariationIcon =
  | 'COMMON_CAUSE'
  | 'IMPROVEMENT_HIGH'
  | 'IMPROVEMENT_LOW'
  | 'CONCERN_HIGH'
  | 'CONCERN_LOW'
  | 'NEITHER_HIGH'
  | 'NEITHER_LOW';
export type AssuranceIcon = 'PASS' | 'FAIL' | 'HIT_AND_MISS';
/** The special cause rules, as reported per point in SpcPoint.rules. */
export type SpcRule = 'POINT_BEYOND_LIMIT' | 'SHIFT' | 'TREND' | 'TWO_OF_THREE_BEYOND_TWO_SIGMA';

/** A chart with fewer points than this has no limits, point types or icons (document: 13). */
export const MINIMUM_POINTS = 13;
/** Default points for the shift and trend rules (document: usually 6, may be 7). */
export const DEFAULT_RUN_LENGTH = 6;
/** 3 / 1.128 rounded as the Excel tool does: converts the mean moving range to three sigma. */
export const LIMIT_FACTOR = 2.66;

export interface SpcOptions {
  improvementDirection: ImprovementDirection;
  target?: number | null;
  /**
   * Number of leading points (by index) that form the baseline: the mean and limits are
   * calculated from them alone and extended over the rest of the chart (default: no
   * baseline, all points of each segment). As in the Single Chart Tool, when a baseline is
   * set any recalculateAt is ignored.
   */
  baselinePoints?: number | null;
  /** indexes (0-based) at which the process was recalculated: a new segment starts at each, with its own mean and limits */
  recalculateAt?: number[];
  /** Points (non-null values) needed for limits, point types and icons; default 13. The document allows a larger number such as 15. */
  minimumPoints?: number;
  /** Consecutive points on one side of the mean that make a shift; default 6 (the document allows 7). */
  shiftPoints?: number;
  /** Consecutive increasing or decreasing points that make a trend; default 6 (the document allows 7). */
  trendPoints?: number;
}

export interface SpcPoint {
  index: number;
  value: number | null;
  mean: number | null;
  upperProcessLimit: number | null;
  lowerProcessLimit: number | null;
  pointType: PointType | null;
  /** 0-based segment (recalculation period) the point belongs to. */
  segment: number;
  /** The special cause rules that fired for this point, in either direction. */
  rules: SpcRule[];
}

export interface SpcResult {
  points: SpcPoint[];
  variationIcon: VariationIcon | null;
  assuranceIcon: AssuranceIcon | null;
}

type Side = 'HIGH' | 'LOW';

interface ResolvedOptions {
  direction: ImprovementDirection;
  target: number | null;
  baselinePoints: number | null;
  recalculateAt: number[];
  minimumPoints: number;
  shiftPoints: number;
  trendPoints: number;
}

interface Segment {
  start: number;
  /** exclusive */
  end: number;
  mean: number | null;
  upper: number | null;
  lower: number | null;
}

/** A point that has a value, with the segment whose lines it is judged against. */
interface Observation {
  index: number;
  value: number;
  segment: Segment;
}

/** What the rules found for one observation: special cause on the high and/or low side. */
interface Signal {
  high: boolean;
  low: boolean;
  rules: Set<SpcRule>;
}

export function computeSpc(values: Array<number | null>, options: SpcOptions): SpcResult {
  validateValues(values);
  const resolved = resolveOptions(values.length, options);
  const observedCount = values.filter((v) => v !== null).length;
  const enoughPoints = observedCount >= resolved.minimumPoints;

  const segments = buildSegments(values, resolved, enoughPoints);
  const segmentOfIndex = indexSegments(values.length, segments);
  const observations = observationsOf(values, segmentOfIndex);

  const signals = enoughPoints ? detectSpecialCauses(observations, resolved) : null;
  const pointTypes = new Map<number, PointType>();
  const rulesByIndex = new Map<number, SpcRule[]>();
  if (signals) {
    observations.forEach((obs, i) => {
      pointTypes.set(obs.index, classify(signals[i], resolved.direction));
      rulesByIndex.set(obs.index, [...signals[i].rules]);
    });
  }

  const points = values.map((value, index): SpcPoint => {
    const segment = segmentOfIndex[index];
    return {
      index,
      value,
      mean: segment.mean,
      upperProcessLimit: segment.upper,
      lowerProcessLimit: segment.lower,
      pointType: pointTypes.get(index) ?? null,
      segment: segments.indexOf(segment),
      rules: rulesByIndex.get(index) ?? [],
    };
  });

  const last = observations[observations.length - 1];
  const lastSignal = signals?.[signals.length - 1];
  return {
    points,
    variationIcon:
      last && lastSignal ? variationIconFor(last, lastSignal, resolved.direction) : null,
    assuranceIcon:
      last && enoughPoints ? assuranceIconFor(resolved.target, resolved.direction, last.segment) : null,
  };
}

// ---------------------------------------------------------------------------
// Input checking

function validateValues(values: Array<number | null>): void {
  values.forEach((value, index) => {
    if (value !== null && !Number.isFinite(value)) {
      throw new RangeError(`SPC value at index ${index} is not a finite number: ${value}`);
    }
  });
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`SPC option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function resolveOptions(length: number, options: SpcOptions): ResolvedOptions {
  const target = options.target ?? null;
  if (target !== null && !Number.isFinite(target)) {
    throw new RangeError(`SPC target must be a finite number, got ${target}`);
  }
  const baselinePoints =
    options.baselinePoints == null ? null : requirePositiveInteger('baselinePoints', options.baselinePoints);
  const recalculateAt = [...new Set(options.recalculateAt ?? [])].sort((a, b) => a - b);
  for (const index of recalculateAt) {
    if (!Number.isInteger(index) || index < 0 || index >= Math.max(length, 1)) {
      throw new RangeError(`SPC recalculateAt index ${index} is outside 0..${length - 1}`);
    }
  }
  return {
    direction: options.improvementDirection,
    target,
    baselinePoints,
    recalculateAt,
    minimumPoints: requirePositiveInteger('minimumPoints', options.minimumPoints ?? MINIMUM_POINTS),
    shiftPoints: requirePositiveInteger('shiftPoints', options.shiftPoints ?? DEFAULT_RUN_LENGTH),
    trendPoints: requirePositiveInteger('trendPoints', options.trendPoints ?? DEFAULT_RUN_LENGTH),
  };
}

// ---------------------------------------------------------------------------
// Segments, mean and limits

/** Start indexes of the segments; a baseline overrides recalculations, as in the tool. */
function segmentStarts(resolved: ResolvedOptions): number[] {
  if (resolved.baselinePoints !== null) return [0];
  return [0, ...resolved.recalculateAt.filter((index) => index > 0)];
}

function buildSegments(
  values: Array<number | null>,
  resolved: ResolvedOptions,
  enoughPoints: boolean,
): Segment[] {
  const starts = segmentStarts(resolved);
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : values.length;
    // Only the first segment can carry a baseline, and then it is the only segment.
    const calculationEnd = resolved.baselinePoints === null ? end : Math.min(end, resolved.baselinePoints);
    const calculationValues = present(values.slice(start, calculationEnd));
    return { start, end, ...centreAndLimits(calculationValues, enoughPoints) };
  });
}

function present(values: Array<number | null>): number[] {
  return values.filter((value): value is number => value !== null);
}

function centreAndLimits(
  values: number[],
  enoughPoints: boolean,
): Pick<Segment, 'mean' | 'upper' | 'lower'> {
  const mean = values.length > 0 ? average(values) : null;
  // One value has no moving range, so no limits can be drawn for it.
  if (mean === null || !enoughPoints || values.length < 2) return { mean, upper: null, lower: null };
  const threeSigma = LIMIT_FACTOR * average(movingRanges(values));
  return { mean, upper: mean + threeSigma, lower: mean - threeSigma };
}

function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function movingRanges(values: number[]): number[] {
  return values.slice(1).map((value, i) => Math.abs(value - values[i]));
}

function indexSegments(length: number, segments: Segment[]): Segment[] {
  const bySegment: Segment[] = [];
  for (const segment of segments) {
    for (let index = segment.start; index < segment.end; index += 1) bySegment[index] = segment;
  }
  return bySegment.slice(0, length);
}

function observationsOf(values: Array<number | null>, segmentOfIndex: Segment[]): Observation[] {
  const observations: Observation[] = [];
  values.forEach((value, index) => {
    if (value !== null) observations.push({ index, value, segment: segmentOfIndex[index] });
  });
  return observations;
}

// ---------------------------------------------------------------------------
// Special cause rules

function detectSpecialCauses(observations: Observation[], resolved: ResolvedOptions): Signal[] {
  const signals = observations.map((): Signal => ({ high: false, low: false, rules: new Set() }));
  markBeyondLimits(observations, signals);
  markShifts(observations, signals, resolved.shiftPoints);
  markTrends(observations, signals, resolved.trendPoints);
  markTwoOfThree(observations, signals);
  return signals;
}

function mark(signal: Signal, side: Side, rule: SpcRule): void {
  if (side === 'HIGH') signal.high = true;
  else signal.low = true;
  signal.rules.add(rule);
}

/**
 * Strictly above a line, allowing for floating-point noise: a flat series of 0.8s has a mean
 * of 0.8000000000000002 once summed, and must not read as six points below its own mean.
 */
function above(value: number, line: number): boolean {
  return value - line > FLOAT_TOLERANCE * Math.max(1, Math.abs(value), Math.abs(line));
}

const FLOAT_TOLERANCE = 1e-9;

/** Which side of its segment's mean a point lies; a point on the mean is on neither. */
function sideOfMean(obs: Observation): Side | null {
  const { mean } = obs.segment;
  if (mean === null) return null;
  if (above(obs.value, mean)) return 'HIGH';
  if (above(mean, obs.value)) return 'LOW';
  return null;
}

function sideBeyondLimits(obs: Observation): Side | null {
  const { upper, lower } = obs.segment;
  if (upper !== null && above(obs.value, upper)) return 'HIGH';
  if (lower !== null && above(lower, obs.value)) return 'LOW';
  return null;
}

/** Side on which a point is beyond two sigma but not beyond the process limit (the two-sigma rule ignores those). */
function sideBeyondTwoSigmaOnly(obs: Observation): Side | null {
  const { mean, upper, lower } = obs.segment;
  if (mean === null || upper === null || lower === null || sideBeyondLimits(obs) !== null) return null;
  const twoSigma = ((upper - mean) * 2) / 3;
  if (above(obs.value, mean + twoSigma)) return 'HIGH';
  if (above(mean - twoSigma, obs.value)) return 'LOW';
  return null;
}

function markBeyondLimits(observations: Observation[], signals: Signal[]): void {
  observations.forEach((obs, i) => {
    const side = sideBeyondLimits(obs);
    if (side) mark(signals[i], side, 'POINT_BEYOND_LIMIT');
  });
}

/** Calls back for every maximal run of equal, non-null keys: [first, last] positions inclusive. */
function forEachRun(keys: Array<Side | null>, onRun: (side: Side, first: number, last: number) => void): void {
  let first = 0;
  for (let i = 1; i <= keys.length; i += 1) {
    if (i === keys.length || keys[i] !== keys[first]) {
      const side = keys[first];
      if (side) onRun(side, first, i - 1);
      first = i;
    }
  }
}

function markShifts(observations: Observation[], signals: Signal[], shiftPoints: number): void {
  forEachRun(observations.map(sideOfMean), (side, first, last) => {
    if (last - first + 1 < shiftPoints) return;
    for (let i = first; i <= last; i += 1) mark(signals[i], side, 'SHIFT');
  });
}

/** A trend of n points is n - 1 steps the same way; an unchanged value is a pause and ends it. */
function markTrends(observations: Observation[], signals: Signal[], trendPoints: number): void {
  const steps = observations.slice(1).map((obs, i): Side | null => {
    const previous = observations[i].value;
    if (obs.value === previous) return null;
    return obs.value > previous ? 'HIGH' : 'LOW';
  });
  forEachRun(steps, (side, firstStep, lastStep) => {
    // Step s joins observations s and s + 1.
    if (lastStep - firstStep + 2 < trendPoints) return;
    for (let i = firstStep; i <= lastStep + 1; i += 1) mark(signals[i], side, 'TREND');
  });
}

/** In any three consecutive points all on one side of the mean, two or three beyond two sigma on that side. */
function markTwoOfThree(observations: Observation[], signals: Signal[]): void {
  for (let first = 0; first + 3 <= observations.length; first += 1) {
    const window = observations.slice(first, first + 3);
    const side = sideOfMean(window[0]);
    if (!side || !window.every((obs) => sideOfMean(obs) === side)) continue;
    const beyond = window
      .map((obs, offset) => ({ offset, side: sideBeyondTwoSigmaOnly(obs) }))
      .filter((entry) => entry.side === side);
    if (beyond.length < 2) continue;
    for (const { offset } of beyond) mark(signals[first + offset], side, 'TWO_OF_THREE_BEYOND_TWO_SIGMA');
  }
}

// ---------------------------------------------------------------------------
// Classification and icons

function improvingSide(direction: ImprovementDirection): Side | null {
  if (direction === 'INCREASE') return 'HIGH';
  if (direction === 'DECREASE') return 'LOW';
  return null;
}

function firedOn(signal: Signal, side: Side): boolean {
  return side === 'HIGH' ? signal.high : signal.low;
}

/** Improvement wins where a point is both improvement and concern, as the tool shows blue. */
function classify(signal: Signal, direction: ImprovementDirection): PointType {
  if (!signal.high && !signal.low) return 'COMMON_CAUSE';
  const good = improvingSide(direction);
  if (good === null) return 'SPECIAL_CAUSE_NEITHER';
  return firedOn(signal, good) ? 'SPECIAL_CAUSE_IMPROVEMENT' : 'SPECIAL_CAUSE_CONCERN';
}

/**
 * From the last point with a value. With a direction the icon's high/low follows from the
 * point type (improvement when high is good is high). With NEITHER it is the side the
 * rules fired on, or, if they fired on both (a trend crossing the mean), the side of the
 * mean the value lies.
 */
function variationIconFor(last: Observation, signal: Signal, direction: ImprovementDirection): VariationIcon {
  const type = classify(signal, direction);
  if (type === 'COMMON_CAUSE') return 'COMMON_CAUSE';
  const good = improvingSide(direction);
  if (good === null) return neitherSide(last, signal) === 'HIGH' ? 'NEITHER_HIGH' : 'NEITHER_LOW';
  const shownSide = type === 'SPECIAL_CAUSE_IMPROVEMENT' ? good : opposite(good);
  if (type === 'SPECIAL_CAUSE_IMPROVEMENT') return shownSide === 'HIGH' ? 'IMPROVEMENT_HIGH' : 'IMPROVEMENT_LOW';
  return shownSide === 'HIGH' ? 'CONCERN_HIGH' : 'CONCERN_LOW';
}

function opposite(side: Side): Side {
  return side === 'HIGH' ? 'LOW' : 'HIGH';
}

function neitherSide(obs: Observation, signal: Signal): Side {
  if (signal.high !== signal.low) return signal.high ? 'HIGH' : 'LOW';
  return sideOfMean(obs) === 'LOW' ? 'LOW' : 'HIGH';
}

/**
 * Target against the latest limits (those of the last point's segment). When the whole
 * band between the limits is on the good side of the target, every expected value meets
 * it: PASS (e.g. high is good, target below the lower limit). When the whole band is on
 * the bad side no expected value meets it: FAIL (high is good, target above the upper
 * limit). A target between or on the limits is sometimes met: HIT_AND_MISS.
 */
function assuranceIconFor(
  target: number | null,
  direction: ImprovementDirection,
  latest: Segment,
): AssuranceIcon | null {
  const good = improvingSide(direction);
  if (target === null || good === null || latest.upper === null || latest.lower === null) return null;
  if (above(target, latest.upper)) return good === 'HIGH' ? 'FAIL' : 'PASS';
  if (above(latest.lower, target)) return good === 'HIGH' ? 'PASS' : 'FAIL';
  return 'HIT_AND_MISS';
}
