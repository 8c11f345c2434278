import { ApiKeyCreateDocument, WorkstreamTeamsPageDocument, type WorkstreamTeamsPageQuery, type WorkstreamTeamsPageQueryVariables } from '../generated/graphql';
import { encodeCursor, pageFromArray, type ConnectionArgs } from '../../src/graphql/connection';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * `Workstream.teams` pages in SQL: one statement for every workstream of a request, returning
 * only the page asked for, with the order (team name, then id) and cursors it always had.
 *
 * Trust TPG → TPG-DIR → 60 teams TPG-T0 … TPG-T59 created in that order, TPG-Ti named
 * "Team <(i × 37) mod 60>" (two digits), so name order is not creation order. 37 × 13 = 481 ≡ 1
 * (mod 60), so "Team k" is TPG-T<(k × 13) mod 60>: Team 00 = T0, Team 01 = T13, Team 02 = T26,
 * Team 03 = T39, Team 04 = T52, Team 05 = T5 (65 mod 60), ...
 * Workstreams: TPG-WS1 with T0 … T4 (5 links), TPG-WS2 with all 60, TPG-WS3 with none. Trust RTX's
 * team RTX-T takes part in TPG-WS2 too (workstreams are shared by every trust).
 */
const TEAM_COUNT = 60;
const nameOf = (i: number) => `Team ${String((i * 37) % TEAM_COUNT).padStart(2, '0')}`;
/** TPG-WS2's teams in name order: "Team k" is TPG-T<(k × 13) mod 60>. */
const BY_NAME = Array.from({ length: TEAM_COUNT }, (_, k) => `TPG-T${(k * 13) % TEAM_COUNT}`);

type TeamsPage = WorkstreamTeamsPageQuery['workstreams']['nodes'][number]['teams'];

