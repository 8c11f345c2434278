import {
  MeasureByCodeDocument,
  MeasurePageWithPrinciplesDocument,
  NodeByIdDocument,
  NodesByIdsDocument,
  OrgUnitByCodeDocument,
  OrgUnitCreateDocument,
  OrgUnitsDocument,
  OrgUnitPageWithParentsDocument,
  PrincipleMapDocument,
  PrinciplesDocument,
  WorkstreamByCodeDocument,
  PeopleDocument,
} from '../generated/graphql';
import { createFacultyMap } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

describe.each(DATABASE_KINDS)('read model on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createFacultyMap(app.database.db.prisma, 4, 'A');
  });
  afterAll(() => app.close());

  test('principles are the 4Rs in order, with opaque ids', async () => {
    const { status, body } = await app.request(PrinciplesDocument);
    expect(status).toBe(200);
    expect(body.data!.principles.map((p) => p.key)).toEqual(['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE']);
    expect(body.data!.principles.map((p) => p.name)).toEqual(['Rights-based', 'Relational', 'Reflective', 'Responsive']);
    expect(body.data!.principles[0].id).not.toContain('Principle');
  });

  test('an org unit by code, with its parent, ancestors and children', async () => {
    const team = await app.request(OrgUnitByCodeDocument, { code: 'A-TEAM-2' });
    expect(team.body.errors).toBeUndefined();
    expect(team.body.data!.orgUnit).toMatchObject({ code: 'A-TEAM-2', type: 'TEAM', depth: 1, parent: { code: 'RAX' }, ancestors: [{ code: 'RAX' }] });
    const trust = await app.request(OrgUnitByCodeDocument, { code: 'RAX' });
    expect(trust.body.data!.orgUnit!.children.totalCount).toBe(4);
    expect(trust.body.data!.orgUnit!.children.nodes.map((c) => c.code)).toEqual(['A-TEAM-0', 'A-TEAM-1', 'A-TEAM-2', 'A-TEAM-3']);
  });

  test('an unknown code is a NOT_FOUND error, not a crash', async () => {
    for (const document of [OrgUnitByCodeDocument, MeasureByCodeDocument, WorkstreamByCodeDocument]) {
      const { status, body } = await app.request(document, { code: 'NOPE' });
      expect(status).toBe(200);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions!.code).toBe('NOT_FOUND');
      expect(body.errors![0].message).toContain('NOPE');
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  test('pages through org units forwards and backwards with cursors', async () => {
    const first = await app.request(OrgUnitsDocument, { first: 2 });
    const page1 = first.body.data!.orgUnits;
    expect(page1.totalCount).toBe(5);
    expect(page1.edges.map((e) => e.node.code)).toEqual(['RAX', 'A-TEAM-0']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await app.request(OrgUnitsDocument, { first: 2, after: page1.pageInfo.endCursor });
    const page2 = second.body.data!.orgUnits;
    expect(page2.edges.map((e) => e.node.code)).toEqual(['A-TEAM-1', 'A-TEAM-2']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const back = await app.request(OrgUnitsDocument, { last: 2, before: page2.pageInfo.startCursor });
    expect(back.body.data!.orgUnits.edges.map((e) => e.node.code)).toEqual(['RAX', 'A-TEAM-0']);
    expect(back.body.data!.orgUnits.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    const teams = await app.request(OrgUnitsDocument, { first: 10, type: 'TEAM', withinCode: 'RAX' });
    expect(teams.body.data!.orgUnits.totalCount).toBe(4);
  });

  test('page sizes above 100, negative sizes, first with last, and foreign cursors are refused', async () => {
    const cases = [{ first: 1000 }, { first: -1 }, { last: 101 }, { first: 1, last: 1 }, { first: 1, after: 'bm90LWEtY3Vyc29y' }];
    for (const variables of cases) {
      const { body } = await app.request(OrgUnitsDocument, variables);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.data?.orgUnits ?? null).toBeNull();
    }
  });

  test('node and nodes resolve global ids of any type; malformed ids are BAD_USER_INPUT', async () => {
    const principles = await app.request(PrinciplesDocument);
    const unit = await app.request(OrgUnitByCodeDocument, { code: 'A-TEAM-1' });
    const unitId = unit.body.data!.orgUnit!.id;
    const node = await app.request(NodeByIdDocument, { id: unitId });
    expect(node.body.data!.node).toMatchObject({ __typename: 'OrgUnit', code: 'A-TEAM-1' });

    const nodes = await app.request(NodesByIdsDocument, { ids: [principles.body.data!.principles[1].id, unitId] });
    expect(nodes.body.data!.nodes.map((n) => n?.__typename)).toEqual(['Principle', 'OrgUnit']);

    const missing = Buffer.from('OrgUnit:999999').toString('base64url');
    expect((await app.request(NodeByIdDocument, { id: missing })).body.data!.node).toBeNull();

    for (const bad of ['not-an-id', Buffer.from('Nope:1').toString('base64url'), '']) {
      const { body } = await app.request(NodeByIdDocument, { id: bad });
      expect(body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    }
  });

  test('workstreams and measures read back with their links', async () => {
    const ws = await app.request(WorkstreamByCodeDocument, { code: 'A-WS-1' });
    expect(ws.body.data!.workstream).toMatchObject({ code: 'A-WS-1', status: 'ACTIVE', principles: [{ key: 'RELATIONAL' }, { key: 'REFLECTIVE' }] });
    const measure = await app.request(MeasureByCodeDocument, { code: 'A-M-0-0' });
    expect(measure.body.data!.measure).toMatchObject({ scoringType: 'PROPORTION', target: 0.8, audience: 'PATIENTS' });
    const people = await app.request(PeopleDocument, { first: 10, search: 'lead 3' });
    expect(people.body.data!.people.nodes).toEqual([{ name: 'A lead 3', orgUnit: { code: 'A-TEAM-3' } }]);
  });

  test('the principle map resolves in the same number of SQL statements when the data doubles', async () => {
    const before = await app.request(PrincipleMapDocument);
    expect(before.body.errors).toBeUndefined();
    const statementsAt4 = before.body.extensions!.sqlStatements!;
    const workstreamsAt4 = before.body.data!.principles.reduce((n, p) => n + p.workstreams.nodes.length, 0);
    expect(workstreamsAt4).toBe(8); // 4 workstreams × 2 principles each

    await createFacultyMap(app.database.db.prisma, 8, 'B');
    const after = await app.request(PrincipleMapDocument);
    const workstreamsAt12 = after.body.data!.principles.reduce((n, p) => n + p.workstreams.nodes.length, 0);
    expect(workstreamsAt12).toBe(24);
    expect(after.body.extensions!.sqlStatements).toBe(statementsAt4);
    // one per level: principles, workstreams, leads (+people), teams (+org units), parents, measures (+rows), their principles, targets
    expect(statementsAt4).toBeLessThanOrEqual(14);
  });

  test('a page of measures with their principles: every field as stored, in the same statements whatever the page size', async () => {
    const prisma = app.database.db.prisma;
    // One measure with its own rule, a multiplier, labels and stratifiers; one archived (left out of the list).
    const [first, second] = await prisma.measure.findMany({ orderBy: { id: 'asc' }, take: 2 });
    await prisma.measure.update({
      where: { id: first.id },
      data: { disclosure: { kind: 'SMALL_NUMBERS', minCount: 7, roundTo: 3, minDenominator: 50 }, multiplier: 1000, scoringType: 'RATE', numeratorLabel: 'restraints', denominatorLabel: 'bed days', stratifiers: ['ETHNICITY', 'SEX'] },
    });
    await prisma.measure.update({ where: { id: second.id }, data: { archivedAt: new Date() } });
    try {
      const live = await prisma.measure.findMany({ where: { archivedAt: null }, orderBy: { id: 'asc' }, include: { principles: { include: { principle: true } } } });
      const small = await app.request(MeasurePageWithPrinciplesDocument, { first: 2 });
      const large = await app.request(MeasurePageWithPrinciplesDocument, { first: 100 });
      expect(large.body.errors).toBeUndefined();
      const page = large.body.data!.measures;
      expect(page.totalCount).toBe(live.length);
      expect(page.nodes.map((m) => m.code)).toEqual(live.map((m) => m.code));
      // the raw read gives what Prisma's client reads, field by field
      for (const [i, row] of live.entries()) {
        expect(page.nodes[i]).toMatchObject({
          name: row.name,
          description: row.description,
          scoringType: row.scoringType,
          improvementDirection: row.improvementDirection,
          multiplier: row.multiplier,
          unit: row.unit,
          audience: row.audience,
          stratifiers: row.stratifiers,
          periodicity: row.periodicity,
          numeratorLabel: row.numeratorLabel,
          denominatorLabel: row.denominatorLabel,
          archived: false,
          version: row.version,
          updatedAt: row.updatedAt.toISOString(),
        });
        const keys = row.principles.map((link) => link.principle).sort((a, b) => a.sortOrder - b.sortOrder).map((p) => p.key);
        expect(page.nodes[i].principles.map((p) => p.key)).toEqual(keys);
      }
      expect(page.nodes[0].disclosure).toEqual({ kind: 'SMALL_NUMBERS', minCount: 7, roundTo: 3, minDenominator: 50, isDefault: false });
      expect(page.nodes[1].disclosure.isDefault).toBe(true);
      expect(page.nodes.some((m) => m.code === second.code)).toBe(false);
      expect(live.some((m) => m.principles.length > 0)).toBe(true);
      // the page, its count and the principle links: not one statement per measure (the four
      // principles are read once per process, by an earlier request); and the board data
      // version, read first by the versioned read cache (src/board/versioned-read-cache.ts)
      expect(small.body.extensions!.sqlStatements).toBe(large.body.extensions!.sqlStatements);
      expect(large.body.extensions!.sqlStatements).toBe(4);
      // keyset paging on the raw path: the next page starts after the cursor
      const next = await app.request(MeasurePageWithPrinciplesDocument, { first: 2, after: small.body.data!.measures.pageInfo.endCursor });
      expect(next.body.data!.measures.nodes.map((m) => m.code)).toEqual(live.slice(2, 4).map((m) => m.code));
    } finally {
      await prisma.measure.update({ where: { id: first.id }, data: { disclosure: first.disclosure ?? undefined, multiplier: first.multiplier, scoringType: first.scoringType, numeratorLabel: first.numeratorLabel, denominatorLabel: first.denominatorLabel, stratifiers: first.stratifiers } });
      await prisma.measure.update({ where: { id: second.id }, data: { archivedAt: null } });
    }
  });

  test('a page of org units with their parents: a parent the page holds costs no statement, one outside it one batched statement', async () => {
    const prisma = app.database.db.prisma;
    const units = await prisma.orgUnit.findMany({ where: { archivedAt: null }, orderBy: { id: 'asc' } });
    const byId = new Map(units.map((u) => [u.id, u]));
    const parentOf = (code: string) => {
      const unit = units.find((u) => u.code === code)!;
      const parent = unit.parentId === null ? null : byId.get(unit.parentId)!;
      return parent ? { code: parent.code, name: parent.name, depth: parent.depth } : null;
    };
    // The whole list: every parent is on the page (the trust comes first), so one statement.
    const whole = await app.request(OrgUnitPageWithParentsDocument, { first: 100 });
    expect(whole.body.errors).toBeUndefined();
    expect(whole.body.data!.orgUnits.nodes.length).toBe(units.length);
    for (const node of whole.body.data!.orgUnits.nodes) expect(node.parent).toEqual(parentOf(node.code));
    expect(whole.body.extensions!.sqlStatements).toBe(2); // the page, and the read cache's version read
    // A page after the trust: its parent is read, once for the page, and is the same unit.
    const afterTrust = (await app.request(OrgUnitPageWithParentsDocument, { first: 1 })).body.data!.orgUnits.pageInfo.endCursor;
    const later = await app.request(OrgUnitPageWithParentsDocument, { first: 3, after: afterTrust });
    expect(later.body.errors).toBeUndefined();
    expect(later.body.data!.orgUnits.nodes.length).toBe(3);
    for (const node of later.body.data!.orgUnits.nodes) expect(node.parent).toEqual(parentOf(node.code));
    expect(later.body.extensions!.sqlStatements).toBe(3);
  });

  test('a created org unit is readable at once and its path places it in the tree', async () => {
    const created = await app.request(OrgUnitCreateDocument, { input: { code: 'A-DIR', name: 'A directorate', type: 'DIRECTORATE', parentCode: 'RAX' } });
    expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    expect(created.body.data!.orgUnitCreate.orgUnit).toMatchObject({ code: 'A-DIR', depth: 1, parent: { code: 'RAX' } });
    const ward = await app.request(OrgUnitCreateDocument, { input: { code: 'A-WARD', name: 'A ward', type: 'WARD', parentCode: 'A-DIR' } });
    expect(ward.body.data!.orgUnitCreate.orgUnit!.depth).toBe(2);
    const within = await app.request(OrgUnitsDocument, { first: 10, withinCode: 'A-DIR' });
    expect(within.body.data!.orgUnits.edges.map((e) => e.node.code)).toEqual(['A-WARD']);
    // within a unit that does not exist: an empty list, not an error and not every unit
    const nowhere = await app.request(OrgUnitsDocument, { first: 10, withinCode: 'NO-SUCH' });
    expect(nowhere.body.errors).toBeUndefined();
    expect(nowhere.body.data!.orgUnits).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
  });
});
