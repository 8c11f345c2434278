import { ImportObservationsDocument, ObservationRecordDocument, type ObservationRowInput } from '../generated/graphql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const row = (overrides: Partial<ObservationRowInput>): ObservationRowInput => ({
  measureCode: 'P1',
  orgUnitCode: 'RTT-A',
  periodStart: '2025-01-01',
  numerator: 1,
  denominator: 2,
  source: 'epr',
  ...overrides,
});

describe.each(DATABASE_KINDS)('importing observations on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  const rollup = async (measureCode: string, orgUnitCode: string, periodStart: string) => {
    const prisma = app.database.db.prisma;
    const measure = await prisma.measure.findUniqueOrThrow({ where: { code: measureCode } });
    const unit = await prisma.orgUnit.findUniqueOrThrow({ where: { code: orgUnitCode } });
    return prisma.observationRollup.findUnique({
      where: { measureId_orgUnitId_periodStart: { measureId: measure.id, orgUnitId: unit.id, periodStart: new Date(`${periodStart}T00:00:00Z`) } },
      select: { numerator: true, denominator: true, contributors: true },
    });
  };
  const observationCount = () => app.database.db.prisma.observation.count();

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
  });
  afterAll(() => app.close());

  test('a first load creates rows and pools them up the tree from the components', async () => {
    const rows = [
      row({ orgUnitCode: 'RTT-A', numerator: 1, denominator: 2, externalId: 'a-jan' }),
      row({ orgUnitCode: 'RTT-B', numerator: 9, denominator: 10, externalId: 'b-jan' }),
      row({ orgUnitCode: 'RTT-C', numerator: 90, denominator: 100, externalId: 'c-jan' }),
      row({ orgUnitCode: 'RTT-D', numerator: 3, denominator: 4, externalId: 'd-jan' }),
      row({ measureCode: 'C1', orgUnitCode: 'RTT-A', numerator: 3, denominator: null }),
    ];
    const { body } = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations).toMatchObject({ created: 5, updated: 0, unchanged: 0, rejected: 0, userErrors: [] });
    // Directorate: (1 + 9 + 90) / (2 + 10 + 100) = 100 / 112, not the mean of 50%, 90%, 90%.
    expect(await rollup('P1', 'RTT-DIR', '2025-01-01')).toEqual({ numerator: 100, denominator: 112, contributors: 3 });
    // Trust adds RTT-D: 103 / 116.
    expect(await rollup('P1', 'RTT', '2025-01-01')).toEqual({ numerator: 103, denominator: 116, contributors: 4 });
    expect(await rollup('C1', 'RTT', '2025-01-01')).toEqual({ numerator: 3, denominator: 0, contributors: 1 });
  });

  test('re-sending the same batch changes nothing and says so', async () => {
    const before = await observationCount();
    const rows = [
      row({ orgUnitCode: 'RTT-A', numerator: 1, denominator: 2, externalId: 'a-jan' }),
      row({ orgUnitCode: 'RTT-B', numerator: 9, denominator: 10, externalId: 'b-jan' }),
    ];
    const { body } = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await observationCount()).toBe(before);
    expect(await rollup('P1', 'RTT-DIR', '2025-01-01')).toEqual({ numerator: 100, denominator: 112, contributors: 3 });
  });

  test('a changed value is a revision: the old value is kept and the rollup moves by the difference', async () => {
    const { body } = await app.request(ObservationRecordDocument, { input: { measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart: '2025-01-01', numerator: 2, denominator: 2, source: 'epr', externalId: 'a-jan' } }, TEST_ADMIN_KEY);
    const result = body.data!.observationRecord;
    expect(result.userErrors).toEqual([]);
    expect(result.outcome).toBe('UPDATED');
    expect(result.observation).toMatchObject({ numerator: 2, denominator: 2, revision: 2, revisions: [{ revision: 1, numerator: 1, denominator: 2 }] });
    expect(await rollup('P1', 'RTT-DIR', '2025-01-01')).toEqual({ numerator: 101, denominator: 112, contributors: 3 });
  });

  test('awkward text and fractional components are stored exactly, re-sent unchanged, and revised exactly', async () => {
    const awkward = ['quote " and \\ backslash', 'comma, semicolon; tab\tend', 'Ünïcødé — 東京 ✓', '{"looks":["like",json]}', "apostrophe's"];
    const values = [[36.25, 1], [0.1 + 0.2, 3], [1e-7, 7], [123456789.123, 11], [2 / 3, 13]];
    const rows = awkward.map((externalId, i) =>
      row({ measureCode: 'M1', orgUnitCode: 'RTT-A', periodStart: `2024-0${i + 1}-01`, numerator: values[i][0], denominator: values[i][1], externalId, source: 'survey.v2' }),
    );
    const first = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(first.body.data!.importObservations).toMatchObject({ created: 5, userErrors: [] });
    const stored = await app.database.db.prisma.observation.findMany({ where: { source: 'survey.v2' }, orderBy: { periodStart: 'asc' } });
    expect(stored.map((o) => [o.externalId, o.numerator, o.denominator])).toEqual(awkward.map((e, i) => [e, values[i][0], values[i][1]]));

    const again = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(again.body.data!.importObservations).toMatchObject({ created: 0, updated: 0, unchanged: 5 });

    const revised = rows.map((r, i) => ({ ...r, numerator: values[i][0] + 0.5 }));
    const third = await app.request(ImportObservationsDocument, { input: { rows: revised } }, TEST_ADMIN_KEY);
    expect(third.body.data!.importObservations).toMatchObject({ created: 0, updated: 5, unchanged: 0 });
    const revisions = await app.database.db.prisma.observationRevision.findMany({ where: { observationId: { in: stored.map((o) => o.id) } } });
    const revisionOf = new Map(revisions.map((r) => [r.observationId, r]));
    expect(stored.map((o) => revisionOf.get(o.id)).map((r) => [r?.externalId, r?.numerator, r?.source])).toEqual(awkward.map((e, i) => [e, values[i][0], 'survey.v2']));
    const now = await app.database.db.prisma.observation.findMany({ where: { source: 'survey.v2' }, orderBy: { periodStart: 'asc' } });
    expect(now.map((o) => [o.externalId, o.numerator, o.revision])).toEqual(awkward.map((e, i) => [e, values[i][0] + 0.5, 2]));
  });

  test('dry run counts without writing', async () => {
    const before = await observationCount();
    const rows = [row({ periodStart: '2025-02-01', externalId: 'a-feb' }), row({ orgUnitCode: 'RTT-B', numerator: 5, denominator: 10, externalId: 'b-jan' })];
    const { body } = await app.request(ImportObservationsDocument, { input: { rows, dryRun: true } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations).toMatchObject({ dryRun: true, created: 1, updated: 1, unchanged: 0, userErrors: [] });
    expect(await observationCount()).toBe(before);
    expect(await rollup('P1', 'RTT-DIR', '2025-01-01')).toEqual({ numerator: 101, denominator: 112, contributors: 3 });
  });

  test.each([
    [row({ measureCode: 'NOPE' }), 'measureCode', 'UNKNOWN_MEASURE'],
    [row({ orgUnitCode: 'NOPE' }), 'orgUnitCode', 'UNKNOWN_ORG_UNIT'],
    [row({ periodStart: '2025-01-15' }), 'periodStart', 'PERIOD_NOT_ALIGNED'],
    [row({ periodStart: 'January' }), 'periodStart', 'PERIOD_NOT_ALIGNED'],
    [row({ periodStart: '2099-01-01' }), 'periodStart', 'PERIOD_IN_FUTURE'],
    [row({ periodStart: '1900-01-01' }), 'periodStart', 'PERIOD_TOO_EARLY'],
    [row({ periodStart: '1999-12-01' }), 'periodStart', 'PERIOD_TOO_EARLY'],
    [row({ measureCode: 'Q1', periodStart: '2025-02-01' }), 'periodStart', 'PERIOD_NOT_ALIGNED'],
    [row({ numerator: 3, denominator: 2 }), 'numerator', 'NUMERATOR_EXCEEDS_DENOMINATOR'],
    [row({ denominator: 0 }), 'denominator', 'ZERO_DENOMINATOR'],
    [row({ denominator: null }), 'denominator', 'REQUIRED'],
    [row({ numerator: null }), 'numerator', 'REQUIRED'],
    [row({ numerator: -1 }), 'numerator', 'NEGATIVE'],
    [row({ numerator: 1.5, denominator: 3 }), 'numerator', 'NOT_INTEGER'],
    [row({ measureCode: 'C1', numerator: 2, denominator: 5 }), 'denominator', 'DENOMINATOR_NOT_ALLOWED'],
    [row({ measureCode: 'R1', numerator: 2, denominator: 0 }), 'denominator', 'ZERO_DENOMINATOR'],
    [row({ source: '' }), 'source', 'INVALID'],
  ])('row error %#: %j → %s %s, nothing written', async (bad, field, code) => {
    const before = await observationCount();
    const good = row({ periodStart: '2025-03-01', externalId: 'good-march' });
    const { body } = await app.request(ImportObservationsDocument, { input: { rows: [good, bad] } }, TEST_ADMIN_KEY);
    const payload = body.data!.importObservations;
    expect(payload.created).toBe(0);
    expect(payload.rejected).toBe(1);
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field: ['rows', '1', field], code }));
    expect(payload.userErrors.every((e) => e.field[1] === '1')).toBe(true);
    expect(await observationCount()).toBe(before);
  });

  test('the plausible periods run from January 2000 to the current month', async () => {
    const { body } = await app.request(ImportObservationsDocument, { input: { rows: [row({ periodStart: '2000-01-01', externalId: 'y2k' })], dryRun: true } }, keys.FACULTY_LEAD);
    expect(body.data!.importObservations).toMatchObject({ accepted: 1, userErrors: [] });
    const early = await app.request(ImportObservationsDocument, { input: { rows: [row({ periodStart: '1900-01-01' })] } }, keys.FACULTY_LEAD);
    expect(early.body.data!.importObservations.userErrors[0].message).toBe('1900-01-01 is before January 2000, the earliest period recorded here: check the date');
  });

  test('duplicates inside a batch are refused, by key and by external id', async () => {
    const rows = [
      row({ periodStart: '2025-04-01', externalId: 'x1' }),
      row({ periodStart: '2025-04-01', externalId: 'x2' }),
      row({ orgUnitCode: 'RTT-B', periodStart: '2025-04-01', externalId: 'x1' }),
    ];
    const { body } = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    const errors = body.data!.importObservations.userErrors;
    expect(errors).toContainEqual(expect.objectContaining({ field: ['rows', '1', 'periodStart'], code: 'DUPLICATE_IN_BATCH' }));
    expect(errors).toContainEqual(expect.objectContaining({ field: ['rows', '2', 'externalId'], code: 'DUPLICATE_IN_BATCH' }));
  });

  test('an external id already naming another observation is a conflict, not a move', async () => {
    const before = await observationCount();
    const { body } = await app.request(ImportObservationsDocument, { input: { rows: [row({ periodStart: '2025-05-01', externalId: 'a-jan' })] } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations.userErrors).toEqual([expect.objectContaining({ field: ['rows', '0', 'externalId'], code: 'EXTERNAL_ID_CONFLICT' })]);
    expect(await observationCount()).toBe(before);
  });

  test('external id conflicts of new rows (caught by the insert) and of stored rows (probed) are all named, and refused alone when asked', async () => {
    // b-jan names RTT-B's January; d-jan names RTT-D's January (the first test's rows).
    const rows = [
      row({ periodStart: '2025-08-01', numerator: 1, denominator: 4, externalId: 'aug-a' }),
      row({ orgUnitCode: 'RTT-B', periodStart: '2025-08-01', numerator: 2, denominator: 4, externalId: 'b-jan' }),
      row({ orgUnitCode: 'RTT-C', periodStart: '2025-01-01', numerator: 90, denominator: 100, externalId: 'd-jan' }),
    ];
    const before = await observationCount();
    const refused = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(refused.body.errors).toBeUndefined();
    expect(refused.body.data!.importObservations.userErrors.map((e) => `${e.field.join('.')} ${e.code}`)).toEqual([
      'rows.1.externalId EXTERNAL_ID_CONFLICT',
      'rows.2.externalId EXTERNAL_ID_CONFLICT',
    ]);
    expect(await observationCount()).toBe(before);
    expect(await rollup('P1', 'RTT-DIR', '2025-08-01')).toBeNull();

    // Only the new row is in conflict: the insert is refused, then the row is named.
    const onlyNew = await app.request(ImportObservationsDocument, { input: { rows: [rows[0], rows[1]] } }, TEST_ADMIN_KEY);
    expect(onlyNew.body.data!.importObservations.userErrors.map((e) => e.field.join('.'))).toEqual(['rows.1.externalId']);
    expect(await observationCount()).toBe(before);

    const partial = await app.request(ImportObservationsDocument, { input: { rows, allOrNothing: false } }, TEST_ADMIN_KEY);
    expect(partial.body.data!.importObservations).toMatchObject({ created: 1, updated: 0, unchanged: 0, rejected: 2, userErrors: [] });
    expect(partial.body.data!.importObservations.rejectedRows.map((e) => e.field.join('.'))).toEqual(['rows.1.externalId', 'rows.2.externalId']);
    expect(await observationCount()).toBe(before + 1);
    // Only row 0 reached the rollups: 1 / 4 at RTT-A's directorate, one contributor.
    expect(await rollup('P1', 'RTT-DIR', '2025-08-01')).toEqual({ numerator: 1, denominator: 4, contributors: 1 });
    const stored = await app.database.db.prisma.observation.findMany({ where: { externalId: { in: ['aug-a', 'b-jan', 'd-jan'] } }, include: { orgUnit: true } });
    expect(stored.map((o) => `${o.externalId} ${o.orgUnit.code} ${o.periodStart.toISOString().slice(0, 7)}`).sort()).toEqual([
      'aug-a RTT-A 2025-08',
      'b-jan RTT-B 2025-01',
      'd-jan RTT-D 2025-01',
    ]);
  });

  test('a re-send whose rows keep their external ids probes none of them', async () => {
    const batch = (withIds: boolean) =>
      ['RTT-A', 'RTT-B', 'RTT-C'].map((orgUnitCode, i) => row({ orgUnitCode, periodStart: '2025-10-01', numerator: i, denominator: 5, externalId: withIds ? `oct-${i}` : null }));
    const send = async (rows: ObservationRowInput[]) => {
      const { body } = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
      expect(body.data!.importObservations.userErrors).toEqual([]);
      return { payload: body.data!.importObservations, statements: body.extensions!.sqlStatements as number };
    };
    expect((await send(batch(true))).payload.created).toBe(3);
    const withIds = await send(batch(true));
    expect(withIds.payload.unchanged).toBe(3);
    // The same keys, sent with no external ids: nothing to probe either way.
    const withoutIds = await send(batch(false));
    expect(withoutIds.payload.unchanged).toBe(3);
    expect(withIds.statements).toBe(withoutIds.statements);
  });

  test('all-or-nothing off: the valid rows are written and the rest listed', async () => {
    const rows = [row({ periodStart: '2025-06-01', externalId: 'jun-a' }), row({ orgUnitCode: 'NOPE', periodStart: '2025-06-01' })];
    const { body } = await app.request(ImportObservationsDocument, { input: { rows, allOrNothing: false } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations).toMatchObject({ created: 1, rejected: 1, userErrors: [] });
    expect(body.data!.importObservations.rejectedRows).toEqual([expect.objectContaining({ field: ['rows', '1', 'orgUnitCode'], code: 'UNKNOWN_ORG_UNIT' })]);

    // A row with three problems is one rejected row; the count adds up to the rows sent.
    const messy = [
      row({ periodStart: '2025-06-01', orgUnitCode: 'RTT-B', externalId: 'jun-b' }),
      row({ orgUnitCode: 'NOPE', periodStart: '2025-06-15', numerator: -1 }),
      row({ measureCode: 'NOPE', periodStart: '2025-06-01' }),
    ];
    const partial = await app.request(ImportObservationsDocument, { input: { rows: messy, allOrNothing: false } }, TEST_ADMIN_KEY);
    expect(partial.body.data!.importObservations).toMatchObject({ created: 1, rejected: 2, userErrors: [] });
    expect(partial.body.data!.importObservations.rejectedRows.map((e) => e.field.join('.'))).toEqual([
      'rows.1.orgUnitCode',
      'rows.1.periodStart',
      'rows.1.numerator',
      'rows.2.measureCode',
    ]);
    const whole = await app.request(ImportObservationsDocument, { input: { rows: messy } }, TEST_ADMIN_KEY);
    expect(whole.body.data!.importObservations).toMatchObject({ created: 0, unchanged: 0, rejected: 2 });
    expect(whole.body.data!.importObservations.userErrors).toHaveLength(4);
  });

  test('a team manager writes only inside its subtree; a board key not at all', async () => {
    const inside = await app.request(ImportObservationsDocument, { input: { rows: [row({ periodStart: '2025-07-01', externalId: 'tm-a' })] } }, keys.TEAM_MANAGER_A);
    expect(inside.body.data!.importObservations.created).toBe(1);
    const outside = await app.request(ImportObservationsDocument, { input: { rows: [row({ orgUnitCode: 'RTT-B', periodStart: '2025-07-01' })] } }, keys.TEAM_MANAGER_A);
    expect(outside.body.data!.importObservations.userErrors).toEqual([expect.objectContaining({ field: ['rows', '0'], code: 'FORBIDDEN' })]);
    const board = await app.request(ImportObservationsDocument, { input: { rows: [row({ periodStart: '2025-07-01' })] } }, keys.BOARD);
    expect(board.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  test('more than 10,000 rows is refused whole', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => row({ externalId: `big-${i}` }));
    const { body } = await app.request(ImportObservationsDocument, { input: { rows } }, TEST_ADMIN_KEY);
    expect(body.data!.importObservations.userErrors).toEqual([expect.objectContaining({ field: ['rows'], code: 'TOO_MANY_ROWS' })]);
  });

  test('two overlapping imports at once leave exactly one current value per key and exact rollups', async () => {
    const months = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01'];
    const batch = (numerator: number) =>
      months.flatMap((periodStart) => ['RTT-A', 'RTT-B', 'RTT-C'].map((orgUnitCode) => row({ measureCode: 'R1', orgUnitCode, periodStart, numerator, denominator: 300, source: 'incidents' })));
    const [first, second] = await Promise.all([
      app.request(ImportObservationsDocument, { input: { rows: batch(6) } }, TEST_ADMIN_KEY),
      app.request(ImportObservationsDocument, { input: { rows: batch(9) } }, TEST_ADMIN_KEY),
    ]);
    const a = first.body.data!.importObservations;
    const b = second.body.data!.importObservations;
    expect(a.userErrors).toEqual([]);
    expect(b.userErrors).toEqual([]);
    // One import created all 18 rows; the other then updated all 18 (values differ).
    expect(a.created + b.created).toBe(18);
    expect(a.updated + b.updated).toBe(18);
    const rows = await app.database.db.prisma.observation.findMany({ where: { measure: { code: 'R1' }, periodStart: { lt: new Date('2024-07-01') } } });
    expect(rows).toHaveLength(18);
    const winner = rows[0].numerator;
    expect(rows.every((r) => r.numerator === winner && r.revision === 2)).toBe(true);
    for (const month of months) {
      expect(await rollup('R1', 'RTT-DIR', month)).toEqual({ numerator: 3 * winner, denominator: 900, contributors: 3 });
    }
  });

  test('a FACULTY_LEAD may import, but is told only how many rows were accepted (it may not read the stored figures)', async () => {
    const rows = [row({ periodStart: '2025-09-01', numerator: 3, denominator: 4 })];
    const first = await app.request(ImportObservationsDocument, { input: { rows } }, keys.FACULTY_LEAD);
    const again = await app.request(ImportObservationsDocument, { input: { rows } }, keys.FACULTY_LEAD);
    expect(first.body.data!.importObservations).toMatchObject({ accepted: 1, outcomesWithheld: true, created: 0, updated: 0, unchanged: 0, userErrors: [] });
    expect(again.body.data!.importObservations).toEqual(first.body.data!.importObservations);
  });
});
