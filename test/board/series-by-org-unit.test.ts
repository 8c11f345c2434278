import {
  DisclosureImportDocument,
  MeasureCreateDocument,
  MeasureSeriesByOrgUnitDocument,
  MeasureSeriesDocument,
  OrgUnitCreateDocument,
  type MeasureSeriesByOrgUnitQueryVariables,
  type MeasureSeriesQuery,
  type ObservationRowInput,
} from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * `Measure.seriesByOrgUnit`: small multiples, one measure's series at many units in one field.
 *
 * The measurement fixture (RTT → RTT-DIR → RTT-A, RTT-B, RTT-C, RTT-W; RTT-DIR2 → RTT-D) with
 * MUL-C, a patient COUNT (default rule: under 5 suppressed, counts rounded to 5), 24 months
 * (Jan 2023 – Dec 2024): RTT-A 3 a month (under 5: hidden), RTT-B 12 (shown as 10), RTT-C 30,
 * RTT-W 8 (shown as 10), RTT-D 40, so RTT-DIR = 3 + 12 + 30 + 8 = 53 a month (shown as 55).
 * RTT-BIG, a directorate of 50 teams BIG-01 … BIG-50, 7 a month each for the last 12 months
 * (2024), gives the 5- and 50-unit calls that count statements.
 */
const MONTHS = Array.from({ length: 24 }, (_, i) => addMonths('2023-01-01', i));
const COUNTS: Record<string, number> = { 'RTT-A': 3, 'RTT-B': 12, 'RTT-C': 30, 'RTT-W': 8, 'RTT-D': 40 };
const CHILDREN_OF_DIR = ['RTT-A', 'RTT-B', 'RTT-C', 'RTT-W'];
const BIG = Array.from({ length: 50 }, (_, i) => `BIG-${String(i + 1).padStart(2, '0')}`);
const EVERY_UNIT = ['RTT', 'RTT-DIR', 'RTT-DIR2', ...CHILDREN_OF_DIR, 'RTT-D'];

type Series = NonNullable<MeasureSeriesQuery['measure']>['series'];
type Windows = Pick<MeasureSeriesByOrgUnitQueryVariables, 'from' | 'to' | 'granularity'>;

function rows(): ObservationRowInput[] {
  return [
    ...MONTHS.flatMap((periodStart) => Object.entries(COUNTS).map(([orgUnitCode, numerator]) => ({ measureCode: 'MUL-C', orgUnitCode, periodStart, numerator, source: 'incidents' }))),
    ...MONTHS.slice(12).flatMap((periodStart) => BIG.map((orgUnitCode) => ({ measureCode: 'MUL-C', orgUnitCode, periodStart, numerator: 7, source: 'incidents' }))),
  ];
}

