/**
 * How a board pack writes a measure's figures: a proportion as a percentage, a rate, a mean
 * or a count in its own unit, a suppressed figure as "*" with its reason in words (never the
 * figure), and the series turned into what the chart renderer draws (a proportion × 100).
 *
 * Pure: no I/O, no clock. Every figure here comes from a series the board services have
 * already put under disclosure control for the reader; nothing here can reveal more than
 * the series holds, and a suppressed point's value is never read.
 */
import type { SeriesPointResult } from '../statistics/measure-series';
import { addMonths, monthStart } from '../statistics/periods';
import type { ImprovementDirection, ScoringType } from '../generated/prisma/enums';
import { formatNumber, monthWords } from './svg-text';

/** What a figure needs to know about its measure. */
export interface FigureMeasure {
  scoringType: ScoringType;
  improvementDirection: ImprovementDirection;
  unit: string | null;
}

/** The mark a suppressed figure shows in every format, beside its reason in words. */
export const SUPPRESSED_MARK = '*';

/** A proportion is drawn and written as a percentage; everything else as stored. */
export function displayScale(measure: FigureMeasure): number {
  return measure.scoringType === 'PROPORTION' ? 100 : 1;
}

/** The unit written after a figure: "%" for a proportion (stored as 0..1), else the measure's own. */
export function displayUnit(measure: FigureMeasure): string | null {
  if (measure.scoringType === 'PROPORTION') return '%';
  return measure.unit && measure.unit.trim() !== '' ? measure.unit.trim() : null;
}

/** Decimal places a figure is written with: a percentage and a mean to one place, a count whole, a rate by its size. */
export function figureDecimals(measure: FigureMeasure, shown: number): number {
  switch (measure.scoringType) {
    case 'PROPORTION':
    case 'MEAN':
      return 1;
    case 'COUNT':
      return Number.isInteger(shown) ? 0 : 1;
    default: {
      const size = Math.abs(shown);
      return size >= 100 ? 0 : size >= 10 ? 1 : 2;
    }
  }
}

/** "71.2%", "12.4", "1,204": the value in the display scale, without a long unit. */
export function formatFigure(measure: FigureMeasure, value: number): string {
  const shown = value * displayScale(measure);
  const text = formatNumber(shown, figureDecimals(measure, shown));
  return measure.scoringType === 'PROPORTION' ? `${text}%` : text;
}

/** "71.2%" or "12.4 per 1,000 occupied bed days": the value with its unit in words. */
export function formatFigureWithUnit(measure: FigureMeasure, value: number): string {
  const figure = formatFigure(measure, value);
  const unit = displayUnit(measure);
  return unit && unit !== '%' ? `${figure} ${unit}` : figure;
}

/** The target in words, with the direction it is to be met from: "at least 80%", "at most 35". */
export function targetWords(measure: FigureMeasure, target: number | null): string {
  if (target === null) return 'No target';
  const figure = formatFigure(measure, target);
  if (measure.improvementDirection === 'INCREASE') return `at least ${figure}`;
  if (measure.improvementDirection === 'DECREASE') return `at most ${figure}`;
  return figure;
}

/** A point as a board reads it: its figure, or why there is none. */
export type PointFigure =
  | { kind: 'VALUE'; value: number; text: string }
  | { kind: 'SUPPRESSED'; text: typeof SUPPRESSED_MARK; reason: string }
  | { kind: 'MISSING'; text: string };

export function pointFigure(measure: FigureMeasure, point: Pick<SeriesPointResult, 'value' | 'suppressed' | 'suppressionReason' | 'missing'> | null): PointFigure {
  // `suppressed` is read first: a suppressed point's value is never looked at, let alone written.
  if (point?.suppressed) return { kind: 'SUPPRESSED', text: SUPPRESSED_MARK, reason: suppressionWords(point.suppressionReason) };
  if (!point || point.missing || point.value === null || !Number.isFinite(point.value)) return { kind: 'MISSING', text: 'No data' };
  return { kind: 'VALUE', value: point.value, text: formatFigure(measure, point.value) };
}

/** The reason a figure is hidden, as a sentence: "Not shown: the count is under 5 (small numbers)." */
export function suppressionWords(reason: string | null): string {
  const body = (reason ?? '').replace(/^Suppressed:\s*/i, '').trim().replace(/\.$/, '');
  return body === '' ? 'Not shown: a small number, hidden to protect the people it describes.' : `Not shown: ${body}.`;
}

/** The series in the units the chart draws: a proportion's values, mean and limits × 100; a suppressed point keeps no value. */
export function chartPoints(measure: FigureMeasure, points: readonly SeriesPointResult[]): SeriesPointResult[] {
  const scale = displayScale(measure);
  const scaled = (v: number | null) => (v === null ? null : v * scale);
  return points.map((p) => ({
    ...p,
    value: p.suppressed ? null : scaled(p.value),
    numerator: p.suppressed ? null : p.numerator,
    denominator: p.suppressed ? null : p.denominator,
    mean: scaled(p.mean),
    upperProcessLimit: scaled(p.upperProcessLimit),
    lowerProcessLimit: scaled(p.lowerProcessLimit),
  }));
}

/** Whole months from the month of `from` to the month of `to` (0 for the same month). */
export function monthsApart(from: string, to: string): number {
  const [fy, fm] = monthStart(from).split('-').map(Number);
  const [ty, tm] = monthStart(to).split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

/** How old a measure's latest data is at the pack's month, and whether that is late for its periodicity. */
export interface Staleness {
  /** months from the end of the latest period with data to the pack's month; null: no data at all */
  monthsSince: number | null;
  stale: boolean;
  /** "Up to date", "2 months since the last data (August 2026)", "No data" */
  words: string;
}

export function staleness(latestPeriodEnd: string | null, packPeriod: string, periodicity: 'MONTH' | 'QUARTER'): Staleness {
  // Never any data is not late data: the measure may not apply there (a ward measure in a community team).
  if (!latestPeriodEnd || !packPeriod) return { monthsSince: null, stale: false, words: 'No data' };
  const months = Math.max(0, monthsApart(latestPeriodEnd, packPeriod));
  // A quarterly measure's latest quarter may end up to two months before the pack's month and still be current.
  const allowed = periodicity === 'QUARTER' ? 3 : 0;
  const stale = months > allowed;
  if (!stale) return { monthsSince: months, stale, words: 'Up to date' };
  return { monthsSince: months, stale, words: `${months} ${months === 1 ? 'month' : 'months'} since the last data (${monthWords(latestPeriodEnd)})` };
}

/** 'YYYY-MM' (or a first of the month) as the month's first day; null when it is not a month. */
export function parseMonth(text: string): string | null {
  const match = /^(\d{4})-(\d{2})(?:-01)?$/.exec(text.trim());
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return `${match[1]}-${match[2]}-01`;
}

/** The month after `period`'s: used to say a pack is "as at the end of" its month. */
export function nextMonth(period: string): string {
  return addMonths(period, 1);
}
