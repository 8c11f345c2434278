import { isPeriodStart } from '../statistics/periods';
import { validateComponents, valueOf } from '../statistics/scoring';
import {
  BENCH_OPTIONS,
  buildDataset,
  DEMO_INPATIENT_DIRECTORATE_CODE,
  DEMO_OPTIONS,
  DEMO_SMALL_WARD,
  RESTRICTIVE_PRACTICE_MEASURE_CODES,
  type Dataset,
  type DatasetObservation,
} from './dataset';
import { parseApiKey } from '../access/api-key';
import { demoKeys } from './demo-keys';
import { createRandom } from './random';

// Built once: the demo dataset is small (≈13,000 whole-population observations and their strata) and the builder is pure.
const demo = buildDataset(DEMO_OPTIONS);
const everyRow = [...demo.observations()];
/** the whole-population rows (the strata beside them are tested in "the equality lens" below) */
const observations = everyRow.filter((o) => !o.stratum);
const strataRows = everyRow.filter((o) => o.stratum);
const frontline = demo.orgUnits.filter((u) => u.type === 'TEAM' || u.type === 'WARD');
const unitByCode = new Map(demo.orgUnits.map((u) => [u.code, u]));
const measureByCode = new Map(demo.measures.map((m) => [m.code, m]));

function daysIn(period: string): number {
  return new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
}

function structure(ds: Dataset) {
  const { orgUnits, people, workstreams, measures, periods } = ds;
  return { orgUnits, people, workstreams, measures, periods };
}

function pooledValue(rows: DatasetObservation[], multiplier = 1): number {
  const n = rows.reduce((acc, r) => acc + r.numerator, 0);
  const d = rows.reduce((acc, r) => acc + (r.denominator ?? 0), 0);
  return (n / d) * multiplier;
}

describe('random', () => {
  it('is deterministic from its seed and stays in range', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const draws = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = createRandom(1);
    for (let i = 0; i < 200; i += 1) {
      const k = r.binomial(10, 0.3);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThanOrEqual(10);
      expect(Number.isInteger(r.poisson(4))).toBe(true);
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });

  it('has roughly the right means', () => {
    const r = createRandom(99);
    const mean = (f: () => number) => Array.from({ length: 4000 }, f).reduce((a, b) => a + b, 0) / 4000;
    expect(mean(() => r.poisson(6))).toBeCloseTo(6, 0);
    expect(mean(() => r.poisson(50))).toBeCloseTo(50, -1);
    expect(mean(() => r.binomial(200, 0.25))).toBeCloseTo(50, -1);
    expect(mean(() => r.normal(10, 2))).toBeCloseTo(10, 0);
  });
});

describe('buildDataset: determinism', () => {
  it('gives identical output for the same seed', () => {
    const again = buildDataset(DEMO_OPTIONS);
    expect(structure(again)).toEqual(structure(demo));
    expect([...again.observations()]).toEqual(everyRow);
    // A second pass over the same dataset restarts from the seed too.
    expect([...demo.observations()]).toEqual(everyRow);
  });

  it('gives different numbers for a different seed', () => {
    const other = buildDataset({ ...DEMO_OPTIONS, seed: DEMO_OPTIONS.seed + 1 });
    const otherObservations = [...other.observations()].filter((o) => !o.stratum);
    const differing = otherObservations.filter(
      (o, i) => observations[i] && (o.numerator !== observations[i].numerator || o.denominator !== observations[i].denominator),
    );
    expect(differing.length).toBeGreaterThan(observations.length / 4);
    // The codes (the organisation's shape) do not depend on the seed.
    expect(other.orgUnits.map((u) => u.code)).toEqual(demo.orgUnits.map((u) => u.code));
  });

  it('counts what it generates', () => {
    expect(demo.countObservations()).toBe(everyRow.length);
  });
});

