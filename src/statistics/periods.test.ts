import {
  addMonths,
  financialYearStart,
  isPeriodStart,
  monthsBetween,
  monthStart,
  periodBucket,
  poolByPeriod,
  yearToDate,
} from './periods';

describe('isPeriodStart', () => {
  it('accepts the first day of a real month', () => {
    expect(isPeriodStart('2024-04-01')).toBe(true);
    expect(isPeriodStart('2025-12-01')).toBe(true);
  });

  it('rejects other days, impossible months and other shapes', () => {
    for (const s of ['2024-04-02', '2024-13-01', '2024-00-01', '2024-4-01', '24-04-01', '0000-01-01',
      '2024-04-01T00:00:00Z', '', ' 2024-04-01']) {
      expect(isPeriodStart(s)).toBe(false);
    }
  });
});

describe('monthStart', () => {
  it('gives the month of a date string', () => {
    expect(monthStart('2024-03-31')).toBe('2024-03-01');
    expect(monthStart('2024-02-29')).toBe('2024-02-01'); // 2024 is a leap year
    expect(monthStart('2024-05')).toBe('2024-05-01');
  });

  it('reads a Date in UTC', () => {
    // 23:30 UTC on 31 March is still March, whatever the server's zone
    expect(monthStart(new Date(Date.UTC(2024, 2, 31, 23, 30)))).toBe('2024-03-01');
    expect(monthStart(new Date(Date.UTC(2024, 3, 1, 0, 0)))).toBe('2024-04-01');
  });

  it('takes the date written in a date-time string, ignoring its time and offset', () => {
    expect(monthStart('2024-03-31T23:30:00-01:00')).toBe('2024-03-01');
    expect(monthStart('2024-04-01T00:30:00+01:00')).toBe('2024-04-01');
  });

  it('rejects dates that do not exist', () => {
    expect(() => monthStart('2024-02-30')).toThrow(RangeError);
    expect(() => monthStart('2023-02-29')).toThrow(RangeError); // 2023 is not a leap year
    expect(() => monthStart('31/03/2024')).toThrow(RangeError);
    expect(() => monthStart(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('addMonths', () => {
  it('crosses year ends both ways', () => {
    // Nov → Dec → Jan → Feb
    expect(addMonths('2024-11-01', 3)).toBe('2025-02-01');
    expect(addMonths('2024-01-01', -1)).toBe('2023-12-01');
    // 13 months back from Jan 2024: Jan 2023 is 12 back, Dec 2022 is 13
    expect(addMonths('2024-01-01', -13)).toBe('2022-12-01');
    expect(addMonths('2024-01-01', 12)).toBe('2025-01-01');
    expect(addMonths('2024-06-01', 0)).toBe('2024-06-01');
  });

  it('rejects a non-period or a fractional step', () => {
    expect(() => addMonths('2024-06-15', 1)).toThrow(RangeError);
    expect(() => addMonths('2024-06-01', 1.5)).toThrow(RangeError);
  });
});

describe('monthsBetween', () => {
  it('lists months inclusively', () => {
    expect(monthsBetween('2024-11-01', '2025-02-01')).toEqual(['2024-11-01', '2024-12-01', '2025-01-01', '2025-02-01']);
    expect(monthsBetween('2024-06-01', '2024-06-01')).toEqual(['2024-06-01']);
  });

  it('is empty when the range is reversed', () => {
    expect(monthsBetween('2025-02-01', '2024-11-01')).toEqual([]);
  });
});

describe('financial years (April to March)', () => {
  it('puts March in the financial year that began the April before, and April in a new one', () => {
    expect(financialYearStart('2025-03-01')).toBe('2024-04-01');
    expect(financialYearStart('2025-04-01')).toBe('2025-04-01');
    expect(financialYearStart('2025-01-01')).toBe('2024-04-01');
    expect(financialYearStart('2024-12-01')).toBe('2024-04-01');
  });

  it('labels March 2025 as 2024/25 Q4 and April 2025 as 2025/26 Q1', () => {
    expect(periodBucket('2025-03-01', 'QUARTER')).toEqual({
      key: 'FY2024-Q4',
      start: '2025-01-01',
      end: '2025-03-01',
      label: '2024/25 Q4',
    });
    expect(periodBucket('2025-04-01', 'QUARTER')).toEqual({
      key: 'FY2025-Q1',
      start: '2025-04-01',
      end: '2025-06-01',
      label: '2025/26 Q1',
    });
    expect(periodBucket('2025-03-01', 'FINANCIAL_YEAR')).toEqual({
      key: 'FY2024',
      start: '2024-04-01',
      end: '2025-03-01',
      label: '2024/25',
    });
    expect(periodBucket('2025-04-01', 'FINANCIAL_YEAR')).toEqual({
      key: 'FY2025',
      start: '2025-04-01',
      end: '2026-03-01',
      label: '2025/26',
    });
  });

  it('gives every quarter its label: Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar', () => {
    const expected: Array<[string, string]> = [
      ['2024-04-01', '2024/25 Q1'], ['2024-05-01', '2024/25 Q1'], ['2024-06-01', '2024/25 Q1'],
      ['2024-07-01', '2024/25 Q2'], ['2024-08-01', '2024/25 Q2'], ['2024-09-01', '2024/25 Q2'],
      ['2024-10-01', '2024/25 Q3'], ['2024-11-01', '2024/25 Q3'], ['2024-12-01', '2024/25 Q3'],
      ['2025-01-01', '2024/25 Q4'], ['2025-02-01', '2024/25 Q4'], ['2025-03-01', '2024/25 Q4'],
    ];
    for (const [period, label] of expected) expect(periodBucket(period, 'QUARTER').label).toBe(label);
    expect(periodBucket('2024-08-01', 'QUARTER')).toMatchObject({ start: '2024-07-01', end: '2024-09-01' });
    expect(periodBucket('2024-11-01', 'QUARTER')).toMatchObject({ start: '2024-10-01', end: '2024-12-01' });
  });

  it('writes the second year with two digits across a century', () => {
    expect(periodBucket('1999-04-01', 'FINANCIAL_YEAR').label).toBe('1999/00');
    expect(periodBucket('2000-02-01', 'QUARTER').label).toBe('1999/00 Q4');
  });

  it('labels a month bucket by its month', () => {
    expect(periodBucket('2024-04-01', 'MONTH')).toEqual({
      key: '2024-04-01',
      start: '2024-04-01',
      end: '2024-04-01',
      label: 'Apr 2024',
    });
  });

  it('gives the year to date from the April of the financial year', () => {
    expect(yearToDate('2025-02-01')).toEqual({ from: '2024-04-01', to: '2025-02-01' });
    // Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec, Jan, Feb = 11 months
    expect(monthsBetween(yearToDate('2025-02-01').from, '2025-02-01')).toHaveLength(11);
    // April is the first month of its own year to date
    expect(yearToDate('2024-04-01')).toEqual({ from: '2024-04-01', to: '2024-04-01' });
    // March is the twelfth
    expect(yearToDate('2025-03-01')).toEqual({ from: '2024-04-01', to: '2025-03-01' });
  });
});

describe('poolByPeriod', () => {
  // Two teams reporting a PROPORTION; Q1 2024/25 complete, Q2 only July so far.
  const rows = [
    { periodStart: '2024-07-01', numerator: 6, denominator: 10 }, // team A, July (given out of order)
    { periodStart: '2024-04-01', numerator: 8, denominator: 10 }, // team A, April
    { periodStart: '2024-04-01', numerator: 45, denominator: 50 }, // team B, April
    { periodStart: '2024-05-01', numerator: 9, denominator: 10 }, // team A, May (team B missing)
    { periodStart: '2024-06-01', numerator: 7, denominator: 10 }, // team A, June
    { periodStart: '2024-06-01', numerator: 40, denominator: 50 }, // team B, June
  ];

  it('pools months into quarters exactly and shows a partial quarter', () => {
    // Q1: numerators 8 + 45 + 9 + 7 + 40 = 109; denominators 10 + 50 + 10 + 10 + 50 = 130; 5 rows; Apr, May, Jun
    // Q2: 6 / 10 from 1 row; only July of Jul–Sep
    expect(poolByPeriod('PROPORTION', rows, 'QUARTER')).toEqual([
      {
        key: 'FY2024-Q1',
        start: '2024-04-01',
        end: '2024-06-01',
        label: '2024/25 Q1',
        pooled: { numerator: 109, denominator: 130, contributors: 5 },
        monthsWithData: 3,
        monthsExpected: 3,
      },
      {
        key: 'FY2024-Q2',
        start: '2024-07-01',
        end: '2024-09-01',
        label: '2024/25 Q2',
        pooled: { numerator: 6, denominator: 10, contributors: 1 },
        monthsWithData: 1,
        monthsExpected: 3,
      },
    ]);
  });

  it('pools a financial year and counts its months with data', () => {
    // 109 + 6 = 115; 130 + 10 = 140; 6 rows; 4 distinct months (Apr, May, Jun, Jul) of 12
    expect(poolByPeriod('PROPORTION', rows, 'FINANCIAL_YEAR')).toEqual([
      expect.objectContaining({
        key: 'FY2024',
        label: '2024/25',
        pooled: { numerator: 115, denominator: 140, contributors: 6 },
        monthsWithData: 4,
        monthsExpected: 12,
      }),
    ]);
  });

  it('pools several teams within one month', () => {
    // April: 8 + 45 = 53 over 10 + 50 = 60
    const months = poolByPeriod('PROPORTION', rows, 'MONTH');
    expect(months.map((m) => m.key)).toEqual(['2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01']);
    expect(months[0]).toMatchObject({
      label: 'Apr 2024',
      pooled: { numerator: 53, denominator: 60, contributors: 2 },
      monthsWithData: 1,
      monthsExpected: 1,
    });
  });

  it('splits March and April into different financial years', () => {
    // March 2025 → 2024/25; April 2025 → 2025/26
    const counts = [
      { periodStart: '2025-04-01', numerator: 7, denominator: null },
      { periodStart: '2025-03-01', numerator: 4, denominator: null },
    ];
    expect(poolByPeriod('COUNT', counts, 'FINANCIAL_YEAR')).toEqual([
      expect.objectContaining({ label: '2024/25', pooled: { numerator: 4, denominator: null, contributors: 1 } }),
      expect.objectContaining({ label: '2025/26', pooled: { numerator: 7, denominator: null, contributors: 1 } }),
    ]);
  });

  it('returns no buckets for no rows', () => {
    expect(poolByPeriod('RATE', [], 'QUARTER')).toEqual([]);
  });

  it('rejects a row whose period is not the first of a month', () => {
    expect(() => poolByPeriod('COUNT', [{ periodStart: '2024-04-15', numerator: 1, denominator: null }], 'MONTH')).toThrow(
      RangeError,
    );
  });
});