describe.each(DATABASE_KINDS)('Measure.seriesByOrgUnit on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  const series = async (orgUnitCode: string, key: string | null, windows: Windows = {}): Promise<Series> => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'MUL-C', orgUnitCode, ...windows }, key);
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.series;
  };
  const multiples = async (variables: Omit<MeasureSeriesByOrgUnitQueryVariables, 'measureCode'>, key: string | null = TEST_ADMIN_KEY) => {
    const { body } = await app.request(MeasureSeriesByOrgUnitDocument, { measureCode: 'MUL-C', ...variables }, key);
    return body;
  };
  const multiplesOk = async (variables: Omit<MeasureSeriesByOrgUnitQueryVariables, 'measureCode'>, key: string | null = TEST_ADMIN_KEY) => {
    const body = await multiples(variables, key);
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.seriesByOrgUnit;
  };
  /** What a multiple shows of one unit, beside that unit's own `series` (which has no orgUnit selected). */
  const withoutUnit = ({ orgUnit: _unit, ...rest }: Series & { orgUnit: { code: string } }) => rest;

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    const { body } = await app.request(MeasureCreateDocument, { input: { code: 'MUL-C', name: 'Restraints', scoringType: 'COUNT', improvementDirection: 'DECREASE' } });
    expect(body.data!.measureCreate.userErrors).toEqual([]);
    for (const [code, type, parentCode] of [['RTT-BIG', 'DIRECTORATE', 'RTT'], ...BIG.map((code) => [code, 'TEAM', 'RTT-BIG'])]) {
      const created = await app.request(OrgUnitCreateDocument, { input: { code, name: `Unit ${code}`, type: type as never, parentCode } });
      expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
    const imported = await app.request(DisclosureImportDocument, { input: { rows: rows() } });
    // 24 months × 5 units + 12 months × 50 units = 120 + 600
    expect(imported.body.data!.importObservations).toMatchObject({ created: 720, userErrors: [] });
  });
  afterAll(() => app.close());

  test('true figures: the children of a unit in id order, each exactly its own series', async () => {
    const all = await multiplesOk({ childrenOf: 'RTT-DIR' });
    expect(all.map((s) => s.orgUnit.code)).toEqual(CHILDREN_OF_DIR);
    for (const one of all) expect(withoutUnit(one)).toEqual(await series(one.orgUnit.code, TEST_ADMIN_KEY));
    // Hand-worked: RTT-B is 12 a month for 24 months, unrounded for a reader of true figures.
    const b = all[1];
    expect([b.from, b.to, b.disclosureControlled]).toEqual(['2023-01-01', '2024-12-01', false]);
    expect(b.points.map((p) => p.value)).toEqual(MONTHS.map(() => 12));
  });

  test('codes in the order given, each once; `last` is the window series(from: to − (last − 1), to) shows', async () => {
    const some = await multiplesOk({ orgUnitCodes: ['RTT-D', 'RTT-A', 'RTT-D', 'RTT-DIR'], last: 3 });
    expect(some.map((s) => s.orgUnit.code)).toEqual(['RTT-D', 'RTT-A', 'RTT-DIR']);
    // to = the latest month with data, Dec 2024; last 3 → Oct, Nov, Dec 2024.
    expect(some[0].points.map((p) => [p.periodStart, p.value])).toEqual([['2024-10-01', 40], ['2024-11-01', 40], ['2024-12-01', 40]]);
    expect(some[2].points.map((p) => p.value)).toEqual([53, 53, 53]); // 3 + 12 + 30 + 8
    for (const one of some) expect(withoutUnit(one)).toEqual(await series(one.orgUnit.code, TEST_ADMIN_KEY, { from: '2024-10-01', to: '2024-12-01' }));
    const ending = await multiplesOk({ orgUnitCodes: ['RTT-B'], to: '2023-06-01', last: 2 });
    expect(ending[0].points.map((p) => p.periodStart)).toEqual(['2023-05-01', '2023-06-01']);
  });

  test('under disclosure control every multiple equals what series shows that reader, window by window', async () => {
    const windows: Array<Windows & { last?: number }> = [
      {},
      { last: 1 },
      { last: 3 },
      { from: '2023-06-01', to: '2023-06-01' },
      { from: '2024-01-01', to: '2024-12-01' },
      { granularity: 'QUARTER' },
      { granularity: 'FINANCIAL_YEAR' },
    ];
    for (const key of [keys.BOARD, keys.FACULTY_LEAD, keys.TEAM_MANAGER_A]) {
      for (const { last, ...window } of windows) {
        const all = await multiplesOk({ orgUnitCodes: EVERY_UNIT, last, ...window }, key);
        expect(all.map((s) => s.orgUnit.code)).toEqual(EVERY_UNIT);
        for (const one of all) {
          const own = last ? { ...window, from: addMonths(one.to, -(last - 1)) } : window;
          expect(withoutUnit(one)).toEqual(await series(one.orgUnit.code, key, own));
        }
      }
    }
    // The rule is applied: RTT-A (3 a month) is hidden from the board, RTT-B's 12 shown as 10.
    const board = await multiplesOk({ childrenOf: 'RTT-DIR' }, keys.BOARD);
    expect(board.every((s) => s.disclosureControlled)).toBe(true);
    expect(board[0].points.every((p) => p.suppressed && p.value === null && p.mean === null && p.pointType === null)).toBe(true);
    expect([board[0].variationIcon, board[0].assuranceIcon, board[0].latest]).toEqual([null, null, { periodStart: '2024-12-01', value: null }]);
    expect(board[1].points.every((p) => !p.suppressed && p.value === 10)).toBe(true);
    // RTT-A's own manager sees RTT-A's true figures and the rest under control, as series does.
    const manager = await multiplesOk({ childrenOf: 'RTT-DIR' }, keys.TEAM_MANAGER_A);
    expect(manager.map((s) => s.disclosureControlled)).toEqual([false, true, true, true]);
    expect(manager[0].points.every((p) => p.value === 3)).toBe(true);
  });

  test('attack: the multiples give nothing series keeps back, from differencing siblings or windows', async () => {
    const parent = (await multiplesOk({ orgUnitCodes: ['RTT-DIR'] }, keys.BOARD))[0];
    const children = await multiplesOk({ childrenOf: 'RTT-DIR' }, keys.BOARD);
    parent.points.forEach((point, month) => {
      expect(point.value).toBe(55); // 53 → 55
      // The parent minus the shown children is a sum of two or more hidden cells, never RTT-A alone.
      const hidden = children.filter((child) => child.points[month].suppressed);
      expect(hidden.length).toBeGreaterThanOrEqual(2);
      const shownSum = children.reduce((sum, child) => sum + (child.points[month].value ?? 0), 0);
      expect(point.value! - shownSum).not.toBe(COUNTS['RTT-A']);
    });
    // Narrow windows of a hidden unit: a one-month multiple shows neither the value nor a mean.
    for (const to of ['2023-03-01', '2024-06-01', '2024-12-01']) {
      const [one] = await multiplesOk({ orgUnitCodes: ['RTT-A'], to, last: 1 }, keys.BOARD);
      expect(one.points.map((p) => [p.value, p.numerator, p.mean, p.upperProcessLimit])).toEqual([[null, null, null, null]]);
    }
    // Every figure of every shown unit is one series shows (the test above compares them all);
    // nothing in the answer names a true count that the rule hides.
    const body = await multiples({ orgUnitCodes: EVERY_UNIT }, keys.BOARD);
    expect(JSON.stringify(body.data)).not.toMatch(/"numerator":(3|12|8|53),/);
  });

  test('bounded statements: 5 units, 50 units and 50 children cost the same number of SQL statements', async () => {
    for (const key of [TEST_ADMIN_KEY, keys.BOARD]) {
      await multiples({ orgUnitCodes: BIG }, key); // warm: a key's first use, the disclosure table
      const five = await multiples({ orgUnitCodes: BIG.slice(0, 5), last: 12 }, key);
      const fifty = await multiples({ orgUnitCodes: BIG, last: 12 }, key);
      const children = await multiples({ childrenOf: 'RTT-BIG', last: 12 }, key);
      expect(five.data!.measure!.seriesByOrgUnit).toHaveLength(5);
      expect(fifty.data!.measure!.seriesByOrgUnit).toHaveLength(50);
      expect(children.data!.measure!.seriesByOrgUnit.map((s) => s.orgUnit.code)).toEqual(BIG);
      const counts = [five, fifty, children].map((body) => body.extensions!.sqlStatements!);
      expect(counts[1]).toBe(counts[0]);
      // the children: the parent by code, then its children (the codes' one lookup is the same statement)
      expect(counts[2]).toBeLessThanOrEqual(counts[0] + 1);
      // measure, units, rollups, targets, phases (+ the disclosure table's data version for the board)
      expect(counts[1]).toBeLessThanOrEqual(8);
      // 7 a month for each team: shown as 5 to the board (rounded to 5), as 7 to the operator.
      const point = fifty.data!.measure!.seriesByOrgUnit[49].points.at(-1)!;
      expect(point.value).toBe(key === TEST_ADMIN_KEY ? 7 : 5);
    }
  });

  test('bad input: one of orgUnitCodes and childrenOf, from or last, at most 100 units; unknown codes are NOT_FOUND as in series', async () => {
    const refused: Array<[Omit<MeasureSeriesByOrgUnitQueryVariables, 'measureCode'>, string, string]> = [
      [{}, 'BAD_USER_INPUT', 'orgUnitCodes'],
      [{ orgUnitCodes: ['RTT-A'], childrenOf: 'RTT-DIR' }, 'BAD_USER_INPUT', 'childrenOf'],
      [{ orgUnitCodes: ['RTT-A'], from: '2024-01-01', last: 3 }, 'BAD_USER_INPUT', 'last'],
      [{ orgUnitCodes: ['RTT-A'], last: 0 }, 'BAD_USER_INPUT', 'last'],
      [{ orgUnitCodes: ['RTT-A'], last: 241 }, 'BAD_USER_INPUT', 'last'],
      [{ orgUnitCodes: Array.from({ length: 101 }, (_, i) => `X-${i}`) }, 'BAD_USER_INPUT', 'orgUnitCodes'],
      [{ orgUnitCodes: ['RTT-A'], from: '2024-01-15' }, 'BAD_USER_INPUT', 'from'],
    ];
    for (const [variables, code, argument] of refused) {
      const body = await multiples(variables);
      expect(body.data?.measure ?? null).toBeNull();
      expect(body.errors?.[0].extensions).toMatchObject({ code, argument });
    }
    for (const variables of [{ orgUnitCodes: ['RTT-A', 'NOPE-1'] }, { childrenOf: 'NOPE-1' }]) {
      const body = await multiples(variables);
      expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'No org unit has code "NOPE-1"']]);
      const single = await app.request(MeasureSeriesDocument, { measureCode: 'MUL-C', orgUnitCode: 'NOPE-1' });
      expect(single.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'No org unit has code "NOPE-1"']]);
    }
    // A unit with no children is an empty list, not an error.
    expect(await multiplesOk({ childrenOf: 'RTT-A' })).toEqual([]);
  });
});
