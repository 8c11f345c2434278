import { poolStrata, type StratumMonth } from './strata-pooling';

const month = (code: string, periodStart: string, numerator: number, denominator: number | null): StratumMonth => ({ code, periodStart, numerator, denominator });

describe('pooling per stratum', () => {
  // Restraints per bed day at one ward, two months. Worked by hand:
  //   M (Black Caribbean): (6 + 4) / (300 + 200) = 10/500;  N (Black African): 3/150
  //   BLACK = M + N = 13/650 (not the mean of 10/500 and 3/150)
  //   A (White British): (5 + 3) / (1000 + 900) = 8/1900;  WHITE = A = 8/1900
  //   not known (99): 2 of all 23 restraints → 2/23
  const months = [
    month('M', '2025-01-01', 6, 300),
    month('M', '2025-02-01', 4, 200),
    month('N', '2025-02-01', 3, 150),
    month('A', '2025-01-01', 5, 1000),
    month('A', '2025-02-01', 3, 900),
    month('99', '2025-02-01', 2, 80),
    month('A', '2025-03-01', 50, 1000), // outside the window
  ];
  const pooled = poolStrata('RATE', 'ETHNICITY', months, { from: '2025-01-01', to: '2025-02-01' });

  test('each stratum pools Σ/Σ over the window, in the stratifier’s order, months outside left out', () => {
    expect(pooled.strata.map((s) => [s.code, s.pooled.numerator, s.pooled.denominator, s.pooled.contributors])).toEqual([
      ['A', 8, 1900, 2],
      ['M', 10, 500, 2],
      ['N', 3, 150, 1],
      ['99', 2, 80, 1],
    ]);
    expect(pooled.strata.find((s) => s.code === '99')).toMatchObject({ notKnown: true, label: 'Not known' });
  });

  test('detailed codes pool into broad groups the same way', () => {
    expect(pooled.groups.map((g) => [g.code, g.pooled.numerator, g.pooled.denominator])).toEqual([
      ['WHITE', 8, 1900],
      ['BLACK', 13, 650],
    ]);
    expect(pooled.groups[1].label).toBe('Black or Black British');
  });

  test('the not-known share is of the whole numerator (2 of 23); no data, no share', () => {
    expect(pooled.notKnownShare).toBeCloseTo(2 / 23, 12);
    expect(poolStrata('RATE', 'ETHNICITY', [], { from: '2025-01-01', to: '2025-02-01' })).toEqual({ strata: [], groups: [], notKnownShare: null });
  });

  test('a COUNT pools numerators only; a stratifier without groups has none', () => {
    const counts = poolStrata('COUNT', 'SEX', [month('1', '2025-01-01', 4, null), month('1', '2025-02-01', 2, null), month('2', '2025-01-01', 3, null)], { from: '2025-01-01', to: '2025-02-01' });
    expect(counts.strata.map((s) => [s.code, s.pooled.numerator, s.pooled.denominator])).toEqual([
      ['1', 6, null],
      ['2', 3, null],
    ]);
    expect(counts.groups).toEqual([]);
    expect(counts.notKnownShare).toBe(0);
  });
});
