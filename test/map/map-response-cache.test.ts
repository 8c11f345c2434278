import {
  ApiKeyCreateDocument,
  CoverageDocument,
  DisclosureImportDocument,
  FacultyMapDocument,
  InvolvementCreateDocument,
  MilestoneCreateDocument,
  OrgUnitCreateDocument,
  PersonUpdateDocument,
  WorkstreamAddLeadDocument,
  WorkstreamAddTeamDocument,
  WorkstreamRemoveTeamDocument,
  WorkstreamUpdateDocument,
  type FacultyMapQuery,
} from '../generated/graphql';
import { encodeGlobalId } from '../../src/graphql/global-id';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { growTrust } from './map-fixture';

/**
 * The faculty map's and the coverage matrix's response cache: a repeated read is answered from
 * memory, and every kind of edit the map shows (through the API or straight to the database)
 * is seen by the very next read; readers never share an entry.
 *
 * Trust RDB grown by the map fixture with prefix A and size 3: A-DIR → A-T0, A-T1, A-T2;
 * A-WS0 … A-WS2, each with two teams (A-WSi: A-Ti and A-T(i+1 mod 3)), a lead "A lead i", a
 * milestone, an involvement record and two measures with three months of data to 2026-09.
 * Trust RXX → RXX-DIR → RXX-T, for the trusts-kept-apart check.
 */
type MapData = FacultyMapQuery;

