import { ApiKeyCreateDocument } from '../generated/graphql';
import { gql } from '../hardening/http';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * `Measure.targets` is a connection: a trust may set a target for every team and ward, so the
 * list grows with the tree. Measure MT-M has a trust-wide target (no unit), one for each of the
 * seven teams MTA-T1 … MTA-T7 of trust MTA and two for trust RTY's teams. Pages come in the order
 * the targets were set (by id); a trust's key sees the trust-wide target and its own trust's, in
 * its pages and in totalCount alike.
 */
describe.each(DATABASE_KINDS)('a measure’s targets, paged, on %s', (kind) => {
  let app: TestApp;
  let mtaBoard: string;
  /** the value of each target in the order set; the trust-wide one is 0.5, a team's 0.6 + i/100, RTY's 0.9x */
  const all: number[] = [];
  const mtaOnly: number[] = [];

  const targets = async (args: string, key: string) => {
    const { body } = await gql(
      app.server.url,
      `{ measure(code: "MT-M") { targets${args} { totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } nodes { value orgUnit { code } } } } }`,
      {},
      key,
    );
    expect(body.errors).toBeUndefined();
    return (body.data as { measure: { targets: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null }; nodes: Array<{ value: number; orgUnit: { code: string } | null }> } } }).measure.targets;
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const prisma = app.database.db.prisma;
    const unit = async (code: string, type: 'TRUST' | 'TEAM', parent: { id: number; path: string; depth: number } | null) => {
      const row = await prisma.orgUnit.create({ data: { code, name: `Unit ${code}`, type, parentId: parent?.id ?? null, path: '/', depth: parent ? parent.depth + 1 : 0 } });
      return prisma.orgUnit.update({ where: { id: row.id }, data: { path: `${parent?.path ?? '/'}${row.id}/` } });
    };
    const mta = await unit('MTA', 'TRUST', null);
    const rty = await unit('RTY', 'TRUST', null);
    const measure = await prisma.measure.create({ data: { code: 'MT-M', name: 'Targets measure', scoringType: 'PROPORTION', improvementDirection: 'INCREASE', audience: 'PATIENTS' } });
    const set = async (orgUnitId: number | null, value: number, mine: boolean) => {
      await prisma.measureTarget.create({ data: { measureId: measure.id, orgUnitId, value } });
      all.push(value);
      if (mine) mtaOnly.push(value);
    };
    await set(null, 0.5, true);
    // RTY's two targets are set between MTA's, so leaving them out must close the gap in the order.
    for (let i = 1; i <= 7; i++) {
      const team = await unit(`MTA-T${i}`, 'TEAM', mta);
      await set(team.id, 0.6 + i / 100, true);
      if (i === 3 || i === 5) await set((await unit(`RTY-T${i}`, 'TEAM', rty)).id, 0.9 + i / 100, false);
    }
    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: 'MTA board', role: 'BOARD', trustCodes: ['MTA'] } });
    mtaBoard = body.data!.apiKeyCreate.secret!;
  });
  afterAll(() => app?.close());

  test('pages walk every target once, forwards and backwards, in the order set', async () => {
    for (const [key, expected] of [
      [TEST_ADMIN_KEY, all],
      [mtaBoard, mtaOnly],
    ] as const) {
      const seen: number[] = [];
      let after = '';
      for (;;) {
        const page = await targets(`(first: 3${after})`, key);
        expect(page.totalCount).toBe(expected.length);
        seen.push(...page.nodes.map((n) => n.value));
        if (!page.pageInfo.hasNextPage) break;
        after = `, after: "${page.pageInfo.endCursor}"`;
      }
      expect(seen).toEqual(expected);
      const last = await targets('(last: 2)', key);
      expect(last.nodes.map((n) => n.value)).toEqual(expected.slice(-2));
      expect(last.pageInfo.hasPreviousPage).toBe(true);
      // Without arguments a page holds 20: the whole list here.
      expect((await targets('', key)).nodes.map((n) => n.value)).toEqual(expected);
    }
  });

  test('another trust’s targets are in no page and no count for a trust’s key', async () => {
    const page = await targets('(first: 100)', mtaBoard);
    expect(page.totalCount).toBe(8);
    expect(page.nodes.filter((n) => n.orgUnit?.code.startsWith('RTY'))).toEqual([]);
    expect(page.nodes.filter((n) => n.orgUnit === null).map((n) => n.value)).toEqual([0.5]);
  });

  test('a page larger than 100 is refused', async () => {
    const { body } = await gql(app.server.url, '{ measure(code: "MT-M") { targets(first: 101) { totalCount } } }', {}, TEST_ADMIN_KEY);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
