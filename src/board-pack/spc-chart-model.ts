/**
 * What an SPC chart shows, worked out once from the caller's input and shared by the drawing
 * (spc-chart.ts) and the words (spc-chart-description.ts), so the picture and its text
 * alternative can never disagree.
 */
import type { SeriesPointResult } from '../statistics/measure-series';
import { monthStart } from '../statistics/periods';
import type { AssuranceIcon, ImprovementDirection, VariationIcon } from '../statistics/spc/spc';
import { monthWords } from './svg-text';

export type PhaseKind = 'BASELINE' | 'RECALCULATION';
export type MarkerKind = 'MILESTONE' | 'COMMENTARY';

export interface SpcChartPhase {
  /** the first period of the phase, 'YYYY-MM-DD' (any day of the month; anything else is a RangeError) */
  start: string;
  kind: PhaseKind;
  reason: string;
}

export interface SpcChartMarker {
  /** the period the marker belongs to, 'YYYY-MM-DD' (any day of the month; anything else is a RangeError) */
  period: string;
  kind: MarkerKind;
  label: string;
}

export interface SpcChartInput {
  /** shown as the heading and the SVG <title>; user data, escaped */
  title: string;
  /** the unit of the values, e.g. "per 1,000 bed days" or "%"; values are drawn as given (a proportion for "%" is already × 100) */
  unitLabel?: string | null;
  /** already disclosure-controlled: a suppressed point has value null and suppressed true */
  points: readonly SeriesPointResult[];
  variationIcon: VariationIcon | null;
  assuranceIcon: AssuranceIcon | null;
  target: number | null;
  improvementDirection: ImprovementDirection;
  phases?: readonly SpcChartPhase[];
  markers?: readonly SpcChartMarker[];
  /** pixels; default 760 × 400 */
  width?: number;
  height?: number;
  /** the prefix of the ids in the document (two charts on one page need two ids); default: from a hash of the title */
  id?: string;
  /** decimal places for values in labels and words; default: three significant figures of the largest figure drawn */
  valueDecimals?: number;
}

export type PointStatus = 'VALUE' | 'SUPPRESSED' | 'MISSING';

export interface ChartPoint {
  index: number;
  source: SeriesPointResult;
  status: PointStatus;
  /** the value to draw: null unless status is VALUE, so a suppressed point's figure can never leak */
  value: number | null;
  /** 'June 2026' for a month, the period's own label ('2024/25 Q1') otherwise */
  periodWords: string;
}

export interface PlacedPhase extends SpcChartPhase {
  /** the point the phase starts at; 0 means it starts with the chart (no break is drawn) */
  index: number;
}

export interface PlacedMarker extends SpcChartMarker {
  index: number;
  /** markers at the same point, in input order: 0, 1, … (drawn side by side) */
  stackPosition: number;
}

export interface ChartModel {
  points: ChartPoint[];
  phases: PlacedPhase[];
  markers: PlacedMarker[];
  valueDecimals: number;
}

export function buildChartModel(input: SpcChartInput): ChartModel {
  const points = input.points.map((source, index): ChartPoint => {
    const drawable = source.value !== null && Number.isFinite(source.value);
    // `suppressed` wins over any value that came with it: defence in depth for a caller's mistake.
    const status: PointStatus = source.suppressed ? 'SUPPRESSED' : drawable ? 'VALUE' : 'MISSING';
    return { index, source, status, value: status === 'VALUE' ? source.value : null, periodWords: periodWords(source) };
  });
  return {
    points,
    phases: placePhases(input.phases ?? [], input.points),
    markers: placeMarkers(input.markers ?? [], input.points),
    valueDecimals: input.valueDecimals ?? defaultDecimals(points, input.target),
  };
}

export function periodWords(point: Pick<SeriesPointResult, 'periodStart' | 'periodEnd' | 'label'>): string {
  return point.periodStart === point.periodEnd ? monthWords(point.periodStart) : point.label;
}

/** The first point whose period ends on or after the phase's month, as buildSeries places recalculations. */
function placePhases(phases: readonly SpcChartPhase[], points: readonly SeriesPointResult[]): PlacedPhase[] {
  const placed: PlacedPhase[] = [];
  for (const phase of phases) {
    const month = monthStart(phase.start);
    const index = points.findIndex((p) => p.periodEnd >= month);
    // A phase that began before the chart, or after it, has no break to draw on it.
    if (index < 0 || (index === 0 && month < points[0].periodStart)) continue;
    placed.push({ ...phase, index });
  }
  return placed.sort((a, b) => a.index - b.index);
}

function placeMarkers(markers: readonly SpcChartMarker[], points: readonly SeriesPointResult[]): PlacedMarker[] {
  const perPoint = new Map<number, number>();
  const placed: PlacedMarker[] = [];
  for (const marker of markers) {
    const month = monthStart(marker.period);
    const index = points.findIndex((p) => p.periodStart <= month && month <= p.periodEnd);
    if (index < 0) continue;
    const stackPosition = perPoint.get(index) ?? 0;
    perPoint.set(index, stackPosition + 1);
    placed.push({ ...marker, index, stackPosition });
  }
  return placed;
}

/** Three significant figures of the largest figure drawn: 41.2, 3.48, 0.667, 352. */
function defaultDecimals(points: readonly ChartPoint[], target: number | null): number {
  const figures = [target, ...points.flatMap((p) => [p.value, p.source.mean, p.source.upperProcessLimit, p.source.lowerProcessLimit])];
  const largest = Math.max(0, ...figures.filter((f): f is number => f !== null && Number.isFinite(f)).map(Math.abs));
  if (largest === 0) return 0;
  return Math.min(4, Math.max(0, 2 - Math.floor(Math.log10(largest))));
}
