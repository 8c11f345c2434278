/**
 * How long a stratified measure's disclosure table takes to build (pure CPU, no database), from
 * the benchmark dataset's own rows: the whole population's rollups and the strata, pooled up the
 * tree as the database pools them, with and without the strata; then the stratified table again on
 * a worker thread (as the API builds a large one), with the longest the event loop was held in
 * each case: what every other request would have waited. Prints the load average, since the
 * machine is shared.
 *
 *   npx ts-node --transpile-only scripts/bench-disclosure-strata.ts [--size bench|bench10x] [--measure RESTRICTIVE-RATE]
 */
import os from 'node:os';
import pino from 'pino';
import { buildTable, closeTableWorkers, tableWorkerBuilds } from '../src/board/disclosure-table-workers';
import { buildDataset, DATASET_SIZES } from '../src/demo/dataset';
import { buildDisclosureTable, type UnitFigures } from '../src/statistics/disclosure-table';
import { defaultDisclosureRule } from '../src/statistics/suppression';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const size = arg('size', 'bench') as keyof typeof DATASET_SIZES;
const code = arg('measure', 'RESTRICTIVE-RATE');
const dataset = buildDataset(DATASET_SIZES[size]);
const measure = dataset.measures.find((m) => m.code === code);
if (!measure) throw new Error(`no measure ${code} in the ${size} dataset`);
const parentOf = new Map(dataset.orgUnits.map((u) => [u.code, u.parentCode]));
const idOf = new Map(dataset.orgUnits.map((u, i) => [u.code, i + 1]));

type Months = Map<string, { numerator: number; denominator: number }>;
const whole = new Map<string, Months>();
const strata = new Map<string, Map<string, Months>>();
const add = (months: Months, period: string, numerator: number, denominator: number) => {
  const sum = months.get(period) ?? { numerator: 0, denominator: 0 };
  sum.numerator += numerator;
  sum.denominator += denominator;
  months.set(period, sum);
};
for (const o of dataset.observations()) {
  if (o.measureCode !== code) continue;
  // Pooled up the tree: the unit and each of its ancestors, as the rollups are.
  for (let unit: string | null = o.orgUnitCode; unit; unit = parentOf.get(unit) ?? null) {
    if (!o.stratum) {
      const months = whole.get(unit) ?? new Map();
      add(months, o.periodStart, o.numerator, o.denominator ?? 0);
      whole.set(unit, months);
    } else {
      const slots = strata.get(unit) ?? new Map<string, Months>();
      const slot = `${o.stratum.stratifier}|${o.stratum.code}`;
      const months = slots.get(slot) ?? new Map();
      add(months, o.periodStart, o.numerator, o.denominator ?? 0);
      slots.set(slot, months);
      strata.set(unit, slots);
    }
  }
}
const sorted = (months: Months) => [...months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([periodStart, c]) => ({ periodStart, ...c }));
const units: UnitFigures[] = [...whole].map(([unit, months]) => ({
  unitId: idOf.get(unit) as number,
  parentId: parentOf.get(unit) ? (idOf.get(parentOf.get(unit) as string) as number) : null,
  months: sorted(months),
  strata: [...(strata.get(unit) ?? new Map<string, Months>())].map(([slot, m]) => ({ stratifier: slot.split('|')[0], code: slot.split('|')[1], months: sorted(m) })),
}));
const rule = defaultDisclosureRule(measure.audience, measure.scoringType);
console.log(`${size}, ${code}: ${units.length} units, ${units.filter((u) => (u.strata ?? []).length > 0).length} with strata, ${units.reduce((n, u) => n + (u.strata ?? []).length, 0)} stratum slots`);
/** The build's time, and the longest gap between ticks of a 5 ms timer while it ran (the event loop held). */
const stalled = async (build: () => Promise<{ suppressedCount: number }>) => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let last = performance.now();
  let heldMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    heldMs = Math.max(heldMs, now - last);
    last = now;
  }, 5);
  await sleep(30);
  heldMs = 0;
  const started = performance.now();
  const table = await build();
  const ms = performance.now() - started;
  await sleep(30);
  clearInterval(ticker);
  return { ms, table, heldMs };
};
const inline = (input: UnitFigures[]) => () => new Promise<{ suppressedCount: number }>((resolve) => setImmediate(() => resolve(buildDisclosureTable(measure.scoringType, input, rule))));
void (async () => {
  let inlineCount = -1;
  for (const withStrata of [false, true]) {
    const input = withStrata ? units : units.map((u) => ({ ...u, strata: [] }));
    const { ms, table, heldMs } = await stalled(inline(input));
    if (withStrata) inlineCount = table.suppressedCount;
    console.log(`  ${withStrata ? 'with strata' : 'whole only '}: ${ms.toFixed(0)} ms, ${table.suppressedCount.toLocaleString()} cells suppressed, event loop held up to ${heldMs.toFixed(0)} ms`);
  }
  const logger = pino({ level: 'warn' });
  for (const round of ['first (thread starts)', 'again (thread warm)']) {
    const { ms, table, heldMs } = await stalled(() => buildTable(measure.scoringType, units, rule, { threads: 1, minFigures: 1 }, logger));
    if (table.suppressedCount !== inlineCount) throw new Error(`the worker's table suppresses ${table.suppressedCount} cells, the main thread's ${inlineCount}`);
    console.log(`  with strata on a worker, ${round}: ${ms.toFixed(0)} ms, same ${table.suppressedCount.toLocaleString()} cells, event loop held up to ${heldMs.toFixed(0)} ms (${tableWorkerBuilds()} worker builds)`);
  }
  await closeTableWorkers();
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
})();
