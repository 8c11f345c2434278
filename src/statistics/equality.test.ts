import { bucketKey, buildDisclosureTable, quarterToDateKey, yearToDateKey } from './disclosure-table';
import { buildEqualityView, windowCellKey, type EqualityInput } from './equality';
import { defaultDisclosureRule } from './suppression';

const month = (periodStart: string, numerator: number, denominator: number) => ({ periodStart, numerator, denominator, contributors: 1 });
const quarter = (events: [number, number, number], bedDays: number) =>
  [month('2024-04-01', events[0], bedDays), month('2024-05-01', events[1], bedDays), month('2024-06-01', events[2], bedDays)];

// Restraints per 1,000 occupied bed days, April to June 2024 (fictional).
const STRATA = [
  { code: 'A', months: quarter([10, 10, 10], 1000) }, // 30 / 3,000: 10 per 1,000
  { code: 'B', months: quarter([4, 3, 3], 1000 / 3) }, // 10 / 1,000
  { code: 'M', months: quarter([10, 15, 20], 500) }, // 45 / 1,500: 30 per 1,000
  { code: 'N', months: quarter([2, 2, 1], 500 / 3) }, // 5 / 500
  { code: 'Z', months: quarter([1, 1, 1], 100) }, // 3 / 300
];

const base = (overrides: Partial<EqualityInput> = {}): EqualityInput => ({
  stratifier: 'ETHNICITY',
  grouped: false,
  referenceCode: null,
  window: { from: '2024-04-01', to: '2024-06-01' },
  series: { from: '2024-04-01', granularity: 'MONTH' },
  definition: { scoringType: 'RATE', multiplier: 1000, improvementDirection: 'DECREASE', baselineEnd: null, recalculations: [] },
  strata: STRATA,
  whole: quarter([27, 31, 35], 1000 + 1000 / 3 + 500 + 500 / 3 + 100),
  disclosure: null,
  ...overrides,
});

describe('the equality view (worked by hand)', () => {
  it('pools each stratum over the window and gives its rate ratio to White British with a 95% interval', () => {
    const view = buildEqualityView(base());
    expect(view.reference).toEqual({ code: 'A', label: 'White: British' });
    // The whole: 27 + 31 + 35 = 93 events over 3 × 2,100 bed days
    expect(view.whole.numerator).toBe(93);
    expect(view.strata.map((s) => s.code)).toEqual(['A', 'B', 'M', 'N', 'Z']);
    const m = view.strata.find((s) => s.code === 'M')!;
    expect(m.window).toMatchObject({ numerator: 45, denominator: 1500, suppressed: false });
    expect(m.window.value).toBeCloseTo(30, 10); // 45 / 1,500 × 1,000
    // RR = (45/1500)/(30/3000) = 3; SE(ln RR) = √(1/45 + 1/30) = 0.235702; 3·e^(±1.96·SE)
    expect(m.ratioToReference?.value).toBeCloseTo(3, 10);
    expect(m.ratioToReference?.lower).toBeCloseTo(1.890128, 5);
    expect(m.ratioToReference?.upper).toBeCloseTo(4.761583, 5);
    expect(m.ratioToReference?.significant).toBe(true);
    expect(view.strata.find((s) => s.code === 'A')!.ratioToReference).toBeNull();
  });

  it('pools detailed codes into broad groups (Σ/Σ, never an average of the codes’ rates)', () => {
    const view = buildEqualityView(base({ grouped: true }));
    expect(view.reference.code).toBe('WHITE');
    expect(view.strata.map((s) => s.code)).toEqual(['WHITE', 'BLACK', 'Z']);
    const black = view.strata.find((s) => s.code === 'BLACK')!;
    // BLACK = M + N = 50 / 2,000 = 25 per 1,000 (the average of M's 30 and N's 10 would be 20)
    expect(black.window.value).toBeCloseTo(25, 10);
    // WHITE = A + B = 40 / 4,000; RR = 0.025 / 0.01 = 2.5, SE = √(1/50 + 1/40)
    expect(black.ratioToReference?.value).toBeCloseTo(2.5, 10);
    expect(black.ratioToReference?.lower).toBeCloseTo(1.649578, 5);
    expect(black.ratioToReference?.upper).toBeCloseTo(3.788847, 5);
  });

  it('gives the ratio per period, so a board sees whether the gap narrows', () => {
    const m = buildEqualityView(base()).strata.find((s) => s.code === 'M')!;
    // April: (10/500)/(10/1000) = 2, SE = √(1/10 + 1/10): interval 0.83–4.81 includes 1
    expect(m.ratioSeries.map((p) => p.periodStart)).toEqual(['2024-04-01', '2024-05-01', '2024-06-01']);
    expect(m.ratioSeries[0].ratio.value).toBeCloseTo(2, 10);
    expect(m.ratioSeries[0].ratio.lower).toBeCloseTo(0.832456, 5);
    expect(m.ratioSeries[0].ratio.significant).toBe(false);
    expect(m.ratioSeries[2].ratio.value).toBeCloseTo(4, 10); // (20/500)/(10/1000)
  });

  it('reports the not-known share of the events', () => {
    // Z 3 of 30 + 10 + 45 + 5 + 3 = 93 events
    expect(buildEqualityView(base()).notKnownShare.value).toBeCloseTo(3 / 93, 12);
  });

  it('knows which windows are cells of the disclosure table', () => {
    expect(windowCellKey('2024-04-01', '2024-04-01')).toBe(bucketKey('MONTH', '2024-04-01'));
    expect(windowCellKey('2024-04-01', '2024-06-01')).toBe(bucketKey('QUARTER', '2024-04-01'));
    expect(windowCellKey('2024-07-01', '2024-08-01')).toBe(quarterToDateKey('2024-08-01'));
    expect(windowCellKey('2024-04-01', '2025-03-01')).toBe(bucketKey('FINANCIAL_YEAR', '2024-04-01'));
    expect(windowCellKey('2024-04-01', '2024-11-01')).toBe(yearToDateKey('2024-11-01'));
    expect(windowCellKey('2024-05-01', '2024-07-01')).toBeNull(); // three months across a quarter
    expect(windowCellKey('2023-10-01', '2024-09-01')).toBeNull(); // a rolling year
  });
});

