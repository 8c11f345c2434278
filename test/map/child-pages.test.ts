import { ApiKeyCreateDocument } from '../generated/graphql';
import { encodeCursor, pageFromArray, type ConnectionArgs } from '../../src/graphql/connection';
import { gql } from '../hardening/http';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * The child lists paged in SQL (childPages): a workstream's milestones, leads and lived-experience
 * involvement, a measure's workstreams and its commentary history. Each page must be the page the
 * in-memory pager gives over the same list in the same order (so cursors issued before still
 * work), every parent of a response is read in one statement per page request, and another
 * trust's rows never appear in a page or a total.
 *
 * Trusts CPA (team CPA-T) and RTX (team RTX-T). Workstreams CP-WS01 … CP-WS12 ("CP workstream 01" …).
 * CP-WS01: 25 live milestones with scrambled due dates (every fifth undated) and 2 archived; 23
 * involvement records (1 archived); 12 leads of CPA in mixed roles, one of RTX, one with no unit.
 * The others: one milestone, one involvement, one lead each. Measure CP-M1 evidences 25
 * workstreams CP-X00 … CP-X24, named "Stream <(i × 7) mod 25>" so name order is not creation order,
 * and has 12 commentary versions at CPA-T for 2025-01 and 3 at RTX-T. CP-M2 evidences two.
 */
const ROLES = ['LEAD', 'CO_LEAD', 'LIVED_EXPERIENCE_LEAD', 'EXECUTIVE_SPONSOR'] as const;
const PAGE = '{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { KEY } } }';

interface PageShape {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: Record<string, unknown> }>;
}

