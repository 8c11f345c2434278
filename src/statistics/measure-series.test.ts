import { addMonths } from './periods';
import { buildDisclosureTable } from './disclosure-table';
import { buildSeries, type MonthlyPooled, type SeriesDefinition } from './measure-series';
import { defaultDisclosureRule } from './suppression';

const months = (from: string, values: Array<[number, number] | null>): MonthlyPooled[] =>
  values.flatMap((v, i) => (v === null ? [] : [{ periodStart: addMonths(from, i), numerator: v[0], denominator: v[1], contributors: 1 }]));

const count: SeriesDefinition = { scoringType: 'COUNT', multiplier: null, improvementDirection: 'INCREASE', target: null, baselineEnd: null, recalculations: [] };

describe('buildSeries', () => {
  test('monthly counts: every month of the window, missing months as missing, XmR limits by hand', () => {
    // 14 months alternating 10, 12: mean 11; every moving range is 2, so mean MR = 2;
    // limits 11 ± 2.66 × 2 = 11 ± 5.32 → 16.32 and 5.68. The 15th month has no data.
    const data = months('2024-01-01', [...Array.from({ length: 14 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]), null]);
    const series = buildSeries(data, count, { from: '2024-01-01', to: '2025-03-01', granularity: 'MONTH', disclosure: null });
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
    const series = buildSeries(data, definition, { from: '2024-04-01', to: '2024-09-01', granularity: 'QUARTER', disclosure: null });
    expect(series.points.map((p) => p.label)).toEqual(['2024/25 Q1', '2024/25 Q2']);
    expect(series.points[0]).toMatchObject({ numerator: 4, denominator: 6, monthsWithData: 2, monthsExpected: 3, periodStart: '2024-04-01', periodEnd: '2024-06-01' });
    expect(series.points[0].value).toBeCloseTo(4 / 6, 12);
    expect(series.points[1]).toMatchObject({ numerator: 10, denominator: 30, monthsWithData: 3 });
    expect(series.points[1].value).toBeCloseTo(1 / 3, 12);
  });

  test('partial quarters at the edges are flagged and left out of the SPC mean and limits; whole ones and months are not', () => {
    // Counts May 2021 – Jan 2025 by NHS quarter (Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar):
    //   2021/22 Q1 = May 10 + Jun 10 = 20: 2 of 3 months, data began mid-quarter → partial
    //   14 whole quarters, Jul 2021 – Dec 2024, alternately 3 × 10 = 30 and 3 × 12 = 36
    //   2024/25 Q4 = Jan 40: 1 of 3 months, the quarter `to` falls in → partial
    // SPC over the 14 whole quarters (partial ones are gaps): mean (7 × 30 + 7 × 36) / 14 = 33;
    // 13 moving ranges of 6 → mean MR 6; limits 33 ± 2.66 × 6 = 33 ± 15.96 → 48.96 and 17.04.
    // (Counting the partial quarters would give mean (20 + 40 + 462) / 16 = 32.625.)
    const whole = Array.from({ length: 14 }, (_, q) => Array.from({ length: 3 }, (): [number, number] => [q % 2 === 0 ? 10 : 12, 0])).flat();
    const data = months('2021-05-01', [[10, 0], [10, 0], ...whole, [40, 0]]);
    const series = buildSeries(data, count, { from: '2021-04-01', to: '2025-01-01', granularity: 'QUARTER', disclosure: null });
    expect(series.points).toHaveLength(16);
    expect(series.points.map((p) => [p.label, p.value, p.monthsWithData, p.monthsExpected, p.partial]).filter((_, i) => i <= 2 || i >= 14)).toEqual([
      ['2021/22 Q1', 20, 2, 3, true],
      ['2021/22 Q2', 30, 3, 3, false],
      ['2021/22 Q3', 36, 3, 3, false],
      ['2024/25 Q3', 36, 3, 3, false],
      ['2024/25 Q4', 40, 1, 3, true],
    ]);
    expect(series.points.slice(1, 15).every((p) => !p.partial && p.pointType === 'COMMON_CAUSE')).toBe(true);
    for (const p of series.points) {
      expect(p.mean).toBeCloseTo(33, 10);
      expect(p.upperProcessLimit).toBeCloseTo(48.96, 10);
      expect(p.lowerProcessLimit).toBeCloseTo(17.04, 10);
    }
    // A partial quarter is shown but has no classification, and the icon rests on the last whole one.
    expect([series.points[0].pointType, series.points[15].pointType]).toEqual([null, null]);
    expect(series.variationIcon).toBe('COMMON_CAUSE');

    // Financial years: 2021/22 has 11 months (May–Mar), 2024/25 10 (Apr–Jan): both partial.
    const years = buildSeries(data, count, { from: '2021-04-01', to: '2025-01-01', granularity: 'FINANCIAL_YEAR', disclosure: null });
    expect(years.points.map((p) => [p.label, p.monthsWithData, p.partial])).toEqual([
      ['2021/22', 11, true],
      ['2022/23', 12, false],
      ['2023/24', 12, false],
      ['2024/25', 10, true],
    ]);

    // By month nothing is partial.
    const monthly = buildSeries(data, count, { from: '2021-05-01', to: '2025-01-01', granularity: 'MONTH', disclosure: null });
    expect(monthly.points).toHaveLength(45);
    expect(monthly.points.some((p) => p.partial)).toBe(false);
  });

  test('a gap inside the window is not partial; a quarterly measure’s quarter is whole with its one month', () => {
    // Q1 Apr 5, May –, Jun 5 = 10: 2 of 3 months in the first quarter with data (an edge) → partial;
    // Q2 Jul 6, Aug –, Sep 6 = 12: 2 of 3 months, but between Q1 and Q3 (a gap, not an edge) → not;
    // Q3 Oct 7, Nov 7, Dec 7 = 21: whole (the last, but not short).
    const data = months('2024-04-01', [[5, 0], null, [5, 0], [6, 0], null, [6, 0], [7, 0], [7, 0], [7, 0]]);
    const series = buildSeries(data, count, { from: '2024-04-01', to: '2024-12-01', granularity: 'QUARTER', disclosure: null });
    expect(series.points.map((p) => [p.value, p.partial])).toEqual([[10, true], [12, false], [21, false]]);
    // SPC over [null, 12, 21]: mean 16.5.
    expect(series.points[1].mean).toBeCloseTo(16.5, 10);

    // A quarterly measure reports once a quarter (on its first month): Q1–Q3 whole; the year to
    // Oct 2024 has 3 of its 4 quarters: partial.
    const quarterly: SeriesDefinition = { ...count, periodicity: 'QUARTER' };
    const q = months('2024-04-01', [[3, 0], null, null, [4, 0], null, null, [5, 0]]);
    const byQuarter = buildSeries(q, quarterly, { from: '2024-04-01', to: '2024-10-01', granularity: 'QUARTER', disclosure: null });
    expect(byQuarter.points.map((p) => [p.value, p.monthsWithData, p.partial])).toEqual([[3, 1, false], [4, 1, false], [5, 1, false]]);
    // SPC over all three: mean (3 + 4 + 5) / 3 = 4.
    expect(byQuarter.points[2].mean).toBeCloseTo(4, 10);
    const byYear = buildSeries(q, quarterly, { from: '2024-04-01', to: '2024-10-01', granularity: 'FINANCIAL_YEAR', disclosure: null });
    expect(byYear.points.map((p) => [p.value, p.partial])).toEqual([[12, true]]);
  });

  test('a rate is multiplied: 12 interventions over 3,450 bed days per 1,000 = 3.478…', () => {
    const series = buildSeries(months('2024-01-01', [[12, 3450]]), { ...count, scoringType: 'RATE', multiplier: 1000 }, { from: '2024-01-01', to: '2024-01-01', granularity: 'MONTH', disclosure: null });
    // 12 × 1000 / 3450 = 12000 / 3450 = 3.47826…
    expect(series.points[0].value).toBeCloseTo(3.4782608696, 9);
  });

  test('under disclosure control small numbers are hidden, and SPC runs on the shown values alone', () => {
    // 3 is under 5: suppressed. The quarter (23) is shown, so Jan = Q − Feb − Mar: the smaller
    // of Feb (7) and Mar (13) is suppressed too (complementary). 13 rounds to 15.
    // SPC sees [null, null, 15]: its mean is 15, never (3 + 7 + 13) / 3 = 7.67.
    const data = months('2024-01-01', [[3, 0], [7, 0], [13, 0]]);
    const rule = defaultDisclosureRule('PATIENTS', 'COUNT');
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: data }], rule);
    const shown = buildSeries(data, count, { from: '2024-01-01', to: '2024-03-01', granularity: 'MONTH', disclosure: { rule, suppression: (key) => table.suppression(1, key) } });
    expect(shown.points.map((p) => [p.value, p.suppressed])).toEqual([[null, true], [null, true], [15, false]]);
    expect(shown.points[0].suppressionReason).toBe('Suppressed: the count is under 5.');
    expect(shown.points[1].suppressionReason).toMatch(/worked out by subtraction/);
    expect(shown.points[0].pointType).toBeNull();
    expect(shown.points.map((p) => p.mean)).toEqual([15, 15, 15]);
    const truth = buildSeries(data, count, { from: '2024-01-01', to: '2024-03-01', granularity: 'MONTH', disclosure: null });
    expect(truth.points.map((p) => p.value)).toEqual([3, 7, 13]);
    expect(truth.points[0].mean).toBeCloseTo(23 / 3, 12);
  });

  test('the window only trims what is shown: a one-month window has the history’s mean, not its own value', () => {
    // 14 months alternating 10, 12 (mean 11). Asking for the second month alone still gives 11.
    const data = months('2024-01-01', Array.from({ length: 14 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]));
    const one = buildSeries(data, count, { from: '2024-02-01', to: '2024-02-01', granularity: 'MONTH', disclosure: null });
    expect(one.points).toHaveLength(1);
    expect(one.points[0].value).toBe(12);
    // history up to Feb 2024 is Jan 10 and Feb 12: mean 11, not 12
    expect(one.points[0].mean).toBe(11);
    const later = buildSeries(data, count, { from: '2024-06-01', to: '2025-02-01', granularity: 'MONTH', disclosure: null });
    const whole = buildSeries(data, count, { from: '2024-01-01', to: '2025-02-01', granularity: 'MONTH', disclosure: null });
    expect(later.points[0].mean).toBe(whole.points[0].mean);
    expect(later.points[0].upperProcessLimit).toBe(whole.points[0].upperProcessLimit);
  });

  test('a recorded baseline is its period, start and end, whatever the window', () => {
    // Data from Jan 2024; baseline recorded Mar 2024..Mar 2025 (13 months alternating 10, 12 from March: seven 10s, six 12s).
    const values: Array<[number, number]> = [[50, 0], [50, 0], ...Array.from({ length: 13 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]), [11, 0]];
    const data = months('2024-01-01', values);
    const definition = { ...count, baselineStart: '2024-03-01', baselineEnd: '2025-03-01' };
    const wide = buildSeries(data, definition, { from: '2024-01-01', to: '2025-04-01', granularity: 'MONTH', disclosure: null });
    const narrow = buildSeries(data, definition, { from: '2024-09-01', to: '2025-04-01', granularity: 'MONTH', disclosure: null });
    // mean 142 / 13 over the baseline alone: the two 50s before it are not in it
    expect(wide.points.at(-1)!.mean).toBeCloseTo(142 / 13, 10);
    expect(narrow.points.at(-1)!.mean).toBeCloseTo(142 / 13, 10);
    expect(narrow.points.at(-1)!.upperProcessLimit).toBeCloseTo(wide.points.at(-1)!.upperProcessLimit!, 10);
    expect(wide.points[0].mean).toBeNull(); // before the baseline: no SPC
  });

  test('a baseline carries its limits forward, so a later shift shows as special cause', () => {
    // Baseline: 13 months 10,12,10,…,10 (seven 10s, six 12s) → mean 142/13 = 10.923…, MR 2,
    // UPL = 10.923 + 5.32 = 16.243. Then six months at 14: all above the baseline mean → shift.
    const values: Array<[number, number]> = [...Array.from({ length: 13 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]), ...Array.from({ length: 6 }, (): [number, number] => [14, 0])];
    const data = months('2024-01-01', values);
    const window = { from: '2024-01-01', to: '2025-07-01', granularity: 'MONTH' as const, disclosure: null };
    const withBaseline = buildSeries(data, { ...count, baselineEnd: '2025-01-01' }, window);
    expect(withBaseline.points[18].mean).toBeCloseTo(142 / 13, 10);
    expect(withBaseline.points[18].upperProcessLimit).toBeCloseTo(142 / 13 + 5.32, 10);
    expect(withBaseline.points.slice(13).every((p) => p.pointType === 'SPECIAL_CAUSE_IMPROVEMENT')).toBe(true);
    expect(withBaseline.variationIcon).toBe('IMPROVEMENT_HIGH');
  });

  test('assurance against the target uses the latest limits', () => {
    // 13 months alternating 10, 12 (mean 142/13, limits about 5.60 to 16.24).
    const data = months('2024-01-01', Array.from({ length: 13 }, (_, i): [number, number] => [i % 2 === 0 ? 10 : 12, 0]));
    const window = { from: '2024-01-01', to: '2025-01-01', granularity: 'MONTH' as const, disclosure: null };
    expect(buildSeries(data, { ...count, target: 3 }, window).assuranceIcon).toBe('PASS'); // whole band above a target, higher is better
    expect(buildSeries(data, { ...count, target: 20 }, window).assuranceIcon).toBe('FAIL'); // target above the upper limit
    expect(buildSeries(data, { ...count, target: 11 }, window).assuranceIcon).toBe('HIT_AND_MISS');
    expect(buildSeries(data.slice(0, 12), { ...count, target: 11 }, { ...window, to: '2024-12-01' }).assuranceIcon).toBeNull(); // 12 points: too few
  });

  test('year to date pools April to the last month of the window', () => {
    // FY 2024/25 to date at Jun 2024: Apr 1/2 + May 3/4 (June missing) = 4/6; March 2024 belongs to 2023/24.
    const data = months('2024-03-01', [[9, 10], [1, 2], [3, 4], null]);
    const series = buildSeries(data, { ...count, scoringType: 'PROPORTION' }, { from: '2024-03-01', to: '2024-06-01', granularity: 'MONTH', disclosure: null });
    expect(series.yearToDate).toMatchObject({ from: '2024-04-01', to: '2024-06-01', label: '2024/25 to Jun 2024', numerator: 4, denominator: 6, monthsWithData: 2, monthsExpected: 3, missing: false });
    expect(series.yearToDate.value).toBeCloseTo(4 / 6, 12);
  });
});
