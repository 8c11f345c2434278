/**
 * Renders a hand-made Making Data Count chart to /tmp/sample-chart.svg (or the path given), to
 * look at by eye: `npx ts-node --transpile-only scripts/render-sample-chart.ts [out.svg]`.
 * The series is SPC'd by the real computeSpc, with two suppressed months, one month without
 * data, a recalculation, a milestone and a commentary.
 */
import { writeFileSync } from 'node:fs';
import { renderSpcChart, describeSpcChart } from '../src/board-pack/spc-chart';
import type { SeriesPointResult } from '../src/statistics/measure-series';
import { addMonths, periodBucket } from '../src/statistics/periods';
import { computeSpc } from '../src/statistics/spc/spc';

const FIRST = '2024-07-01';
// Restrictive interventions per 1,000 bed days; 'S' is suppressed (small numbers), null no data.
const SHOWN: Array<number | 'S' | null> = [
  28.1, 30.4, 27.9, 31.2, 29.5, 26.8, 30.9, 29.1, 'S', 28.4, 30.2, 27.5, 29.8,
  31.0, null, 33.5, 34.8, 'S', 36.2, 35.9, 38.4, 37.1, 39.6, 41.2,
];
const RECALCULATED_FROM = 13;

const values = SHOWN.map((v) => (typeof v === 'number' ? v : null));
const spc = computeSpc(values, { improvementDirection: 'DECREASE', target: 35, recalculateAt: [RECALCULATED_FROM] });
const points: SeriesPointResult[] = SHOWN.map((shown, i) => {
  const period = addMonths(FIRST, i);
  const point = spc.points[i];
  return {
    periodStart: period,
    periodEnd: period,
    label: periodBucket(period, 'MONTH').label,
    value: values[i],
    numerator: null,
    denominator: null,
    contributors: shown === null ? 0 : 3,
    missing: shown === null,
    monthsWithData: shown === null ? 0 : 1,
    monthsExpected: 1,
    partial: false,
    suppressed: shown === 'S',
    suppressionReason: shown === 'S' ? 'Suppressed: the count is under 5.' : null,
    mean: point.mean,
    upperProcessLimit: point.upperProcessLimit,
    lowerProcessLimit: point.lowerProcessLimit,
    pointType: point.pointType,
  };
});

const input = {
  title: 'Restrictive interventions per 1,000 bed days — Ward 7 (Acute & PICU)',
  unitLabel: 'per 1,000 bed days',
  points,
  variationIcon: spc.variationIcon,
  assuranceIcon: spc.assuranceIcon,
  target: 35,
  improvementDirection: 'DECREASE' as const,
  phases: [{ start: addMonths(FIRST, RECALCULATED_FROM), kind: 'RECALCULATION' as const, reason: 'Ward 7 merged with Ward 8' }],
  markers: [
    { period: '2024-11-15', kind: 'MILESTONE' as const, label: 'Safewards training began' },
    { period: addMonths(FIRST, 20), kind: 'COMMENTARY' as const, label: 'Two long-stay admissions with high acuity' },
  ],
};

const out = process.argv[2] ?? '/tmp/sample-chart.svg';
writeFileSync(out, renderSpcChart(input));
console.log(`Wrote ${out}`);
console.log(describeSpcChart(input));
