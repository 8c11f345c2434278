/**
 * A sparkline: a measure's recent points as a small standalone SVG for a scorecard table.
 * The line breaks where a figure is suppressed or missing (a suppressed period gets a small
 * "*" under the gap), the latest point is a dot coloured and outlined for its SPC type, the
 * target a dashed red line. Its text alternative (`<title>`, also the accessible name) says
 * the span, the latest figure and its type in words.
 *
 * Pure and deterministic, like spc-chart.ts: no I/O, no clock; every piece of user text is
 * escaped; inline attributes only, so the same SVG serves the HTML page and the PDF.
 */
import type { SeriesPointResult } from '../statistics/measure-series';
import { MDC_COLOURS, pointStyle } from './mdc-icons';
import { TARGET_DASH } from './spc-chart';
import { periodWords } from './spc-chart-model';
import { coordinate as c, escapeXml, formatNumber, xmlId } from './svg-text';

export interface SparklineInput {
  /** already disclosure-controlled and in display units (a proportion × 100): a suppressed point has value null */
  points: readonly SeriesPointResult[];
  target: number | null;
  /** the prefix of the element ids; two sparklines on one page need two */
  id: string;
  /** what the line is of, for the text alternative: "Restrictive interventions, last 12 months" */
  label: string;
  /** written after each figure in words: "%" sits on the number, anything else after a space */
  unitLabel?: string | null;
  /** decimal places in the words; default 1 */
  valueDecimals?: number;
  /** pixels; default 120 × 32 */
  width?: number;
  height?: number;
}

export const SPARKLINE_WIDTH = 120;
export const SPARKLINE_HEIGHT = 32;
const PAD = 4;

export function renderSparkline(input: SparklineInput): string {
  const width = Math.round(input.width ?? SPARKLINE_WIDTH);
  const height = Math.round(input.height ?? SPARKLINE_HEIGHT);
  if (!(width >= 40 && height >= 16)) throw new RangeError(`A sparkline needs at least 40 × 16 pixels, got ${width} × ${height}.`);
  const id = xmlId(input.id);
  // A suppressed point's value is never read, whatever a caller left on it.
  const values = input.points.map((p) => (!p.suppressed && p.value !== null && Number.isFinite(p.value) ? p.value : null));
  const figures = [...values, input.target].filter((v): v is number => v !== null && Number.isFinite(v));
  const low = figures.length ? Math.min(...figures) : 0;
  const high = figures.length ? Math.max(...figures) : 1;
  const span = high - low || Math.abs(high) || 1;
  const bottom = height - PAD - 6; // room under the line for the suppressed marks
  const yAt = (v: number) => bottom - ((v - low) / span) * (bottom - PAD) - (high === low ? (bottom - PAD) / 2 : 0);
  const slot = (width - 2 * PAD) / Math.max(1, input.points.length);
  const xAt = (i: number) => PAD + (i + 0.5) * slot;

  const parts: string[] = [];
  if (input.target !== null && Number.isFinite(input.target)) {
    const y = yAt(input.target);
    parts.push(`<line class="sparkline-target" x1="${c(PAD)}" y1="${c(y)}" x2="${c(width - PAD)}" y2="${c(y)}" stroke="${MDC_COLOURS.target}" stroke-width="1" stroke-dasharray="${TARGET_DASH}"/>`);
  }
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 2) parts.push(`<polyline class="sparkline-line" points="${run.join(' ')}" fill="none" stroke="${MDC_COLOURS.mean}" stroke-width="1.5" stroke-linejoin="round"/>`);
    else if (run.length === 1) {
      const [x, y] = run[0].split(',');
      parts.push(`<circle class="sparkline-lone" cx="${x}" cy="${y}" r="1.5" fill="${MDC_COLOURS.mean}"/>`);
    }
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) flush();
    else run.push(`${c(xAt(i))},${c(yAt(v))}`);
  });
  flush();
  input.points.forEach((p, i) => {
    if (p.suppressed) parts.push(`<text class="sparkline-suppressed" x="${c(xAt(i))}" y="${c(height - 1)}" text-anchor="middle" font-size="9" font-weight="bold" fill="${MDC_COLOURS.secondaryText}">*</text>`);
  });
  const lastIndex = values.map((v, i) => (v === null ? -1 : i)).reduce((a, b) => Math.max(a, b), -1);
  if (lastIndex >= 0) {
    const style = pointStyle(input.points[lastIndex].pointType);
    parts.push(`<circle class="sparkline-latest ${style.className}" cx="${c(xAt(lastIndex))}" cy="${c(yAt(values[lastIndex] as number))}" r="3" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1"/>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeXml(describeSparkline(input, values, lastIndex))}</title>`,
    ...parts,
    '</svg>',
  ].join('');
}

function describeSparkline(input: SparklineInput, values: Array<number | null>, lastIndex: number): string {
  const first = input.points[0];
  const last = input.points[input.points.length - 1];
  if (!first || !last) return `${input.label}: no periods.`;
  const decimals = input.valueDecimals ?? 1;
  const unit = input.unitLabel ? (input.unitLabel === '%' ? '%' : ` ${input.unitLabel}`) : '';
  const figure = (v: number) => `${formatNumber(v, decimals)}${unit}`;
  const sentences = [`${input.label}, ${periodWords(first)} to ${periodWords(last)}.`];
  if (lastIndex < 0) sentences.push('No figures shown.');
  else {
    const latest = input.points[lastIndex];
    sentences.push(`Latest shown: ${figure(values[lastIndex] as number)} (${periodWords(latest)}), ${pointStyle(latest.pointType).words}.`);
  }
  const suppressed = input.points.filter((p) => p.suppressed).length;
  if (suppressed > 0) sentences.push(`${suppressed} ${suppressed === 1 ? 'point' : 'points'} suppressed (small numbers).`);
  if (input.target !== null) sentences.push(`Target ${figure(input.target)}.`);
  return sentences.join(' ');
}
