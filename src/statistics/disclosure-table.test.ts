import { bucketKey, buildDisclosureTable, quarterToDateKey, yearToDateKey } from './disclosure-table';
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
