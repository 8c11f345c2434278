import { formatReportId, pageParams, parseDateCriterion, parseReportId, periodStartRange, type DateCriterion } from './fhir-search';

const criteria = (...values: string[]): DateCriterion[] =>
  values.map((v) => {
    const c = parseDateCriterion(v);
    if ('problem' in c) throw new Error(c.problem);
    return c;
  });

describe('MeasureReport ids', () => {
  test('format and parse are inverse; anything else is no id', () => {
    const id = { pooling: 'subtree' as const, measureId: 3, orgUnitId: 17, periodStart: '2025-01-01' };
    expect(formatReportId(id)).toBe('subtree-3-17-2025-01');
    expect(parseReportId('subtree-3-17-2025-01')).toEqual(id);
    expect(parseReportId('unit-12-345-2026-09')).toEqual({ pooling: 'unit', measureId: 12, orgUnitId: 345, periodStart: '2026-09-01' });
    for (const bad of ['subtree-3-17-2025-13', 'subtree-3-17-2025-1', 'pooled-3-17-2025-01', 'subtree-x-17-2025-01', 'subtree-3-17-2025-01-01', '']) expect([bad, parseReportId(bad)]).toEqual([bad, null]);
  });
});

describe('period (a date parameter on a report period)', () => {
  test('values at year, month and day precision cover their whole range', () => {
    expect(parseDateCriterion('2025')).toEqual({ prefix: 'eq', low: '2025-01-01', high: '2025-12-31' });
    expect(parseDateCriterion('ge2024-02')).toEqual({ prefix: 'ge', low: '2024-02-01', high: '2024-02-29' });
    expect(parseDateCriterion('le2026-03-31')).toEqual({ prefix: 'le', low: '2026-03-31', high: '2026-03-31' });
    expect(parseDateCriterion('lt2025-04-01T10:00:00Z')).toEqual({ prefix: 'lt', low: '2025-04-01', high: '2025-04-01' });
    expect(parseDateCriterion('ne2025')).toEqual({ problem: expect.stringMatching(/prefix ne is not served/) });
    expect(parseDateCriterion('2025-02-29')).toEqual({ problem: expect.stringMatching(/no day 29/) });
    expect(parseDateCriterion('2025-13')).toEqual({ problem: expect.stringMatching(/no month 13/) });
    expect(parseDateCriterion('January')).toEqual({ problem: expect.stringMatching(/must be a date/) });
  });

  test('a financial year of monthly reports: ge2025-04-01 & le2026-03-31 is April 2025 to March 2026', () => {
    expect(periodStartRange(criteria('ge2025-04-01', 'le2026-03-31'), 1)).toEqual({ from: '2025-04-01', to: '2026-03-01' });
    // quarters overlap as FHIR's ge/le allow: one starting February 2025 ends 30 April, after 1 April (ge holds);
    // one starting March 2026 starts before 31 March (le holds). Quarters start Jan/Apr/Jul/Oct, so that is Apr 2025 to Jan 2026.
    expect(periodStartRange(criteria('ge2025-04-01', 'le2026-03-31'), 3)).toEqual({ from: '2025-02-01', to: '2026-03-01' });
  });

  test('FHIR overlap rules at a mid-month value (ge/le take periods that straddle it; gt/lt do not need to)', () => {
    // ge2025-01-15: January [1..31] ends after the 15th: included; so the first start is January
    expect(periodStartRange(criteria('ge2025-01-15'), 1)).toEqual({ from: '2025-01-01', to: null });
    // a quarter starting in November 2024 ends 31 January 2025, after the 15th: included
    expect(periodStartRange(criteria('ge2025-01-15'), 3)).toEqual({ from: '2024-11-01', to: null });
    // le2025-01-15: January starts before the 15th: included
    expect(periodStartRange(criteria('le2025-01-15'), 1)).toEqual({ from: null, to: '2025-01-01' });
    // gt2025-01-31: a month must end after 31 January: February on
    expect(periodStartRange(criteria('gt2025-01-31'), 1)).toEqual({ from: '2025-02-01', to: null });
    // lt2025-02-01: a month must start before 1 February: January and before
    expect(periodStartRange(criteria('lt2025-02-01'), 1)).toEqual({ from: null, to: '2025-01-01' });
  });

  test('eq: the periods that lie within the value', () => {
    expect(periodStartRange(criteria('2025-01'), 1)).toEqual({ from: '2025-01-01', to: '2025-01-01' });
    // no quarter lies within one month
    expect(periodStartRange(criteria('2025-01'), 3)).toBe('empty');
    // the quarters within 2025: January, April, July and October starts (any month start from January to October)
    expect(periodStartRange(criteria('2025'), 3)).toEqual({ from: '2025-01-01', to: '2025-10-01' });
    // a single day holds no month
    expect(periodStartRange(criteria('2025-01-01'), 1)).toBe('empty');
    expect(periodStartRange(criteria('ge2025-06', 'le2025-03'), 1)).toBe('empty');
    expect(periodStartRange([], 1)).toEqual({ from: null, to: null });
  });
});

describe('paging', () => {
  test('_count 0..1000 (100 by default), _offset from 0', () => {
    expect(pageParams(null, null)).toEqual({ count: 100, offset: 0 });
    expect(pageParams('0', '20')).toEqual({ count: 0, offset: 20 });
    for (const [count, offset] of [['1001', null], ['-1', null], ['2.5', null], ['x', null], [null, '-3']]) expect('problem' in pageParams(count, offset)).toBe(true);
  });
});
