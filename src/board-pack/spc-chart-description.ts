/**
 * The text alternative of an SPC chart: in words, what a sighted reader sees in it. It goes
 * in the chart's <desc>, and a board pack can print it beside the chart.
 *
 *   "Special cause concern: 7 points above the mean since May 2026; target 35 not consistently
 *    met. Latest: 41.2 (June 2026). Mean 30.1; process limits 22.4 to 37.8. …"
 */
import { MINIMUM_POINTS } from '../statistics/spc/spc';
import { buildChartModel, type ChartModel, type ChartPoint, type SpcChartInput } from './spc-chart-model';
import { formatNumber, monthWords } from './svg-text';

export function describeSpcChart(input: SpcChartInput): string {
  return describeModel(input, buildChartModel(input));
}

export function describeModel(input: SpcChartInput, model: ChartModel): string {
  const value = valueWriter(input, model);
  const shown = model.points.filter((p) => p.status === 'VALUE');
  const sentences = [
    shown.length === 0 ? 'No values to show.' : `${variationPhrase(input, shown)}; ${assurancePhrase(input, value)}.`,
    latestSentence(model, shown, value),
    linesSentence(model, value),
    countSentence(model.points.filter((p) => p.status === 'SUPPRESSED').length, 'point suppressed (small numbers)', 'points suppressed (small numbers)'),
    countSentence(model.points.filter((p) => p.status === 'MISSING').length, 'period with no data', 'periods with no data'),
    ...model.phases.map((phase) => `${phase.kind === 'BASELINE' ? 'Baseline from' : 'Limits recalculated from'} ${monthWords(phase.start)}: ${sentenceBody(phase.reason)}.`),
    ...model.markers.map((marker) => `${marker.kind === 'MILESTONE' ? 'Milestone' : 'Commentary'}, ${monthWords(marker.period)}: ${sentenceBody(marker.label)}.`),
    rangeSentence(input, model),
  ];
  return sentences.filter((s) => s !== '').join(' ');
}

type ValueWriter = (v: number) => string;

/** "%" sits on the number ("41.2%"); longer units are said once, in the range sentence. */
function valueWriter(input: SpcChartInput, model: ChartModel): ValueWriter {
  const suffix = input.unitLabel === '%' ? '%' : '';
  return (v) => `${formatNumber(v, model.valueDecimals)}${suffix}`;
}

function variationPhrase(input: SpcChartInput, shown: ChartPoint[]): string {
  switch (input.variationIcon) {
    case null:
      return `Too few points for process limits: ${shown.length} with values, ${MINIMUM_POINTS} needed`;
    case 'COMMON_CAUSE':
      return 'Common cause variation: no special cause at the latest point';
    case 'IMPROVEMENT_HIGH':
    case 'IMPROVEMENT_LOW':
      return `Special cause improvement: ${runPhrase(latestRun(shown))}`;
    case 'CONCERN_HIGH':
    case 'CONCERN_LOW':
      return `Special cause concern: ${runPhrase(latestRun(shown))}`;
    default:
      return `Special cause variation, neither improvement nor concern: ${runPhrase(latestRun(shown))}`;
  }
}

/** The latest unbroken run of points of the latest point's special-cause type (gaps are skipped, as SPC skips them). */
function latestRun(shown: ChartPoint[]): ChartPoint[] {
  const latest = shown[shown.length - 1];
  const type = latest?.source.pointType;
  if (!type || type === 'COMMON_CAUSE') return [];
  let first = shown.length - 1;
  while (first > 0 && shown[first - 1].source.pointType === type) first -= 1;
  return shown.slice(first);
}

