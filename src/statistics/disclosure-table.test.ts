import { broadGroupSlot, bucketKey, buildDisclosureTable, quarterToDateKey, stratumCellKey, stratumSlot, yearToDateKey } from './disclosure-table';
import { defaultDisclosureRule } from './suppression';

const rule = defaultDisclosureRule('PATIENTS', 'COUNT');
const months = (counts: Array<[string, number]>) => counts.map(([periodStart, numerator]) => ({ periodStart, numerator, denominator: 0 }));

describe('the disclosure table of a measure', () => {
  it('protects a small month against its quarter, its quarter to date and its years to date (worked by hand)', () => {
    // Apr 2024 2 (under 5), May 10, Jun 10. Cells: Apr 2, YTD Apr 2 (both primary); QTD May 12,
    // Q1 22, YTD May 12, YTD Jun 22, FY 22. QTD May = Apr + May has one hidden cell, so May goes
    // too; then Q1 = Apr + May + Jun and YTD May = YTD Apr + May each have two hidden: done.
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: months([['2024-04-01', 2], ['2024-05-01', 10], ['2024-06-01', 10]]) }], rule);
    const hidden = (key: string) => table.suppression(1, key)?.cause ?? null;
    expect(hidden(bucketKey('MONTH', '2024-04-01'))).toBe('PRIMARY');
    expect(hidden(yearToDateKey('2024-04-01'))).toBe('PRIMARY');
    expect(hidden(bucketKey('MONTH', '2024-05-01'))).toBe('COMPLEMENTARY');
    expect(hidden(bucketKey('MONTH', '2024-06-01'))).toBeNull();
    expect(hidden(quarterToDateKey('2024-05-01'))).toBeNull();
    expect(hidden(bucketKey('QUARTER', '2024-04-01'))).toBeNull();
    expect(hidden(yearToDateKey('2024-05-01'))).toBeNull();
    expect(hidden(bucketKey('FINANCIAL_YEAR', '2024-04-01'))).toBeNull();
    expect(table.suppressedCount).toBe(3);
  });

  it('links parents and children in every period, through several levels', () => {
    // Trust 1 → directorate 2 → teams 3 (4 a month: under 5) and 4 (20); one month.
    const units = [
      { unitId: 1, parentId: null, months: months([['2024-04-01', 24]]) },
      { unitId: 2, parentId: 1, months: months([['2024-04-01', 24]]) },
      { unitId: 3, parentId: 2, months: months([['2024-04-01', 4]]) },
      { unitId: 4, parentId: 2, months: months([['2024-04-01', 20]]) },
    ];
    const table = buildDisclosureTable('COUNT', units, rule);
    const april = bucketKey('MONTH', '2024-04-01');
    expect(table.suppression(3, april)?.cause).toBe('PRIMARY');
    expect(table.suppression(4, april)?.cause).toBe('COMPLEMENTARY'); // else 24 − 20 = 4
    expect(table.suppression(2, april)).toBeNull();
    expect(table.suppression(1, april)).toBeNull();
  });

  it('hides nothing under the NONE rule', () => {
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: months([['2024-04-01', 1]]) }], { kind: 'NONE' });
    expect(table.suppression(1, bucketKey('MONTH', '2024-04-01'))).toBeNull();
  });
});

