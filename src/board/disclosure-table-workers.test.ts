import { addMonths } from '../statistics/periods';
import { broadGroupSlot, bucketKey, buildDisclosureTable, quarterToDateKey, stratumCellKey, stratumSlot, yearToDateKey, type DisclosureTable, type UnitFigures } from '../statistics/disclosure-table';
import { defaultDisclosureRule } from '../statistics/suppression';
import { buildTable, closeTableWorkers, figuresOf, tableWorkerBuilds } from './disclosure-table-workers';
import pino from 'pino';

const warnings: string[] = [];
// A worker that fails falls back to building here, and says so: the tests see that as a failure.
const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
afterEach(() => expect(warnings).toEqual([]));
const rule = defaultDisclosureRule('PATIENTS', 'RATE');
const MONTHS = Array.from({ length: 18 }, (_, i) => addMonths('2024-04-01', i));
const SLOTS = ['', stratumSlot('ETHNICITY', 'A'), stratumSlot('ETHNICITY', 'M'), stratumSlot('ETHNICITY', 'Z'), broadGroupSlot('ETHNICITY', 'WHITE'), broadGroupSlot('ETHNICITY', 'BLACK')];

/** A trust (1) → 3 directorates → 4 wards each, with small, seeded counts split into strata at the wards. */
function trust(): UnitFigures[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const wards: UnitFigures[] = [];
  for (let d = 0; d < 3; d++) {
    for (let w = 0; w < 4; w++) {
      const split = MONTHS.map(() => [next(12), next(6), next(3)]);
      const month = (i: number, n: number) => ({ periodStart: MONTHS[i], numerator: n, denominator: 900 });
      wards.push({
        unitId: 10 + d * 4 + w,
        parentId: 2 + d,
        months: split.map((parts, i) => month(i, parts[0] + parts[1] + parts[2])),
        strata: ['A', 'M', 'Z'].map((code, k) => ({ stratifier: 'ETHNICITY', code, months: split.map((parts, i) => month(i, parts[k])) })),
      });
    }
  }
  const sumOf = (units: UnitFigures[], unitId: number, parentId: number | null): UnitFigures => ({
    unitId,
    parentId,
    months: MONTHS.map((periodStart, i) => ({ periodStart, numerator: units.reduce((n, u) => n + u.months[i].numerator, 0), denominator: units.reduce((n, u) => n + (u.months[i].denominator ?? 0), 0) })),
    strata: ['A', 'M', 'Z'].map((code, k) => ({
      stratifier: 'ETHNICITY',
      code,
      months: MONTHS.map((periodStart, i) => ({ periodStart, numerator: units.reduce((n, u) => n + (u.strata?.[k].months[i].numerator ?? 0), 0), denominator: 900 * units.length })),
    })),
  });
  const directorates = [0, 1, 2].map((d) => sumOf(wards.slice(d * 4, d * 4 + 4), 2 + d, 1));
  return [sumOf(wards, 1, null), ...directorates, ...wards];
}

/** Every cell's verdict, by unit, period key and slot. */
function verdicts(table: DisclosureTable, units: UnitFigures[]): string[] {
  const out: string[] = [];
  for (const unit of units) {
    for (const month of MONTHS) {
      const periods = [bucketKey('MONTH', month), bucketKey('QUARTER', month), bucketKey('FINANCIAL_YEAR', month), yearToDateKey(month), quarterToDateKey(month)];
      for (const period of periods) {
        for (const slot of SLOTS) {
          const verdict = table.suppression(unit.unitId, slot === '' ? period : stratumCellKey(period, slot));
          out.push(`${unit.unitId} ${period} ${slot} ${verdict ? `${verdict.cause} ${verdict.reason}` : 'shown'}`);
        }
      }
    }
  }
  return out;
}

afterAll(() => closeTableWorkers());

describe('disclosure tables built on a worker thread', () => {
  const units = trust();
  const here = buildDisclosureTable('RATE', units, rule);

  it('hide exactly the cells the table built here hides, with the same reasons', async () => {
    expect(here.suppressedCount).toBeGreaterThan(50); // the fixture has small numbers to protect
    const before = tableWorkerBuilds();
    const there = await buildTable('RATE', units, rule, { threads: 1, minFigures: 1 }, logger);
    expect(tableWorkerBuilds()).toBe(before + 1); // it really ran on the worker
    expect(there.suppressedCount).toBe(here.suppressedCount);
    expect(verdicts(there, units)).toEqual(verdicts(here, units));
  });

  it('leave small tables, and every table when threads are 0, on the request’s thread', async () => {
    const before = tableWorkerBuilds();
    const small = await buildTable('RATE', units, rule, { threads: 1, minFigures: figuresOf(units) + 1 }, logger);
    const off = await buildTable('RATE', units, rule, { threads: 0, minFigures: 1 }, logger);
    expect(tableWorkerBuilds()).toBe(before);
    expect(verdicts(small, units)).toEqual(verdicts(here, units));
    expect(verdicts(off, units)).toEqual(verdicts(here, units));
  });

  it('build here, and say so, when the worker cannot take the task', async () => {
    // A function cannot be posted to a thread (structured clone refuses it): the worker path fails.
    const unpostable = units.map((unit, i) => (i === 0 ? { ...unit, refuse: () => 0 } : unit)) as UnitFigures[];
    const table = await buildTable('RATE', unpostable, rule, { threads: 1, minFigures: 1 }, logger);
    expect(verdicts(table, units)).toEqual(verdicts(here, units));
    expect(warnings.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['a disclosure table could not be built on a worker thread; building it on the main thread']);
    warnings.length = 0;
  });

  it('counts the figures a table is built from (wholes and strata, every month)', () => {
    // 16 units × 18 months of the whole, and 3 strata × 18 months in each.
    expect(figuresOf(units)).toBe(16 * 18 + 16 * 3 * 18);
  });
});
