import { computeSpc, DEFAULT_RUN_LENGTH, LIMIT_FACTOR, MINIMUM_POINTS } from './index';
import type { ImprovementDirection, PointType, SpcOptions, SpcResult } from './index';

const C: PointType = 'COMMON_CAUSE';
const I: PointType = 'SPECIAL_CAUSE_IMPROVEMENT';
const X: PointType = 'SPECIAL_CAUSE_CONCERN';
const N: PointType = 'SPECIAL_CAUSE_NEITHER';

const typesOf = (result: SpcResult) => result.points.map((point) => point.pointType);

/*
 * Most rule tests put a few points after a steady 12-point baseline, so the lines are
 * fixed whatever the new points are:
 *   values 9, 11, 9, 11, ... (12 points): mean = 10, every moving range = 2, mean MR = 2
 *   three sigma = 2.66 × 2 = 5.32 → upper limit 15.32, lower limit 4.68
 *   two sigma = 2/3 × 5.32 = 3.5467 → lines at 13.5467 and 6.4533
 * Baseline plus at least one point makes the 13 points needed for limits.
 */
const BASELINE = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11];

function afterBaseline(
  tail: number[],
  direction: ImprovementDirection = 'INCREASE',
  extra: Partial<SpcOptions> = {},
): SpcResult {
  return computeSpc([...BASELINE, ...tail], { improvementDirection: direction, baselinePoints: 12, ...extra });
}

/** Types of the points after the baseline. */
const tailTypes = (result: SpcResult) => typesOf(result).slice(BASELINE.length);

describe('constants', () => {
  test('match the testing document', () => {
    expect(MINIMUM_POINTS).toBe(13);
    expect(DEFAULT_RUN_LENGTH).toBe(6);
    expect(LIMIT_FACTOR).toBe(2.66);
  });
});

