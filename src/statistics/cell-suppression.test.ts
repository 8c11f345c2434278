import { COMPLEMENTARY_REASON, suppressCells, type AdditiveGroup, type CellFigures } from './cell-suppression';

/** A count under 5 is suppressed (the MHSDS rule for a COUNT), worked by hand below. */
const underFive = (figures: CellFigures) => (figures.numerator < 5 ? 'Suppressed: the count is under 5.' : null);

function table(counts: Record<string, number>): Map<string, CellFigures> {
  return new Map(Object.entries(counts).map(([key, numerator]) => [key, { numerator, denominator: null }]));
}

function causes(result: ReturnType<typeof suppressCells>): Record<string, string> {
  return Object.fromEntries([...result.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, s]) => [key, s.cause]));
}

describe('cell suppression: primary and complementary', () => {
  it('shows everything when nothing is small', () => {
    expect(suppressCells(table({ P: 30, A: 10, B: 20 }), [{ total: 'P', parts: ['A', 'B'] }], underFive).size).toBe(0);
  });

  it('a parent with one small child: the smallest shown sibling is suppressed too, so P − B − C cannot give A', () => {
    // P 18 = A 3 + B 6 + C 9: A is primary; B (6) is the smallest shown sibling.
    const result = suppressCells(table({ P: 18, A: 3, B: 6, C: 9 }), [{ total: 'P', parts: ['A', 'B', 'C'] }], underFive);
    expect(causes(result)).toEqual({ A: 'PRIMARY', B: 'COMPLEMENTARY' });
    expect(result.get('B')!.reason).toBe(COMPLEMENTARY_REASON);
    expect(result.get('A')!.reason).toBe('Suppressed: the count is under 5.');
  });

  it('two small children already protect each other: nothing more is suppressed', () => {
    expect(causes(suppressCells(table({ P: 17, A: 3, B: 4, C: 10 }), [{ total: 'P', parts: ['A', 'B', 'C'] }], underFive))).toEqual({ A: 'PRIMARY', B: 'PRIMARY' });
  });

  it('a suppressed total with every part shown would be their sum: a part goes too', () => {
    // P has its own observations (8) beside its one child A (3): the only other cell is P itself.
    expect(causes(suppressCells(table({ P: 8, A: 3 }), [{ total: 'P', parts: ['A'] }], underFive))).toEqual({ A: 'PRIMARY', P: 'COMPLEMENTARY' });
  });

  it('a complementary suppression is protected in its own group in turn (down the tree)', () => {
    // P 32 = A 12 + B 20; A 12 = A1 2 + A2 10. A1 primary; in A's group A2 is the only shown part.
    const groups: AdditiveGroup[] = [
      { total: 'P', parts: ['A', 'B'] },
      { total: 'A', parts: ['A1', 'A2'] },
    ];
    expect(causes(suppressCells(table({ P: 32, A: 12, B: 20, A1: 2, A2: 10 }), groups, underFive))).toEqual({ A1: 'PRIMARY', A2: 'COMPLEMENTARY' });
  });

  it('units and months together: a 2 × 2 block stays unsolvable (one degree of freedom)', () => {
    // Units P = A + B; a two-month total T = m1 + m2. A in m1 is 2.
    const cells = table({ 'A|m1': 2, 'A|m2': 10, 'B|m1': 10, 'B|m2': 10, 'P|m1': 12, 'P|m2': 20, 'A|T': 12, 'B|T': 20, 'P|T': 32 });
    const groups: AdditiveGroup[] = [
      { total: 'P|m1', parts: ['A|m1', 'B|m1'] },
      { total: 'P|m2', parts: ['A|m2', 'B|m2'] },
      { total: 'P|T', parts: ['A|T', 'B|T'] },
      { total: 'A|T', parts: ['A|m1', 'A|m2'] },
      { total: 'B|T', parts: ['B|m1', 'B|m2'] },
      { total: 'P|T', parts: ['P|m1', 'P|m2'] },
    ];
    const result = suppressCells(cells, groups, underFive);
    expect(causes(result)).toEqual({ 'A|m1': 'PRIMARY', 'A|m2': 'COMPLEMENTARY', 'B|m1': 'COMPLEMENTARY', 'B|m2': 'COMPLEMENTARY' });
    // Every group has 0 or ≥ 2 suppressed cells.
    for (const group of groups) {
      const hidden = [group.total, ...group.parts].filter((key) => result.has(key)).length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
  });

  it('ties are broken by key, so the same table always gives the same answer', () => {
    const first = suppressCells(table({ Q: 22, M1: 2, M2: 10, M3: 10 }), [{ total: 'Q', parts: ['M1', 'M2', 'M3'] }], underFive);
    expect(causes(first)).toEqual({ M1: 'PRIMARY', M2: 'COMPLEMENTARY' });
  });

  it('cells with no data are known zeros: they are neither candidates nor counted', () => {
    // C has no data: P 13 = A 3 + B 10, and B is the only candidate.
    expect(causes(suppressCells(table({ P: 13, A: 3, B: 10 }), [{ total: 'P', parts: ['A', 'B', 'C'] }], underFive))).toEqual({ A: 'PRIMARY', B: 'COMPLEMENTARY' });
  });
});
