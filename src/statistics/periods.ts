/**
 * Period arithmetic. A period is a calendar month named by its first day, 'YYYY-MM-01'.
 * Everything works on year and month numbers, never on local-time Date objects, so that a
 * server's time zone or daylight saving cannot move a figure into the wrong month.
 *
 * Financial years are the UK NHS year, April to March: FY 2024/25 runs from 2024-04-01 to
 * 2025-03-01 (the last period's first day), Q1 = Apr–Jun, Q2 = Jul–Sep, Q3 = Oct–Dec,
 * Q4 = Jan–Mar.
 */

import { assertPoolable, type PooledComponents } from './pooling';
import type { Components, ScoringType } from './scoring';

export type Granularity = 'MONTH' | 'QUARTER' | 'FINANCIAL_YEAR';

/**
 * A group of months. `start` and `end` are both period names (first days of months), and
 * `end` is inclusive: it is the first day of the bucket's last month, so that
 * monthsBetween(start, end) lists the bucket's months. (It is not the last calendar day.)
 */
export interface PeriodBucket {
  key: string;
  start: string;
  end: string;
  label: string;
}

export interface PooledBucket extends PeriodBucket {
  pooled: PooledComponents;
  /** Distinct months in the bucket that had at least one row. */
  monthsWithData: number;
  /** Months the bucket spans (1, 3 or 12); fewer with data means a partial bucket. */
  monthsExpected: number;
}

/** A month as a count of months since year 0, which makes month arithmetic plain integers. */
type MonthIndex = number;

const FIRST_MONTH_OF_FINANCIAL_YEAR = 4; // April
export const MONTHS_IN_BUCKET: Record<Granularity, number> = { MONTH: 1, QUARTER: 3, FINANCIAL_YEAR: 12 };
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const PERIOD_PATTERN = /^(\d{4})-(\d{2})-01$/;
const DATE_PREFIX_PATTERN = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:$|T)/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function toIndex(year: number, month: number): MonthIndex {
  return year * 12 + (month - 1);
}