describe('mean and process limits', () => {
  test('hand-worked 13-point series', () => {
    /*
     * values: 8 12 10 8 12 10 8 12 10 8 12 10 10      sum 130 → mean 10
     * moving ranges: 4 2 2 4 2 2 4 2 2 4 2 0           sum 30 over 12 → mean MR 2.5
     * three sigma = 2.66 × 2.5 = 6.65 → upper 16.65, lower 3.35
     * two sigma = 4.4333 → lines 14.43 and 5.57: no point beyond; no run of 6 on one side
     * (the values alternate about 10) and no 6-point trend, so all common cause.
     */
    const result = computeSpc([8, 12, 10, 8, 12, 10, 8, 12, 10, 8, 12, 10, 10], {
      improvementDirection: 'INCREASE',
    });
    for (const point of result.points) {
      expect(point.mean).toBeCloseTo(10, 10);
      expect(point.upperProcessLimit).toBeCloseTo(16.65, 10);
      expect(point.lowerProcessLimit).toBeCloseTo(3.35, 10);
      expect(point.pointType).toBe(C);
      expect(point.rules).toEqual([]);
      expect(point.segment).toBe(0);
    }
    expect(result.points.map((point) => point.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result.variationIcon).toBe('COMMON_CAUSE');
    expect(result.assuranceIcon).toBeNull();
  });

  test('a baseline fixes the lines from its points alone and extends them', () => {
    const result = afterBaseline([12, 12]);
    for (const point of result.points) {
      expect(point.mean).toBeCloseTo(10, 10);
      expect(point.upperProcessLimit).toBeCloseTo(15.32, 10);
      expect(point.lowerProcessLimit).toBeCloseTo(4.68, 10);
    }
  });

  test('each recalculation starts a segment with its own mean and limits', () => {
    /*
     * 9 11 9 11 9 11 9 11 | 19 21 19 21 19 21, recalculated at index 8
     * first: mean 10, MR all 2 → 4.68 to 15.32; second: mean 20, MR all 2 → 14.68 to 25.32.
     * Without the recalculation (mean 14.29) the first 8 are a shift below, the last 6 above.
     */
    const values = [9, 11, 9, 11, 9, 11, 9, 11, 19, 21, 19, 21, 19, 21];
    const result = computeSpc(values, { improvementDirection: 'INCREASE', recalculateAt: [8] });
    expect(result.points[0]).toMatchObject({ mean: 10, segment: 0 });
    expect(result.points[0].upperProcessLimit).toBeCloseTo(15.32, 10);
    expect(result.points[13]).toMatchObject({ mean: 20, segment: 1 });
    expect(result.points[13].lowerProcessLimit).toBeCloseTo(14.68, 10);
    expect(typesOf(result)).toEqual(values.map(() => C));

    const single = computeSpc(values, { improvementDirection: 'INCREASE' });
    expect(typesOf(single)).toEqual([...Array(8).fill(X), ...Array(6).fill(I)]);
  });

  test('a baseline overrides recalculations ("only the baseline is implemented")', () => {
    const values = [9, 11, 9, 11, 9, 11, 9, 11, 19, 21, 19, 21, 19, 21];
    const result = computeSpc(values, { improvementDirection: 'INCREASE', baselinePoints: 8, recalculateAt: [8] });
    expect(new Set(result.points.map((point) => point.mean))).toEqual(new Set([10]));
    expect(new Set(result.points.map((point) => point.segment))).toEqual(new Set([0]));
    // 19 and 21 are all beyond the baseline's upper limit of 15.32.
    expect(typesOf(result).slice(8)).toEqual(Array(6).fill(I));
    expect(result.points[8].rules).toContain('POINT_BEYOND_LIMIT');
  });
});

describe('13-point minimum', () => {
  const twelve = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11];

  test('12 points: mean only, no limits, no point types, no icons', () => {
    const result = computeSpc(twelve, { improvementDirection: 'INCREASE', target: 50 });
    for (const point of result.points) {
      expect(point.mean).toBe(10);
      expect(point.upperProcessLimit).toBeNull();
      expect(point.lowerProcessLimit).toBeNull();
      expect(point.pointType).toBeNull();
      expect(point.rules).toEqual([]);
    }
    expect(result.variationIcon).toBeNull();
    expect(result.assuranceIcon).toBeNull();
  });

  test('13 points: limits, point types and icons', () => {
    const result = computeSpc([...twelve, 9], { improvementDirection: 'INCREASE', target: 50 });
    expect(result.points.every((point) => point.upperProcessLimit !== null)).toBe(true);
    expect(result.points.every((point) => point.pointType !== null)).toBe(true);
    expect(result.variationIcon).toBe('COMMON_CAUSE');
    expect(result.assuranceIcon).toBe('FAIL');
  });

  test('a missing value does not count towards the minimum', () => {
    const result = computeSpc([...twelve, null], { improvementDirection: 'INCREASE' });
    expect(result.points[0].upperProcessLimit).toBeNull();
    expect(result.variationIcon).toBeNull();
  });

  test('the minimum can be raised (the document suggests 15, for example)', () => {
    const result = computeSpc([...twelve, 9, 11], { improvementDirection: 'INCREASE', minimumPoints: 15 });
    expect(result.points[0].upperProcessLimit).toBeNull();
    expect(typesOf(result).every((type) => type === null)).toBe(true);
  });

  test('no values at all', () => {
    expect(computeSpc([], { improvementDirection: 'INCREASE' })).toEqual({
      points: [],
      variationIcon: null,
      assuranceIcon: null,
    });
  });
});

describe('rule: a point beyond a process limit', () => {
  test('above the upper limit (15.32) with high is good is improvement', () => {
    const result = afterBaseline([16]);
    expect(tailTypes(result)).toEqual([I]);
    expect(result.points[12].rules).toEqual(['POINT_BEYOND_LIMIT']);
    expect(typesOf(result).slice(0, 12)).toEqual(Array(12).fill(C));
  });

  test('below the lower limit (4.68) with high is good is concern', () => {
    expect(tailTypes(afterBaseline([4]))).toEqual([X]);
  });

  test('inside the limits is not a special cause', () => {
    expect(tailTypes(afterBaseline([15]))).toEqual([C]);
  });

  test('the direction decides the colour; neither gives neither', () => {
    expect(tailTypes(afterBaseline([16], 'DECREASE'))).toEqual([X]);
    expect(tailTypes(afterBaseline([4], 'DECREASE'))).toEqual([I]);
    expect(tailTypes(afterBaseline([16], 'NEITHER'))).toEqual([N]);
  });
});

