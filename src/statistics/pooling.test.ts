import { poolComponents } from './pooling';
import { valueOf, type Components } from './scoring';

describe('poolComponents', () => {
  it('pools a directorate of three teams as Σnumerators ÷ Σdenominators, not the mean of percentages', () => {
    const teams: Components[] = [
      { numerator: 1, denominator: 2 }, //   1/2   = 0.5
      { numerator: 9, denominator: 10 }, //  9/10  = 0.9
      { numerator: 90, denominator: 100 }, // 90/100 = 0.9
    ];
    // Mean of the teams' proportions: (0.5 + 0.9 + 0.9) ÷ 3 = 2.3 ÷ 3 = 0.7667 (the wrong answer).
    // Pooled: (1 + 9 + 90) ÷ (2 + 10 + 100) = 100 ÷ 112 = 0.892857…
    //   (112 × 0.89 = 99.68, remainder 0.32; 0.32 ÷ 112 = 0.002857… → 0.892857)
    const pooled = poolComponents('PROPORTION', teams);
    expect(pooled).toEqual({ numerator: 100, denominator: 112, contributors: 3 });

    const value = valueOf('PROPORTION', pooled!);
    expect(value).toBeCloseTo(0.892857, 6);
    expect(value).not.toBeCloseTo(0.7667, 2);
  });

  it('pools rates by summing events and exposure', () => {
    // Ward A: 12 interventions over 3,450 bed days → 3.478 per 1,000
    // Ward B:  3 interventions over 1,550 bed days → 3,000 ÷ 1,550 = 1.935 per 1,000
    // Mean of rates = (3.478 + 1.935) ÷ 2 = 2.707 (wrong)
    // Pooled: (12 + 3) ÷ (3,450 + 1,550) × 1,000 = 15 ÷ 5,000 × 1,000 = 3.0
    const pooled = poolComponents('RATE', [
      { numerator: 12, denominator: 3450 },
      { numerator: 3, denominator: 1550 },
    ]);
    expect(pooled).toEqual({ numerator: 15, denominator: 5000, contributors: 2 });
    expect(valueOf('RATE', pooled!, 1000)).toBe(3);
  });

  it('pools means by summing scores and responses', () => {
    // Team A: 2 responses summing 80 (mean 40); team B: 8 responses summing 240 (mean 30).
    // Mean of means = (40 + 30) ÷ 2 = 35 (wrong); pooled = (80 + 240) ÷ (2 + 8) = 320 ÷ 10 = 32
    const pooled = poolComponents('MEAN', [
      { numerator: 80, denominator: 2 },
      { numerator: 240, denominator: 8 },
    ]);
    expect(pooled).toEqual({ numerator: 320, denominator: 10, contributors: 2 });
    expect(valueOf('MEAN', pooled!)).toBe(32);
  });

  it('sums counts and gives them no denominator', () => {
    // 3 + 4 + 0 = 7
    const pooled = poolComponents('COUNT', [
      { numerator: 3, denominator: null },
      { numerator: 4, denominator: null },
      { numerator: 0, denominator: null },
    ]);
    expect(pooled).toEqual({ numerator: 7, denominator: null, contributors: 3 });
  });

  it('returns null for no items: missing is not zero', () => {
    expect(poolComponents('PROPORTION', [])).toBeNull();
    expect(poolComponents('COUNT', [])).toBeNull();
  });

  it('keeps measured zeros as data', () => {
    // 0/10 and 0/5 pool to 0/15: a real zero, not missing
    expect(poolComponents('PROPORTION', [
      { numerator: 0, denominator: 10 },
      { numerator: 0, denominator: 5 },
    ])).toEqual({ numerator: 0, denominator: 15, contributors: 2 });
  });

  it('refuses to pool a ratio item without a denominator rather than read it as 0', () => {
    expect(() =>
      poolComponents('PROPORTION', [
        { numerator: 1, denominator: 2 },
        { numerator: 3, denominator: null },
      ]),
    ).toThrow(RangeError);
    expect(() => poolComponents('RATE', [{ numerator: Number.NaN, denominator: 100 }])).toThrow(/item 0/);
  });
});