describe('buildDataset: the organisation', () => {
  it('is one fictional trust with directorates, services and at least 20 teams and wards', () => {
    const trusts = demo.orgUnits.filter((u) => u.type === 'TRUST');
    expect(trusts).toEqual([expect.objectContaining({ code: 'RZZ', odsCode: 'RZZ', parentCode: null })]);
    expect(trusts[0].name).toMatch(/fictional/);
    expect(demo.orgUnits.filter((u) => u.type === 'DIRECTORATE').length).toBeGreaterThanOrEqual(3);
    expect(demo.orgUnits.filter((u) => u.type === 'SERVICE').length).toBeGreaterThanOrEqual(3);
    expect(frontline.length).toBeGreaterThanOrEqual(20);
    expect(frontline.filter((u) => u.type === 'WARD').length).toBeGreaterThanOrEqual(5);
    expect(frontline.filter((u) => u.type === 'TEAM').length).toBeGreaterThanOrEqual(15);
    const names = frontline.map((u) => u.name).join('\n');
    for (const kind of [/Community Mental Health Team/, /Home Treatment Team/, /Early Intervention in Psychosis/, /Open Dialogue/, /Intensive Care/, /Rehabilitation Ward/]) {
      expect(names).toMatch(kind);
    }
  });

  it('lists parents before children, with valid unique codes', () => {
    const seen = new Set<string>();
    for (const unit of demo.orgUnits) {
      expect(unit.code).toMatch(/^[A-Z0-9][A-Z0-9-]{1,31}$/);
      expect(seen.has(unit.code)).toBe(false);
      if (unit.parentCode !== null) expect(seen.has(unit.parentCode)).toBe(true);
      seen.add(unit.code);
    }
  });

  it('names the small ward used by the team manager key', () => {
    const ward = unitByCode.get(DEMO_SMALL_WARD.code);
    expect(ward).toMatchObject({ type: 'WARD', name: DEMO_SMALL_WARD.name });
    expect(ward?.beds).toBeLessThanOrEqual(8);
    expect(unitByCode.get(DEMO_INPATIENT_DIRECTORATE_CODE)?.type).toBe('DIRECTORATE');
  });
});