describe('the equality view under disclosure control', () => {
  // One ward, April 2024: whole 40 events / 3,500 bed days = A 30/3,000 + M 3/200 + Z 7/300.
  const april = (n: number, d: number) => [month('2024-04-01', n, d)];
  const strata = [{ code: 'A', months: april(30, 3000) }, { code: 'M', months: april(3, 200) }, { code: 'Z', months: april(7, 300) }];
  const rule = defaultDisclosureRule('PATIENTS', 'RATE');
  const table = buildDisclosureTable(
    'RATE',
    [{ unitId: 1, parentId: null, months: [{ periodStart: '2024-04-01', numerator: 40, denominator: 3500 }], strata: strata.map((s) => ({ stratifier: 'ETHNICITY', code: s.code, months: s.months })) }],
    rule,
  );
  const controlled = base({ window: { from: '2024-04-01', to: '2024-04-01' }, strata, whole: april(40, 3500), disclosure: { rule, suppression: (key) => table.suppression(1, key) } });

  it('hides the small stratum and the one that would give it away, and withholds their ratios and the not-known share', () => {
    const view = buildEqualityView(controlled);
    const byCode = new Map(view.strata.map((s) => [s.code, s]));
    // M: 3 events (under 5) is primary; Z (7) goes with it, else 40 − 30 − 7 = 3.
    expect(byCode.get('M')!.window).toMatchObject({ suppressed: true, value: null, numerator: null, denominator: null });
    expect(byCode.get('Z')!.window.suppressed).toBe(true);
    expect(byCode.get('M')!.ratioToReference).toMatchObject({ value: null, lower: null, upper: null });
    expect(byCode.get('Z')!.ratioToReference?.value).toBeNull();
    expect(byCode.get('M')!.series.points[0]).toMatchObject({ suppressed: true, value: null });
    expect(byCode.get('M')!.ratioSeries[0].ratio.value).toBeNull();
    expect(view.notKnownShare.value).toBeNull();
    expect(view.whole).toMatchObject({ suppressed: false, numerator: 40, denominator: 3500 });
    // A is shown rounded to 5: 30 / 3,000
    expect(byCode.get('A')!.window).toMatchObject({ suppressed: false, numerator: 30, denominator: 3000 });
  });

  it('refuses a window that is not a cell of the table', () => {
    expect(() => buildEqualityView({ ...controlled, window: { from: '2024-05-01', to: '2024-07-01' } })).toThrow(RangeError);
  });
});