describe('rule: shift of 6 points on one side of the mean', () => {
  test('six points above the mean (the baseline ends with 11) are all special cause', () => {
    // indexes 11..16 are all 11, above the mean of 10
    const result = afterBaseline([11, 11, 11, 11, 11]);
    expect(typesOf(result).slice(11)).toEqual(Array(6).fill(I));
    expect(result.points[11].rules).toEqual(['SHIFT']);
    expect(result.points[10].pointType).toBe(C);
  });

  test('five points are not enough', () => {
    expect(typesOf(afterBaseline([11, 11, 11, 11])).slice(11)).toEqual(Array(5).fill(C));
  });

  test('below the mean with high is good is concern', () => {
    // 9 (baseline) then 11 ends it; six 9s after it
    expect(tailTypes(afterBaseline([9, 9, 9, 9, 9, 9]))).toEqual(Array(6).fill(X));
  });

  test('a point on the mean is on neither side and breaks the run', () => {
    expect(typesOf(afterBaseline([11, 11, 10, 11, 11, 11])).slice(11)).toEqual(Array(7).fill(C));
  });

  test('the run length can be set to 7', () => {
    expect(typesOf(afterBaseline([11, 11, 11, 11, 11], 'INCREASE', { shiftPoints: 7 })).slice(11)).toEqual(
      Array(6).fill(C),
    );
  });
});

describe('rule: trend of 6 increasing or decreasing points', () => {
  test('six rising points are special cause, even across the mean', () => {
    // 11 → 8 falls; 8 9 10 11 12 13 rise (5 increases, 6 points). Nothing else fires:
    // 8 and 9 are below the mean, 10 is on it, 13 is under the two-sigma line of 13.55.
    const result = afterBaseline([8, 9, 10, 11, 12, 13]);
    expect(tailTypes(result)).toEqual(Array(6).fill(I));
    expect(result.points[12].rules).toEqual(['TREND']);
    expect(result.variationIcon).toBe('IMPROVEMENT_HIGH');
  });

  test('five rising points are not enough', () => {
    expect(tailTypes(afterBaseline([8, 9, 10, 11, 12]))).toEqual(Array(5).fill(C));
  });

  test('a repeated value is a pause and breaks the trend', () => {
    expect(tailTypes(afterBaseline([8, 9, 9, 10, 11, 12, 13]))).toEqual(Array(7).fill(C));
  });

  test('six falling points with low is good are improvement, with high is good concern', () => {
    // 11 → 12 rises; 12 11 10 9 8 7 fall
    expect(tailTypes(afterBaseline([12, 11, 10, 9, 8, 7], 'DECREASE'))).toEqual(Array(6).fill(I));
    expect(tailTypes(afterBaseline([12, 11, 10, 9, 8, 7], 'INCREASE'))).toEqual(Array(6).fill(X));
  });
});

describe('rule: two of three points beyond two sigma', () => {
  test('two of three beyond the upper two-sigma line (13.55), all above the mean', () => {
    // window 14 12 14: all above 10, two beyond 13.55 → those two; 12 is not flagged
    const result = afterBaseline([14, 12, 14]);
    expect(tailTypes(result)).toEqual([I, C, I]);
    expect(result.points[12].rules).toEqual(['TWO_OF_THREE_BEYOND_TWO_SIGMA']);
  });

  test('all three points must be on the same side of the mean', () => {
    expect(tailTypes(afterBaseline([14, 9, 14]))).toEqual([C, C, C]);
  });

  test('a point beyond the process limit does not count towards the two', () => {
    // 16 is beyond 15.32: it fires on its own, but leaves 14 alone beyond two sigma
    expect(tailTypes(afterBaseline([14, 12, 16]))).toEqual([C, C, I]);
    // 15 is beyond two sigma but inside the limit, so 14 and 15 make two of three
    expect(tailTypes(afterBaseline([14, 12, 15]))).toEqual([I, C, I]);
  });

  test('below the lower two-sigma line (6.45) with high is good is concern', () => {
    // 11 → 9 so the window 9 6 6 is all below the mean
    expect(tailTypes(afterBaseline([9, 6, 6]))).toEqual([C, X, X]);
  });
});