describe('buildDataset: people, workstreams and measures', () => {
  it('has people with unique keys and emails, including lived-experience leads', () => {
    expect(new Set(demo.people.map((p) => p.key)).size).toBe(demo.people.length);
    expect(new Set(demo.people.map((p) => p.email)).size).toBe(demo.people.length);
    expect(demo.people.filter((p) => p.hasLivedExperience).length).toBeGreaterThanOrEqual(3);
    for (const p of demo.people) if (p.orgUnitCode !== null) expect(unitByCode.has(p.orgUnitCode)).toBe(true);
  });

  it('has every workstream named in seed 004 plus the CARE training programme', () => {
    const names = demo.workstreams.map((w) => w.name).join('\n');
    for (const expected of [
      /Culture of Care/,
      /clinical strategy/i,
      /Open Dialogue/,
      /closed cultures/i,
      /restrictive practice/i,
      /Risk formulation/i,
      /Relational security/i,
      /Enhanced care and engagement/i,
      /whole pathway/i,
      /crisis services/i,
      /CARE training.*Compassionate and Relational Enquiry/,
    ]) {
      expect(names).toMatch(expected);
    }
    const crisis = demo.workstreams.find((w) => w.code === 'CRISIS-SERVICES');
    const milestones = crisis?.milestones.map((m) => m.title).join('\n') ?? '';
    expect(milestones).toMatch(/crisis house/i);
    expect(milestones).toMatch(/community mental health hub/i);
    expect(milestones).toMatch(/24\/7/);
  });

  it('links workstreams to real people, principles and frontline teams', () => {
    const keys = new Set(demo.people.map((p) => p.key));
    expect(new Set(demo.workstreams.map((w) => w.code)).size).toBe(demo.workstreams.length);
    expect(new Set(demo.workstreams.map((w) => w.status))).toEqual(new Set(['ACTIVE', 'PROPOSED', 'PAUSED', 'COMPLETED']));
    for (const w of demo.workstreams) {
      expect(w.principles.length).toBeGreaterThan(0);
      expect(w.aims.length).toBeGreaterThan(0);
      for (const lead of w.leads) expect(keys.has(lead.personKey)).toBe(true);
      for (const code of w.teamCodes) {
        expect(['TEAM', 'WARD']).toContain(unitByCode.get(code)?.type);
        expect(isPeriodStart(w.teamJoinedOn[code])).toBe(true);
      }
      for (const m of w.milestones) {
        expect(m.completedOn === null).toBe(m.status !== 'DONE');
      }
      if (w.endDate !== null) expect(w.endDate >= w.startDate).toBe(true);
    }
    const roles = new Set(demo.workstreams.flatMap((w) => w.leads.map((l) => l.role)));
    expect(roles).toEqual(new Set(['LEAD', 'CO_LEAD', 'LIVED_EXPERIENCE_LEAD', 'EXECUTIVE_SPONSOR']));
    expect(demo.workstreams.flatMap((w) => w.involvement).some((i) => i.kind === 'CO_PRODUCTION')).toBe(true);
  });

  it('leaves gaps for the board to find: a workstream without measures, one without a lead, a team in none', () => {
    const measured = new Set(demo.measures.flatMap((m) => m.workstreamCodes));
    expect(demo.workstreams.some((w) => !measured.has(w.code))).toBe(true);
    expect(demo.workstreams.some((w) => w.leads.length === 0)).toBe(true);
    const inSome = new Set(demo.workstreams.flatMap((w) => w.teamCodes));
    expect(frontline.some((u) => !inSome.has(u.code))).toBe(true);
  });

  it('has at least 20 measures covering all scoring types, both audiences and every principle', () => {
    expect(demo.measures.length).toBeGreaterThanOrEqual(20);
    expect(new Set(demo.measures.map((m) => m.code)).size).toBe(demo.measures.length);
    expect(new Set(demo.measures.map((m) => m.scoringType))).toEqual(new Set(['PROPORTION', 'RATE', 'MEAN', 'COUNT']));
    expect(new Set(demo.measures.map((m) => m.audience))).toEqual(new Set(['PATIENTS', 'STAFF']));
    expect(new Set(demo.measures.flatMap((m) => m.principles))).toEqual(new Set(['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE']));
    const keys = new Set(demo.people.map((p) => p.key));
    const workstreams = new Set(demo.workstreams.map((w) => w.code));
    for (const m of demo.measures) {
      expect(m.code).toMatch(/^[A-Z0-9][A-Z0-9_-]{1,47}$/);
      expect(keys.has(m.ownerKey)).toBe(true);
      for (const w of m.workstreamCodes) expect(workstreams.has(w)).toBe(true);
      expect(m.multiplier !== null).toBe(m.scoringType === 'RATE');
      expect(m.denominatorLabel === null).toBe(m.scoringType === 'COUNT');
      if (m.scoringType === 'PROPORTION' && m.trustTarget !== null) {
        expect(m.trustTarget).toBeGreaterThanOrEqual(0);
        expect(m.trustTarget).toBeLessThanOrEqual(1);
      }
    }
    expect(measureByCode.get('STAFF-CARE-TRAINED')?.trustTarget).toBe(0.8);
    expect(measureByCode.get('RESTRICTIVE-RATE')).toMatchObject({ scoringType: 'RATE', multiplier: 1000, improvementDirection: 'DECREASE', appliesTo: 'WARDS' });
    for (const code of RESTRICTIVE_PRACTICE_MEASURE_CODES) expect(measureByCode.has(code)).toBe(true);
  });
});

