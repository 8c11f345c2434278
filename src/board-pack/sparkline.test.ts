import type { SeriesPointResult } from '../statistics/measure-series';
import { addMonths, periodBucket } from '../statistics/periods';
import { chartPoints, formatFigure, pointFigure, staleness, targetWords } from './figures';
import { renderSparkline } from './sparkline';

function point(i: number, value: number | 'S' | null, pointType: SeriesPointResult['pointType'] = 'COMMON_CAUSE'): SeriesPointResult {
  const period = addMonths('2025-11-01', i);
  return {
    periodStart: period,
    periodEnd: period,
    label: periodBucket(period, 'MONTH').label,
    value: typeof value === 'number' ? value : null,
    numerator: null,
    denominator: null,
    contributors: 1,
    missing: value === null,
    monthsWithData: value === null ? 0 : 1,
    monthsExpected: 1,
    partial: false,
    suppressed: value === 'S',
    suppressionReason: value === 'S' ? 'Suppressed: the count is under 5.' : null,
    mean: 30,
    upperProcessLimit: 40,
    lowerProcessLimit: 20,
    pointType: value === null ? null : pointType,
  };
}

const POINTS = [31, 29, 'S', 33, null, 35, 36, 38, 37, 39, 41, 44].map((v, i) => point(i, v as number | 'S' | null, i >= 6 ? 'SPECIAL_CAUSE_CONCERN' : 'COMMON_CAUSE'));

describe('renderSparkline', () => {
  const svg = renderSparkline({ points: POINTS, target: 35, id: 'spark-R1', label: 'Restraints, the last 12 points', unitLabel: 'restraints', valueDecimals: 0 });

  test('is a labelled image: its title says the span, the latest figure and type, the suppressed points and the target', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="sparkline" width="120" height="32" viewBox="0 0 120 32" role="img" aria-labelledby="spark-R1-title">/);
    expect(svg).toContain(
      '<title id="spark-R1-title">Restraints, the last 12 points, November 2025 to October 2026. Latest shown: 44 restraints (October 2026), special cause concern. 1 point suppressed (small numbers). Target 35 restraints.</title>',
    );
  });

  test('breaks the line at a suppressed or missing period, marks the suppressed one, and dots the latest in its SPC colour', () => {
    expect(svg.match(/<polyline class="sparkline-line"/g)).toHaveLength(2); // [31, 29] · [35 … 44]; 33 stands alone
    expect(svg.match(/<circle class="sparkline-lone"/g)).toHaveLength(1);
    expect(svg.match(/class="sparkline-suppressed"/g)).toHaveLength(1);
    expect(svg).toMatch(/<circle class="sparkline-latest special-cause-concern" [^>]*fill="#E46C0A"/);
    expect(svg).toContain('class="sparkline-target"');
  });

  test('never draws or says a suppressed point’s value, even one a caller left on it', () => {
    const leaky = POINTS.map((p) => (p.suppressed ? { ...p, value: 2.5 } : p));
    const drawn = renderSparkline({ points: leaky, target: null, id: 's', label: 'x' });
    expect(drawn).toBe(renderSparkline({ points: POINTS, target: null, id: 's', label: 'x' }));
    expect(drawn).not.toContain('2.5');
  });

  test('is deterministic, and escapes user text', () => {
    const input = { points: POINTS, target: null, id: 'a<b', label: 'Care & "support" <plans>' };
    expect(renderSparkline(input)).toBe(renderSparkline(input));
    expect(renderSparkline(input)).toContain('Care &amp; &quot;support&quot; &lt;plans&gt;');
    expect(renderSparkline(input)).toContain('aria-labelledby="a-b-title"');
  });

  test('an all-suppressed series has no line and says so', () => {
    const hidden = renderSparkline({ points: [point(0, 'S'), point(1, 'S')], target: null, id: 'h', label: 'Ward' });
    expect(hidden).not.toMatch(/polyline|sparkline-latest/);
    expect(hidden).toContain('No figures shown. 2 points suppressed (small numbers).');
  });
});

describe('figures', () => {
  const proportion = { scoringType: 'PROPORTION', improvementDirection: 'INCREASE', unit: 'proportion' } as const;
  const count = { scoringType: 'COUNT', improvementDirection: 'DECREASE', unit: 'people' } as const;

  test('a proportion is written as a percentage and drawn × 100; a target says its direction', () => {
    expect(formatFigure(proportion, 0.70909)).toBe('70.9%');
    expect(targetWords(proportion, 0.8)).toBe('at least 80%');
    expect(targetWords(count, 5)).toBe('at most 5');
    expect(targetWords(count, null)).toBe('No target');
    expect(chartPoints(proportion, [point(0, 0.5)])[0]).toMatchObject({ value: 50, mean: 3000, upperProcessLimit: 4000 });
  });

  test('a suppressed figure is "*" with the reason in words, whatever value came with it', () => {
    const leaky = { ...point(0, 'S'), value: 3 };
    expect(pointFigure(count, leaky)).toEqual({ kind: 'SUPPRESSED', text: '*', reason: 'Not shown: the count is under 5.' });
    expect(chartPoints(count, [leaky])[0].value).toBeNull();
    expect(pointFigure(count, point(0, null))).toEqual({ kind: 'MISSING', text: 'No data' });
  });

  test('stale data: months since the latest period, late past the measure’s periodicity', () => {
    expect(staleness('2026-10-01', '2026-10-01', 'MONTH')).toEqual({ monthsSince: 0, stale: false, words: 'Up to date' });
    expect(staleness('2026-07-01', '2026-10-01', 'MONTH')).toEqual({ monthsSince: 3, stale: true, words: '3 months since the last data (July 2026)' });
    expect(staleness('2026-08-01', '2026-10-01', 'QUARTER').stale).toBe(false);
    expect(staleness('2026-05-01', '2026-10-01', 'QUARTER').stale).toBe(true);
    expect(staleness(null, '2026-10-01', 'MONTH')).toEqual({ monthsSince: null, stale: false, words: 'No data' });
  });
});
