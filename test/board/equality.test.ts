import { EqualityDocument, MeasureCreateDocument, type EqualityQuery, type EqualityQueryVariables, type ObservationRowInput } from '../generated/graphql';
import { gql } from '../hardening/http';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { tableWorkerBuilds } from '../../src/board/disclosure-table-workers';

/**
 * The equality lens over the API: strata pooled up the tree, broad groups, rate ratios and
 * relative risks with their intervals (worked by hand, below), and the attack suite for
 * strata: a reader under disclosure control tries to recover a suppressed stratum from the
 * whole, the other strata, the broad groups, the tree, the calendar and the ratios.
 *
 * EQ-R, restraints per 1,000 occupied bed days (RATE), by ETHNICITY and SEX; each month of
 * April–June 2024 (fictional):
 *   RTT-W  whole 26 / 1,600 = A 10/1,000 + M 15/500 + Z 1/100;  SEX 1 20/1,200 + 2 6/400
 *   RTT-B  whole 13 / 1,500 = A 5/1,000 + M 5/250 + N 3/250;  SEX 1 2/300 + 2 11/1,200 in April,
 *          SEX 1 7/300 + 2 6/1,200 in May and June (so SEX 1's small April is exposed to its
 *          quarter, 16 − 7 − 7, and to its directorate, 22 − 20, unless those sums are protected)
 *   RTT-D  whole 20 / 2,000, no strata (RTT-DIR2)
 * So RTT-DIR (W + B) over the quarter: A 45/6,000, M 60/2,250, N 9/750, Z 3/300; and RTT the same
 * strata (RTT-D sends none) with whole 177/15,300.
 * EQ-P, detained patients' seclusion (PROPORTION) by LEGAL_STATUS, April 2024 at RTT-W:
 *   DETAINED 15/50, INFORMAL 20/200, whole 35/250.
 */
const MONTHS = ['2024-04-01', '2024-05-01', '2024-06-01'];
type StratumRow = [string, string, number, number];
const WARD: StratumRow[] = [['ETHNICITY', 'A', 10, 1000], ['ETHNICITY', 'M', 15, 500], ['ETHNICITY', 'Z', 1, 100], ['SEX', '1', 20, 1200], ['SEX', '2', 6, 400]];
const TEAM_B = (month: string): StratumRow[] => [
  ['ETHNICITY', 'A', 5, 1000],
  ['ETHNICITY', 'M', 5, 250],
  ['ETHNICITY', 'N', 3, 250],
  ...(month === '2024-04-01' ? [['SEX', '1', 2, 300], ['SEX', '2', 11, 1200]] : [['SEX', '1', 7, 300], ['SEX', '2', 6, 1200]]) as StratumRow[],
];

function rows(): ObservationRowInput[] {
  const row = (orgUnitCode: string, periodStart: string, numerator: number, denominator: number, stratum?: [string, string]): ObservationRowInput => ({
    measureCode: 'EQ-R',
    orgUnitCode,
    periodStart,
    numerator,
    denominator,
    source: 'incidents',
    ...(stratum ? { stratum: { stratifier: stratum[0], code: stratum[1] } } : {}),
  });
  return MONTHS.flatMap((m) => [
    row('RTT-W', m, 26, 1600),
    ...WARD.map(([s, c, n, d]) => row('RTT-W', m, n, d, [s, c])),
    row('RTT-B', m, 13, 1500),
    ...TEAM_B(m).map(([s, c, n, d]) => row('RTT-B', m, n, d, [s, c])),
    row('RTT-D', m, 20, 2000),
  ]);
}

type View = NonNullable<EqualityQuery['measure']>['equality'];
type Stratum = View['strata'][number];
const Z = 1.959963984540054;