describe('buildDataset: observations', () => {
  it('covers 36 first-of-month periods ending at endPeriod', () => {
    expect(demo.periods).toHaveLength(36);
    expect(demo.periods[35]).toBe('2026-10-01');
    expect(demo.periods[0]).toBe('2023-11-01');
    const periods = new Set(observations.map((o) => o.periodStart));
    expect(periods.size).toBe(36);
    for (const p of periods) expect(isPeriodStart(p)).toBe(true);
  });

  it('is valid for each measure\'s scoring type, recorded at the frontline, once per measure × unit × month', () => {
    // Problems are collected and compared once: thirteen thousand expect() calls are slow.
    const problems: string[] = [];
    const keys = new Set<string>();
    const externalIds = new Set<string>();
    for (const o of observations) {
      const measure = measureByCode.get(o.measureCode);
      const unit = unitByCode.get(o.orgUnitCode);
      if (!measure || !unit) {
        problems.push(`${o.externalId}: unknown measure or org unit`);
        continue;
      }
      const invalid = validateComponents(measure.scoringType, o);
      if (invalid.length > 0) problems.push(`${o.externalId}: ${invalid.map((p) => p.code).join(', ')}`);
      if (measure.scoringType === 'PROPORTION' && o.numerator > (o.denominator as number)) problems.push(`${o.externalId}: numerator > denominator`);
      if (unit.type !== 'TEAM' && unit.type !== 'WARD') problems.push(`${o.externalId}: not recorded at the frontline`);
      if (measure.appliesTo === 'WARDS' && unit.type !== 'WARD') problems.push(`${o.externalId}: a ward measure at a team`);
      if (measure.appliesTo === 'TEAMS' && unit.type !== 'TEAM') problems.push(`${o.externalId}: a team measure at a ward`);
      if (o.source !== 'demo-seed') problems.push(`${o.externalId}: source ${o.source}`);
      if (o.externalId !== `${o.measureCode}/${o.orgUnitCode}/${o.periodStart}`) problems.push(`${o.externalId}: unexpected externalId`);
      keys.add(`${o.measureCode}|${o.orgUnitCode}|${o.periodStart}`);
      externalIds.add(o.externalId);
    }
    expect(problems).toEqual([]);
    expect(keys.size).toBe(observations.length);
    expect(externalIds.size).toBe(observations.length);
  });

  it('keeps values in their scales', () => {
    const ranges: Record<string, [number, number]> = { 'CARE-MEAN': [10, 50], 'PSYCH-SAFETY': [1, 7], 'CORE-ITEM-22': [0, 4], 'OD-FIDELITY': [0, 12] };
    const outside = observations.filter((o) => {
      const m = measureByCode.get(o.measureCode);
      const range = ranges[o.measureCode];
      if (!m || !range) return false;
      const value = valueOf(m.scoringType, o, m.multiplier) as number;
      return value < range[0] || value > range[1];
    });
    expect(outside).toEqual([]);
  });

  it('has realistic bed days: beds × days in month × occupancy 0.85–1.0', () => {
    const rates = observations.filter((o) => measureByCode.get(o.measureCode)?.scoringType === 'RATE');
    expect(rates.length).toBeGreaterThan(0);
    const unrealistic = rates.filter((o) => {
      const capacity = (unitByCode.get(o.orgUnitCode)?.beds as number) * daysIn(o.periodStart);
      const bedDays = o.denominator as number;
      return bedDays > capacity || bedDays < Math.floor(capacity * 0.85);
    });
    expect(unrealistic).toEqual([]);
  });

  it('gives the small ward small numbers, some under 5', () => {
    const small = observations.filter((o) => o.orgUnitCode === DEMO_SMALL_WARD.code);
    const people = small.filter((o) => o.measureCode === 'RESTRICTIVE-PEOPLE');
    expect(people.length).toBe(36);
    expect(people.filter((o) => o.numerator < 5).length).toBeGreaterThan(18);
    const rate = small.filter((o) => o.measureCode === 'RESTRICTIVE-RATE');
    expect(rate.every((o) => (o.denominator as number) < 200)).toBe(true);
    expect(rate.some((o) => o.numerator < 5)).toBe(true);
  });

  it('leaves a few months missing at one team (missing, not zero)', () => {
    const series = new Map<string, string[]>();
    for (const o of observations) {
      const key = `${o.measureCode}|${o.orgUnitCode}`;
      series.set(key, [...(series.get(key) ?? []), o.periodStart]);
    }
    // A gap in the middle of a series: a period missing between the first and last present ones.
    const gapped = [...series.entries()].filter(([, periods]) => {
      const first = demo.periods.indexOf(periods[0]);
      const last = demo.periods.indexOf(periods[periods.length - 1]);
      return last - first + 1 > periods.length;
    });
    const unitsWithGaps = new Set(gapped.map(([key]) => key.split('|')[1]));
    expect(unitsWithGaps.size).toBeGreaterThanOrEqual(1);
    const eip = frontline.find((u) => u.code === 'RZZ-RIV-T05');
    expect(eip?.name).toMatch(/Early Intervention/);
    const eipMonths = new Set(observations.filter((o) => o.orgUnitCode === 'RZZ-RIV-T05').map((o) => o.periodStart));
    expect(['2025-07-01', '2025-08-01', '2025-09-01'].some((p) => eipMonths.has(p))).toBe(false);
    expect(eipMonths.has('2025-06-01') && eipMonths.has('2025-10-01')).toBe(true);
  });

  it('shows a shift: restrictive interventions on two wards fall by about 40% once the workstream starts', () => {
    const rrp = demo.workstreams.find((w) => w.code === 'REDUCING-RESTRICTIVE-PRACTICE');
    const start = rrp?.startDate as string;
    for (const ward of ['RZZ-ACU-W01', 'RZZ-ACU-W02']) {
      const rows = observations.filter((o) => o.measureCode === 'RESTRICTIVE-RATE' && o.orgUnitCode === ward);
      const before = pooledValue(rows.filter((o) => o.periodStart < start), 1000);
      const after = pooledValue(rows.filter((o) => o.periodStart >= start), 1000);
      expect(after / before).toBeGreaterThan(0.45);
      expect(after / before).toBeLessThan(0.75);
    }
  });

  it('shows a trend: the share of staff trained in CARE climbs towards the 80% target', () => {
    const trained = observations.filter((o) => o.measureCode === 'STAFF-CARE-TRAINED');
    const first = pooledValue(trained.filter((o) => o.periodStart === demo.periods[0]));
    const last = pooledValue(trained.filter((o) => o.periodStart === demo.periods[35]));
    expect(first).toBeLessThan(0.2);
    expect(last).toBeGreaterThan(0.6);
  });

  it('opens new crisis services during the window: no data before they open', () => {
    for (const unit of frontline.filter((u) => u.opensOn)) {
      const months = observations.filter((o) => o.orgUnitCode === unit.code).map((o) => o.periodStart);
      expect(months.length).toBeGreaterThan(0);
      expect(months.every((p) => p >= (unit.opensOn as string))).toBe(true);
    }
  });
});

