import { disparity } from './disparity';

// Expected values worked out apart from this code (Python, math.log/exp, z = 1.959963984540054).
describe('disparity between strata, with a 95% interval by the log method', () => {
  test('relative risk: 30 of 100 against 10 of 100 is 3.00 (1.55 to 5.80), significant', () => {
    const d = disparity('PROPORTION', { numerator: 30, denominator: 100 }, { numerator: 10, denominator: 100 });
    if (d.value === null) throw new Error('expected a ratio');
    expect(d.value).toBeCloseTo(3, 12);
    expect(d.lower).toBeCloseTo(1.5508297195435496, 10);
    expect(d.upper).toBeCloseTo(5.803345065278306, 10);
    expect(d.significant).toBe(true);
  });

  test('rate ratio: 24 restraints in 1,200 bed days against 36 in 4,800 is 2.67 (1.59 to 4.47)', () => {
    const d = disparity('RATE', { numerator: 24, denominator: 1200 }, { numerator: 36, denominator: 4800 });
    if (d.value === null) throw new Error('expected a ratio');
    expect(d.value).toBeCloseTo(2.666666666666667, 12);
    expect(d.lower).toBeCloseTo(1.5909532943385827, 10);
    expect(d.upper).toBeCloseTo(4.469717078694922, 10);
  });

  test('equal strata: 1.00 (0.34 to 2.93), the interval holds 1, not significant', () => {
    const d = disparity('PROPORTION', { numerator: 5, denominator: 20 }, { numerator: 5, denominator: 20 });
    expect(d).toMatchObject({ value: 1, significant: false });
    expect(d.lower).toBeCloseTo(0.34180445097262674, 10);
    expect(d.upper).toBeCloseTo(2.925649438310224, 10);
  });

  test('zero events in either stratum: no ratio, and the reason says why', () => {
    expect(disparity('RATE', { numerator: 0, denominator: 900 }, { numerator: 12, denominator: 3000 })).toEqual({
      value: null,
      lower: null,
      upper: null,
      significant: false,
      reason: 'No events in the stratum: the log method gives no interval, so no ratio is shown',
    });
    expect(disparity('PROPORTION', { numerator: 3, denominator: 10 }, { numerator: 0, denominator: 40 })).toMatchObject({ value: null, reason: expect.stringMatching(/reference stratum/) });
  });

  test('a COUNT or a MEAN has no ratio; nor has a stratum with no exposure', () => {
    expect(disparity('COUNT', { numerator: 3, denominator: 0 }, { numerator: 1, denominator: 0 }).value).toBeNull();
    expect(disparity('MEAN', { numerator: 300, denominator: 10 }, { numerator: 200, denominator: 10 }).value).toBeNull();
    expect(disparity('RATE', { numerator: 3, denominator: 0 }, { numerator: 1, denominator: 100 }).value).toBeNull();
  });
});
