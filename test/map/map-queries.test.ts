import {
  ApiKeyCreateDocument,
  AuditEventsDocument,
  CoverageDocument,
  FacultyMapDocument,
  MeasureListDocument,
  MilestoneCreateDocument,
  OrgUnitCreateDocument,
  PersonCreateDocument,
  WorkstreamAddLeadDocument,
  WorkstreamCreateDocument,
  WorkstreamListDocument,
  WorkstreamUpdateDocument,
  TwoWorkstreamUpdatesDocument,
  WorkstreamsWithHistoryDocument,
  type AuditEventsQuery,
  type MeasureListQuery,
  type WorkstreamListQuery,
  type WorkstreamListQueryVariables,
  type WorkstreamsWithHistoryQuery,
  type WorkstreamsWithHistoryQueryVariables,
} from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { growTrust } from './map-fixture';

describe.each(DATABASE_KINDS)('the map as queries on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    const created = await app.request(OrgUnitCreateDocument, { input: { code: 'RDB', name: 'Doubling trust', type: 'TRUST' } });
    expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    await growTrust(app.database.db.prisma, 'RDB', 'A', 6);
  });
  afterAll(() => app.close());

  test('the principle map and the coverage matrix take the same number of SQL statements when the data doubles', async () => {
    const statements = async () => {
      const map = await app.request(FacultyMapDocument);
      const trust = await app.request(CoverageDocument, { orgUnitCode: 'RDB' });
      const teams = await app.request(CoverageDocument, { orgUnitCode: 'RDB', depth: 2 });
      for (const response of [map, trust, teams]) expect(response.body.errors).toBeUndefined();
      return {
        counts: { map: map.body.extensions!.sqlStatements!, coverage: trust.body.extensions!.sqlStatements!, coverageTeams: teams.body.extensions!.sqlStatements! },
        size: {
          workstreams: map.body.data!.principles.reduce((n, p) => n + p.workstreams.nodes.length, 0),
          measures: map.body.data!.principles.reduce((n, p) => n + p.measures.nodes.length, 0),
          // Measure.workstreams is a connection on every measure of the map: its links double too.
          measureWorkstreamLinks: map.body.data!.principles.flatMap((p) => p.measures.nodes).reduce((n, m) => n + m.workstreams.nodes.length, 0),
          columns: trust.body.data!.coverage!.columns.length,
          teamColumns: teams.body.data!.coverage!.columns.length,
          coveringWorkstreams: teams.body.data!.coverage!.rows.flatMap((r) => r.cells).reduce((n, c) => n + c.workstreams.nodes.length, 0),
        },
      };
    };
    // The four principles are read once per process, by whichever request comes first: that one first.
    expect((await app.requestRaw(JSON.stringify({ query: '{ principles { key } }' }))).status).toBe(200);
    const before = await statements();
    await growTrust(app.database.db.prisma, 'RDB', 'B', 6);
    const after = await statements();

    expect(after.size).toEqual({
      workstreams: before.size.workstreams * 2,
      measures: before.size.measures * 2,
      measureWorkstreamLinks: before.size.measureWorkstreamLinks * 2,
      columns: before.size.columns * 2,
      teamColumns: before.size.teamColumns * 2,
      coveringWorkstreams: before.size.coveringWorkstreams * 2,
    });
    expect(before.size.measureWorkstreamLinks).toBeGreaterThan(0);
    expect(after.counts).toEqual(before.counts);
    // A fixed handful: authentication, one query per level of the map, a dozen set-based reads for the matrix.
    expect(before.counts.map).toBeLessThanOrEqual(24);
    expect(before.counts.coverage).toBeLessThanOrEqual(16);
    console.log(`[${kind}] SQL statements per request — principle map: ${before.counts.map} → ${after.counts.map}; coverage (directorates): ${before.counts.coverage} → ${after.counts.coverage}; coverage (teams): ${before.counts.coverageTeams} → ${after.counts.coverageTeams} (data doubled: ${JSON.stringify(before.size)} → ${JSON.stringify(after.size)})`);
  });

  test('coverage at team level: each team’s cells name the workstreams it takes part in and its measures with data', async () => {
    const { body } = await app.request(CoverageDocument, { orgUnitCode: 'A-DIR', depth: 2 });
    const coverage = body.data!.coverage!;
    expect(coverage.latestPeriod).toBe('2026-09-01');
    expect(coverage.recentFrom).toBe('2026-07-01');
    const t0 = (principle: string) => coverage.rows.find((r) => r.principle.key === principle)!.cells.find((c) => c.orgUnit.code === 'A-T0')!;
    // A-WS0 (RIGHTS_BASED, RELATIONAL) and A-WS5 (RELATIONAL, REFLECTIVE) have A-T0 as a team
    expect(t0('RIGHTS_BASED').workstreams.nodes.map((w) => w.code)).toEqual(['A-WS0']);
    expect(t0('RELATIONAL').workstreams.nodes.map((w) => w.code).sort()).toEqual(['A-WS0', 'A-WS5']);
    // A-M0-0 (RIGHTS_BASED) has its data at A-T0
    expect(t0('RIGHTS_BASED')).toMatchObject({ covered: true, evidenced: true });
    expect(t0('RIGHTS_BASED').measuresWithRecentData.nodes.map((m) => m.code)).toContain('A-M0-0');
    // No gap in the faculty map here. The equality lens's gap remains: every patient measure with
    // recent data here (this fixture stratifies none) has no data by stratum.
    expect(coverage.gaps.nodes.filter((g) => g.kind !== 'MEASURE_WITHOUT_RECENT_STRATA')).toEqual([]);
    const withRecentData = new Set(coverage.rows.flatMap((r) => r.cells.flatMap((c) => c.measuresWithRecentData.nodes.map((m) => m.code))));
    const strataGaps = coverage.gaps.nodes.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_STRATA');
    expect(strataGaps.length).toBeGreaterThan(0);
    for (const gap of strataGaps) {
      expect(withRecentData.has(gap.measure!.code)).toBe(true);
      expect(gap.message).toMatch(/not reported by any stratifier/);
    }
    const bad = await app.request(CoverageDocument, { orgUnitCode: 'A-DIR', depth: 0 });
    expect(bad.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const unknown = await app.request(CoverageDocument, { orgUnitCode: 'NOPE' });
    expect(unknown.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  describe('filtering, sorting and search', () => {
    let leadId: string;

    beforeAll(async () => {
      // Five workstreams sharing one name, and statuses in every order: ties everywhere.
      const statuses = ['COMPLETED', 'ACTIVE', 'PROPOSED', 'ACTIVE', 'PAUSED'] as const;
      for (let i = 0; i < 5; i++) {
        const created = await app.request(WorkstreamCreateDocument, { input: { code: `TIE-${i}`, name: 'Tied name', status: statuses[i] } });
        expect(created.body.data!.workstreamCreate.userErrors).toEqual([]);
      }
      const person = await app.request(PersonCreateDocument, { input: { name: 'Zora Quist', email: 'zora.quist@map.example' } });
      leadId = person.body.data!.personCreate.person!.id;
      for (const code of ['TIE-1', 'TIE-3']) await app.request(WorkstreamAddLeadDocument, { input: { workstreamCode: code, personId: leadId, role: 'CO_LEAD' } });
    });

    async function all(variables: WorkstreamListQueryVariables, size: number): Promise<string[]> {
      const codes: string[] = [];
      let after: string | null | undefined = null;
      for (let guard = 0; guard < 100; guard++) {
        const response: { body: { data?: WorkstreamListQuery | null; errors?: unknown } } = await app.request(WorkstreamListDocument, { ...variables, first: size, after });
        expect(response.body.errors).toBeUndefined();
        const page: WorkstreamListQuery['workstreams'] = response.body.data!.workstreams;
        codes.push(...page.nodes.map((n) => n.code));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return codes;
    }

    test('sorting by a non-unique field pages through every workstream once, in order, both ways', async () => {
      const byName = await all({ orderBy: { field: 'NAME' } }, 2);
      const rows = await app.database.db.prisma.workstream.findMany({ where: { archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      expect(byName).toEqual(rows.map((r) => r.code));
      expect(byName.filter((c) => c.startsWith('TIE-'))).toEqual(['TIE-0', 'TIE-1', 'TIE-2', 'TIE-3', 'TIE-4']);

      const byStatusDesc = await all({ orderBy: { field: 'STATUS', direction: 'DESC' }, search: 'tied' }, 2);
      expect(byStatusDesc).toEqual(['TIE-0', 'TIE-4', 'TIE-3', 'TIE-1', 'TIE-2']);

      // backwards from the end with last/before gives the same order
      const last = await app.request(WorkstreamListDocument, { orderBy: { field: 'STATUS', direction: 'DESC' }, search: 'tied', last: 2 });
      expect(last.body.data!.workstreams.nodes.map((n) => n.code)).toEqual(['TIE-1', 'TIE-2']);
      const before = await app.request(WorkstreamListDocument, {
        orderBy: { field: 'STATUS', direction: 'DESC' },
        search: 'tied',
        last: 2,
        before: last.body.data!.workstreams.pageInfo.startCursor,
      });
      expect(before.body.data!.workstreams.nodes.map((n) => n.code)).toEqual(['TIE-4', 'TIE-3']);
      expect(before.body.data!.workstreams.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

      // a recent edit moves a workstream to the front of UPDATED_AT DESC
      const current = await app.database.db.prisma.workstream.findUniqueOrThrow({ where: { code: 'TIE-2' } });
      await app.request(WorkstreamUpdateDocument, { input: { code: 'TIE-2', version: current.version, description: 'touched' } });
      expect((await all({ orderBy: { field: 'UPDATED_AT', direction: 'DESC' } }, 3))[0]).toBe('TIE-2');
      expect((await all({ orderBy: { field: 'CODE' } }, 50)).length).toBe(rows.length);
    });

    test('a cursor from another ordering is refused', async () => {
      const page = await app.request(WorkstreamListDocument, { orderBy: { field: 'NAME' }, first: 1 });
      const plain = await app.request(WorkstreamListDocument, { first: 1, after: page.body.data!.workstreams.pageInfo.endCursor });
      expect(plain.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const byStatus = await app.request(WorkstreamListDocument, { orderBy: { field: 'STATUS' }, first: 1, after: page.body.data!.workstreams.pageInfo.endCursor });
      expect(byStatus.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });

    test('filters: status, principle, org unit, lead (by id or name), search', async () => {
      const codes = async (variables: WorkstreamListQueryVariables) =>
        (await app.request(WorkstreamListDocument, { first: 100, ...variables })).body.data!.workstreams.nodes.map((n) => n.code).sort();
      expect(await codes({ status: 'ACTIVE', search: 'tied' })).toEqual(['TIE-1', 'TIE-3']);
      expect(await codes({ leadPersonId: leadId })).toEqual(['TIE-1', 'TIE-3']);
      expect(await codes({ leadName: 'zora' })).toEqual(['TIE-1', 'TIE-3']);
      expect(await codes({ leadPersonEmail: 'Zora.Quist@MAP.example' })).toEqual(['TIE-1', 'TIE-3']);
      expect(await codes({ leadPersonEmail: 'nobody@map.example' })).toEqual([]);
      expect(await codes({ leadName: 'A lead 2' })).toEqual(['A-WS2']);
      expect(await codes({ principle: 'RIGHTS_BASED', orgUnitCode: 'B-DIR' })).toEqual(['B-WS0', 'B-WS3', 'B-WS4']);
      expect(await codes({ search: 'b workstream 1' })).toEqual(['B-WS1']);
      const total = await app.request(WorkstreamListDocument, { first: 1, leadName: 'lead', orderBy: { field: 'NAME', direction: 'DESC' } });
      expect(total.body.data!.workstreams.totalCount).toBe(12);
      expect(total.body.data!.workstreams.nodes[0].code).toBe('B-WS5');
      const bad = await app.request(WorkstreamListDocument, { first: 1, leadPersonId: 'nope' });
      expect(bad.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });

    test('measures: filter by audience, principle, workstream, search; sort by name or code either way', async () => {
      const list = async (variables: Record<string, unknown>) => (await app.request(MeasureListDocument, { first: 100, ...variables })).body.data!.measures;
      const staffRelational = await list({ audience: 'STAFF', principle: 'RELATIONAL', orderBy: { field: 'CODE', direction: 'DESC' } });
      expect(staffRelational.nodes.map((n) => n.code)).toEqual(['B-M4-1', 'B-M0-1', 'A-M4-1', 'A-M0-1']);
      expect((await list({ workstreamCode: 'A-WS3', orderBy: { field: 'NAME' } })).nodes.map((n) => n.code)).toEqual(['A-M3-0', 'A-M3-1']);
      expect((await list({ search: 'measure 5.1' })).nodes.map((n) => n.code).sort()).toEqual(['A-M5-1', 'B-M5-1']);
      // page by name, two at a time, against the database's own order
      const seen: string[] = [];
      let after: string | null | undefined = null;
      for (let guard = 0; guard < 20; guard++) {
        const page: MeasureListQuery['measures'] = (await app.request(MeasureListDocument, { first: 5, after, orderBy: { field: 'NAME', direction: 'DESC' } })).body.data!.measures;
        seen.push(...page.nodes.map((n) => n.code));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const rows = await app.database.db.prisma.measure.findMany({ where: { archivedAt: null }, orderBy: [{ name: 'desc' }, { id: 'desc' }] });
      expect(seen).toEqual(rows.map((r) => r.code));
    });
  });

  describe('history', () => {
    test('trust-wide audit events: newest first, filtered by actor, entity type and time, paged without repeats', async () => {
      const key = await app.request(ApiKeyCreateDocument, { input: { name: 'history lead', role: 'FACULTY_LEAD', trustCodes: ['RDB'] } });
      const secret = key.body.data!.apiKeyCreate.secret!;
      const start = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (let i = 0; i < 7; i++) {
        const created = await app.request(WorkstreamCreateDocument, { input: { code: `HIST-${i}`, name: `History ${i}` } }, secret);
        expect(created.body.data!.workstreamCreate.userErrors).toEqual([]);
      }
      const mine = await app.request(AuditEventsDocument, { entityType: 'Workstream', from: start.toISOString(), first: 100 });
      expect(mine.body.data!.auditEvents.nodes.map((e) => (e.after as { code: string }).code)).toEqual(['HIST-6', 'HIST-5', 'HIST-4', 'HIST-3', 'HIST-2', 'HIST-1', 'HIST-0']);
      const actor = mine.body.data!.auditEvents.nodes[0].actor;
      expect(actor).toContain('history lead');

      // pages of 3, by actor
      const pages: string[] = [];
      let after: string | null | undefined = null;
      for (let guard = 0; guard < 10; guard++) {
        const page: AuditEventsQuery['auditEvents'] = (await app.request(AuditEventsDocument, { actor, first: 3, after })).body.data!.auditEvents;
        expect(page.totalCount).toBe(7);
        pages.push(...page.nodes.map((e) => e.entityId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(pages).toEqual(mine.body.data!.auditEvents.nodes.map((e) => e.entityId));
      expect(new Set(pages).size).toBe(7);

      // a window in time that ends before the first of them holds none of them
      const earlier = await app.request(AuditEventsDocument, { actor, to: start.toISOString(), first: 10 });
      expect(earlier.body.data!.auditEvents.totalCount).toBe(0);
      const other = await app.request(AuditEventsDocument, { actor: 'someone else', first: 10 });
      expect(other.body.data!.auditEvents.nodes).toEqual([]);
      const backwards = await app.request(AuditEventsDocument, { from: new Date().toISOString(), to: start.toISOString() });
      expect(backwards.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      // each event names its entity by a node id
      expect(mine.body.data!.auditEvents.nodes[0].entityNodeId).toBe(Buffer.from(`Workstream:${mine.body.data!.auditEvents.nodes[0].entityId}`).toString('base64url'));
    });

    /** Workstreams "History batch <group><i>": workstream i has i updates after its creation, and one milestone. */
    async function createBatch(group: string, count: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        const code = `HB-${group}${i}`;
        const created = await app.request(WorkstreamCreateDocument, { input: { code, name: `History batch ${group}${i}` } });
        expect(created.body.data!.workstreamCreate.userErrors).toEqual([]);
        for (let version = 1; version <= i; version++) {
          const updated = await app.request(WorkstreamUpdateDocument, { input: { code, version, description: `revision ${version}` } });
          expect(updated.body.data!.workstreamUpdate.userErrors).toEqual([]);
        }
        const milestone = await app.request(MilestoneCreateDocument, { input: { workstreamCode: code, title: `Milestone ${group}${i}` } });
        expect(milestone.body.data!.milestoneCreate.userErrors).toEqual([]);
      }
    }

    /** The same entity's history through the trust-wide list (a separate, unbatched query). */
    async function trustWideHistory(entityId: string): Promise<string[]> {
      const events = await app.request(AuditEventsDocument, { entityType: 'Workstream', entityId, first: 100 });
      return events.body.data!.auditEvents.nodes.map((e) => `${e.action}:${JSON.stringify(e.after)}`);
    }

    test('history on every item of a list: one statement for all the items, each item paged on its own', async () => {
      await createBatch('A', 2);
      await createBatch('B', 3);
      const few = await app.request(WorkstreamsWithHistoryDocument, { search: 'History batch A', historyFirst: 2 });
      const more = await app.request(WorkstreamsWithHistoryDocument, { search: 'History batch', historyFirst: 2 });
      for (const response of [few, more]) expect(response.body.errors).toBeUndefined();
      expect(few.body.data!.workstreams.nodes).toHaveLength(2);
      expect(more.body.data!.workstreams.nodes).toHaveLength(5);
      // 2½ times the workstreams and milestones, the same statements (a query per item would add 6 per item)
      expect(more.body.extensions!.sqlStatements).toBe(few.body.extensions!.sqlStatements);

      // Every item's first page and count agree with the trust-wide list of that entity's events,
      // and paging on (forwards or backwards) from the item's own cursors walks the whole of it.
      const walk = async (name: string, backward: boolean): Promise<string[]> => {
        const walked: string[] = [];
        let cursor: string | null | undefined = null;
        for (let guard = 0; guard < 20; guard++) {
          const variables: WorkstreamsWithHistoryQueryVariables = backward ? { historyLast: 2, historyBefore: cursor } : { historyFirst: 2, historyAfter: cursor };
          const response: { body: { data?: WorkstreamsWithHistoryQuery | null } } = await app.request(WorkstreamsWithHistoryDocument, { search: name, ...variables });
          const { history } = response.body.data!.workstreams.nodes[0];
          const events = history.nodes.map((e) => `${e.action}:${JSON.stringify(e.after)}`);
          walked.splice(backward ? 0 : walked.length, 0, ...events);
          if (!(backward ? history.pageInfo.hasPreviousPage : history.pageInfo.hasNextPage)) break;
          cursor = backward ? history.pageInfo.startCursor : history.pageInfo.endCursor;
        }
        return walked;
      };
      for (const item of more.body.data!.workstreams.nodes) {
        const expected = await trustWideHistory(item.history.nodes[0].entityId);
        const i = Number(item.code.slice(-1));
        expect(expected.length).toBeGreaterThanOrEqual(1 + i); // created, i updates (and the milestone, where the workstream records it)
        expect(item.history.totalCount).toBe(expected.length);
        expect(item.history.nodes.map((e) => `${e.action}:${JSON.stringify(e.after)}`)).toEqual(expected.slice(0, 2));
        expect(item.history.pageInfo.hasNextPage).toBe(expected.length > 2);
        expect(item.milestones.nodes).toHaveLength(1);
        expect(item.milestones.nodes[0].history).toMatchObject({ totalCount: 1, nodes: [{ action: 'create' }] });
        const name = item.code.replace('HB-', 'History batch ');
        expect(await walk(name, false)).toEqual(expected);
        expect(await walk(name, true)).toEqual(expected);
      }

      // a filter applies to every item: nobody of that name changed any of them
      const nobody = await app.request(WorkstreamsWithHistoryDocument, { search: 'History batch', historyFirst: 2, actor: 'nobody' });
      expect(nobody.body.data!.workstreams.nodes.map((w) => w.history.totalCount)).toEqual([0, 0, 0, 0, 0]);
    });

    test('two writes in one operation: the second reads what the first wrote, not what the request read before', async () => {
      const created = await app.request(WorkstreamCreateDocument, { input: { code: 'HB-TWICE', name: 'Written twice' } });
      expect(created.body.data!.workstreamCreate.userErrors).toEqual([]);
      const { body } = await app.request(TwoWorkstreamUpdatesDocument, {
        one: { code: 'HB-TWICE', version: 1, description: 'first' },
        two: { code: 'HB-TWICE', version: 2, description: 'second' },
      });
      expect(body.errors).toBeUndefined();
      expect(body.data!.one).toMatchObject({ userErrors: [], workstream: { version: 2, history: { totalCount: 2 } } });
      expect(body.data!.two).toMatchObject({ userErrors: [], workstream: { version: 3, history: { totalCount: 3 } } });
    });
  });
});