function fromIndex(index: MonthIndex): { year: number; month: number } {
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function formatPeriod(index: MonthIndex): string {
  const { year, month } = fromIndex(index);
  if (year < 1 || year > 9999) throw new RangeError(`Period out of range: year ${year}.`);
  return `${pad(year, 4)}-${pad(month, 2)}-01`;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC keeps it free of time zones.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `s` names a period: a real date 'YYYY-MM-01' (year 0001..9999, month 01..12). */
export function isPeriodStart(s: string): boolean {
  if (typeof s !== 'string') return false;
  const match = PERIOD_PATTERN.exec(s);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1 && month >= 1 && month <= 12;
}

function parsePeriod(period: string): MonthIndex {
  if (!isPeriodStart(period)) {
    throw new RangeError(`Not a period: ${JSON.stringify(period)}; expected the first day of a month, 'YYYY-MM-01'.`);
  }
  const match = PERIOD_PATTERN.exec(period) as RegExpExecArray;
  return toIndex(Number(match[1]), Number(match[2]));
}

/**
 * Reads the calendar date written at the start of a string ('YYYY-MM', 'YYYY-MM-DD' or an
 * ISO date-time). Any time or offset is ignored on purpose: the month is the one the source
 * system wrote, not the one a local-time parse would shift it into.
 */
function monthOfDateString(s: string): MonthIndex {
  const match = DATE_PREFIX_PATTERN.exec(s);
  const year = match ? Number(match[1]) : NaN;
  const month = match ? Number(match[2]) : NaN;
  const day = match && match[3] !== undefined ? Number(match[3]) : 1;
  const valid = match !== null && year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  if (!valid) throw new RangeError(`Not a date: ${JSON.stringify(s)}; expected 'YYYY-MM-DD'.`);
  return toIndex(year, month);
}

/**
 * The period containing a date. A Date is read in UTC; a string is read as the calendar date
 * written in it (its time and offset are ignored). Throws a RangeError for an invalid date.
 */
export function monthStart(date: Date | string): string {
  if (typeof date === 'string') return formatPeriod(monthOfDateString(date));
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('Invalid Date.');
  return formatPeriod(toIndex(date.getUTCFullYear(), date.getUTCMonth() + 1));
}

/** The period n months after (or, for negative n, before) a period. */
export function addMonths(period: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Months to add must be a whole number, got ${n}.`);
  return formatPeriod(parsePeriod(period) + n);
}

/** Every period from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const first = parsePeriod(from);
  const last = parsePeriod(to);
  const periods: string[] = [];
  for (let index = first; index <= last; index += 1) periods.push(formatPeriod(index));
  return periods;
}

/** The calendar year in which a month's financial year starts (Jan–Mar 2025 → 2024). */
function financialYearOf(index: MonthIndex): number {
  const { year, month } = fromIndex(index);
  return month >= FIRST_MONTH_OF_FINANCIAL_YEAR ? year : year - 1;
}

/** '2024/25'; the second part is the last two digits of the next year ('1999/00'). */
function financialYearLabel(startYear: number): string {
  return `${startYear}/${pad((startYear + 1) % 100, 2)}`;
}

/** The first period (April) of the financial year containing `period`. */
export function financialYearStart(period: string): string {
  return formatPeriod(toIndex(financialYearOf(parsePeriod(period)), FIRST_MONTH_OF_FINANCIAL_YEAR));
}

/** Financial year to date: from that financial year's April to `period`, inclusive. */
export function yearToDate(period: string): { from: string; to: string } {
  return { from: financialYearStart(period), to: formatPeriod(parsePeriod(period)) };
}

function monthBucket(index: MonthIndex): PeriodBucket {
  const { year, month } = fromIndex(index);
  const period = formatPeriod(index);
  return { key: period, start: period, end: period, label: `${MONTH_ABBREVIATIONS[month - 1]} ${year}` };
}

function quarterBucket(index: MonthIndex): PeriodBucket {
  const fy = financialYearOf(index);
  const fyStart = toIndex(fy, FIRST_MONTH_OF_FINANCIAL_YEAR);
  const quarter = Math.floor((index - fyStart) / 3) + 1;
  const start = fyStart + (quarter - 1) * 3;
  return {
    key: `FY${fy}-Q${quarter}`,
    start: formatPeriod(start),
    end: formatPeriod(start + 2),
    label: `${financialYearLabel(fy)} Q${quarter}`,
  };
}

function financialYearBucket(index: MonthIndex): PeriodBucket {
  const fy = financialYearOf(index);
  const start = toIndex(fy, FIRST_MONTH_OF_FINANCIAL_YEAR);
  return { key: `FY${fy}`, start: formatPeriod(start), end: formatPeriod(start + 11), label: financialYearLabel(fy) };
}

/**
 * The bucket a period falls in. Keys sort chronologically as strings within a granularity:
 * MONTH '2024-04-01' (label 'Apr 2024'), QUARTER 'FY2024-Q1' (label '2024/25 Q1'),
 * FINANCIAL_YEAR 'FY2024' (label '2024/25'), where 2024 is the year the April falls in.
 */
export function periodBucket(period: string, g: Granularity): PeriodBucket {
  // Board views ask for the same few hundred buckets thousands of times a second; they never
  // change. One map per granularity: no key string to build on every call.
  const cache = BUCKET_CACHE[g];
  const cached = cache?.get(period);
  if (cached) return cached;
  const bucket = computeBucket(period, g);
  if (cache && cache.size < BUCKET_CACHE_LIMIT) cache.set(period, Object.freeze(bucket));
  return bucket;
}

const BUCKET_CACHE: Record<Granularity, Map<string, PeriodBucket>> = { MONTH: new Map(), QUARTER: new Map(), FINANCIAL_YEAR: new Map() };
const BUCKET_CACHE_LIMIT = 100_000;

function computeBucket(period: string, g: Granularity): PeriodBucket {
  const index = parsePeriod(period);
  switch (g) {
    case 'MONTH':
      return monthBucket(index);
    case 'QUARTER':
      return quarterBucket(index);
    case 'FINANCIAL_YEAR':
      return financialYearBucket(index);
    default:
      throw new RangeError(`Unknown granularity: ${String(g as unknown)}.`);
  }
}

interface BucketAccumulator {
  bucket: PeriodBucket;
  numerator: number;
  denominator: number;
  rows: number;
  months: Set<string> | null;
  lastMonth: string;
}

/**
 * Pools monthly rows (any number per month, e.g. one per team) into months, quarters or
 * financial years, summing components exactly as poolComponents does. Only buckets with
 * data are returned, earliest first; monthsWithData < monthsExpected shows a partial bucket
 * (such as the quarter in progress) so that it is not read as a complete one.
 * Sums as it goes (every series of every board view runs through here): no list of rows per bucket.
 */
export function poolByPeriod(
  scoringType: ScoringType,
  rows: ReadonlyArray<{ periodStart: string } & Components>,
  g: Granularity,
): PooledBucket[] {
  const isCount = scoringType === 'COUNT';
  const buckets = new Map<string, BucketAccumulator>();
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const bucket = periodBucket(row.periodStart, g);
    let acc = buckets.get(bucket.key);
    if (!acc) {
      acc = { bucket, numerator: 0, denominator: 0, rows: 0, months: null, lastMonth: row.periodStart };
      buckets.set(bucket.key, acc);
    } else if (row.periodStart !== acc.lastMonth) {
      // A second month in the bucket: from here on count the distinct months.
      acc.months ??= new Set([acc.lastMonth]);
      acc.months.add(row.periodStart);
      acc.lastMonth = row.periodStart;
    }
    assertPoolable(scoringType, row, acc.rows);
    acc.numerator += row.numerator;
    if (!isCount) acc.denominator += row.denominator as number;
    acc.rows += 1;
  }

  return [...buckets.values()]
    .sort((a, b) => (a.bucket.start < b.bucket.start ? -1 : a.bucket.start > b.bucket.start ? 1 : 0))
    .map(({ bucket, numerator, denominator, rows: contributors, months }) => ({
      ...bucket,
      pooled: { numerator, denominator: isCount ? null : denominator, contributors },
      monthsWithData: months ? months.size : 1,
      monthsExpected: MONTHS_IN_BUCKET[g],
    }));
}
