/**
 * A disclosure-controlled series turned into the input of the chart and sparkline renderers,
 * in display units (a proportion as a percentage). Shared by the page, the PDF and
 * /charts/spc.svg, so all three draw the same chart for the same series. Pure.
 */
import type { MeasureSeries, ScorecardEntry } from '../board/board.type';
import type { Measure } from '../measures/measure.type';
import { chartPoints, displayScale, displayUnit } from './figures';
import type { SparklineInput } from './sparkline';
import type { SpcChartInput } from './spc-chart';
import { xmlId } from './svg-text';

export function chartInputFor(measure: Measure, series: MeasureSeries, unitName: string, extra: Pick<SpcChartInput, 'phases' | 'markers' | 'id'>): SpcChartInput {
  const scale = displayScale(measure);
  return {
    title: `${measure.name}: ${unitName}`,
    unitLabel: displayUnit(measure),
    points: chartPoints(measure, series.points),
    variationIcon: series.variationIcon,
    assuranceIcon: series.assuranceIcon,
    target: series.target === null ? null : series.target * scale,
    improvementDirection: measure.improvementDirection,
    ...extra,
    id: xmlId(extra.id ?? `spc-${measure.code}`),
  };
}

export function sparklineInputFor(entry: ScorecardEntry): SparklineInput {
  const measure = entry.measure;
  const scale = displayScale(measure);
  const count = entry.recentPoints.length;
  return {
    points: chartPoints(measure, entry.recentPoints),
    target: entry.target === null ? null : entry.target * scale,
    id: `spark-${measure.code}`,
    label: `${measure.name}, the last ${count} ${count === 1 ? 'point' : 'points'}`,
    unitLabel: displayUnit(measure),
    valueDecimals: measure.scoringType === 'COUNT' ? 0 : measure.scoringType === 'RATE' ? 2 : 1,
  };
}