describe.each(DATABASE_KINDS)('child lists paged in SQL on %s', (kind) => {
  let app: TestApp;
  let cpaBoard: string;
  /** database ids of the fixture's rows, each list in the order the API must give */
  const expected = { milestones: [] as number[], involvement: [] as number[], leadsAll: [] as number[], leadsCpa: [] as number[], workstreams: [] as number[], commentary: [] as number[], assessments: [] as number[] };
  const ids = new Map<string, number>();

  const query = async (text: string, variables: Record<string, unknown> = {}, key: string = TEST_ADMIN_KEY) => {
    const { body } = await gql(app.server.url, text, variables, key);
    expect(body.errors).toBeUndefined();
    return { data: body.data as Record<string, any>, statements: (body.extensions as { sqlStatements: number }).sqlStatements };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const prisma = app.database.db.prisma;
    const unit = async (code: string, type: 'TRUST' | 'TEAM', parent: { id: number; path: string; depth: number } | null) => {
      const row = await prisma.orgUnit.create({ data: { code, name: `Unit ${code}`, type, parentId: parent?.id ?? null, path: '/', depth: parent ? parent.depth + 1 : 0 } });
      const done = await prisma.orgUnit.update({ where: { id: row.id }, data: { path: `${parent?.path ?? '/'}${row.id}/` } });
      ids.set(code, done.id);
      return done;
    };
    const cpa = await unit('CPA', 'TRUST', null);
    const cpaTeam = await unit('CPA-T', 'TEAM', cpa);
    const rtx = await unit('RTX', 'TRUST', null);
    const rtxTeam = await unit('RTX-T', 'TEAM', rtx);

    const workstreams: number[] = [];
    for (let n = 1; n <= 12; n++) {
      const code = `CP-WS${String(n).padStart(2, '0')}`;
      const row = await prisma.workstream.create({ data: { code, name: `CP workstream ${String(n).padStart(2, '0')}` } });
      ids.set(code, row.id);
      workstreams.push(row.id);
    }
    const ws1 = workstreams[0];

    // Milestones: due dates scrambled ((i × 11) mod 25 days into 2026), every fifth undated.
    const milestones: Array<{ id: number; due: string | null }> = [];
    for (let i = 0; i < 25; i++) {
      const due = i % 5 === 4 ? null : `2026-01-${String(1 + ((i * 11) % 25)).padStart(2, '0')}`;
      const row = await prisma.milestone.create({ data: { workstreamId: ws1, title: `Milestone ${i}`, dueDate: due ? new Date(`${due}T00:00:00Z`) : null } });
      milestones.push({ id: row.id, due });
    }
    for (let i = 0; i < 2; i++) await prisma.milestone.create({ data: { workstreamId: ws1, title: `Archived ${i}`, dueDate: new Date('2026-01-01T00:00:00Z'), archivedAt: new Date() } });
    expected.milestones = milestones
      .sort((a, b) => (a.due === b.due ? a.id - b.id : a.due === null ? 1 : b.due === null ? -1 : a.due < b.due ? -1 : 1))
      .map((m) => m.id);

    for (let i = 0; i < 23; i++) {
      const row = await prisma.livedExperienceInvolvement.create({ data: { workstreamId: ws1, kind: 'CO_PRODUCTION', description: `Involvement ${i}`, archivedAt: i === 7 ? new Date() : null } });
      if (i !== 7) expected.involvement.push(row.id);
    }

    // Leads: 12 of CPA, one of RTX, one with no unit; roles mixed so role order is not person order.
    const leads: Array<{ person: number; role: (typeof ROLES)[number]; cpa: boolean }> = [];
    for (let i = 0; i < 14; i++) {
      const orgUnitId = i === 12 ? rtxTeam.id : i === 13 ? null : cpaTeam.id;
      const person = await prisma.person.create({ data: { name: `Lead ${i}`, email: `lead${i}@cp.example`, orgUnitId } });
      const role = ROLES[(i * 3) % 4];
      await prisma.workstreamLead.create({ data: { workstreamId: ws1, personId: person.id, role } });
      leads.push({ person: person.id, role, cpa: i !== 12 });
    }
    leads.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.person - b.person);
    expected.leadsAll = leads.map((l) => l.person);
    expected.leadsCpa = leads.filter((l) => l.cpa).map((l) => l.person);

    for (const ws of workstreams.slice(1)) {
      await prisma.milestone.create({ data: { workstreamId: ws, title: 'One milestone' } });
      await prisma.livedExperienceInvolvement.create({ data: { workstreamId: ws, kind: 'ADVISORY', description: 'One group' } });
      const person = await prisma.person.create({ data: { name: `Lead of ${ws}`, orgUnitId: cpaTeam.id } });
      await prisma.workstreamLead.create({ data: { workstreamId: ws, personId: person.id } });
    }

    const m1 = await prisma.measure.create({ data: { code: 'CP-M1', name: 'CP measure 1', scoringType: 'COUNT', improvementDirection: 'INCREASE', audience: 'PATIENTS' } });
    const m2 = await prisma.measure.create({ data: { code: 'CP-M2', name: 'CP measure 2', scoringType: 'COUNT', improvementDirection: 'INCREASE', audience: 'PATIENTS' } });
    const linked: Array<{ id: number; name: string }> = [];
    for (let i = 0; i < 25; i++) {
      const name = `Stream ${String((i * 7) % 25).padStart(2, '0')}`;
      const row = await prisma.workstream.create({ data: { code: `CP-X${String(i).padStart(2, '0')}`, name } });
      await prisma.measureWorkstream.create({ data: { measureId: m1.id, workstreamId: row.id } });
      linked.push({ id: row.id, name });
    }
    await prisma.measureWorkstream.createMany({ data: [ws1, workstreams[1]].map((workstreamId) => ({ measureId: m2.id, workstreamId })) });
    expected.workstreams = linked.sort((a, b) => (a.name < b.name ? -1 : 1)).map((w) => w.id);

    const january = new Date('2025-01-01T00:00:00Z');
    const versions: Array<{ id: number; at: number }> = [];
    for (let i = 0; i < 12; i++) {
      // Two versions share each time: the id breaks the tie (newest id first).
      const at = Date.UTC(2025, 1, 1 + Math.floor(((i * 5) % 12) / 2));
      const row = await prisma.commentary.create({ data: { measureId: m1.id, orgUnitId: cpaTeam.id, periodStart: january, text: `Version ${i}`, author: 'test', createdAt: new Date(at) } });
      versions.push({ id: row.id, at });
    }
    for (let i = 0; i < 3; i++) await prisma.commentary.create({ data: { measureId: m1.id, orgUnitId: rtxTeam.id, periodStart: january, text: `Other trust ${i}`, author: 'test' } });
    expected.commentary = versions.sort((a, b) => b.at - a.at || b.id - a.id).map((v) => v.id);

    // CORE item 22 assessments: 15 at CPA-T with scrambled dates (three share each date), 3 at RTX-T, one at each of 4 more CPA teams.
    const assessments: Array<{ id: number; on: string }> = [];
    for (let i = 0; i < 15; i++) {
      const on = `2025-0${1 + (((i * 4) % 15) % 5)}-15`;
      const row = await prisma.coreItem22Assessment.create({ data: { orgUnitId: cpaTeam.id, criterion: 'A_RECRUITMENT', met: i % 2 === 0, assessedOn: new Date(`${on}T00:00:00Z`), assessor: `Assessor ${i}`, evidence: 'Observed', recordedBy: 'test' } });
      assessments.push({ id: row.id, on });
    }
    for (let i = 0; i < 3; i++) await prisma.coreItem22Assessment.create({ data: { orgUnitId: rtxTeam.id, criterion: 'A_RECRUITMENT', met: true, assessedOn: new Date('2025-02-01T00:00:00Z'), assessor: 'Other trust assessor', evidence: 'x', recordedBy: 'test' } });
    for (let t = 1; t <= 4; t++) {
      const team = await unit(`CPA-U${t}`, 'TEAM', cpa);
      await prisma.coreItem22Assessment.create({ data: { orgUnitId: team.id, criterion: 'B_SKILLS_MONITORED', met: true, assessedOn: new Date('2025-03-01T00:00:00Z'), assessor: 'A', evidence: 'x', recordedBy: 'test' } });
    }
    expected.assessments = assessments.sort((a, b) => (a.on === b.on ? b.id - a.id : a.on < b.on ? 1 : -1)).map((a) => a.id);

    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: 'CPA board', role: 'BOARD', trustCodes: ['CPA'] } });
    cpaBoard = body.data!.apiKeyCreate.secret!;
  });
  afterAll(() => app?.close());

  /** One workstream's list, as the API pages it. */
  const workstreamList = (field: string, keyField: string) => async (args: ConnectionArgs, key?: string): Promise<PageShape> => {
    const { data } = await query(
      `query($first: Int, $after: String, $last: Int, $before: String) { workstream(code: "CP-WS01") { ${field}(first: $first, after: $after, last: $last, before: $before) ${PAGE.replace('KEY', keyField)} } }`,
      { ...args },
      key,
    );
    return data.workstream[field] as PageShape;
  };
  const measureList = (field: string, extraArgs: string) => async (args: ConnectionArgs, key?: string): Promise<PageShape> => {
    const { data } = await query(
      `query($first: Int, $after: String, $last: Int, $before: String) { measure(code: "CP-M1") { ${field}(${extraArgs}first: $first, after: $after, last: $last, before: $before) ${PAGE.replace('KEY', 'id')} } }`,
      { ...args },
      key,
    );
    return data.measure[field] as PageShape;
  };

  const assessmentList = async (args: ConnectionArgs, key?: string): Promise<PageShape> => {
    const { data } = await query(
      `query($first: Int, $after: String, $last: Int, $before: String) { orgUnit(code: "CPA-T") { coreItem22Assessments(first: $first, after: $after, last: $last, before: $before) ${PAGE.replace('KEY', 'id')} } }`,
      { ...args },
      key,
    );
    return data.orgUnit.coreItem22Assessments as PageShape;
  };

  const lists = () => [
    { name: 'Workstream.milestones', order: expected.milestones, page: workstreamList('milestones', 'id') },
    { name: 'Workstream.livedExperienceInvolvement', order: expected.involvement, page: workstreamList('livedExperienceInvolvement', 'id') },
    { name: 'Workstream.leads', order: expected.leadsAll, page: workstreamList('leads', 'role person { id }') },
    { name: 'Measure.workstreams', order: expected.workstreams, page: measureList('workstreams', '') },
    { name: 'Measure.commentaryHistory', order: expected.commentary, page: measureList('commentaryHistory', 'orgUnitCode: "CPA-T", periodStart: "2025-01-01", ') },
    { name: 'OrgUnit.coreItem22Assessments', order: expected.assessments, page: assessmentList },
  ];

  test('every page is the page the in-memory pager gives over the same list: first/after, last/before, both, unknown cursors, empty pages', async () => {
    for (const list of lists()) {
      const n = list.order.length;
      const cursorAt = (i: number) => encodeCursor(list.order[i]);
      const cases: ConnectionArgs[] = [
        {},
        { first: 0 },
        { first: 100 },
        { first: 5 },
        { first: 5, after: cursorAt(4) },
        { first: 5, after: cursorAt(n - 3) },
        { first: 5, after: cursorAt(n - 1) },
        { last: 4 },
        { last: 4, before: cursorAt(6) },
        { last: 10, before: cursorAt(3) },
        { first: 3, after: cursorAt(2), before: cursorAt(9) },
        { last: 3, after: cursorAt(2), before: cursorAt(9) },
        { first: 30, after: cursorAt(2), before: cursorAt(9) },
        { first: 5, after: encodeCursor(999999) },
        { first: 5, after: encodeCursor('not-an-id') },
      ];
      for (const args of cases) {
        const page = await list.page(args);
        const reference = pageFromArray(list.order, args, (id) => id);
        expect({ list: list.name, args, cursors: page.edges.map((e) => e.cursor), pageInfo: page.pageInfo, totalCount: page.totalCount }).toEqual({
          list: list.name,
          args,
          cursors: reference.edges.map((e) => e.cursor),
          pageInfo: reference.pageInfo,
          totalCount: n,
        });
      }
    }
  });

  test('walking forwards and backwards visits every item once, in order, and the cursors name the items', async () => {
    for (const list of lists()) {
      for (const backward of [false, true]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard < 30; guard++) {
          const page: PageShape = await list.page(backward ? { last: 4, before: cursor } : { first: 4, after: cursor });
          seen.splice(backward ? 0 : seen.length, 0, ...page.edges.map((e) => e.cursor));
          if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
          cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
        }
        expect({ list: list.name, backward, seen }).toEqual({ list: list.name, backward, seen: list.order.map((id) => encodeCursor(id)) });
      }
    }
  });

  test('a cursor still names its item after rows are added before it', async () => {
    const prisma = app.database.db.prisma;
    const milestones = workstreamList('milestones', 'id');
    const first = await milestones({ first: 3 });
    const added = await prisma.milestone.create({ data: { workstreamId: ids.get('CP-WS01')!, title: 'Earliest', dueDate: new Date('2025-06-01T00:00:00Z') } });
    try {
      const next = await milestones({ first: 3, after: first.pageInfo.endCursor });
      expect(next.edges.map((e) => e.cursor)).toEqual(expected.milestones.slice(3, 6).map((id) => encodeCursor(id)));
      expect(next.totalCount).toBe(expected.milestones.length + 1);
    } finally {
      await prisma.milestone.delete({ where: { id: added.id } });
    }
  });

  test('another trust’s rows are never in a page or a total: its lead is left out, its commentary cannot be asked for', async () => {
    const leads = workstreamList('leads', 'role person { id }');
    const mine = await leads({ first: 100 }, cpaBoard);
    expect(mine.totalCount).toBe(13);
    expect(mine.edges.map((e) => e.cursor)).toEqual(expected.leadsCpa.map((id) => encodeCursor(id)));
    for (const args of [{ first: 3, after: encodeCursor(expected.leadsCpa[2]) }, { last: 5 }, { last: 2, before: encodeCursor(expected.leadsCpa[4]) }]) {
      const page = await leads(args, cpaBoard);
      const reference = pageFromArray(expected.leadsCpa, args, (id) => id);
      expect({ cursors: page.edges.map((e) => e.cursor), pageInfo: page.pageInfo, total: page.totalCount }).toEqual({
        cursors: reference.edges.map((e) => e.cursor),
        pageInfo: reference.pageInfo,
        total: 13,
      });
    }
    // The other trust's lead's cursor is no cursor of this list for this key: the page starts the list.
    const rtxLead = expected.leadsAll.find((id) => !expected.leadsCpa.includes(id))!;
    expect((await leads({ first: 2, after: encodeCursor(rtxLead) }, cpaBoard)).edges.map((e) => e.cursor)).toEqual(expected.leadsCpa.slice(0, 2).map((id) => encodeCursor(id)));

    const history = measureList('commentaryHistory', 'orgUnitCode: "CPA-T", periodStart: "2025-01-01", ');
    expect((await history({ first: 100 }, cpaBoard)).totalCount).toBe(12);
    const other = await gql(app.server.url, '{ measure(code: "CP-M1") { commentaryHistory(orgUnitCode: "RTX-T", periodStart: "2025-01-01") { totalCount nodes { text } } } }', undefined, cpaBoard);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(other.body.data ?? null)).not.toContain('Other trust');
    const admin = await query('{ measure(code: "CP-M1") { commentaryHistory(orgUnitCode: "RTX-T", periodStart: "2025-01-01") { totalCount } } }');
    expect(admin.data.measure.commentaryHistory.totalCount).toBe(3);

    // Assessments: the CPA key pages CPA-T's own; RTX-T is not to be had (NOT_FOUND, nothing of it).
    expect((await assessmentList({ first: 100 }, cpaBoard)).totalCount).toBe(15);
    const rtx = await gql(app.server.url, '{ orgUnit(code: "RTX-T") { coreItem22Assessments(first: 10) { totalCount nodes { assessor } } } }', undefined, cpaBoard);
    expect(rtx.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(rtx.body.data ?? null)).not.toContain('Other trust');
  });

  test('statements do not grow with parents or children: one statement per list for every parent of the response', async () => {
    const many = `query($search: String!) { workstreams(search: $search, first: 100) { nodes { code
      milestones(first: 3) { totalCount nodes { title } } leads(first: 3) { totalCount nodes { role person { name } } }
      livedExperienceInvolvement(first: 3) { totalCount nodes { kind } } } } }`;
    const one = await query(many, { search: 'CP workstream 01' });
    const twelve = await query(many, { search: 'CP workstream' });
    expect(one.data.workstreams.nodes).toHaveLength(1);
    expect(twelve.data.workstreams.nodes).toHaveLength(12);
    expect(twelve.data.workstreams.nodes[0].milestones.totalCount).toBe(25);
    expect(twelve.statements).toBe(one.statements);

    const measures = `query($search: String!) { measures(search: $search, first: 100) { nodes { code
      workstreams(first: 3) { totalCount nodes { code } }
      commentaryHistory(orgUnitCode: "CPA-T", periodStart: "2025-01-01", first: 2) { totalCount nodes { text } } } } }`;
    const oneMeasure = await query(measures, { search: 'CP measure 1' });
    const bothMeasures = await query(measures, { search: 'CP measure' });
    expect(bothMeasures.data.measures.nodes.map((m: { workstreams: { totalCount: number } }) => m.workstreams.totalCount)).toEqual([25, 2]);
    expect(bothMeasures.statements).toBe(oneMeasure.statements);

    // The org-unit list itself may read differently for a leaf and a trust: count what the assessments add to it.
    const units = (withAssessments: boolean) =>
      `query($first: Int!) { orgUnits(withinCode: "CPA", first: $first) { nodes { code ${withAssessments ? 'coreItem22Assessments(first: 2) { totalCount nodes { assessor } }' : ''} } } }`;
    const added = async (first: number) => {
      const [plain, paged] = [await query(units(false), { first }), await query(units(true), { first })];
      return { nodes: paged.data.orgUnits.nodes, statements: paged.statements - plain.statements };
    };
    const oneUnit = await added(1);
    const everyUnit = await added(100);
    expect(oneUnit.nodes).toHaveLength(1);
    expect(everyUnit.nodes.length).toBeGreaterThanOrEqual(5);
    expect(everyUnit.nodes.find((u: { code: string }) => u.code === 'CPA-T').coreItem22Assessments.totalCount).toBe(15);
    expect([oneUnit.statements, everyUnit.statements]).toEqual([1, 1]);

    // Forty more milestones on the first workstream: the same statements.
    const prisma = app.database.db.prisma;
    await prisma.milestone.createMany({ data: Array.from({ length: 40 }, (_, i) => ({ workstreamId: ids.get('CP-WS01')!, title: `Extra ${i}` })) });
    try {
      const after = await query(many, { search: 'CP workstream' });
      expect(after.data.workstreams.nodes[0].milestones.totalCount).toBe(65);
      expect(after.statements).toBe(twelve.statements);
      // authentication and the key's last use, the workstreams and their count... and one read per child list
      expect(after.statements).toBeLessThanOrEqual(8);
    } finally {
      await prisma.milestone.deleteMany({ where: { title: { startsWith: 'Extra ' } } });
    }
  });

  test('bad page sizes are refused', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { first: 2, last: 2 }]) {
      const { body } = await gql(app.server.url, 'query($first: Int, $last: Int) { workstream(code: "CP-WS01") { milestones(first: $first, last: $last) { totalCount } } }', variables);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