describe.each(DATABASE_KINDS)('the map response cache on %s', (kind) => {
  let app: TestApp;
  let rdbBoard: string;

  const map = async (key: string = TEST_ADMIN_KEY) => {
    const { body } = await app.request(FacultyMapDocument, undefined, key);
    expect(body.errors).toBeUndefined();
    return { data: body.data!, statements: body.extensions!.sqlStatements! };
  };
  const workstream = (data: MapData, code: string) => data.principles.flatMap((p) => p.workstreams.nodes).find((w) => w.code === code)!;
  const ok = (payload: { userErrors: unknown[] }) => expect(payload.userErrors).toEqual([]);

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const code of ['RDB', 'RXX']) {
      const created = await app.request(OrgUnitCreateDocument, { input: { code, name: `Trust ${code}`, type: 'TRUST' } });
      ok(created.body.data!.orgUnitCreate);
    }
    ok((await app.request(OrgUnitCreateDocument, { input: { code: 'RXX-DIR', name: 'Other trust directorate', type: 'DIRECTORATE', parentCode: 'RXX' } })).body.data!.orgUnitCreate);
    ok((await app.request(OrgUnitCreateDocument, { input: { code: 'RXX-T', name: 'Other trust team', type: 'TEAM', parentCode: 'RXX-DIR' } })).body.data!.orgUnitCreate);
    await growTrust(app.database.db.prisma, 'RDB', 'A', 3);
    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: 'RDB board', role: 'BOARD', trustCodes: ['RDB'] } });
    rdbBoard = body.data!.apiKeyCreate.secret!;
  });
  afterAll(() => app.close());

  test('a repeated read is answered from the cache: the same answer for one version read', async () => {
    const first = await map();
    const again = await map();
    expect(again.data).toEqual(first.data);
    expect(first.statements).toBeGreaterThan(10);
    expect(again.statements).toBeLessThanOrEqual(2); // the versions (and at most the key's last use)
    const coverage = await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
    const coverageAgain = await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
    expect(coverageAgain.body.data).toEqual(coverage.body.data);
    expect(coverageAgain.body.extensions!.sqlStatements).toBeLessThanOrEqual(2);
    // other variables are another entry
    const teams = await app.request(CoverageDocument, { orgUnitCode: 'RDB', depth: 2 });
    expect(teams.body.data!.coverage!.columns.map((c) => c.code).sort()).toEqual(['A-T0', 'A-T1', 'A-T2']);
  });

  test('every kind of edit is seen by the next read', async () => {
    const lead = await app.database.db.prisma.person.findFirstOrThrow({ where: { name: 'A lead 0' } });
    const personId = encodeGlobalId('Person', lead.id);
    const other = await app.database.db.prisma.person.findFirstOrThrow({ where: { name: 'A lead 1' } });
    const edits: Array<[string, () => Promise<void>, (data: MapData) => void]> = [
      [
        'a team joins (workstream_team)',
        async () => ok((await app.request(WorkstreamAddTeamDocument, { input: { workstreamCode: 'A-WS0', orgUnitCode: 'A-T2' } })).body.data!.workstreamAddTeam),
        (data) => expect(workstream(data, 'A-WS0').teams.nodes.map((t) => t.code).sort()).toEqual(['A-T0', 'A-T1', 'A-T2']),
      ],
      [
        'a team leaves',
        async () => ok((await app.request(WorkstreamRemoveTeamDocument, { input: { workstreamCode: 'A-WS0', orgUnitCode: 'A-T1' } })).body.data!.workstreamRemoveTeam),
        (data) => expect(workstream(data, 'A-WS0').teams.nodes.map((t) => t.code).sort()).toEqual(['A-T0', 'A-T2']),
      ],
      [
        'a lead is added (workstream_lead)',
        async () => ok((await app.request(WorkstreamAddLeadDocument, { input: { workstreamCode: 'A-WS0', personId: encodeGlobalId('Person', other.id), role: 'CO_LEAD' } })).body.data!.workstreamAddLead),
        (data) => expect(workstream(data, 'A-WS0').leads.nodes.map((l) => [l.role, l.person.name]).sort()).toEqual([['CO_LEAD', 'A lead 1'], ['LEAD', 'A lead 0']]),
      ],
      [
        'a lead is renamed (person)',
        async () => ok((await app.request(PersonUpdateDocument, { input: { id: personId, version: lead.version, name: 'Dr A Renamed' } })).body.data!.personUpdate),
        (data) => expect(workstream(data, 'A-WS0').leads.nodes.map((l) => l.person.name).sort()).toEqual(['A lead 1', 'Dr A Renamed']),
      ],
      [
        'a milestone is created',
        async () => ok((await app.request(MilestoneCreateDocument, { input: { workstreamCode: 'A-WS1', title: 'Cache milestone' } })).body.data!.milestoneCreate),
        (data) => expect(workstream(data, 'A-WS1').milestones.nodes.map((m) => m.title)).toContain('Cache milestone'),
      ],
      [
        'involvement is recorded',
        async () => ok((await app.request(InvolvementCreateDocument, { input: { workstreamCode: 'A-WS1', kind: 'ADVISORY', description: 'Advisory group' } })).body.data!.livedExperienceInvolvementCreate),
        (data) => expect(workstream(data, 'A-WS1').livedExperienceInvolvement.nodes.map((i) => i.kind).sort()).toEqual(['ADVISORY', 'CO_PRODUCTION']),
      ],
      [
        'a workstream is renamed (workstream)',
        async () => {
          const row = await app.database.db.prisma.workstream.findUniqueOrThrow({ where: { code: 'A-WS2' } });
          ok((await app.request(WorkstreamUpdateDocument, { input: { code: 'A-WS2', version: row.version, name: 'Renamed workstream' } })).body.data!.workstreamUpdate);
        },
        (data) => expect(workstream(data, 'A-WS2').name).toBe('Renamed workstream'),
      ],
      [
        'a link is deleted straight in the database',
        async () => {
          const ws = await app.database.db.prisma.workstream.findUniqueOrThrow({ where: { code: 'A-WS2' } });
          await app.database.db.prisma.workstreamTeam.deleteMany({ where: { workstreamId: ws.id } });
        },
        (data) => expect(workstream(data, 'A-WS2').teams.nodes).toEqual([]),
      ],
    ];
    for (const [label, edit, check] of edits) {
      const before = await map();
      await map(); // cached
      await edit();
      const after = await map();
      expect({ label, changed: JSON.stringify(after.data) !== JSON.stringify(before.data) }).toEqual({ label, changed: true });
      check(after.data);
      expect(after.statements).toBeGreaterThan(10); // recomputed, not served
    }
  });

  test('coverage moves with the data: an import is seen by the next read', async () => {
    const before = await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
    expect(before.body.data!.coverage!.latestPeriod).toBe('2026-09-01');
    await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
    const imported = await app.request(DisclosureImportDocument, {
      input: { rows: [{ measureCode: 'A-M0-0', orgUnitCode: 'A-T0', periodStart: '2026-10-01', numerator: 8, denominator: 10, source: 'fixture' }] },
    });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 1, userErrors: [] });
    const after = await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
    expect(after.body.data!.coverage!.latestPeriod).toBe('2026-10-01');
  });

  test('readers never share an entry: a trust’s key is not answered with what a reader of every trust saw', async () => {
    ok((await app.request(WorkstreamAddTeamDocument, { input: { workstreamCode: 'A-WS1', orgUnitCode: 'RXX-T' } })).body.data!.workstreamAddTeam);
    const admin = await map();
    expect(workstream(admin.data, 'A-WS1').teams.nodes.map((t) => t.code)).toContain('RXX-T');
    const board = await map(rdbBoard);
    expect(workstream(board.data, 'A-WS1').teams.nodes.map((t) => t.code)).not.toContain('RXX-T');
    expect(board.statements).toBeGreaterThan(10); // its own entry, computed for it
    const boardAgain = await map(rdbBoard);
    expect(boardAgain.data).toEqual(board.data);
    expect((await map()).data).toEqual(admin.data);
  });

  test('the cache is bounded by bytes (RESPONSE_CACHE_MAX_BYTES): a map larger than the budget is not kept', async () => {
    const budget = 2000;
    const small = await startTestApp(kind, { RESPONSE_CACHE_MAX_BYTES: String(budget) });
    try {
      ok((await small.request(OrgUnitCreateDocument, { input: { code: 'RDB', name: 'Trust RDB', type: 'TRUST' } })).body.data!.orgUnitCreate);
      await growTrust(small.database.db.prisma, 'RDB', 'A', 3);
      const read = async () => {
        const { body } = await small.request(FacultyMapDocument);
        expect(body.errors).toBeUndefined();
        return { bytes: Buffer.byteLength(JSON.stringify({ data: body.data })), statements: body.extensions!.sqlStatements! };
      };
      await read(); // the first request of the process also reads the four principles (kept per process)
      const first = await read();
      const again = await read();
      expect(first.bytes).toBeGreaterThan(budget);
      // computed again: under the default budget the repeat costs at most 2 statements (first test)
      expect([first.statements > 10, again.statements]).toEqual([true, first.statements]);
    } finally {
      await small.close();
    }
  });
});
