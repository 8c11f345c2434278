import { buildDataset, BENCH_OPTIONS } from '../src/demo/dataset';
import { buildDisclosureTable, type UnitFigures } from '../src/statistics/disclosure-table';
import { defaultDisclosureRule } from '../src/statistics/suppression';
const ds = buildDataset(BENCH_OPTIONS);
const code = process.argv[2] ?? 'RESTRICTIVE-RATE';
const parent = new Map(ds.orgUnits.map((u) => [u.code, u.parentCode]));
const ids = new Map(ds.orgUnits.map((u, i) => [u.code, i + 1]));
type Acc = Map<string, { n: number; d: number }>;
const whole = new Map<string, Acc>(); const strata = new Map<string, Map<string, Acc>>();
const add = (m: Acc, p: string, n: number, d: number) => { const x = m.get(p) ?? { n: 0, d: 0 }; x.n += n; x.d += d; m.set(p, x); };
for (const o of ds.observations()) {
  if (o.measureCode !== code) continue;
  for (let u: string | null = o.orgUnitCode; u; u = parent.get(u) ?? null) {
    if (!o.stratum) { const m = whole.get(u) ?? new Map(); add(m, o.periodStart, o.numerator, o.denominator ?? 0); whole.set(u, m); }
    else { const s = strata.get(u) ?? new Map(); const k = `${o.stratum.stratifier}|${o.stratum.code}`; const m = s.get(k) ?? new Map(); add(m, o.periodStart, o.numerator, o.denominator ?? 0); s.set(k, m); strata.set(u, s); }
  }
}
const months = (m: Acc) => [...m].sort().map(([periodStart, x]) => ({ periodStart, numerator: x.n, denominator: x.d }));
const units: UnitFigures[] = [...whole].map(([u, m]) => ({ unitId: ids.get(u)!, parentId: parent.get(u) ? ids.get(parent.get(u)!)! : null, months: months(m),
  strata: [...(strata.get(u) ?? new Map())].map(([k, mm]) => ({ stratifier: k.split('|')[0], code: k.split('|')[1], months: months(mm) })) }));
console.log('units', units.length, 'with strata', units.filter((u) => u.strata!.length > 0).length, 'slots', units.reduce((a, u) => a + u.strata!.length, 0));
for (const withStrata of [false, true]) {
  const input = withStrata ? units : units.map((u) => ({ ...u, strata: [] }));
  const t = process.hrtime.bigint();
  const table = buildDisclosureTable('RATE', input, defaultDisclosureRule('PATIENTS', 'RATE'));
  console.log(withStrata ? 'with strata' : 'whole only', Number(process.hrtime.bigint() - t) / 1e6, 'ms', 'suppressed', table.suppressedCount);
}
