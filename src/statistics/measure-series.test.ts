import { addMonths } from './periods';
import { buildSeries, type MonthlyPooled, type SeriesDefinition } from './measure-series';

const months = (from: string, values: Array<[number, number] | null>): MonthlyPooled[] =>
  values.flatMap((v, i) => (v === null ? [] : [{ periodStart: addMonths(from, i), numerator: v[0], denominator: v[1], contributors: 1 }]));

const count: SeriesDefinition = { scoringType: 'COUNT', multiplier: null, improvementDirection: 'INCREASE', target: null, baselineEnd: null, recalculations: [] };

describe('buildSeries', () => {
  test('monthly counts: every month of the window, missing months as missing, XmR limits by hand', () => {
    // 14 months alternating 10, 12: mean 11; every moving range is 2, so mean MR = 2;
    // limits 11 ± 2.66 × 2 = 11 ± 5.32 → 16.32 and 5.68. The 15th month has no data.
    const data = months('2024-01-01', [...Array.from({ length: 14 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]), null]);
    const series = buildSeries(data, count, { from: '2024-01-01', to: '2025-03-01', granularity: 'MONTH', suppress: false });
    expect(series.points).toHaveLength(15);
    expect(series.points[0]).toMatchObject({ periodStart: '2024-01-01', value: 10, numerator: 10, denominator: null, missing: false });
    expect(series.points[0].mean).toBeCloseTo(11, 10);
    expect(series.points[0].upperProcessLimit).toBeCloseTo(16.32, 10);
    expect(series.points[0].lowerProcessLimit).toBeCloseTo(5.68, 10);
    expect(series.points.slice(0, 14).every((p) => p.pointType === 'COMMON_CAUSE')).toBe(true);
    expect(series.points[14]).toMatchObject({ periodStart: '2025-03-01', value: null, missing: true, pointType: null });
    expect(series.variationIcon).toBe('COMMON_CAUSE');
  });

  test('a proportion pools months into financial quarters exactly and shows a partial quarter', () => {
    // Apr 1/2, May 3/4, Jun missing → Q1 2024/25 = 4/6; Jul 5/10, Aug 5/10, Sep 0/10 → Q2 = 10/30.
    const data = months('2024-04-01', [[1, 2], [3, 4], null, [5, 10], [5, 10], [0, 10]]);
    const definition: SeriesDefinition = { ...count, scoringType: 'PROPORTION' };
    const series = buildSeries(data, definition, { from: '2024-04-01', to: '2024-09-01', granularity: 'QUARTER', suppress: false });
    expect(series.points.map((p) => p.label)).toEqual(['2024/25 Q1', '2024/25 Q2']);
    expect(series.points[0]).toMatchObject({ numerator: 4, denominator: 6, monthsWithData: 2, monthsExpected: 3, periodStart: '2024-04-01', periodEnd: '2024-06-01' });
    expect(series.points[0].value).toBeCloseTo(4 / 6, 12);
    expect(series.points[1]).toMatchObject({ numerator: 10, denominator: 30, monthsWithData: 3 });
    expect(series.points[1].value).toBeCloseTo(1 / 3, 12);
  });

  test('a rate is multiplied: 12 interventions over 3,450 bed days per 1,000 = 3.478…', () => {
    const series = buildSeries(months('2024-01-01', [[12, 3450]]), { ...count, scoringType: 'RATE', multiplier: 1000 }, { from: '2024-01-01', to: '2024-01-01', granularity: 'MONTH', suppress: false });
    // 12 × 1000 / 3450 = 12000 / 3450 = 3.47826…
    expect(series.points[0].value).toBeCloseTo(3.4782608696, 9);
  });

  test('suppression hides small numbers but keeps the classification', () => {
    // 3 is under 5: suppressed; 7 rounds to 5; 13 rounds to 15. Values for SPC stay true.
    const data = months('2024-01-01', [[3, 0], [7, 0], [13, 0]]);
    const shown = buildSeries(data, count, { from: '2024-01-01', to: '2024-03-01', granularity: 'MONTH', suppress: true });
    expect(shown.points.map((p) => [p.value, p.suppressed])).toEqual([[null, true], [5, false], [15, false]]);
    expect(shown.points[0].suppressionReason).toMatch(/5/);
    const truth = buildSeries(data, count, { from: '2024-01-01', to: '2024-03-01', granularity: 'MONTH', suppress: false });
    expect(truth.points.map((p) => p.value)).toEqual([3, 7, 13]);
    expect(shown.points.map((p) => p.mean)).toEqual(truth.points.map((p) => p.mean));
  });

  test('a baseline carries its limits forward, so a later shift shows as special cause', () => {
    // Baseline: 13 months 10,12,10,…,10 (seven 10s, six 12s) → mean 142/13 = 10.923…, MR 2,
    // UPL = 10.923 + 5.32 = 16.243. Then six months at 14: all above the baseline mean → shift.
    const values: Array<[number, number]> = [...Array.from({ length: 13 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]), ...Array.from({ length: 6 }, (): [number, number] => [14, 0])];
    const data = months('2024-01-01', values);
    const window = { from: '2024-01-01', to: '2025-07-01', granularity: 'MONTH' as const, suppress: false };
    const withBaseline = buildSeries(data, { ...count, baselineEnd: '2025-01-01' }, window);
    expect(withBaseline.points[18].mean).toBeCloseTo(142 / 13, 10);
    expect(withBaseline.points[18].upperProcessLimit).toBeCloseTo(142 / 13 + 5.32, 10);
    expect(withBaseline.points.slice(13).every((p) => p.pointType === 'SPECIAL_CAUSE_IMPROVEMENT')).toBe(true);
    expect(withBaseline.variationIcon).toBe('IMPROVEMENT_HIGH');
  });

  test('assurance against the target uses the latest limits', () => {
    // 13 months alternating 10, 12 (mean 142/13, limits about 5.60 to 16.24).
    const data = months('2024-01-01', Array.from({ length: 13 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]));
    const window = { from: '2024-01-01', to: '2025-01-01', granularity: 'MONTH' as const, suppress: false };
    expect(buildSeries(data, { ...count, target: 3 }, window).assuranceIcon).toBe('PASS'); // whole band above a target, higher is better
    expect(buildSeries(data, { ...count, target: 20 }, window).assuranceIcon).toBe('FAIL'); // target above the upper limit
    expect(buildSeries(data, { ...count, target: 11 }, window).assuranceIcon).toBe('HIT_AND_MISS');
    expect(buildSeries(data.slice(0, 12), { ...count, target: 11 }, { ...window, to: '2024-12-01' }).assuranceIcon).toBeNull(); // 12 points: too few
  });

  test('year to date pools April to the last month of the window', () => {
    // FY 2024/25 to date at Jun 2024: Apr 1/2 + May 3/4 (June missing) = 4/6; March 2024 belongs to 2023/24.
    const data = months('2024-03-01', [[9, 10], [1, 2], [3, 4], null]);
    const series = buildSeries(data, { ...count, scoringType: 'PROPORTION' }, { from: '2024-03-01', to: '2024-06-01', granularity: 'MONTH', suppress: false });
    expect(series.yearToDate).toMatchObject({ from: '2024-04-01', to: '2024-06-01', label: '2024/25 to Jun 2024', numerator: 4, denominator: 6, monthsWithData: 2, monthsExpected: 3, missing: false });
    expect(series.yearToDate.value).toBeCloseTo(4 / 6, 12);
  });
});
