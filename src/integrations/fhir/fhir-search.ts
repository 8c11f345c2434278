import { addMonths, isPeriodStart } from '../../statistics/periods';

/**
 * FHIR R4 search, the parts we serve (pure): the MeasureReport id scheme, `date` search on a
 * report's `period` (prefixes eq, ge, le, gt, lt), and paging with `_count` and `_offset`.
 */

// ---------------------------------------------------------------------------------------
// MeasureReport ids
// ---------------------------------------------------------------------------------------

/**
 * A MeasureReport's id names the cell it reports: `<pooling>-<measure id>-<org unit id>-<YYYY>-<MM>`,
 * e.g. `subtree-3-17-2025-01` (pooled over org unit 17's subtree, January 2025) or
 * `unit-3-17-2025-01` (that unit's own observation). The numbers are the database ids of
 * the measure and the org unit (GraphQL's global ids carry the same numbers): codes would not
 * fit FHIR's 64 characters. An id always names the same cell, whatever its figures become.
 */
export interface ReportId {
  pooling: 'subtree' | 'unit';
  measureId: number;
  orgUnitId: number;
  /** YYYY-MM-01 */
  periodStart: string;
}

export function formatReportId(id: ReportId): string {
  return `${id.pooling}-${id.measureId}-${id.orgUnitId}-${id.periodStart.slice(0, 7)}`;
}

export function parseReportId(text: string): ReportId | null {
  const match = /^(subtree|unit)-(\d{1,9})-(\d{1,9})-(\d{4})-(\d{2})$/.exec(text);
  if (!match) return null;
  const periodStart = `${match[4]}-${match[5]}-01`;
  if (!isPeriodStart(periodStart)) return null;
  return { pooling: match[1] as ReportId['pooling'], measureId: Number(match[2]), orgUnitId: Number(match[3]), periodStart };
}

// ---------------------------------------------------------------------------------------
// period (a date search parameter on MeasureReport.period)
// ---------------------------------------------------------------------------------------

export type DatePrefix = 'eq' | 'ge' | 'le' | 'gt' | 'lt';
const PREFIXES: readonly DatePrefix[] = ['eq', 'ge', 'le', 'gt', 'lt'];

/** One `period=` value: a prefix and the day range its value covers ('2025' is the whole year). */
export interface DateCriterion {
  prefix: DatePrefix;
  /** first day covered, YYYY-MM-DD */
  low: string;
  /** last day covered, YYYY-MM-DD */
  high: string;
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads `[prefix]YYYY[-MM[-DD]]` (a dateTime's date part is used; times are finer than any
 * period). Returns a problem for a prefix we do not serve (ne, sa, eb, ap) or a bad date.
 */
export function parseDateCriterion(value: string): DateCriterion | { problem: string } {
  const prefixed = /^([a-z]{2})?(.*)$/.exec(value.trim()) as RegExpExecArray;
  const prefix = (prefixed[1] ?? 'eq') as DatePrefix;
  if (!PREFIXES.includes(prefix)) return { problem: `period prefix ${prefixed[1]} is not served: use eq, ge, le, gt or lt` };
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(prefixed[2]);
  if (!match) return { problem: `period must be a date, [prefix]YYYY, YYYY-MM or YYYY-MM-DD (got ${value})` };
  const year = Number(match[1]);
  if (year < 1900 || year > 9000) return { problem: `period must be a year from 1900 to 9000 (got ${value})` };
  const month = match[2] === undefined ? null : Number(match[2]);
  const day = match[3] === undefined ? null : Number(match[3]);
  if (month !== null && (month < 1 || month > 12)) return { problem: `period has no month ${match[2]} (got ${value})` };
  if (month !== null && day !== null && (day < 1 || day > lastDayOfMonth(year, month))) return { problem: `period has no day ${match[3]} in that month (got ${value})` };
  const low = `${year}-${pad(month ?? 1)}-${pad(day ?? 1)}`;
  const highMonth = month ?? 12;
  const high = `${year}-${pad(highMonth)}-${pad(day ?? lastDayOfMonth(year, highMonth))}`;
  return { prefix, low, high };
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const isLastDay = (date: string) => Number(date.slice(8, 10)) === lastDayOfMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
const laterOf = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
const earlierOf = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The period starts (inclusive, YYYY-MM-01) of the reports of a measure whose periods span
 * `months` months that meet every criterion, by FHIR's rules for a date parameter on a Period
 * [s, e] (e the period's last day):
 *   eq  the period lies within the value's range          s ≥ low and e ≤ high
 *   ge  it ends after the value, or lies within it        e > high or s ≥ low
 *   le  it starts before the value, or lies within it     s < low or e ≤ high
 *   gt  it ends after the value                            e > high
 *   lt  it starts before the value                         s < low
 * Each condition is one bound on the period start, so the criteria come to one range; `empty`
 * when no period can meet them all.
 */
export function periodStartRange(criteria: readonly DateCriterion[], months: number): { from: string | null; to: string | null } | 'empty' {
  let from: string | null = null;
  let to: string | null = null;
  for (const c of criteria) {
    // s ≥ low: the first period start on or after low
    const startsFromLow = c.low.endsWith('-01') ? c.low : addMonths(monthStart(c.low), 1);
    // e > high: the period's last month is after high's month, or is high's month and high is before its last day
    const endsAfterHigh = addMonths(monthStart(c.high), (isLastDay(c.high) ? 1 : 0) - (months - 1));
    // e ≤ high: the last period start whose last day is on or before high
    const endsByHigh = addMonths(monthStart(c.high), (isLastDay(c.high) ? 0 : -1) - (months - 1));
    // s < low: the last period start before low
    const startsBeforeLow = c.low.endsWith('-01') ? addMonths(c.low, -1) : monthStart(c.low);
    switch (c.prefix) {
      case 'eq':
        from = laterOf(from, startsFromLow);
        to = earlierOf(to, endsByHigh);
        break;
      case 'ge':
        from = laterOf(from, earlierOf(startsFromLow, endsAfterHigh));
        break;
      case 'le':
        to = earlierOf(to, laterOf(endsByHigh, startsBeforeLow));
        break;
      case 'gt':
        from = laterOf(from, endsAfterHigh);
        break;
      case 'lt':
        to = earlierOf(to, startsBeforeLow);
        break;
    }
  }
  if (from !== null && to !== null && from > to) return 'empty';
  return { from, to };
}

// ---------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function pageParams(countText: string | null, offsetText: string | null): { count: number; offset: number } | { problem: string } {
  const count = countText === null ? DEFAULT_PAGE_SIZE : Number(countText);
  if (!Number.isInteger(count) || count < 0 || count > MAX_PAGE_SIZE) return { problem: `_count is a whole number from 0 to ${MAX_PAGE_SIZE} (got ${countText})` };
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (!Number.isInteger(offset) || offset < 0 || offset > 10_000_000) return { problem: `_offset is a whole number from 0 (got ${offsetText})` };
  return { count, offset };
}
