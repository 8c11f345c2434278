import { encodeGlobalId } from '../../src/graphql/global-id';
import { gql } from '../hardening/http';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * Stratified observations (the equality lens, storage): a stratum's row is stored like any
 * observation (idempotent, revisioned, validated, scoped), its stratifier's strata add up to
 * the whole population, and the whole is worked out from them when it is not sent. Board
 * views pool whole populations only, so strata never count twice.
 */
const IMPORT = `mutation($i: ImportObservationsInput!) { importObservations(input: $i) {
  accepted created updated unchanged rejected userErrors { field code message } rejectedRows { field code message } } }`;

interface Row {
  measureCode: string;
  orgUnitCode: string;
  periodStart: string;
  numerator: number;
  denominator?: number;
  source?: string;
  stratum?: { stratifier: string; code: string };
}
const restraint = (periodStart: string, numerator: number, stratum?: [string, string], orgUnitCode = 'RTT-A'): Row => ({
  measureCode: 'EQ-C',
  orgUnitCode,
  periodStart,
  numerator,
  source: 'incidents',
  ...(stratum ? { stratum: { stratifier: stratum[0], code: stratum[1] } } : {}),
});

describe.each(DATABASE_KINDS)('stratified observations on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  const send = async (rows: Row[], extra: { dryRun?: boolean; allOrNothing?: boolean } = {}, key?: string) => {
    const { body } = await gql(app.server.url, IMPORT, { i: { rows, ...extra } }, key);
    expect(body.errors).toBeUndefined();
    return (body.data as { importObservations: Record<string, unknown> & { userErrors: Array<{ field: string[]; code: string; message: string }> } }).importObservations;
  };
  const stored = (periodStart: string) =>
    app.database.db.prisma.observation.findMany({
      where: { measure: { code: 'EQ-C' }, orgUnit: { code: 'RTT-A' }, periodStart: new Date(`${periodStart}T00:00:00Z`) },
      orderBy: [{ stratifier: 'asc' }, { stratumCode: 'asc' }],
      select: { stratifier: true, stratumCode: true, numerator: true, derivedFromStrata: true, revision: true },
    });
  const rollup = async (unit: string, periodStart: string) =>
    (
      await app.database.db.prisma.observationRollup.findFirst({
        where: { measureId: (await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'EQ-C' } })).id, orgUnitId: (await app.database.db.prisma.orgUnit.findUniqueOrThrow({ where: { code: unit } })).id, periodStart: new Date(`${periodStart}T00:00:00Z`) },
      })
    )?.numerator ?? null;

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    const created = await gql(
      app.server.url,
      'mutation { measureCreate(input: { code: "EQ-C", name: "Restraints", scoringType: COUNT, improvementDirection: DECREASE, stratifiers: ["ETHNICITY", "SEX", "ETHNICITY"] }) { measure { stratifiers } userErrors { code } } }',
    );
    expect(created.body.data).toEqual({ measureCreate: { measure: { stratifiers: ['ETHNICITY', 'SEX'] }, userErrors: [] } });
  });
  afterAll(() => app.close());

  test('a whole and its strata that add up (12 = 5 A + 4 M + 3 not known) are stored; re-sending them changes nothing', async () => {
    const rows = [restraint('2025-01-01', 12), restraint('2025-01-01', 5, ['ETHNICITY', 'A']), restraint('2025-01-01', 4, ['ETHNICITY', 'M']), restraint('2025-01-01', 3, ['ETHNICITY', '99'])];
    expect(await send(rows)).toMatchObject({ accepted: 4, created: 4, userErrors: [] });
    expect(await send(rows)).toMatchObject({ accepted: 4, created: 0, unchanged: 4 });
    expect(await stored('2025-01-01')).toEqual([
      { stratifier: '', stratumCode: '', numerator: 12, derivedFromStrata: false, revision: 1 },
      { stratifier: 'ETHNICITY', stratumCode: '99', numerator: 3, derivedFromStrata: false, revision: 1 },
      { stratifier: 'ETHNICITY', stratumCode: 'A', numerator: 5, derivedFromStrata: false, revision: 1 },
      { stratifier: 'ETHNICITY', stratumCode: 'M', numerator: 4, derivedFromStrata: false, revision: 1 },
    ]);
    // The rollups hold the whole population once, never the strata beside it: 12 at the unit and up the tree.
    expect(await rollup('RTT-A', '2025-01-01')).toBe(12);
    expect(await rollup('RTT', '2025-01-01')).toBe(12);
  });

  test('strata that do not add up are refused with a clear row error, and nothing is written', async () => {
    const before = await app.database.db.prisma.observation.count();
    const result = await send([restraint('2025-02-01', 10), restraint('2025-02-01', 6, ['SEX', '1']), restraint('2025-02-01', 3, ['SEX', '2'])]);
    expect(result.accepted).toBe(0);
    expect(result.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['rows', '0', 'numerator'], 'STRATA_DO_NOT_ADD_UP'],
      [['rows', '1', 'stratum'], 'STRATA_DO_NOT_ADD_UP'],
      [['rows', '2', 'stratum'], 'STRATA_DO_NOT_ADD_UP'],
    ]);
    expect(result.userErrors[0].message).toMatch(/SEX strata for 2025-02-01 add up to 9, but the whole population is 10/);
    expect(await app.database.db.prisma.observation.count()).toBe(before);
  });

  test('with allOrNothing off, the key whose strata do not add up is refused whole and the rest written', async () => {
    const result = await send(
      [restraint('2025-02-01', 10), restraint('2025-02-01', 6, ['SEX', '1']), restraint('2025-02-01', 3, ['SEX', '2']), restraint('2025-02-01', 7, undefined, 'RTT-B')],
      { allOrNothing: false },
    );
    expect(result).toMatchObject({ accepted: 1, created: 1, rejected: 3 });
    expect(await stored('2025-02-01')).toEqual([]);
  });

  test('strata alone: the whole is worked out from them (4 + 5 + 1 = 10) and follows their corrections, with revisions', async () => {
    const rows = [restraint('2025-03-01', 4, ['SEX', '1']), restraint('2025-03-01', 5, ['SEX', '2']), restraint('2025-03-01', 1, ['SEX', 'X'])];
    // A dry run says the same and writes nothing.
    expect(await send(rows, { dryRun: true })).toMatchObject({ accepted: 3, created: 3 });
    expect(await stored('2025-03-01')).toEqual([]);
    expect(await send(rows)).toMatchObject({ accepted: 3, created: 3, userErrors: [] }); // the derived whole is not a row sent
    expect((await stored('2025-03-01'))[0]).toEqual({ stratifier: '', stratumCode: '', numerator: 10, derivedFromStrata: true, revision: 1 });
    expect(await rollup('RTT-A', '2025-03-01')).toBe(10);

    expect(await send([restraint('2025-03-01', 6, ['SEX', '1'])])).toMatchObject({ updated: 1 });
    const after = await stored('2025-03-01');
    expect(after[0]).toEqual({ stratifier: '', stratumCode: '', numerator: 12, derivedFromStrata: true, revision: 2 });
    expect(after.find((r) => r.stratumCode === '1')).toMatchObject({ numerator: 6, revision: 2 });
    expect(await rollup('RTT-A', '2025-03-01')).toBe(12);
    // A second stratifier must agree with the first.
    const other = await send([restraint('2025-03-01', 11, ['ETHNICITY', 'A'])]);
    expect(other.userErrors[0]).toMatchObject({ code: 'STRATA_DO_NOT_ADD_UP' });
  });

  test('a stratum is validated: the measure must be reported by its stratifier, and the code must be one of the stratifier’s', async () => {
    const result = await send([
      restraint('2025-04-01', 1, ['LEGAL_STATUS', 'DETAINED']),
      restraint('2025-04-01', 1, ['ETHNICITY', 'Q']),
      restraint('2025-04-01', 1, ['RELIGION', 'X']),
      { ...restraint('2025-04-01', 1, ['SEX', '1']), measureCode: 'C1' },
    ]);
    expect(result.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['rows', '0', 'stratum'], 'STRATIFIER_NOT_DECLARED'],
      [['rows', '1', 'stratum'], 'UNKNOWN_STRATUM'],
      [['rows', '2', 'stratum'], 'UNKNOWN_STRATIFIER'],
      [['rows', '3', 'stratum'], 'STRATIFIER_NOT_DECLARED'],
    ]);
    expect(result.userErrors[1].message).toMatch(/"Q" is not a ETHNICITY code: use one of A, B, C/);
  });

  test('board views count the whole population once: the series at the unit is 12 for January, not 24', async () => {
    const { body } = await gql(app.server.url, '{ measure(code: "EQ-C") { series(orgUnitCode: "RTT-A", from: "2025-01-01", to: "2025-01-01") { points { value } } } }');
    expect(body.data).toEqual({ measure: { series: { points: [{ value: 12 }] } } });
  });

  test('a stratum’s observation by id is null for a board reader (as any observation) and shown to the unit’s manager', async () => {
    const row = await app.database.db.prisma.observation.findFirstOrThrow({ where: { measure: { code: 'EQ-C' }, stratifier: 'ETHNICITY', stratumCode: 'M' } });
    const id = encodeGlobalId('Observation', row.id);
    const read = (key: string) => gql(app.server.url, 'query($id: ID!) { node(id: $id) { id } }', { id }, key);
    expect((await read(keys.BOARD)).body.data).toEqual({ node: null });
    expect((await read(keys.TEAM_MANAGER_A)).body.data).toEqual({ node: { id } });
  });

  test('a stratifier with stratified observations cannot be taken away; one without can', async () => {
    const version = (await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'EQ-C' } })).version;
    const drop = (stratifiers: string[], v: number) =>
      gql(app.server.url, 'mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { stratifiers version } userErrors { field code message } } }', {
        i: { code: 'EQ-C', version: v, stratifiers },
      });
    const refused = await drop(['SEX'], version);
    expect((refused.body.data as { measureUpdate: { userErrors: unknown[] } }).measureUpdate.userErrors).toEqual([
      { field: ['stratifiers'], code: 'INVALID', message: 'EQ-C has ETHNICITY observations: that stratifier cannot be taken away' },
    ]);
    const widened = await drop(['ETHNICITY', 'SEX', 'AGE_BAND'], version);
    expect((widened.body.data as { measureUpdate: { measure: { stratifiers: string[] } } }).measureUpdate.measure.stratifiers).toEqual(['ETHNICITY', 'SEX', 'AGE_BAND']);
  });
});