function runPhrase(run: ChartPoint[]): string {
  if (run.length === 0) return 'at the latest point';
  const since = run[0].periodWords;
  const values = run.map((p) => p.value as number);
  const aboveUpper = run.filter((p) => p.source.upperProcessLimit !== null && above(p.value as number, p.source.upperProcessLimit)).length;
  const belowLower = run.filter((p) => p.source.lowerProcessLimit !== null && above(p.source.lowerProcessLimit, p.value as number)).length;
  if (run.length === 1) {
    if (aboveUpper) return `the latest point (${since}) is above the upper process limit`;
    if (belowLower) return `the latest point (${since}) is below the lower process limit`;
    return `the latest point (${since}) is ${sideWords(run) ?? 'a special cause point'}`;
  }
  const rising = values.every((v, i) => i === 0 || v > values[i - 1]);
  const falling = values.every((v, i) => i === 0 || v < values[i - 1]);
  const shape = sideWords(run) ?? (rising ? 'rising' : falling ? 'falling' : 'of special cause');
  const beyond = aboveUpper
    ? `, ${beyondCount(aboveUpper, run.length)} above the upper process limit`
    : belowLower
      ? `, ${beyondCount(belowLower, run.length)} below the lower process limit`
      : '';
  return `${run.length} points ${shape} since ${since}${beyond}`;
}

function beyondCount(count: number, of: number): string {
  return count === of ? 'all of them' : `${count} of them`;
}

/** "above the mean" when every point of the run is above its own segment's mean; likewise below. */
function sideWords(run: ChartPoint[]): string | null {
  const sides = run.map((p) => {
    const mean = p.source.mean;
    if (mean === null) return null;
    if (above(p.value as number, mean)) return 'above the mean';
    if (above(mean, p.value as number)) return 'below the mean';
    return null;
  });
  return sides[0] !== null && sides.every((side) => side === sides[0]) ? sides[0] : null;
}

/** Strictly above, allowing for floating-point noise as spc.ts does: a point on its mean is on neither side. */
function above(value: number, line: number): boolean {
  return value - line > 1e-9 * Math.max(1, Math.abs(value), Math.abs(line));
}

function assurancePhrase(input: SpcChartInput, value: ValueWriter): string {
  if (input.target === null) return 'no target';
  const target = `target ${value(input.target)}`;
  switch (input.assuranceIcon) {
    case 'PASS':
      return `${target} consistently met`;
    case 'FAIL':
      return `${target} consistently missed`;
    case 'HIT_AND_MISS':
      return `${target} not consistently met`;
    default:
      return input.improvementDirection === 'NEITHER' ? `${target}, no assurance without an improvement direction` : `${target}, too few points for assurance`;
  }
}

function latestSentence(model: ChartModel, shown: ChartPoint[], value: ValueWriter): string {
  const latest = shown[shown.length - 1];
  const last = model.points[model.points.length - 1];
  if (!latest || !last) return '';
  const sentence = `Latest: ${value(latest.value as number)} (${latest.periodWords}).`;
  if (last === latest) return sentence;
  return `${sentence} ${last.periodWords} ${last.status === 'SUPPRESSED' ? 'is suppressed (small numbers)' : 'has no data'}.`;
}

/** The mean and limits as drawn at the right-hand end of the chart. */
function linesSentence(model: ChartModel, value: ValueWriter): string {
  const last = model.points[model.points.length - 1]?.source;
  if (!last || last.mean === null) return '';
  if (last.upperProcessLimit === null || last.lowerProcessLimit === null) return `Mean ${value(last.mean)}; no process limits.`;
  return `Mean ${value(last.mean)}; process limits ${value(last.lowerProcessLimit)} to ${value(last.upperProcessLimit)}.`;
}

function countSentence(count: number, one: string, many: string): string {
  if (count === 0) return '';
  return `${count} ${count === 1 ? one : many}.`;
}

function rangeSentence(input: SpcChartInput, model: ChartModel): string {
  const first = model.points[0];
  const last = model.points[model.points.length - 1];
  if (!first || !last) return 'No periods shown.';
  const count = `${model.points.length} ${model.points.length === 1 ? 'point' : 'points'}`;
  const unit = input.unitLabel && input.unitLabel !== '%' ? `, ${sentenceBody(input.unitLabel)}` : '';
  const span = first === last ? first.periodWords : `${first.periodWords} to ${last.periodWords}`;
  return `Shown: ${span} (${count}${unit}).`;
}

/** User text inside a sentence: one line, without its own closing full stop (the sentence adds one). */
function sentenceBody(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[.。]+$/, '');
}
