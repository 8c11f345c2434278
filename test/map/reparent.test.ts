import {
  ImportObservationsDocument,
  MeasureSeriesDocument,
  OrgUnitCreateDocument,
  OrgUnitDetailDocument,
  OrgUnitUpdateDocument,
} from '../generated/graphql';
import { lockMeasures } from '../../src/observations/measure-locks';
import { applyRollupDeltas, rebuildRollups } from '../../src/observations/rollups';
import { transactionSql } from '../../src/db/transaction-sql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const MONTHS = ['2026-06-01', '2026-07-01', '2026-08-01'];

describe.each(DATABASE_KINDS)('moving org units on %s', (kind) => {
  let app: TestApp;

  const version = async (code: string) => (await app.database.db.prisma.orgUnit.findUniqueOrThrow({ where: { code } })).version;
  /** P1 pooled at a unit: [numerator, denominator] for June to September (0, 0 where none). */
  const pooled = async (orgUnitCode: string) => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'P1', orgUnitCode, from: MONTHS[0], to: '2026-09-01' });
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.series.points.map((p) => [p.numerator ?? 0, p.denominator ?? 0]);
  };
  const rollups = async () =>
    JSON.stringify(await app.database.db.prisma.observationRollup.findMany({ orderBy: [{ measureId: 'asc' }, { orgUnitId: 'asc' }, { periodStart: 'asc' }] }));

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createMeasurementFixture(app);
    // A service with a team of its own, to move a whole subtree.
    for (const [code, type, parentCode] of [
      ['RTT-SVC', 'SERVICE', 'RTT-DIR'],
      ['RTT-S1', 'TEAM', 'RTT-SVC'],
    ] as const) {
      const { body } = await app.request(OrgUnitCreateDocument, { input: { code, name: code, type, parentCode } });
      expect(body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
    // P1: RTT-A 1/10, RTT-B 2/10, RTT-D 4/10, RTT-S1 8/10 every month
    const rows = MONTHS.flatMap((periodStart) =>
      [
        ['RTT-A', 1],
        ['RTT-B', 2],
        ['RTT-D', 4],
        ['RTT-S1', 8],
      ].map(([orgUnitCode, numerator]) => ({ measureCode: 'P1', orgUnitCode: orgUnitCode as string, periodStart, numerator: numerator as number, denominator: 10, source: 'pas' })),
    );
    const imported = await app.request(ImportObservationsDocument, { input: { rows } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 12, userErrors: [] });
  });
  afterAll(() => app.close());

  test('a team moved to another directorate takes its pooled figures with it', async () => {
    expect(await pooled('RTT-DIR')).toEqual([[11, 30], [11, 30], [11, 30], [0, 0]]);
    expect(await pooled('RTT-DIR2')).toEqual([[4, 10], [4, 10], [4, 10], [0, 0]]);
    expect(await pooled('RTT')).toEqual([[15, 40], [15, 40], [15, 40], [0, 0]]);

    const moved = await app.request(OrgUnitUpdateDocument, { input: { code: 'RTT-A', version: await version('RTT-A'), parentCode: 'RTT-DIR2' } });
    expect(moved.body.data!.orgUnitUpdate.userErrors).toEqual([]);
    expect(moved.body.data!.orgUnitUpdate.orgUnit).toMatchObject({ parent: { code: 'RTT-DIR2' }, depth: 2, version: 2, ancestors: [{ code: 'RTT' }, { code: 'RTT-DIR2' }] });

    expect(await pooled('RTT-DIR')).toEqual([[10, 20], [10, 20], [10, 20], [0, 0]]);
    expect(await pooled('RTT-DIR2')).toEqual([[5, 20], [5, 20], [5, 20], [0, 0]]);
    expect(await pooled('RTT')).toEqual([[15, 40], [15, 40], [15, 40], [0, 0]]);
    expect(await pooled('RTT-A')).toEqual([[1, 10], [1, 10], [1, 10], [0, 0]]);

    // Later data for the team pools into its new directorate.
    const later = await app.request(ImportObservationsDocument, {
      input: { rows: [{ measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart: '2026-09-01', numerator: 3, denominator: 10, source: 'pas' }] },
    });
    expect(later.body.data!.importObservations.created).toBe(1);
    expect((await pooled('RTT-DIR2'))[3]).toEqual([3, 10]);
    expect((await pooled('RTT-DIR'))[3]).toEqual([0, 0]);

    const unit = (await app.request(OrgUnitDetailDocument, { code: 'RTT-A' })).body.data!.orgUnit!;
    expect(unit.history.nodes[0]).toMatchObject({
      action: 'move',
      before: expect.objectContaining({ parentId: expect.any(Number), version: 1 }),
      after: expect.objectContaining({ parentCode: 'RTT-DIR2', movedDescendants: 0, version: 2 }),
    });
  });

  test('a service moves with its whole subtree: paths, depths and pooled figures follow', async () => {
    const moved = await app.request(OrgUnitUpdateDocument, { input: { code: 'RTT-SVC', version: await version('RTT-SVC'), parentCode: 'RTT-DIR2', name: 'Moved service' } });
    expect(moved.body.data!.orgUnitUpdate.userErrors).toEqual([]);
    const prisma = app.database.db.prisma;
    const [dir2, svc, s1] = await Promise.all(['RTT-DIR2', 'RTT-SVC', 'RTT-S1'].map((code) => prisma.orgUnit.findUniqueOrThrow({ where: { code } })));
    expect(svc.path).toBe(`${dir2.path}${svc.id}/`);
    expect(s1.path).toBe(`${dir2.path}${svc.id}/${s1.id}/`);
    expect([svc.depth, s1.depth]).toEqual([2, 3]);
    expect(await pooled('RTT-DIR')).toEqual([[2, 10], [2, 10], [2, 10], [0, 0]]);
    expect(await pooled('RTT-DIR2')).toEqual([[13, 30], [13, 30], [13, 30], [3, 10]]);
    const history = (await app.request(OrgUnitDetailDocument, { code: 'RTT-SVC' })).body.data!.orgUnit!.history.nodes[0];
    expect(history).toMatchObject({ action: 'move', after: expect.objectContaining({ name: 'Moved service', movedDescendants: 1 }) });

    // The rollups are exactly what a rebuild from the observations gives.
    const kept = await rollups();
    await prisma.$transaction((tx) => rebuildRollups(tx));
    expect(await rollups()).toBe(kept);
  });

  test('a service whose teams could not sit under its new type keeps its type', async () => {
    const before = await rollups();
    const { body } = await app.request(OrgUnitUpdateDocument, { input: { code: 'RTT-SVC', version: await version('RTT-SVC'), type: 'TEAM' } });
    expect(body.data!.orgUnitUpdate.userErrors).toEqual([expect.objectContaining({ field: ['type'], code: 'INVALID' })]);
    expect(body.data!.orgUnitUpdate.userErrors[0].message).toContain('RTT-S1');
    expect((await app.database.db.prisma.orgUnit.findUniqueOrThrow({ where: { code: 'RTT-SVC' } })).type).toBe('SERVICE');
    expect(await rollups()).toBe(before);
  });

  test('a delta names the unit, not its ancestors: after a move it pools into the unit’s current ancestors', async () => {
    const prisma = app.database.db.prisma;
    const [measure, a, dir, dir2] = await Promise.all([
      prisma.measure.findUniqueOrThrow({ where: { code: 'P1' } }),
      ...['RTT-A', 'RTT-DIR', 'RTT-DIR2'].map((code) => prisma.orgUnit.findUniqueOrThrow({ where: { code } })),
    ]);
    const rollupAt = async (orgUnitId: number) =>
      (await prisma.observationRollup.findUnique({ where: { measureId_orgUnitId_periodStart: { measureId: measure.id, orgUnitId, periodStart: new Date('2026-06-01T00:00:00Z') } } }))?.numerator ?? 0;
    const [atDir, atDir2] = [await rollupAt(dir.id), await rollupAt(dir2.id)];
    // RTT-A moved from RTT-DIR to RTT-DIR2 in an earlier test.
    expect(a.path).toContain(`/${dir2.id}/`);
    await prisma.$transaction((tx) => applyRollupDeltas(transactionSql(tx), [{ measureId: measure.id, orgUnitId: a.id, periodStart: '2026-06-01', numerator: 100, denominator: 0, contributors: 0 }]));
    expect(await rollupAt(dir.id)).toBe(atDir);
    expect(await rollupAt(dir2.id)).toBe(atDir2 + 100);
    await prisma.$transaction((tx) => applyRollupDeltas(transactionSql(tx), [{ measureId: measure.id, orgUnitId: a.id, periodStart: '2026-06-01', numerator: -100, denominator: 0, contributors: 0 }]));
  });
});