describe('conflict between improvement and concern', () => {
  /*
   * 11 then 20 19 18 17 16 15: a 6-point falling trend, and all six are above the mean (a
   * shift) with 20..16 beyond the upper limit. With low is good the trend is improvement and
   * the rest concern: improvement wins, as the Single Chart Tool shows blue.
   */
  const tail = [20, 19, 18, 17, 16, 15];

  test('improvement wins with low is good', () => {
    const result = afterBaseline(tail, 'DECREASE');
    expect(tailTypes(result)).toEqual(Array(6).fill(I));
    expect(result.points[12].rules).toEqual(['POINT_BEYOND_LIMIT', 'SHIFT', 'TREND']);
  });

  test('with high is good every rule is improvement', () => {
    expect(tailTypes(afterBaseline(tail, 'INCREASE'))).toEqual(Array(6).fill(I));
  });

  test('with no direction it is simply special cause', () => {
    expect(tailTypes(afterBaseline(tail, 'NEITHER'))).toEqual(Array(6).fill(N));
  });
});

describe('variation icon (from the last point)', () => {
  test.each([
    ['INCREASE', 16, 'IMPROVEMENT_HIGH'],
    ['INCREASE', 4, 'CONCERN_LOW'],
    ['DECREASE', 16, 'CONCERN_HIGH'],
    ['DECREASE', 4, 'IMPROVEMENT_LOW'],
    ['NEITHER', 16, 'NEITHER_HIGH'],
    ['NEITHER', 4, 'NEITHER_LOW'],
    ['INCREASE', 12, 'COMMON_CAUSE'],
  ] as const)('%s, last value %d → %s', (direction, last, icon) => {
    expect(afterBaseline([last], direction).variationIcon).toBe(icon);
  });

  test('only the last point matters', () => {
    expect(afterBaseline([16, 12]).variationIcon).toBe('COMMON_CAUSE');
  });

  test('a trailing missing value leaves the icon to the last point with a value', () => {
    expect(afterBaseline([16]).variationIcon).toBe('IMPROVEMENT_HIGH');
    const result = computeSpc([...BASELINE, 16, null], { improvementDirection: 'INCREASE', baselinePoints: 12 });
    expect(result.variationIcon).toBe('IMPROVEMENT_HIGH');
  });
});

describe('assurance icon (target against the latest limits 4.68 to 15.32)', () => {
  test.each([
    ['INCREASE', 3, 'PASS'],
    ['INCREASE', 10, 'HIT_AND_MISS'],
    ['INCREASE', 20, 'FAIL'],
    ['DECREASE', 20, 'PASS'],
    ['DECREASE', 10, 'HIT_AND_MISS'],
    ['DECREASE', 3, 'FAIL'],
  ] as const)('%s with target %d → %s', (direction, target, icon) => {
    expect(afterBaseline([12], direction, { target }).assuranceIcon).toBe(icon);
  });

  test('a target exactly on a limit is hit and miss', () => {
    const upper = afterBaseline([12]).points[0].upperProcessLimit ?? Number.NaN;
    expect(afterBaseline([12], 'INCREASE', { target: upper }).assuranceIcon).toBe('HIT_AND_MISS');
  });

  test('no target, or no improvement direction, gives no assurance icon', () => {
    expect(afterBaseline([12], 'INCREASE').assuranceIcon).toBeNull();
    expect(afterBaseline([12], 'INCREASE', { target: null }).assuranceIcon).toBeNull();
    expect(afterBaseline([12], 'NEITHER', { target: 20 }).assuranceIcon).toBeNull();
  });

  test('uses the last segment after a recalculation', () => {
    // segments as in "each recalculation starts a segment": 4.68..15.32 then 14.68..25.32
    const values = [9, 11, 9, 11, 9, 11, 9, 11, 19, 21, 19, 21, 19, 21];
    const icon = (target: number) =>
      computeSpc(values, { improvementDirection: 'INCREASE', recalculateAt: [8], target }).assuranceIcon;
    expect(icon(20)).toBe('HIT_AND_MISS');
    expect(icon(12)).toBe('PASS');
  });
});

