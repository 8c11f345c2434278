/**
 * How long one measure's disclosure table takes to build (pure CPU, no database): a trust of
 * 1 + 5 directorates + 30 services + 175 teams and wards (211 units, the bench dataset's
 * shape), 36 months of rollups each, pooled up the tree as the rollups are. Small frontline
 * counts, so primary and complementary suppression both have work to do.
 *
 *   npx ts-node --transpile-only scripts/bench-disclosure.ts [--units-per-service 6] [--runs 10]
 */
import os from 'node:os';
import { createHash } from 'node:crypto';
import { bucketKey, buildDisclosureTable, quarterToDateKey, yearToDateKey, type DisclosureTable, type UnitFigures } from '../src/statistics/disclosure-table';
import { addMonths } from '../src/statistics/periods';
import { defaultDisclosureRule } from '../src/statistics/suppression';
import { createRandom } from '../src/demo/random';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const perService = arg('units-per-service', 6);
const runs = arg('runs', 10);
const MONTHS = Array.from({ length: 36 }, (_, i) => addMonths('2023-04-01', i));
const random = createRandom(42);

interface Node { id: number; parentId: number | null; children: Node[]; own: number[] }
let nextId = 1;
const node = (parentId: number | null): Node => ({ id: nextId++, parentId, children: [], own: [] });
const trust = node(null);
for (let d = 0; d < 5; d++) {
  const directorate = node(trust.id);
  trust.children.push(directorate);
  for (let s = 0; s < 6; s++) {
    const service = node(directorate.id);
    directorate.children.push(service);
    for (let u = 0; u < perService; u++) {
      const team = node(service.id);
      team.own = MONTHS.map(() => Math.floor(random.next() * 12)); // 0..11 a month: many under 5
      service.children.push(team);
    }
  }
}

/** Every unit's subtree pooled per month, as observation_rollup holds it. */
const units: UnitFigures[] = [];
function pool(n: Node): number[] {
  const sums = n.children.length === 0 ? n.own : n.children.map(pool).reduce((a, b) => a.map((x, i) => x + b[i]));
  units.push({ unitId: n.id, parentId: n.parentId, months: MONTHS.map((periodStart, i) => ({ periodStart, numerator: sums[i], denominator: null })) });
  return sums;
}
pool(trust);

/** A digest of every cell's verdict, so a faster build can be checked to decide exactly the same. */
function digest(table: DisclosureTable): string {
  const keys = new Set<string>();
  for (const month of MONTHS) {
    for (const g of ['MONTH', 'QUARTER', 'FINANCIAL_YEAR'] as const) keys.add(bucketKey(g, month));
    keys.add(quarterToDateKey(month));
    keys.add(yearToDateKey(month));
  }
  const hash = createHash('sha256');
  for (const unit of units) for (const key of keys) hash.update(`${unit.unitId}|${key}|${table.suppression(unit.unitId, key)?.cause ?? '-'};`);
  return hash.digest('hex').slice(0, 16);
}

const rule = defaultDisclosureRule('PATIENTS', 'COUNT');
const times: number[] = [];
let suppressed = 0;
for (let run = 0; run < runs + 1; run++) {
  const start = process.hrtime.bigint();
  const table = buildDisclosureTable('COUNT', units, rule);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run > 0) times.push(ms); // the first run warms the JIT
  suppressed = table.suppressedCount;
  if (run === runs) console.log(`verdicts digest ${digest(table)}`);
}
times.sort((a, b) => a - b);
console.log(`units ${units.length} × months ${MONTHS.length}; suppressed cells ${suppressed}`);
console.log(`build: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms over ${runs} runs`);
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
