import type { PooledComponents } from './pooling';
import { defaultDisclosureRule, disclose, roundToNearest, suppressionReason } from './suppression';

function pooled(numerator: number, denominator: number | null, contributors = 1): PooledComponents {
  return { numerator, denominator, contributors };
}

const SUPPRESSED = { suppressed: true, reason: expect.any(String), value: null, numerator: null, denominator: null };

describe('roundToNearest', () => {
  it('rounds to the nearest 5 (12.5 is the boundary between 10 and 15)', () => {
    expect(roundToNearest(7, 5)).toBe(5); //   7 is 2 from 5, 3 from 10
    expect(roundToNearest(8, 5)).toBe(10); //  8 is 3 from 5, 2 from 10
    expect(roundToNearest(12, 5)).toBe(10); // 12 is 2 from 10, 3 from 15
    expect(roundToNearest(13, 5)).toBe(15); // 13 is 3 from 10, 2 from 15
    expect(roundToNearest(12.4, 5)).toBe(10);
    expect(roundToNearest(12.5, 5)).toBe(15); // exact half: away from zero
    expect(roundToNearest(-12.5, 5)).toBe(-15);
  });

  it('never gives -0 and leaves values alone with step 0', () => {
    expect(Object.is(roundToNearest(-1, 5), 0)).toBe(true);
    expect(roundToNearest(7, 0)).toBe(7);
  });
});

describe('disclose COUNT', () => {
  it('suppresses 4 and shows 5', () => {
    expect(disclose('COUNT', pooled(4, null))).toEqual(SUPPRESSED);
    expect(disclose('COUNT', pooled(5, null))).toEqual({ suppressed: false, value: 5, numerator: 5, denominator: null });
  });

  it('suppresses zero, which is a count under 5', () => {
    expect(disclose('COUNT', pooled(0, null))).toEqual(SUPPRESSED);
  });

  it('rounds shown counts to the nearest 5 and shows the rounded count as the value', () => {
    // 7 → 5, 8 → 10, 12 → 10, 13 → 15, 10 → 10
    const shown = (n: number) => disclose('COUNT', pooled(n, null));
    expect(shown(7)).toEqual({ suppressed: false, value: 5, numerator: 5, denominator: null });
    expect(shown(8)).toEqual({ suppressed: false, value: 10, numerator: 10, denominator: null });
    expect(shown(12)).toEqual({ suppressed: false, value: 10, numerator: 10, denominator: null });
    expect(shown(13)).toEqual({ suppressed: false, value: 15, numerator: 15, denominator: null });
    expect(shown(10)).toEqual({ suppressed: false, value: 10, numerator: 10, denominator: null });
  });

  it('never reveals the true figure in the reason', () => {
    const d = disclose('COUNT', pooled(3, null));
    expect(d.suppressed && d.reason).toMatch(/under 5/);
    expect(d.suppressed && d.reason).not.toMatch(/3/);
  });

  it('follows a custom rule', () => {
    expect(disclose('COUNT', pooled(8, null), null, { minCount: 10 })).toEqual(SUPPRESSED);
    expect(disclose('COUNT', pooled(7, null), null, { roundTo: 0 })).toEqual({
      suppressed: false,
      value: 7,
      numerator: 7,
      denominator: null,
    });
    expect(() => disclose('COUNT', pooled(7, null), null, { roundTo: -5 })).toThrow(RangeError);
  });
});