// Needs two connections at once: PostgreSQL only (PGlite has one).
describe('a move while an import holds its locks, on postgresql', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('postgresql');
    await createMeasurementFixture(app);
    const imported = await app.request(ImportObservationsDocument, {
      input: { rows: MONTHS.map((periodStart) => ({ measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart, numerator: 3, denominator: 10, source: 'pas' })) },
    });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 3, userErrors: [] });
  });
  afterAll(() => app.close());

  test('neither deadlocks: the move waits for the import, then pools the import’s rows under the new parent', async () => {
    const prisma = app.database.db.prisma;
    const [measure, team] = await Promise.all([prisma.measure.findUniqueOrThrow({ where: { code: 'P1' } }), prisma.orgUnit.findUniqueOrThrow({ where: { code: 'RTT-A' } })]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // An import in flight: it holds its measure locks, then writes rollups (which bumps the board data version).
    const importing = prisma.$transaction(
      async (tx) => {
        await lockMeasures(tx, [measure.id]);
        locked();
        await gate;
        await applyRollupDeltas(transactionSql(tx), [{ measureId: measure.id, orgUnitId: team.id, periodStart: '2026-09-01', numerator: 5, denominator: 10, contributors: 1 }]);
        await tx.observation.create({ data: { measureId: measure.id, orgUnitId: team.id, periodStart: new Date('2026-09-01T00:00:00Z'), numerator: 5, denominator: 10, source: 'pas', recordedBy: 'test' } });
      },
      { timeout: 20_000 },
    );
    await holding;
    const moving = app.request(OrgUnitUpdateDocument, { input: { code: 'RTT-A', version: team.version, parentCode: 'RTT-DIR2' } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the move is under way, waiting
    release();
    await importing;
    const moved = await moving;
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data!.orgUnitUpdate.userErrors).toEqual([]);
    expect(moved.body.data!.orgUnitUpdate.orgUnit).toMatchObject({ parent: { code: 'RTT-DIR2' } });

    // The rollups agree with a rebuild from the observations: September pooled under RTT-DIR2.
    const stored = JSON.stringify(await prisma.observationRollup.findMany({ orderBy: [{ measureId: 'asc' }, { orgUnitId: 'asc' }, { periodStart: 'asc' }] }));
    await prisma.$transaction((tx) => rebuildRollups(tx));
    expect(JSON.stringify(await prisma.observationRollup.findMany({ orderBy: [{ measureId: 'asc' }, { orgUnitId: 'asc' }, { periodStart: 'asc' }] }))).toBe(stored);
    const dir2 = await prisma.orgUnit.findUniqueOrThrow({ where: { code: 'RTT-DIR2' } });
    const september = await prisma.observationRollup.findUnique({
      where: { measureId_orgUnitId_periodStart: { measureId: measure.id, orgUnitId: dir2.id, periodStart: new Date('2026-09-01T00:00:00Z') } },
    });
    expect(september).toMatchObject({ numerator: 5, denominator: 10 });
  });
});