describe('the disclosure table of a stratified measure', () => {
  const april = bucketKey('MONTH', '2024-04-01');
  const one = (numerator: number) => months([['2024-04-01', numerator]]);
  const stratum = (stratifier: string, code: string, numerator: number) => ({ stratifier, code, months: one(numerator) });

  it('protects a small stratum against the whole and the other strata, and the broad groups (worked by hand)', () => {
    // One ward, April 2024: whole 30 = ETHNICITY A 20 + M 3 + Z 7.
    // M (3) is under 5: primary. Whole = A + M + Z has one hidden cell, so its smallest shown
    // part goes too: Z (7), not A (20). Broad groups: WHITE = A = 20, BLACK = M = 3 (primary);
    // whole = WHITE + BLACK + Z then has two hidden (BLACK, Z). Nothing else is needed:
    // 30 − 20 = 10 is M + Z, both hidden.
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: one(30), strata: [stratum('ETHNICITY', 'A', 20), stratum('ETHNICITY', 'M', 3), stratum('ETHNICITY', 'Z', 7)] }], rule);
    const hidden = (slot: string) => (slot === '' ? table.suppression(1, april) : table.suppression(1, stratumCellKey(april, slot)))?.cause ?? null;
    expect(hidden(stratumSlot('ETHNICITY', 'M'))).toBe('PRIMARY');
    expect(hidden(stratumSlot('ETHNICITY', 'Z'))).toBe('COMPLEMENTARY');
    expect(hidden(stratumSlot('ETHNICITY', 'A'))).toBeNull();
    expect(hidden(broadGroupSlot('ETHNICITY', 'BLACK'))).toBe('PRIMARY');
    expect(hidden(broadGroupSlot('ETHNICITY', 'WHITE'))).toBeNull();
    expect(hidden('')).toBeNull();
  });

  it('links strata across stratifiers through the whole they share', () => {
    // Whole 40 = SEX 1 38 + 2 2 (primary) and = LEGAL_STATUS DETAINED 20 + INFORMAL 20.
    // SEX: the group has one hidden (2), so its smallest shown part goes: SEX 1 (the only one).
    // LEGAL_STATUS is untouched: 40 = 20 + 20 with nothing hidden reveals nothing of SEX.
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: one(40), strata: [stratum('SEX', '1', 38), stratum('SEX', '2', 2), stratum('LEGAL_STATUS', 'DETAINED', 20), stratum('LEGAL_STATUS', 'INFORMAL', 20)] }], rule);
    const hidden = (slot: string) => table.suppression(1, stratumCellKey(april, slot))?.cause ?? null;
    expect(hidden(stratumSlot('SEX', '2'))).toBe('PRIMARY');
    expect(hidden(stratumSlot('SEX', '1'))).toBe('COMPLEMENTARY');
    expect(hidden(stratumSlot('LEGAL_STATUS', 'DETAINED'))).toBeNull();
    expect(table.suppression(1, april)).toBeNull();
  });

  it('links a stratum up the tree, with units that send no strata in the whole', () => {
    // Trust 1 → ward 2 (whole 12 = A 10 + M 2) and ward 3 (whole 20, no strata). The trust's
    // strata are ward 2's: A 10, M 2 (primary). At the trust, whole 32 = A + M + ward 3's 20
    // (taken as known): one hidden, so A goes (COMPLEMENTARY). Ward 2: M primary, and whole 12
    // = A + M, so A goes there too. The wholes stay shown: 32 − 20 = 12 is A + M, both hidden.
    const units = [
      { unitId: 1, parentId: null, months: one(32), strata: [stratum('ETHNICITY', 'A', 10), stratum('ETHNICITY', 'M', 2)] },
      { unitId: 2, parentId: 1, months: one(12), strata: [stratum('ETHNICITY', 'A', 10), stratum('ETHNICITY', 'M', 2)] },
      { unitId: 3, parentId: 1, months: one(20) },
    ];
    const table = buildDisclosureTable('COUNT', units, rule);
    const hidden = (unit: number, slot: string) => table.suppression(unit, stratumCellKey(april, slot))?.cause ?? null;
    expect(hidden(1, stratumSlot('ETHNICITY', 'M'))).toBe('PRIMARY');
    expect(hidden(2, stratumSlot('ETHNICITY', 'M'))).toBe('PRIMARY');
    expect(hidden(1, stratumSlot('ETHNICITY', 'A'))).toBe('COMPLEMENTARY');
    expect(hidden(2, stratumSlot('ETHNICITY', 'A'))).toBe('COMPLEMENTARY');
    expect(table.suppression(1, april)).toBeNull();
    expect(table.suppression(2, april)).toBeNull();
    expect(table.suppression(3, april)).toBeNull();
  });

  it('protects a small stratum month against its quarter and year to date', () => {
    // Whole 20 a month; ETHNICITY A 17, 15, 15 and M 3 (primary), 5, 5 in Apr–Jun 2024.
    // Within M: Apr hidden, so (as for a whole in the first test) May goes to protect the
    // quarter to date Apr+May; the quarter 13 is then Apr + May + Jun with two hidden.
    const whole = months([['2024-04-01', 20], ['2024-05-01', 20], ['2024-06-01', 20]]);
    const a = months([['2024-04-01', 17], ['2024-05-01', 15], ['2024-06-01', 15]]);
    const m = months([['2024-04-01', 3], ['2024-05-01', 5], ['2024-06-01', 5]]);
    const table = buildDisclosureTable('COUNT', [{ unitId: 1, parentId: null, months: whole, strata: [{ stratifier: 'ETHNICITY', code: 'A', months: a }, { stratifier: 'ETHNICITY', code: 'M', months: m }] }], rule);
    const mSlot = stratumSlot('ETHNICITY', 'M');
    const hidden = (key: string) => table.suppression(1, stratumCellKey(key, mSlot))?.cause ?? null;
    expect(hidden(april)).toBe('PRIMARY');
    expect(hidden(yearToDateKey('2024-04-01'))).toBe('PRIMARY');
    expect(hidden(bucketKey('MONTH', '2024-05-01'))).toBe('COMPLEMENTARY');
    expect(hidden(quarterToDateKey('2024-05-01'))).toBeNull();
    // A's April goes with M's (whole = A + M), and so on through A's own time sums.
    expect(table.suppression(1, stratumCellKey(april, stratumSlot('ETHNICITY', 'A')))?.cause).toBe('COMPLEMENTARY');
  });
});