describe('disclose PROPORTION', () => {
  it('rounds the components and computes the value from them, so the value tells no more than they do', () => {
    // 100 → 100; 112 → 110 (112 ÷ 5 = 22.4 → 22 × 5)
    // value from the shown figures: 100 ÷ 110 = 0.909091…, not the true 100 ÷ 112 = 0.892857…
    // (an exact 0.892857 beside 100/110 would give away 100/112: the attack this closes)
    const d = disclose('PROPORTION', pooled(100, 112, 3));
    expect(d).toMatchObject({ suppressed: false, numerator: 100, denominator: 110 });
    expect(d.value).toBeCloseTo(0.909091, 6);
  });

  it('suppresses a numerator of 4 and shows one of 5', () => {
    expect(disclose('PROPORTION', pooled(4, 112))).toEqual(SUPPRESSED);
    // 5 ÷ 112 = 0.044643 (112 × 0.04 = 4.48, remainder 0.52; 0.52 ÷ 112 = 0.004643)
    const d = disclose('PROPORTION', pooled(5, 112));
    expect(d).toMatchObject({ suppressed: false, numerator: 5, denominator: 110 });
    expect(d.value).toBeCloseTo(0.045455, 6); // 5 ÷ 110
  });

  it('suppresses a zero numerator, however large the denominator', () => {
    expect(disclose('PROPORTION', pooled(0, 500))).toEqual(SUPPRESSED);
  });

  it('suppresses a denominator under 5 and shows 5 of 5', () => {
    expect(disclose('PROPORTION', pooled(4, 4))).toEqual(SUPPRESSED);
    expect(disclose('PROPORTION', pooled(5, 5))).toEqual({ suppressed: false, value: 1, numerator: 5, denominator: 5 });
  });

  it('applies a custom smallest denominator', () => {
    // 5 of 19: denominator 19 < 20 → suppressed; 5 of 20 → shown, 5 ÷ 20 = 0.25
    const d19 = disclose('PROPORTION', pooled(5, 19), null, { minDenominator: 20 });
    expect(d19).toEqual(SUPPRESSED);
    expect(d19.suppressed && d19.reason).toMatch(/denominator is under 20/);
    expect(disclose('PROPORTION', pooled(5, 20), null, { minDenominator: 20 })).toEqual({
      suppressed: false,
      value: 0.25,
      numerator: 5,
      denominator: 20,
    });
  });

  it('suppresses a proportion without a denominator', () => {
    expect(disclose('PROPORTION', pooled(10, null))).toEqual(SUPPRESSED);
  });

  it('never reveals the true figures in the reason', () => {
    const d = disclose('PROPORTION', pooled(3, 112));
    expect(d.suppressed && d.reason).not.toMatch(/3|112/);
  });
});

describe('disclose RATE', () => {
  it('shows 12 interventions over 3,450 bed days per 1,000', () => {
    // value from unrounded: 12 ÷ 3,450 × 1,000 = 3.47826… (long division in scoring.test.ts)
    // components: 12 → 10; 3,450 → 3,450 (already a multiple of 5)
    const d = disclose('RATE', pooled(12, 3450), 1000);
    expect(d).toMatchObject({ suppressed: false, numerator: 10, denominator: 3450 });
    expect(d.value).toBeCloseTo(2.898551, 5); // 10 ÷ 3,450 × 1,000
  });

  it('suppresses under 100 bed days and shows 100', () => {
    expect(disclose('RATE', pooled(12, 99), 1000)).toEqual(SUPPRESSED);
    // shown 10 ÷ 100 × 1,000 = 100 (the true 12 ÷ 100 × 1,000 = 120 would give away the 12)
    expect(disclose('RATE', pooled(12, 100), 1000)).toEqual({
      suppressed: false,
      value: 100,
      numerator: 10,
      denominator: 100,
    });
  });

  it('suppresses 4 interventions and shows 5', () => {
    expect(disclose('RATE', pooled(4, 3450), 1000)).toEqual(SUPPRESSED);
    // 5 ÷ 3,450 × 1,000 = 5,000 ÷ 3,450 = 1.449275… (3,450 × 1.449 = 4,999.05; 0.95 ÷ 3,450 = 0.000275)
    const d = disclose('RATE', pooled(5, 3450), 1000);
    expect(d).toMatchObject({ suppressed: false, numerator: 5, denominator: 3450 });
    expect(d.value).toBeCloseTo(1.449275, 6);
  });

  it('suppresses zero interventions', () => {
    expect(disclose('RATE', pooled(0, 3450), 1000)).toEqual(SUPPRESSED);
  });

  it('lets the caller change the bed-day threshold', () => {
    // 12 ÷ 99 × 1,000 = 121.2121… ; components 12 → 10, 99 → 100 (99 ÷ 5 = 19.8 → 20 × 5)
    const d = disclose('RATE', pooled(12, 99), 1000, { minDenominator: 50 });
    expect(d).toMatchObject({ suppressed: false, numerator: 10, denominator: 100 });
    expect(d.value).toBeCloseTo(100, 4); // shown 10 ÷ 100 × 1,000
  });

  it('defaults the multiplier to 1', () => {
    // shown 10 ÷ 100 = 0.1
    expect(disclose('RATE', pooled(12, 100)).value).toBe(0.1);
  });
});

