import { CoveragePageDocument, OrgUnitCreateDocument, type CoveragePageQueryVariables } from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { growTrust } from './map-fixture';

/**
 * Coverage columns are paged: the matrix holds one page of columns (20 when `first` is absent,
 * at most 100), so its size is bounded at any depth; every page's cells are the cells the whole
 * matrix has for those columns, the gaps are the subtree's on every page, and the statements
 * do not depend on the page.
 *
 * Trust RCP grown by the map fixture with prefix A and size 30: A-DIR → A-T0 … A-T29 named
 * "A team 0" … "A team 29" (depth 2), 30 workstreams, 60 measures. By name the columns run
 * "A team 0", "A team 1", "A team 10" … "A team 19", "A team 2", "A team 20" … "A team 29",
 * "A team 3" … "A team 9".
 */
const BY_NAME = [0, 1, ...Array.from({ length: 10 }, (_, i) => 10 + i), 2, ...Array.from({ length: 10 }, (_, i) => 20 + i), 3, 4, 5, 6, 7, 8, 9].map((i) => `A-T${i}`);

describe.each(DATABASE_KINDS)('coverage columns paged on %s', (kind) => {
  let app: TestApp;

  const coverage = async (variables: Omit<CoveragePageQueryVariables, 'orgUnitCode'>) => {
    const { body } = await app.request(CoveragePageDocument, { orgUnitCode: 'RCP', ...variables });
    return body;
  };
  const ok = async (variables: Omit<CoveragePageQueryVariables, 'orgUnitCode'>) => {
    const body = await coverage(variables);
    expect(body.errors).toBeUndefined();
    return { ...body.data!.coverage!, statements: body.extensions!.sqlStatements! };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const created = await app.request(OrgUnitCreateDocument, { input: { code: 'RCP', name: 'Paged coverage trust', type: 'TRUST' } });
    expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    await growTrust(app.database.db.prisma, 'RCP', 'A', 30);
  });
  afterAll(() => app.close());

  test('pages of columns walk every column in name order; the default page is 20', async () => {
    expect(BY_NAME).toHaveLength(30);
    const first = await ok({ depth: 2 });
    expect(first.totalColumns).toBe(30);
    expect(first.columns.map((c) => c.code)).toEqual(BY_NAME.slice(0, 20));
    expect(first.columnsPageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // the matrix is the page's: 4 principles × 20 columns
    expect(first.rows.map((r) => r.cells.length)).toEqual([20, 20, 20, 20]);
    expect(first.rows.every((r) => r.cells.every((cell, i) => cell.orgUnit.code === BY_NAME[i]))).toBe(true);
    const rest = await ok({ depth: 2, after: first.columnsPageInfo.endCursor });
    expect(rest.columns.map((c) => c.code)).toEqual(BY_NAME.slice(20));
    expect(rest.columnsPageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await ok({ depth: 2, last: 7, before: rest.columnsPageInfo.startCursor });
    expect(back.columns.map((c) => c.code)).toEqual(BY_NAME.slice(13, 20));
    expect(back.columnsPageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  test('every page holds the whole matrix’s cells for its columns, and the whole subtree’s gaps', async () => {
    const whole = await ok({ depth: 2, first: 100 });
    expect(whole.columns.map((c) => c.code)).toEqual(BY_NAME);
    const cellsOf = (m: typeof whole) => Object.fromEntries(m.rows.flatMap((r) => r.cells.map((c) => [`${r.principle.key}:${c.orgUnit.code}`, c])));
    const all = cellsOf(whole);
    // The fixture's A-WSi takes A-Ti and A-T(i+1): A-T5 takes part in A-WS4 and A-WS5, serving principles 4, 5 and 5, 6 (mod 4).
    expect(all['RIGHTS_BASED:A-T5'].workstreams.edges.map((e) => e.node.code).sort()).toEqual(['A-WS4']);
    let cursor: string | null | undefined = null;
    const seen: string[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const page: Awaited<ReturnType<typeof ok>> = await ok({ depth: 2, first: 8, after: cursor });
      seen.push(...page.columns.map((c) => c.code));
      expect(page.gaps).toEqual(whole.gaps);
      expect(page.latestPeriod).toBe(whole.latestPeriod);
      for (const [key, cell] of Object.entries(cellsOf(page))) expect(cell).toEqual(all[key]);
      if (!page.columnsPageInfo.hasNextPage) break;
      cursor = page.columnsPageInfo.endCursor;
    }
    expect(seen).toEqual(BY_NAME); // 8 + 8 + 8 + 6
  });

  test('the gaps page too: pages of a few walk the whole list once, `kind` keeps one kind, the count is the whole list’s', async () => {
    const whole = await ok({ depth: 2, first: 6, gapsFirst: 100 });
    const all = whole.gaps.nodes;
    expect(whole.gaps.totalCount).toBe(all.length);
    expect(all.length).toBeGreaterThan(3);
    const walked: typeof all = [];
    let cursor: string | null | undefined = null;
    for (let guard = 0; guard < 50; guard++) {
      const page: Awaited<ReturnType<typeof ok>> = await ok({ depth: 2, first: 6, gapsFirst: 3, gapsAfter: cursor });
      expect(page.gaps.totalCount).toBe(all.length);
      walked.push(...page.gaps.nodes);
      if (!page.gaps.pageInfo.hasNextPage) break;
      cursor = page.gaps.pageInfo.endCursor;
    }
    expect(walked).toEqual(all);
    const strata = await ok({ depth: 2, first: 6, gapKind: 'MEASURE_WITHOUT_RECENT_STRATA' });
    expect(strata.gaps.nodes).toEqual(all.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_STRATA').slice(0, 100));
    expect(strata.gaps.totalCount).toBe(all.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_STRATA').length);
    const refused = await coverage({ depth: 2, gapsFirst: 101 });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('the statements do not depend on the page or the number of columns', async () => {
    const counts = [];
    // Pages not asked before (an answer asked before comes from the map's response cache).
    for (const variables of [{ depth: 2, first: 5 }, { depth: 2, first: 30 }, { depth: 2, first: 99 }, { depth: 1 }]) {
      counts.push((await ok(variables)).statements);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeGreaterThan(5); // computed, not served from the cache
  });

  test('bad page sizes are refused before any read', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 2, last: 2 }, { after: 'not a cursor' }]) {
      const body = await coverage({ depth: 2, ...variables });
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.data?.coverage ?? null).toBeNull();
    }
  });
});