describe('buildDataset: the equality lens (fictional strata)', () => {
  const ratioOfBlackToWhiteBritish = (rows: DatasetObservation[]) => {
    const eth = rows.filter((o) => o.measureCode === 'RESTRICTIVE-RATE' && o.stratum?.stratifier === 'ETHNICITY');
    const black = eth.filter((o) => ['M', 'N', 'P'].includes(o.stratum!.code));
    const white = eth.filter((o) => o.stratum!.code === 'A');
    return pooledValue(black) / pooledValue(white);
  };

  it('splits each stratified ward row exactly: every stratifier’s strata add up to the whole', () => {
    const wholes = new Map(observations.map((o) => [`${o.measureCode}|${o.orgUnitCode}|${o.periodStart}`, o]));
    const sums = new Map<string, { n: number; d: number }>();
    for (const o of strataRows) {
      const key = `${o.measureCode}|${o.orgUnitCode}|${o.periodStart}|${o.stratum!.stratifier}`;
      const sum = sums.get(key) ?? { n: 0, d: 0 };
      sums.set(key, { n: sum.n + o.numerator, d: sum.d + (o.denominator ?? 0) });
    }
    expect(sums.size).toBeGreaterThan(0);
    const wrong = [...sums].filter(([key, sum]) => {
      const whole = wholes.get(key.split('|').slice(0, 3).join('|'));
      return !whole || sum.n !== whole.numerator || Math.abs(sum.d - (whole.denominator ?? 0)) > 1e-9;
    });
    expect(wrong).toEqual([]);
    expect(new Set(strataRows.map((o) => o.externalId)).size).toBe(strataRows.length);
  });

  it('stratifies the restrictive-practice measures at wards, by the stratifiers each declares', () => {
    for (const o of strataRows) {
      const measure = measureByCode.get(o.measureCode)!;
      expect([o.externalId, measure.stratifiers?.includes(o.stratum!.stratifier), unitByCode.get(o.orgUnitCode)?.type]).toEqual([o.externalId, true, 'WARD']);
    }
    expect(measureByCode.get('RESTRICTIVE-RATE')?.stratifiers).toEqual(['ETHNICITY', 'SEX', 'AGE_BAND', 'LEGAL_STATUS']);
  });

  it('has a fictional disparity that narrows after the wards join the restrictive-practice work', () => {
    const first12 = strataRows.filter((o) => demo.periods.indexOf(o.periodStart) < 12);
    const last6 = strataRows.filter((o) => demo.periods.indexOf(o.periodStart) >= demo.periods.length - 6);
    expect(ratioOfBlackToWhiteBritish(first12)).toBeGreaterThan(2.5);
    expect(ratioOfBlackToWhiteBritish(last6)).toBeLessThan(2.2);
  });

  it('has a realistic not-known share and small strata on the small ward', () => {
    const eth = strataRows.filter((o) => o.measureCode === 'RESTRICTIVE-RATE' && o.stratum?.stratifier === 'ETHNICITY');
    const bedDays = (rows: DatasetObservation[]) => rows.reduce((sum, o) => sum + (o.denominator ?? 0), 0);
    const share = bedDays(eth.filter((o) => ['Z', '99'].includes(o.stratum!.code))) / bedDays(eth);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.08);
    const small = eth.filter((o) => o.orgUnitCode === DEMO_SMALL_WARD.code && o.stratum!.code === 'M');
    expect(small.some((o) => o.numerator > 0 && o.numerator < 5)).toBe(true);
  });
});