describe('disclose MEAN', () => {
  it('suppresses a mean of 4 responses and shows one of 5', () => {
    expect(disclose('MEAN', pooled(160, 4))).toEqual(SUPPRESSED);
    // Five CARE totals of 37.5: sum 187.5, n 5, mean 187.5 ÷ 5 = 37.5; n shown rounded 5 → 5.
    // The sum is not shown: with a mean and a rounded sum, n could be worked back.
    expect(disclose('MEAN', pooled(187.5, 5))).toEqual({
      suppressed: false,
      value: 37.5,
      numerator: null,
      denominator: 5,
    });
  });

  it('shows the mean to one decimal place beside the rounded number of responses', () => {
    // sum 412 over 12 responses: mean 34.333… → 34.3; n 12 → 10 (an exact 34.333 beside 10 would give away 412/12)
    expect(disclose('MEAN', pooled(412, 12))).toEqual({ suppressed: false, value: 34.3, numerator: null, denominator: 10 });
  });

  it('does not suppress on a small sum of scores, only on few responses', () => {
    // 6 responses summing 3 (a scale where 0 is common): mean 3 ÷ 6 = 0.5
    expect(disclose('MEAN', pooled(3, 6))).toMatchObject({ suppressed: false, value: 0.5 });
  });
});

describe('the rule belongs to the measure', () => {
  it('defaults: MHSDS for patient measures, 11 respondents for a staff survey score, none for staff counts', () => {
    expect(defaultDisclosureRule('PATIENTS', 'RATE')).toEqual({ kind: 'SMALL_NUMBERS', minCount: 5, roundTo: 5, minDenominator: 100 });
    expect(defaultDisclosureRule('PATIENTS', 'PROPORTION')).toEqual({ kind: 'SMALL_NUMBERS', minCount: 5, roundTo: 5, minDenominator: 5 });
    expect(defaultDisclosureRule('STAFF', 'MEAN')).toEqual({ kind: 'SMALL_NUMBERS', minCount: 0, roundTo: 0, minDenominator: 11 });
    expect(defaultDisclosureRule('STAFF', 'COUNT')).toEqual({ kind: 'NONE' });
    expect(defaultDisclosureRule('STAFF', 'PROPORTION')).toEqual({ kind: 'NONE' });
  });

  it('a staff survey score: 10 respondents suppressed, 11 shown unrounded', () => {
    const staffSurvey = defaultDisclosureRule('STAFF', 'MEAN');
    expect(disclose('MEAN', pooled(70, 10), null, staffSurvey)).toEqual(SUPPRESSED_FEW_RESPONSES_11);
    // 77 ÷ 11 = 7.0; n 11 shown as it is (no rounding)
    expect(disclose('MEAN', pooled(77, 11), null, staffSurvey)).toEqual({ suppressed: false, value: 7, numerator: null, denominator: 11 });
  });

  it('NONE shows the true figures: a training count of 2 is 2', () => {
    expect(disclose('COUNT', pooled(2, null), null, { kind: 'NONE' })).toEqual({ suppressed: false, value: 2, numerator: 2, denominator: null });
    expect(suppressionReason('COUNT', pooled(2, null), { kind: 'NONE' })).toBeNull();
  });
});

const SUPPRESSED_FEW_RESPONSES_11 = { suppressed: true, reason: 'Suppressed: fewer than 11 responses.', value: null, numerator: null, denominator: null };