describe('missing values', () => {
  test('are kept at their index with no point type but their segment lines', () => {
    const result = computeSpc([...BASELINE.slice(0, 6), null, ...BASELINE.slice(6), 12], {
      improvementDirection: 'INCREASE',
    });
    expect(result.points).toHaveLength(14);
    expect(result.points[6]).toMatchObject({ index: 6, value: null, pointType: null, rules: [] });
    expect(result.points[6].mean).toBe(result.points[0].mean);
    expect(result.points[6].upperProcessLimit).toBe(result.points[0].upperProcessLimit);
    expect(result.points[13].pointType).toBe(C);
  });

  test('are skipped: the moving range joins the values either side', () => {
    const withGap = computeSpc([...BASELINE.slice(0, 6), null, ...BASELINE.slice(6), 10], {
      improvementDirection: 'INCREASE',
    });
    const withoutGap = computeSpc([...BASELINE, 10], { improvementDirection: 'INCREASE' });
    expect(withGap.points[0].upperProcessLimit).toBeCloseTo(withoutGap.points[0].upperProcessLimit ?? 0, 10);
  });

  test('do not break a run', () => {
    // 11 11 11 null 11 11 11 after the baseline's 11: seven values above the mean
    const result = computeSpc([...BASELINE, 11, 11, null, 11, 11, 11], {
      improvementDirection: 'INCREASE',
      baselinePoints: 12,
    });
    expect(typesOf(result).slice(11)).toEqual([I, I, I, null, I, I, I]);
  });
});

describe('input checking', () => {
  test('rejects values that are not finite numbers', () => {
    expect(() => computeSpc([1, Number.NaN], { improvementDirection: 'INCREASE' })).toThrow(RangeError);
  });

  test('rejects recalculation indexes outside the values', () => {
    expect(() => computeSpc([1, 2, 3], { improvementDirection: 'INCREASE', recalculateAt: [3] })).toThrow(
      RangeError,
    );
    expect(() => computeSpc([1, 2, 3], { improvementDirection: 'INCREASE', recalculateAt: [1.5] })).toThrow(
      RangeError,
    );
  });

  test('rejects a baseline that is not a positive whole number', () => {
    expect(() => computeSpc([1, 2, 3], { improvementDirection: 'INCREASE', baselinePoints: 0 })).toThrow(RangeError);
  });

  test('accepts recalculation indexes in any order, with duplicates', () => {
    const values = [9, 11, 9, 11, 9, 11, 9, 11, 19, 21, 19, 21, 19, 21];
    const sorted = computeSpc(values, { improvementDirection: 'INCREASE', recalculateAt: [8] });
    const messy = computeSpc(values, { improvementDirection: 'INCREASE', recalculateAt: [8, 0, 8] });
    expect(messy).toEqual(sorted);
  });
});

describe('floating-point noise', () => {
  test('a flat series of 0.8s is common cause, not a shift below its own summed mean', () => {
    // 24 × 0.8 summed in binary floating point gives a mean a hair above 0.8; every point must
    // still read as on the mean (and within the zero-width limits), so nothing is special cause.
    const values = Array.from({ length: 24 }, () => 8 / 10);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).not.toBe(0.8); // the noise this guards against is real
    const result = computeSpc(values, { improvementDirection: 'INCREASE' });
    expect(result.points.every((p) => p.pointType === 'COMMON_CAUSE')).toBe(true);
    expect(result.variationIcon).toBe('COMMON_CAUSE');
  });
});