describe('buildDataset: benchmark sizes', () => {
  it('builds 200 frontline units and 40 measures (variants after the catalogue) at bench size', () => {
    const bench = buildDataset(BENCH_OPTIONS);
    const units = bench.orgUnits.filter((u) => u.type === 'TEAM' || u.type === 'WARD');
    expect(units).toHaveLength(200);
    expect(bench.measures).toHaveLength(40);
    expect(bench.measures.map((m) => m.code)).toContain('CARE-MEAN-V2');
    expect(new Set(bench.measures.map((m) => m.code)).size).toBe(40);
    expect(new Set(bench.orgUnits.map((u) => u.code)).size).toBe(bench.orgUnits.length);
    // Generated lazily: sample the start of the stream rather than holding it all.
    const it = bench.observations();
    for (let i = 0; i < 2000; i += 1) {
      const next = it.next();
      expect(next.done).toBe(false);
    }
  });

  it('keeps codes valid at ten times the teams', () => {
    const big = buildDataset({ ...BENCH_OPTIONS, teamsPerDirectorate: BENCH_OPTIONS.teamsPerDirectorate * 10 });
    const units = big.orgUnits.filter((u) => u.type === 'TEAM' || u.type === 'WARD');
    expect(units).toHaveLength(2000);
    expect(new Set(big.orgUnits.map((u) => u.code)).size).toBe(big.orgUnits.length);
    for (const u of big.orgUnits) expect(u.code).toMatch(/^[A-Z0-9][A-Z0-9-]{1,31}$/);
  });
});

describe('demoKeys', () => {
  it('computes one well-formed, deterministic key per role', () => {
    const keys = demoKeys();
    expect(keys.map((k) => k.role)).toEqual(['ADMIN', 'FACULTY_LEAD', 'BOARD', 'TEAM_MANAGER', 'INTEGRATION']);
    expect(demoKeys()).toEqual(keys);
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    for (const k of keys) expect(parseApiKey(k.key)?.prefix).toMatch(/^demo[a-z]+$/);
    expect(keys.find((k) => k.role === 'TEAM_MANAGER')?.name).toContain(DEMO_SMALL_WARD.name);
  });
});