describe.each(DATABASE_KINDS)('the equality lens on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  const equality = async (variables: Omit<EqualityQueryVariables, 'measureCode' | 'stratifier'> & { measureCode?: string; stratifier?: string }, key: string = TEAM_ADMIN()): Promise<View> => {
    const { body } = await app.request(EqualityDocument, { measureCode: 'EQ-R', stratifier: 'ETHNICITY', ...variables }, key);
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.equality;
  };
  const TEAM_ADMIN = () => TEST_ADMIN_KEY;
  const byCode = (view: View) => new Map(view.strata.map((s) => [s.code, s]));

  beforeAll(async () => {
    // On PostgreSQL every disclosure table is built on a worker thread (as a large trust's are),
    // on PGlite on the request's thread: the suite holds for both paths.
    app = await startTestApp(kind, kind === 'postgresql' ? { DISCLOSURE_WORKER_MIN_FIGURES: '1' } : {});
    keys = await createMeasurementFixture(app);
    for (const input of [
      { code: 'EQ-R', name: 'Restraints per 1,000 bed days', scoringType: 'RATE' as const, improvementDirection: 'DECREASE' as const, multiplier: 1000, stratifiers: ['ETHNICITY', 'SEX'] },
      { code: 'EQ-P', name: 'Patients secluded', scoringType: 'PROPORTION' as const, improvementDirection: 'DECREASE' as const, stratifiers: ['LEGAL_STATUS'] },
    ]) {
      const { body } = await app.request(MeasureCreateDocument, { input });
      expect(body.data?.measureCreate.userErrors).toEqual([]);
    }
    const imported = await gql(app.server.url, 'mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted userErrors { code message } } }', {
      i: {
        rows: [
          ...rows(),
          { measureCode: 'EQ-P', orgUnitCode: 'RTT-W', periodStart: '2024-04-01', numerator: 35, denominator: 250, source: 'epr' },
          { measureCode: 'EQ-P', orgUnitCode: 'RTT-W', periodStart: '2024-04-01', numerator: 15, denominator: 50, source: 'epr', stratum: { stratifier: 'LEGAL_STATUS', code: 'DETAINED' } },
          { measureCode: 'EQ-P', orgUnitCode: 'RTT-W', periodStart: '2024-04-01', numerator: 20, denominator: 200, source: 'epr', stratum: { stratifier: 'LEGAL_STATUS', code: 'INFORMAL' } },
        ],
      },
    });
    expect(imported.body.data).toEqual({ importObservations: { accepted: 3 * (1 + 5 + 1 + 5 + 1) + 3, userErrors: [] } });
  });
  afterAll(() => app.close());

  describe('true figures (worked by hand)', () => {
    test('strata pool up the tree, Σ/Σ, with the rate ratio to White British and its 95% interval', async () => {
      const view = await equality({ orgUnitCode: 'RTT-DIR', from: '2024-04-01', to: '2024-06-01' });
      expect(view).toMatchObject({ disclosureControlled: false, from: '2024-04-01', to: '2024-06-01', windowNote: null, reference: { code: 'A', label: 'White: British' } });
      expect(view.whole).toMatchObject({ numerator: 117, denominator: 9300 }); // (26 + 13) × 3, (1,600 + 1,500) × 3
      expect(view.strata.map((s) => [s.code, s.numerator, s.denominator])).toEqual([['A', 45, 6000], ['M', 60, 2250], ['N', 9, 750], ['Z', 3, 300]]);
      const m = byCode(view).get('M')!;
      expect(m.value).toBeCloseTo((60 / 2250) * 1000, 10);
      // RR = (60/2,250)/(45/6,000) = 3.5556; SE(ln RR) = √(1/60 + 1/45) = 0.19720; RR·e^(±1.96·SE)
      expect(m.ratioToReference!.value).toBeCloseTo(3.555556, 5);
      expect(m.ratioToReference!.lower).toBeCloseTo(2.415729, 5);
      expect(m.ratioToReference!.upper).toBeCloseTo(5.233192, 5);
      expect(m.ratioToReference!.significant).toBe(true);
      expect(view.anySignificant).toBe(true);
      expect(view.notKnownShare).toBeCloseTo(3 / 117, 12); // Z's 3 of 45 + 60 + 9 + 3 events
      // The trust pools the same strata (RTT-D sends none) beside a larger whole.
      const trust = await equality({ orgUnitCode: 'RTT', from: '2024-04-01', to: '2024-06-01' });
      expect(trust.whole).toMatchObject({ numerator: 177, denominator: 15300 });
      expect(trust.strata.map((s) => [s.code, s.numerator, s.denominator])).toEqual(view.strata.map((s) => [s.code, s.numerator, s.denominator]));
    });

    test('broad groups pool their codes (BLACK = M + N), with the ratio to WHITE', async () => {
      const view = await equality({ orgUnitCode: 'RTT-DIR', from: '2024-04-01', to: '2024-06-01', grouped: true });
      expect(view.reference.code).toBe('WHITE');
      expect(view.strata.map((s) => [s.code, s.group, s.numerator, s.denominator])).toEqual([['WHITE', true, 45, 6000], ['BLACK', true, 69, 3000], ['Z', false, 3, 300]]);
      // RR = (69/3,000)/(45/6,000) = 3.0667; SE = √(1/69 + 1/45)
      const black = byCode(view).get('BLACK')!.ratioToReference!;
      expect(black.value).toBeCloseTo(3.066667, 5);
      expect(black.lower).toBeCloseTo(2.106525, 5);
      expect(black.upper).toBeCloseTo(4.464436, 5);
    });

    test('a relative risk for a proportion: detained 15/50 against informal 20/200', async () => {
      const view = await equality({ measureCode: 'EQ-P', stratifier: 'LEGAL_STATUS', orgUnitCode: 'RTT-W', from: '2024-04-01', to: '2024-04-01' });
      expect(view.reference.code).toBe('INFORMAL');
      // RR = 0.3 / 0.1 = 3; SE(ln RR) = √(1/15 − 1/50 + 1/20 − 1/200) = 0.30277
      const detained = byCode(view).get('DETAINED')!.ratioToReference!;
      expect(detained.value).toBeCloseTo(3, 10);
      expect(detained.lower).toBeCloseTo(1.657323, 5);
      expect(detained.upper).toBeCloseTo(5.430444, 5);
    });

    test('the ratio per month, and each stratum’s own series', async () => {
      const view = await equality({ orgUnitCode: 'RTT-W', from: '2024-04-01', to: '2024-06-01' });
      const m = byCode(view).get('M')!;
      expect(m.series.points.map((p) => p.value)).toEqual([30, 30, 30]); // 15 / 500 × 1,000
      // Each month (15/500)/(10/1,000) = 3, SE = √(1/15 + 1/10) = 0.40825
      expect(m.ratioSeries.map((p) => p.ratio.value)).toEqual([3, 3, 3].map((v) => expect.closeTo(v, 10)));
      expect(m.ratioSeries[0].ratio.lower).toBeCloseTo(3 * Math.exp(-Z * Math.sqrt(1 / 15 + 1 / 10)), 8);
      expect(byCode(view).get('A')!.ratioSeries).toEqual([]);
    });

    test('a zero in the reference stratum gives no ratio, with the reason', async () => {
      // SEX at RTT-W against 9 (Indeterminate), which has no rows: no data, so no ratio.
      const view = await equality({ stratifier: 'SEX', orgUnitCode: 'RTT-W', from: '2024-04-01', to: '2024-06-01', referenceCode: '9' });
      const male = byCode(view).get('1')!.ratioToReference!;
      expect(male).toMatchObject({ value: null, lower: null, upper: null, significant: false });
      expect(male.reason).toMatch(/reference stratum has no data/);
    });

    test('the team’s own manager sees its true figures; a reader of another team does not', async () => {
      const own = await equality({ orgUnitCode: 'RTT-W', from: '2024-04-01', to: '2024-04-01' }, keys.TEAM_MANAGER_W);
      expect(own.disclosureControlled).toBe(false);
      expect(byCode(own).get('Z')).toMatchObject({ numerator: 1, suppressed: false });
      const other = await equality({ orgUnitCode: 'RTT-W', from: '2024-04-01', to: '2024-04-01' }, keys.TEAM_MANAGER_A);
      expect(other.disclosureControlled).toBe(true);
      expect(byCode(other).get('Z')).toMatchObject({ numerator: null, suppressed: true });
    });
  });

  describe('attacks by a reader under disclosure control (the board)', () => {
    const UNITS = ['RTT', 'RTT-DIR', 'RTT-B', 'RTT-W'];
    const WINDOWS: Array<[string, string]> = [...MONTHS.map((m): [string, string] => [m, m]), ['2024-04-01', '2024-05-01'], ['2024-04-01', '2024-06-01']];
    const views = new Map<string, View>();
    const view = (unit: string, from: string, to: string, grouped = false, stratifier = 'ETHNICITY') => views.get(`${unit}|${from}|${to}|${grouped}|${stratifier}`)!;
    const hidden = (s: Stratum | undefined) => s !== undefined && s.suppressed;

    beforeAll(async () => {
      for (const unit of UNITS) {
        for (const [from, to] of WINDOWS) {
          for (const [grouped, stratifier] of [[false, 'ETHNICITY'], [true, 'ETHNICITY'], [false, 'SEX']] as const) {
            views.set(`${unit}|${from}|${to}|${grouped}|${stratifier}`, await equality({ orgUnitCode: unit, from, to, grouped, stratifier }, keys.BOARD));
          }
        }
      }
    });

    test('the small strata are hidden where they are small (the primary cells exist, so the attacks below have something to find)', () => {
      const april = view('RTT-B', '2024-04-01', '2024-04-01');
      expect(april.disclosureControlled).toBe(true);
      expect(byCode(april).get('N')).toMatchObject({ suppressed: true, numerator: null, denominator: null, value: null }); // 3 events
      expect(byCode(view('RTT-W', '2024-04-01', '2024-04-01')).get('Z')!.suppressed).toBe(true); // 1 event
      expect(byCode(view('RTT-DIR', '2024-04-01', '2024-04-01')).get('N')!.suppressed).toBe(true);
      expect(byCode(view('RTT-B', '2024-04-01', '2024-04-01', false, 'SEX')).get('1')!.suppressed).toBe(true); // 2 events
    });

    test('no stratum is the whole minus the others shown: never exactly one hidden beside a shown whole', () => {
      for (const [key, v] of views) {
        if (v.whole.suppressed) continue;
        const present = v.strata.filter((s) => !s.missing);
        if (v.grouped) {
          const hiddenParts = present.filter((s) => s.suppressed).length;
          expect([key, hiddenParts === 1]).toEqual([key, false]);
        } else {
          expect([key, present.filter((s) => s.suppressed).length === 1]).toEqual([key, false]);
        }
      }
    });

    test('no code is its broad group minus the group’s other codes', () => {
      for (const unit of UNITS) {
        for (const [from, to] of WINDOWS) {
          const groups = byCode(view(unit, from, to, true));
          const codes = view(unit, from, to).strata;
          for (const [group, members] of [['WHITE', ['A', 'B', 'C']], ['BLACK', ['M', 'N', 'P']]] as const) {
            const g = groups.get(group);
            if (!g || g.suppressed) continue;
            const present = codes.filter((s) => (members as readonly string[]).includes(s.code) && !s.missing);
            expect([unit, from, to, group, present.filter((s) => s.suppressed).length === 1]).toEqual([unit, from, to, group, false]);
          }
        }
      }
    });

    test('no stratum of a child is its parent’s minus the other children’s', () => {
      const tree: Array<[string, string[]]> = [['RTT-DIR', ['RTT-B', 'RTT-W']], ['RTT', ['RTT-DIR']]];
      for (const [parent, children] of tree) {
        for (const [from, to] of WINDOWS) {
          for (const code of ['A', 'M', 'N', 'Z', '1', '2']) {
            const stratifier = ['1', '2'].includes(code) ? 'SEX' : 'ETHNICITY';
            const p = byCode(view(parent, from, to, false, stratifier)).get(code);
            if (!p || p.suppressed) continue;
            const parts = children.map((c) => byCode(view(c, from, to, false, stratifier)).get(code)).filter((s): s is Stratum => s !== undefined);
            expect([parent, from, to, code, parts.filter(hidden).length === 1]).toEqual([parent, from, to, code, false]);
          }
        }
      }
    });

    test('no month of a stratum is its quarter (or quarter to date) minus the other months', () => {
      for (const unit of UNITS) {
        for (const code of ['A', 'M', 'N', 'Z', '1', '2']) {
          const stratifier = ['1', '2'].includes(code) ? 'SEX' : 'ETHNICITY';
          const monthOf = (m: string) => byCode(view(unit, m, m, false, stratifier)).get(code);
          for (const [from, to] of [['2024-04-01', '2024-06-01'], ['2024-04-01', '2024-05-01']]) {
            const whole = byCode(view(unit, from, to, false, stratifier)).get(code);
            if (!whole || whole.suppressed) continue;
            const months = MONTHS.filter((m) => m <= to).map(monthOf).filter((s): s is Stratum => s !== undefined);
            expect([unit, code, to, months.filter(hidden).length === 1]).toEqual([unit, code, to, false]);
          }
        }
      }
    });

    test('shown figures are rounded to 5, and ratios and intervals rest on them alone; a suppressed stratum has none', () => {
      for (const [key, v] of views) {
        const reference = v.strata.find((s) => s.isReference);
        for (const s of v.strata) {
          if (s.suppressed) {
            expect([key, s.code, s.value, s.numerator, s.denominator, s.ratioToReference?.value ?? null, s.ratioToReference?.lower ?? null]).toEqual([key, s.code, null, null, null, null, null]);
            for (const point of s.series.points) if (point.suppressed) expect(point.numerator).toBeNull();
            continue;
          }
          if (s.missing) continue;
          expect([key, s.code, (s.numerator as number) % 5, (s.denominator as number) % 5]).toEqual([key, s.code, 0, 0]);
          if (s.isReference || !reference || reference.suppressed || reference.missing || !s.ratioToReference?.value) continue;
          // The rate ratio of the shown figures, worked out here from them alone.
          const a = s.numerator as number;
          const c = reference.numerator as number;
          const ratio = a / (s.denominator as number) / (c / (reference.denominator as number));
          expect(s.ratioToReference.value).toBeCloseTo(ratio, 10);
          expect(s.ratioToReference.lower).toBeCloseTo(ratio * Math.exp(-Z * Math.sqrt(1 / a + 1 / c)), 8);
        }
        // Every ratio beside a suppressed reference is withheld.
        if (reference?.suppressed) for (const s of v.strata) expect([key, s.code, s.ratioToReference?.value ?? null]).toEqual([key, s.code, null]);
      }
    });

    test('the not-known share is withheld while any stratum is hidden', () => {
      for (const [key, v] of views) {
        if (v.strata.some((s) => s.suppressed)) expect([key, v.notKnownShare]).toEqual([key, null]);
      }
    });

    test('a window that is not a cell of the table is changed to the year to date, and says so', async () => {
      const snapped = await equality({ orgUnitCode: 'RTT-DIR', from: '2024-05-01', to: '2024-06-01' }, keys.BOARD);
      expect(snapped.from).toBe('2024-04-01');
      expect(snapped.windowNote).toMatch(/changed to the year to date from 2024-04-01/);
      const admin = await equality({ orgUnitCode: 'RTT-DIR', from: '2024-05-01', to: '2024-06-01' });
      expect([admin.from, admin.windowNote]).toEqual(['2024-05-01', null]);
    });
  });

  test('bad arguments are clear errors', async () => {
    const errorOf = async (variables: Record<string, unknown>) => {
      const { body } = await gql(app.server.url, 'query($m: String!, $u: String!, $s: String!, $r: String, $g: Boolean) { measure(code: $m) { equality(orgUnitCode: $u, stratifier: $s, referenceCode: $r, grouped: $g) { from } } }', { m: 'EQ-R', u: 'RTT', s: 'ETHNICITY', ...variables });
      return body.errors?.[0] as { message: string; extensions: { code: string } } | undefined;
    };
    expect(await errorOf({ s: 'RELIGION' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not a stratifier/) });
    expect(await errorOf({ s: 'AGE_BAND' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/EQ-R is not reported by AGE_BAND/) });
    expect(await errorOf({ r: 'WHITE' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not a ETHNICITY code/) });
    expect(await errorOf({ r: '99' })).toMatchObject({ message: expect.stringMatching(/not-known code cannot be the reference/) });
    expect(await errorOf({ s: 'SEX', g: true })).toMatchObject({ message: expect.stringMatching(/SEX has no broad groups/) });
    expect(await errorOf({ u: 'NOPE' })).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  test('SQL statements do not grow with the number of units asked for', async () => {
    const aliased = (units: string[]) =>
      `{ measure(code: "EQ-R") { ${units.map((u, i) => `u${i}: equality(orgUnitCode: "${u}", stratifier: "ETHNICITY") { strata { code value } }`).join(' ')} } }`;
    const one = await gql(app.server.url, aliased(['RTT-W']), undefined, keys.BOARD);
    const four = await gql(app.server.url, aliased(['RTT', 'RTT-DIR', 'RTT-B', 'RTT-W']), undefined, keys.BOARD);
    const count = (body: unknown) => (body as { extensions: { sqlStatements: number } }).extensions.sqlStatements;
    expect(count(four.body)).toBe(count(one.body));
  });

  describe('board views: the scorecard flag, a widening disparity in the exceptions, the ranked drill-down', () => {
    // EQ-W, restraints per 1,000 bed days by ETHNICITY at RTT-W, April 2023 – March 2024: A 20 a
    // month over 1,000 bed days; M over 500 bed days, 10, 15, 20 then 30 a month by quarter, so the
    // quarterly ratio M ÷ A is 1.0, 1.5, 2.0, 3.0: rising two quarters running, and the last
    // quarter's interval, 3·e^(±1.96·√(1/90 + 1/60)) = 2.16–4.16, excludes 1.
    const QUARTER_EVENTS = [10, 15, 20, 30];
    beforeAll(async () => {
      const { body } = await app.request(MeasureCreateDocument, { input: { code: 'EQ-W', name: 'Restraints (widening)', scoringType: 'RATE', improvementDirection: 'DECREASE', multiplier: 1000, stratifiers: ['ETHNICITY'] } });
      expect(body.data?.measureCreate.userErrors).toEqual([]);
      const linked = await gql(app.server.url, 'mutation { measureAddPrinciple(input: { measureCode: "EQ-W", principle: RIGHTS_BASED }) { userErrors { code message } } }');
      expect(linked.body.data).toEqual({ measureAddPrinciple: { userErrors: [] } });
      const rowsW = Array.from({ length: 12 }, (_, i) => {
        const periodStart = `${i < 9 ? 2023 : 2024}-${String(((i + 3) % 12) + 1).padStart(2, '0')}-01`;
        const m = QUARTER_EVENTS[Math.floor(i / 3)];
        return [
          { measureCode: 'EQ-W', orgUnitCode: 'RTT-W', periodStart, numerator: 20 + m, denominator: 1500, source: 'incidents' },
          { measureCode: 'EQ-W', orgUnitCode: 'RTT-W', periodStart, numerator: 20, denominator: 1000, source: 'incidents', stratum: { stratifier: 'ETHNICITY', code: 'A' } },
          { measureCode: 'EQ-W', orgUnitCode: 'RTT-W', periodStart, numerator: m, denominator: 500, source: 'incidents', stratum: { stratifier: 'ETHNICITY', code: 'M' } },
        ];
      }).flat();
      const imported = await gql(app.server.url, 'mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted userErrors { code message } } }', { i: { rows: rowsW } });
      expect(imported.body.data).toEqual({ importObservations: { accepted: 36, userErrors: [] } });
    });

    test('the scorecard flags a measure whose disparity interval excludes 1, over the year to date', async () => {
      const { body } = await gql(app.server.url, '{ scorecard(orgUnitCode: "RTT-W", period: "2024-03-01") { principles { entries { measure { code } disparities { stratifier code reference { code } from to ratio { value lower upper significant } } } } } }');
      const entries = (body.data as { scorecard: { principles: Array<{ entries: Array<{ measure: { code: string }; disparities: unknown[] }> }> } }).scorecard.principles.flatMap((p) => p.entries);
      const entry = entries.find((e) => e.measure.code === 'EQ-W')!;
      // Grouped (ETHNICITY by broad group): BLACK = M 225/6,000 against WHITE = A 240/12,000 over
      // April 2023 – March 2024: RR = 0.0375/0.02 = 1.875, SE = √(1/225 + 1/240) = 0.09284.
      expect(entry.disparities).toEqual([
        {
          stratifier: 'ETHNICITY', code: 'BLACK', reference: { code: 'WHITE' }, from: '2023-04-01', to: '2024-03-01',
          ratio: { value: expect.closeTo(1.875, 10), lower: expect.closeTo(1.875 * Math.exp(-Z * Math.sqrt(1 / 225 + 1 / 240)), 8), upper: expect.closeTo(1.875 * Math.exp(Z * Math.sqrt(1 / 225 + 1 / 240)), 8), significant: true },
        },
      ]);
      expect(entries.filter((e) => e.measure.code !== 'EQ-W').every((e) => e.disparities.length === 0)).toBe(true);
    });

    test('the exceptions include a widening disparity, for a reader with true figures and for the board', async () => {
      for (const key of [TEST_ADMIN_KEY, keys.BOARD]) {
        const { body } = await gql(app.server.url, '{ exceptions(orgUnitCode: "RTT-W", period: "2024-03-01", depth: 0, first: 100) { nodes { measure { code } reasons disparities { code widening from to ratio { value significant } } } } }', undefined, key);
        const entry = (body.data as { exceptions: { nodes: Array<{ measure: { code: string }; reasons: string[]; disparities: unknown[] }> } }).exceptions.nodes.find((e) => e.measure.code === 'EQ-W');
        expect(entry?.reasons).toContain('DISPARITY_WIDENING');
        // The last quarter, January – March 2024: (90/1,500)/(60/3,000) = 3.
        expect(entry?.disparities).toEqual([{ code: 'BLACK', widening: true, from: '2024-01-01', to: '2024-03-01', ratio: { value: expect.closeTo(3, 10), significant: true } }]);
      }
    });

    test('a correction between strata that leaves the whole unchanged is seen at once (the cached views move with it)', async () => {
      const march = { orgUnitCode: 'RTT-W', measureCode: 'EQ-W', from: '2024-03-01', to: '2024-03-01' };
      const before = byCode(await equality(march));
      expect([before.get('A')?.numerator, before.get('M')?.numerator]).toEqual([20, 30]);
      const corrected = await gql(app.server.url, 'mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted userErrors { code message } } }', {
        i: {
          rows: [
            { measureCode: 'EQ-W', orgUnitCode: 'RTT-W', periodStart: '2024-03-01', numerator: 25, denominator: 1000, source: 'incidents', stratum: { stratifier: 'ETHNICITY', code: 'A' } },
            { measureCode: 'EQ-W', orgUnitCode: 'RTT-W', periodStart: '2024-03-01', numerator: 25, denominator: 500, source: 'incidents', stratum: { stratifier: 'ETHNICITY', code: 'M' } },
          ],
        },
      });
      expect(corrected.body.data).toEqual({ importObservations: { accepted: 2, userErrors: [] } });
      const after = byCode(await equality(march));
      expect([after.get('A')?.numerator, after.get('M')?.numerator]).toEqual([25, 25]);
    });

    test('coverage shows a patient measure with recent data but none by stratum, and not one whose strata are recent', async () => {
      const created = await app.request(MeasureCreateDocument, { input: { code: 'EQ-N', name: 'Care plans shared (not stratified)', scoringType: 'PROPORTION', improvementDirection: 'INCREASE' } });
      expect(created.body.data?.measureCreate.userErrors).toEqual([]);
      const imported = await gql(app.server.url, 'mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted userErrors { code } } }', {
        i: { rows: [{ measureCode: 'EQ-N', orgUnitCode: 'RTT-W', periodStart: '2024-06-01', numerator: 30, denominator: 40, source: 'epr' }] },
      });
      expect(imported.body.data).toEqual({ importObservations: { accepted: 1, userErrors: [] } });
      const { body } = await gql(app.server.url, '{ coverage(orgUnitCode: "RTT") { latestPeriod gaps(first: 100) { nodes { kind measure { code } message } } } }');
      const gaps = (body.data as { coverage: { latestPeriod: string; gaps: { nodes: Array<{ kind: string; measure: { code: string } | null; message: string }> } } }).coverage;
      expect(gaps.latestPeriod).toBe('2024-06-01');
      const strataGaps = gaps.gaps.nodes.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_STRATA');
      // EQ-N: recent (June) and not stratified. EQ-R: strata in April–June, so no gap. EQ-W's data
      // ended in March: not recent at all (its gap is MEASURE_WITHOUT_RECENT_DATA).
      expect(strataGaps.map((g) => g.measure?.code)).toEqual(['EQ-N']);
      expect(strataGaps[0].message).toMatch(/not reported by any stratifier/);
    });

    test('the drill-down ranks the children by a stratum’s ratio (widest gap first) or its value (best first)', async () => {
      const query = 'query($r: EqualityRanking!) { measure(code: "EQ-R") { equalityDrillDown(orgUnitCode: "RTT-DIR", stratifier: "ETHNICITY", code: "M", from: "2024-04-01", to: "2024-06-01", rankBy: $r) { total { from to } rows { orgUnit { code } rank stratum { value ratioToReference { value } } } } } }';
      const ranked = async (r: string) => ((await gql(app.server.url, query, { r })).body.data as { measure: { equalityDrillDown: { rows: Array<{ orgUnit: { code: string }; rank: number | null; stratum: { value: number; ratioToReference: { value: number } } | null }> } } }).measure.equalityDrillDown.rows;
      // M ÷ A: RTT-B (15/750)/(15/3,000) = 4, RTT-W (45/1,500)/(30/3,000) = 3; RTT-A and RTT-C have no strata.
      const byRatio = await ranked('RATIO_WIDEST_FIRST');
      expect(byRatio.map((r) => [r.orgUnit.code, r.rank])).toEqual([['RTT-B', 1], ['RTT-W', 2], ['RTT-A', null], ['RTT-C', null]]);
      expect(byRatio[0].stratum?.ratioToReference.value).toBeCloseTo(4, 10);
      // Values per 1,000 bed days: RTT-B 15/750 = 20, RTT-W 45/1,500 = 30; fewer is better.
      const byValue = await ranked('VALUE_BEST_FIRST');
      expect(byValue.slice(0, 2).map((r) => [r.orgUnit.code, r.rank, r.stratum?.value])).toEqual([['RTT-B', 1, expect.closeTo(20, 10)], ['RTT-W', 2, expect.closeTo(30, 10)]]);
    });
  });

  // Last, after every view above has read its tables.
  it(`builds its disclosure tables ${kind === 'postgresql' ? 'on a worker thread' : 'on the request’s thread'}`, () => {
    if (kind === 'postgresql') expect(tableWorkerBuilds()).toBeGreaterThan(0);
    else expect(tableWorkerBuilds()).toBe(0);
  });
});
