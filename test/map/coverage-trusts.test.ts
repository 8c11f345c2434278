import { ApiKeyCreateDocument, CoveragePageDocument, OrgUnitCreateDocument, type CoveragePageQueryVariables } from '../generated/graphql';
import { encodeCursor } from '../../src/graphql/connection';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { growTrust } from './map-fixture';

/**
 * Trusts kept apart in the coverage matrix, now that SQL aggregates the subtree: another trust's
 * units are never a column, never counted in totalColumns, a cell's totalCount or a gap, and a
 * cursor naming one of them bounds nothing.
 *
 * Trust RKA grown by the map fixture with prefix A (size 4: A-DIR → A-T0 … A-T3, A-WS0 … A-WS3,
 * A-WSi with A-Ti and A-T(i+1 mod 4)); trust RKB with prefix B the same. Workstreams are shared:
 * B-T0 and B-T1 also take part in A-WS0, A-T2 in B-WS2; B-LONE and A-LONE take part in nothing.
 */
describe.each(DATABASE_KINDS)('coverage keeps trusts apart on %s', (kind) => {
  let app: TestApp;
  let rkaBoard: string;
  const ids = new Map<string, number>();

  const coverage = async (variables: CoveragePageQueryVariables, key: string) => {
    const { body } = await app.request(CoveragePageDocument, variables, key);
    return body;
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const code of ['RKA', 'RKB']) {
      const created = await app.request(OrgUnitCreateDocument, { input: { code, name: `Trust ${code}`, type: 'TRUST' } });
      expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
    const prisma = app.database.db.prisma;
    await growTrust(prisma, 'RKA', 'A', 4);
    await growTrust(prisma, 'RKB', 'B', 4);
    for (const [code, parent] of [
      ['A-LONE', 'A-DIR'],
      ['B-LONE', 'B-DIR'],
    ]) {
      const created = await app.request(OrgUnitCreateDocument, { input: { code, name: `${code} team`, type: 'TEAM', parentCode: parent } });
      expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
    for (const unit of await prisma.orgUnit.findMany()) ids.set(unit.code, unit.id);
    for (const workstream of await prisma.workstream.findMany()) ids.set(workstream.code, workstream.id);
    await prisma.workstreamTeam.createMany({
      data: [
        { workstreamId: ids.get('A-WS0')!, orgUnitId: ids.get('B-T0')! },
        { workstreamId: ids.get('A-WS0')!, orgUnitId: ids.get('B-T1')! },
        { workstreamId: ids.get('B-WS2')!, orgUnitId: ids.get('A-T2')! },
      ],
    });
    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: 'RKA board', role: 'BOARD', trustCodes: ['RKA'] } });
    rkaBoard = body.data!.apiKeyCreate.secret!;
  });
  afterAll(() => app.close());

  test('columns, counts, cells and gaps are the trust’s own, for its key and for a reader of every trust alike', async () => {
    for (const key of [rkaBoard, TEST_ADMIN_KEY]) {
      const body = await coverage({ orgUnitCode: 'RKA', depth: 2, first: 100, cellFirst: 100 }, key);
      expect(body.errors).toBeUndefined();
      const matrix = body.data!.coverage!;
      expect(matrix.totalColumns).toBe(5);
      expect(matrix.columns.map((c) => c.code).sort()).toEqual(['A-LONE', 'A-T0', 'A-T1', 'A-T2', 'A-T3']);
      const cells = matrix.rows.flatMap((r) => r.cells);
      // A-T2 takes part in B-WS2: a workstream of the faculty (shared), reaching A-T2 here, and only A-T2.
      const covering = (code: string) => [...new Set(cells.filter((c) => c.orgUnit.code === code).flatMap((c) => c.workstreams.edges.map((e) => e.node.code)))].sort();
      expect(covering('A-T2')).toEqual(['A-WS1', 'A-WS2', 'B-WS2']);
      expect(covering('A-T0')).toEqual(['A-WS0', 'A-WS3']);
      // B-T0 and B-T1 in A-WS0 put A-WS0 in no other column; no other B workstream is anywhere here.
      expect(covering('A-LONE')).toEqual([]);
      expect(cells.flatMap((c) => c.workstreams.edges.map((e) => e.node.code)).filter((code) => code.startsWith('B-') && code !== 'B-WS2')).toEqual([]);
      for (const cell of cells) expect(cell.workstreams.totalCount).toBe(cell.workstreams.edges.length);
      // Gaps: A-LONE is a team in no workstream; B-LONE (and B's workstreams) are not this trust's gaps.
      expect(matrix.gaps.nodes.filter((g) => g.kind === 'TEAM_IN_NO_WORKSTREAM').map((g) => g.orgUnit!.code)).toEqual(['A-LONE']);
      const gapWorkstreams = matrix.gaps.nodes.flatMap((g) => (g.workstream ? [g.workstream.code] : []));
      expect(gapWorkstreams.filter((code) => code.startsWith('B-') && code !== 'B-WS2')).toEqual([]);
      // The measure catalogue is shared: B's measures are live measures with no data in RKA (B's data never counts here).
      const bMeasureGaps = matrix.gaps.nodes.filter((g) => g.measure?.code.startsWith('B-'));
      expect(bMeasureGaps.length).toBe(8);
      expect(new Set(bMeasureGaps.map((g) => g.kind))).toEqual(new Set(['MEASURE_WITHOUT_RECENT_DATA']));
      expect(matrix.gaps.totalCount).toBe(matrix.gaps.nodes.length);
    }
  });

  test('a workstream led only by another trust’s person has no lead for this trust’s key, as Workstream.leads shows it', async () => {
    // B-WS2 reaches A-T2; its one lead is B's person (on B-T2). RKA's key cannot see that person.
    const withoutLead = async (key: string) => {
      const body = await coverage({ orgUnitCode: 'RKA', depth: 2, first: 100, gapKind: 'WORKSTREAM_WITHOUT_LEAD' }, key);
      expect(body.errors).toBeUndefined();
      return body.data!.coverage!.gaps.nodes.map((g) => g.workstream!.code).sort();
    };
    expect(await withoutLead(rkaBoard)).toEqual(['B-WS2']);
    expect(await withoutLead(TEST_ADMIN_KEY)).toEqual([]);
  });

  test('a cursor naming another trust’s unit bounds nothing; another trust’s root is NOT_FOUND for the trust’s key', async () => {
    const first = await coverage({ orgUnitCode: 'RKA', depth: 2, first: 2 }, rkaBoard);
    for (const cursor of [encodeCursor(ids.get('B-T0')!), encodeCursor(ids.get('B-DIR')!)]) {
      const page = await coverage({ orgUnitCode: 'RKA', depth: 2, first: 2, after: cursor }, rkaBoard);
      expect(page.errors).toBeUndefined();
      expect(page.data!.coverage!.columns).toEqual(first.data!.coverage!.columns);
      expect(page.data!.coverage!.columnsPageInfo.hasPreviousPage).toBe(false);
    }
    const other = await coverage({ orgUnitCode: 'RKB', depth: 2 }, rkaBoard);
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(other.data?.coverage ?? null).toBeNull();
  });
});
