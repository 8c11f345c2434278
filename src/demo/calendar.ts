/** Small date and number helpers for the dataset (periods.ts does the month arithmetic). */

export function monthIndex(period: string): number {
  return Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;
}

export function daysInMonth(period: string): number {
  return new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
}

/** A calendar day inside a period, e.g. day(2025-04-01, 14) → 2025-04-14. */
export function day(period: string, d: number): string {
  return `${period.slice(0, 8)}${String(Math.min(d, daysInMonth(period))).padStart(2, '0')}`;
}

export function lastDay(period: string): string {
  return day(period, 31);
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
/** 0 before `start`, rising linearly to 1 over `duration` months. */
export const ramp = (t: number, start: number, duration: number): number => clamp((t - start) / duration, 0, 1);