describe.each(DATABASE_KINDS)('workstream teams paged in SQL on %s', (kind) => {
  let app: TestApp;
  let tpgBoard: string;
  const ids = new Map<string, number>();

  const teams = async (variables: WorkstreamTeamsPageQueryVariables, key: string = TEST_ADMIN_KEY) => {
    const { body } = await app.request(WorkstreamTeamsPageDocument, { search: 'TPG workstream', ...variables }, key);
    expect(body.errors).toBeUndefined();
    const byCode = Object.fromEntries(body.data!.workstreams.nodes.map((w) => [w.code, w.teams]));
    return { byCode, statements: body.extensions!.sqlStatements! };
  };
  const codes = (page: { edges: Array<{ node: { code: string } }> }) => page.edges.map((e) => e.node.code);

  beforeAll(async () => {
    app = await startTestApp(kind);
    const prisma = app.database.db.prisma;
    const unit = async (code: string, name: string, type: 'TRUST' | 'DIRECTORATE' | 'TEAM', parent: { id: number; path: string; depth: number } | null) => {
      const row = await prisma.orgUnit.create({ data: { code, name, type, parentId: parent?.id ?? null, path: '/', depth: parent ? parent.depth + 1 : 0 } });
      const done = await prisma.orgUnit.update({ where: { id: row.id }, data: { path: `${parent?.path ?? '/'}${row.id}/` } });
      ids.set(code, done.id);
      return done;
    };
    const tpg = await unit('TPG', 'Paging trust', 'TRUST', null);
    const dir = await unit('TPG-DIR', 'Paging directorate', 'DIRECTORATE', tpg);
    for (let i = 0; i < TEAM_COUNT; i++) await unit(`TPG-T${i}`, nameOf(i), 'TEAM', dir);
    const rtx = await unit('RTX', 'Other trust', 'TRUST', null);
    await unit('RTX-T', 'Team 30 of the other trust', 'TEAM', rtx);
    const ws = async (code: string, teamCodes: string[]) => {
      const row = await prisma.workstream.create({ data: { code, name: `TPG workstream ${code}` } });
      ids.set(code, row.id);
      await prisma.workstreamTeam.createMany({ data: teamCodes.map((c) => ({ workstreamId: row.id, orgUnitId: ids.get(c)! })) });
    };
    const all = Array.from({ length: TEAM_COUNT }, (_, i) => `TPG-T${i}`);
    await ws('TPG-WS1', all.slice(0, 5));
    await ws('TPG-WS2', [...all, 'RTX-T']);
    await ws('TPG-WS3', []);
    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: 'TPG board', role: 'BOARD', trustCodes: ['TPG'] } });
    tpgBoard = body.data!.apiKeyCreate.secret!;
  });
  afterAll(() => app.close());

  test('pages walk the whole list in name order, forwards and backwards, with counts and page flags', async () => {
    // The first page, written out: Team 00 … Team 04.
    const first = (await teams({ first: 5 }, tpgBoard)).byCode;
    expect(codes(first['TPG-WS2'])).toEqual(['TPG-T0', 'TPG-T13', 'TPG-T26', 'TPG-T39', 'TPG-T52']);
    expect(first['TPG-WS2'].edges.map((e) => e.node.name)).toEqual(['Team 00', 'Team 01', 'Team 02', 'Team 03', 'Team 04']);
    expect(first['TPG-WS2'].totalCount).toBe(60);
    expect(first['TPG-WS2'].pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // TPG-WS1's five: T0 (Team 00), T1 (Team 37), T2 (Team 14), T3 (Team 51), T4 (Team 28) → by name T0, T2, T4, T1, T3.
    expect(codes(first['TPG-WS1'])).toEqual(['TPG-T0', 'TPG-T2', 'TPG-T4', 'TPG-T1', 'TPG-T3']);
    expect(first['TPG-WS1'].pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(first['TPG-WS3']).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] });

    const walk = async (backward: boolean) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const variables: WorkstreamTeamsPageQueryVariables = backward ? { last: 7, before: cursor } : { first: 7, after: cursor };
        const page: TeamsPage = (await teams(variables, tpgBoard)).byCode['TPG-WS2'];
        seen.splice(backward ? 0 : seen.length, 0, ...codes(page));
        const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
        if (!more) break;
        cursor = (backward ? page.pageInfo.startCursor : page.pageInfo.endCursor) ?? null;
      }
      return seen;
    };
    // 60 = 8 pages of 7 and one of 4, either way
    expect(await walk(false)).toEqual(BY_NAME);
    expect(await walk(true)).toEqual(BY_NAME);
    const last = (await teams({ last: 3 }, tpgBoard)).byCode['TPG-WS2'];
    expect(codes(last)).toEqual(BY_NAME.slice(57)); // Team 57, 58, 59
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  test('every page is the one the in-memory pager gives over the same list (after, before, both, unknown cursors, empty pages)', async () => {
    const cursorOf = (code: string) => encodeCursor(ids.get(code)!);
    const cases: ConnectionArgs[] = [
      {},
      { first: 0 },
      { first: 100 },
      { first: 10, after: cursorOf(BY_NAME[9]) },
      { first: 10, after: cursorOf(BY_NAME[55]) },
      { first: 10, after: cursorOf(BY_NAME[59]) },
      { first: 3, after: cursorOf(BY_NAME[9]), before: cursorOf(BY_NAME[15]) },
      { first: 30, after: cursorOf(BY_NAME[9]), before: cursorOf(BY_NAME[15]) },
      { last: 4, after: cursorOf(BY_NAME[9]), before: cursorOf(BY_NAME[15]) },
      { last: 10, before: cursorOf(BY_NAME[5]) },
      { last: 0 },
      { first: 5, after: cursorOf(BY_NAME[20]), before: cursorOf(BY_NAME[10]) },
      { first: 5, after: encodeCursor(999999) }, // a cursor of no team here: from the start
      { first: 5, after: encodeCursor('not-an-id') },
      { last: 5, before: cursorOf('RTX-T') }, // another trust's team is no cursor of this list
    ];
    const list = BY_NAME.map((code) => ({ code, id: ids.get(code)! }));
    for (const args of cases) {
      const page = (await teams(args as WorkstreamTeamsPageQueryVariables, tpgBoard)).byCode['TPG-WS2'];
      const expected = pageFromArray(list, args, (t) => t.id);
      expect({ args, codes: codes(page), cursors: page.edges.map((e) => e.cursor), pageInfo: page.pageInfo, total: page.totalCount }).toEqual({
        args,
        codes: expected.edges.map((e) => e.node.code),
        cursors: expected.edges.map((e) => e.cursor),
        pageInfo: expected.pageInfo,
        total: 60,
      });
    }
  });

  test('another trust’s team is left out for a trust’s key and counted for a reader of every trust', async () => {
    const mine = (await teams({ first: 100 }, tpgBoard)).byCode['TPG-WS2'];
    expect(mine.totalCount).toBe(60);
    expect(codes(mine)).not.toContain('RTX-T');
    const everyone = (await teams({ first: 100 })).byCode['TPG-WS2'];
    expect(everyone.totalCount).toBe(61);
    // "Team 30 of the other trust" sorts after "Team 30" (TPG-T30, as 30 × 13 = 390 ≡ 30).
    expect(codes(everyone).indexOf('RTX-T')).toBe(codes(everyone).indexOf('TPG-T30') + 1);
  });

  test('statements do not grow with the links: 5 links or 60 on a workstream, one page read for all of them', async () => {
    const before = await teams({ first: 3 }, tpgBoard);
    const prisma = app.database.db.prisma;
    const more = Array.from({ length: TEAM_COUNT - 5 }, (_, i) => ({ workstreamId: ids.get('TPG-WS1')!, orgUnitId: ids.get(`TPG-T${i + 5}`)! }));
    await prisma.workstreamTeam.createMany({ data: more });
    try {
      const after = await teams({ first: 3 }, tpgBoard);
      expect(after.byCode['TPG-WS1'].totalCount).toBe(60);
      expect(codes(after.byCode['TPG-WS1'])).toEqual(BY_NAME.slice(0, 3));
      expect(after.statements).toBe(before.statements);
      // authentication and the key's last use, the workstreams and their count, one read of every team page
      expect(after.statements).toBeLessThanOrEqual(5);
    } finally {
      await prisma.workstreamTeam.deleteMany({ where: { workstreamId: ids.get('TPG-WS1')!, orgUnitId: { in: more.map((m) => m.orgUnitId) } } });
    }
  });

  test('a renamed team moves to its new place: the links’ sort key follows the unit’s name in the same transaction', async () => {
    const prisma = app.database.db.prisma;
    const t0 = ids.get('TPG-T0')!;
    await prisma.orgUnit.update({ where: { id: t0 }, data: { name: 'Team 99 (renamed)' } });
    try {
      const renamed = (await teams({ first: 100 }, tpgBoard)).byCode['TPG-WS2'];
      expect(codes(renamed)).toEqual([...BY_NAME.slice(1), 'TPG-T0']);
      const last = (await teams({ last: 1 }, tpgBoard)).byCode['TPG-WS2'];
      expect(last.edges.map((e) => e.node.name)).toEqual(['Team 99 (renamed)']);
      // a link made now takes the unit's current name too
      const ws3 = ids.get('TPG-WS3')!;
      await prisma.workstreamTeam.create({ data: { workstreamId: ws3, orgUnitId: t0 } });
      const [link] = await app.database.db.raw.query<{ unit_name: string }>('SELECT unit_name FROM workstream_team WHERE workstream_id = $1', [ws3]);
      expect(link.unit_name).toBe('Team 99 (renamed)');
      await prisma.workstreamTeam.deleteMany({ where: { workstreamId: ws3 } });
    } finally {
      await prisma.orgUnit.update({ where: { id: t0 }, data: { name: nameOf(0) } });
    }
    expect(codes((await teams({ first: 100 }, tpgBoard)).byCode['TPG-WS2'])).toEqual(BY_NAME);
  });

  test('bad page sizes are refused as before', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 2, last: 2 }]) {
      const { body } = await app.request(WorkstreamTeamsPageDocument, { search: 'TPG workstream', ...variables });
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
