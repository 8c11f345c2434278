import {
  DisclosureImportDocument,
  MeasureSeriesByOrgUnitDocument,
  MeasureSeriesDocument,
  MeasureTargetSetDocument,
  type MeasureSeriesQuery,
} from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture, createSmallCountMeasure } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * The series cache (src/board/series-cache.ts): computed series kept under the board data
 * version. What must hold: a repeat answers the same for less work; any write a series reads
 * (observations, targets) is seen by the next read; a reader under disclosure control never gets
 * a series computed for a reader of true figures, whichever reads first; SERIES_CACHE_POINTS=0
 * turns it off.
 *
 * Fixture: CACHE-C, a patient COUNT (under 5 suppressed, counts rounded to 5), 12 months of 2024:
 * RTT-A 3 a month (hidden from the board), RTT-B 12 a month (hidden too: with RTT-A the only
 * other team of RTT-DIR, it would give RTT-A away by difference), RTT-D 42 a month (RTT-DIR2's
 * only team: the board sees 40).
 */
const MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2024-01-01', i));
type Series = NonNullable<MeasureSeriesQuery['measure']>['series'];

async function setUp(app: TestApp) {
  const keys = await createMeasurementFixture(app);
  await createSmallCountMeasure(app, 'CACHE-C', MONTHS);
  return keys;
}

describe.each(DATABASE_KINDS)('the series cache on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  const read = async (orgUnitCode: string, key: string | null = TEST_ADMIN_KEY, target: TestApp = app) => {
    const { body } = await target.request(MeasureSeriesDocument, { measureCode: 'CACHE-C', orgUnitCode }, key);
    expect(body.errors).toBeUndefined();
    return { series: body.data!.measure!.series as Series, statements: body.extensions!.sqlStatements! };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await setUp(app);
  });
  afterAll(() => app.close());

  test('a repeat answers exactly the same with fewer statements', async () => {
    const first = await read('RTT-B');
    const again = await read('RTT-B');
    expect(again.series).toEqual(first.series);
    expect(first.series.points.map((p) => p.numerator)).toEqual(MONTHS.map(() => 12));
    expect(again.statements).toBeLessThan(first.statements);
  });

  test('a new observation and a new target are in the next read', async () => {
    const before = await read('RTT-B');
    expect(before.series.to).toBe('2024-12-01');
    expect(before.series.target).toBeNull();
    const imported = await app.request(DisclosureImportDocument, {
      input: { rows: [{ measureCode: 'CACHE-C', orgUnitCode: 'RTT-B', periodStart: '2025-01-01', numerator: 20, source: 'incidents' }] },
    });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 1, userErrors: [] });
    const afterImport = await read('RTT-B');
    expect(afterImport.series.to).toBe('2025-01-01');
    expect(afterImport.series.latest).toEqual({ periodStart: '2025-01-01', value: 20 });

    const target = await app.request(MeasureTargetSetDocument, { input: { measureCode: 'CACHE-C', orgUnitCode: 'RTT-B', value: 10 } });
    expect(target.body.data!.measureTargetSet.userErrors).toEqual([]);
    const afterTarget = await read('RTT-B');
    expect(afterTarget.series.target).toBe(10);
    expect(afterTarget.series.points.map((p) => p.numerator)).toEqual(afterImport.series.points.map((p) => p.numerator));
  });

  test('true figures read first are never what a reader under disclosure control is given (and the reverse)', async () => {
    // RTT-A: 3 a month. The operator sees 3; the board sees every month suppressed.
    const operator = await read('RTT-A');
    expect(operator.series.disclosureControlled).toBe(false);
    expect(operator.series.points.map((p) => p.numerator)).toEqual(MONTHS.map(() => 3));
    const board = await read('RTT-A', keys.BOARD);
    expect(board.series.disclosureControlled).toBe(true);
    expect(board.series.points.every((p) => p.suppressed && p.numerator === null && p.value === null && p.mean === null)).toBe(true);
    expect(JSON.stringify(board.series)).not.toMatch(/"numerator":3\b/);
    // RTT-D read by the board first (42 shown as 40), then by the operator: each its own figures.
    const multiples = (key: string) => app.request(MeasureSeriesByOrgUnitDocument, { measureCode: 'CACHE-C', orgUnitCodes: ['RTT-D', 'RTT-A'], last: 6 }, key);
    const boardFirst = (await multiples(keys.BOARD)).body.data!.measure!.seriesByOrgUnit;
    expect(boardFirst[0].points.map((p) => p.numerator)).toEqual([40, 40, 40, 40, 40, 40]);
    expect(boardFirst[1].points.map((p) => p.numerator)).toEqual([null, null, null, null, null, null]);
    const operatorSecond = (await multiples(TEST_ADMIN_KEY)).body.data!.measure!.seriesByOrgUnit;
    expect(operatorSecond[0].points.map((p) => p.numerator)).toEqual([42, 42, 42, 42, 42, 42]);
    expect(operatorSecond[1].points.map((p) => p.numerator)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  test('SERIES_CACHE_POINTS=0: nothing kept, every read does the whole work', async () => {
    // READ_CACHE_ENTRIES=0 as well: otherwise the whole response would be answered from memory (versioned-read-cache.test.ts)
    const uncached = await startTestApp(kind, { SERIES_CACHE_POINTS: '0', READ_CACHE_ENTRIES: '0' });
    try {
      await setUp(uncached);
      const first = await read('RTT-B', TEST_ADMIN_KEY, uncached);
      const again = await read('RTT-B', TEST_ADMIN_KEY, uncached);
      expect(again.series).toEqual(first.series);
      expect(again.statements).toBe(first.statements);
    } finally {
      await uncached.close();
    }
  });
});
