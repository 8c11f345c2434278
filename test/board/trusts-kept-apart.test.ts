import { FEATURES } from '../../src/app/features';
import { encodeGlobalId } from '../../src/graphql/global-id';
import { gql, type RawResponse } from '../hardening/http';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * Trusts kept apart: two trusts in one installation. RTT (the measurement fixture: RTT-DIR →
 * RTT-A, RTT-B, RTT-C, RTT-W; RTT-DIR2 → RTT-D) and TAF (TAF-DIR → TAF-W1), each with people,
 * observations, a target, an SPC phase, commentary, an integration client and keys. Every
 * credential of RTT (BOARD, FACULTY_LEAD, TEAM_MANAGER, an ADMIN of RTT, an INTEGRATION key of
 * an RTT client) asks every root field and fetches every node type for TAF's things, and sees
 * nothing: lookups answer exactly as for a code that does not exist, node ids give null, lists
 * leave TAF out, and every write is refused with TAF's data unchanged. A whole-ICS BOARD key
 * (no trusts named) and TAF's own key are the controls: they do see TAF.
 */
const MONTHS = ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-06-01'];

type Keys = Record<'BOARD' | 'FACULTY_LEAD' | 'TEAM_MANAGER' | 'ADMIN' | 'INTEGRATION', string>;

interface TafIds {
  trust: number;
  directorate: number;
  ward: number;
  person: number;
  observations: number[];
  target: number;
  phase: number;
  commentary: number;
  client: number;
  key: number;
  auditEvents: bigint[];
  feedback: number;
  action: number;
  assessment: number;
  /** an RTT feedback item (for an action owned by a TAF person) */
  rttFeedback: number;
}

/** The root fields and how this suite asks each one about TAF (the test below fails when a field is added and not listed). */
const QUERY_FIELDS = [
  'auditEvents',
  'coverage',
  'drillDown',
  'exceptions',
  'feedback',
  'feedbackOverview',
  'feedbackThemes',
  'integrationClients',
  'measure',
  'measures',
  'node',
  'nodes',
  'orgUnit',
  'orgUnits',
  'people',
  'principle',
  'principles',
  'scorecard',
  'viewer',
  'workstream',
  'workstreams',
  'youSaidWeDid',
];

/** Mutations that write something of a trust, each tried against TAF below; the rest change only what every trust shares. */
const TRUST_MUTATIONS = [
  'apiKeyCreate',
  'apiKeyRevoke',
  'commentaryWrite',
  'coreItem22AssessmentRecord',
  'feedbackActionCreate',
  'feedbackActionUpdate',
  'feedbackPublish',
  'feedbackRecord',
  'feedbackUpdate',
  'importFeedback',
  'importObservations',
  'integrationClientCreate',
  'integrationClientRevoke',
  'integrationClientRotateKey',
  'integrationClientUpdateScope',
  'measureTargetRemove',
  'measureTargetSet',
  'measureUpdate',
  'observationRecord',
  'orgUnitArchive',
  'orgUnitCreate',
  'orgUnitUpdate',
  'personArchive',
  'personCreate',
  'personUpdate',
  'spcPhaseAdd',
  'spcPhaseArchive',
  'workstreamAddLead',
  'workstreamAddTeam',
  'workstreamAddTeams',
  'workstreamRemoveLead',
  'workstreamRemoveTeam',
];
const SHARED_MUTATIONS = [
  // principles, workstreams, their milestones and involvement, the measure catalogue and the feedback themes are the installation's faculty map
  'feedbackThemeCreate',
  'livedExperienceInvolvementArchive',
  'livedExperienceInvolvementCreate',
  'livedExperienceInvolvementUpdate',
  'measureAddPrinciple',
  'measureAddWorkstream',
  'measureArchive',
  'measureCreate',
  'measureRemovePrinciple',
  'measureRemoveWorkstream',
  'milestoneArchive',
  'milestoneCreate',
  'milestoneUpdate',
  'workstreamAddMeasures',
  'workstreamAddPrinciple',
  'workstreamArchive',
  'workstreamCreate',
  'workstreamRemovePrinciple',
  'workstreamUpdate',
];

/** What a response says once the code asked for is taken out: two lookups that differ only in it must read the same. */
function withoutCodes(response: RawResponse, codes: readonly string[]): unknown {
  let text = JSON.stringify({ status: response.status, body: { data: response.body.data ?? null, errors: response.body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) } });
  for (const code of codes) text = text.split(code).join('<code>');
  return JSON.parse(text) as unknown;
}

describe.each(DATABASE_KINDS)('trusts kept apart on %s', (kind) => {
  let app: TestApp;
  let keys: Keys;
  let wholeIcsBoard: string;
  let tafBoard: string;
  let taf: TafIds;
  const q = (query: string, variables: Record<string, unknown> | undefined, key: string) => gql(app.server.url, query, variables, key);
  const admin = async (query: string, variables?: Record<string, unknown>) => {
    const response = await q(query, variables, TEST_ADMIN_KEY);
    expect(response.body.errors).toBeUndefined();
    return response.body.data as Record<string, Record<string, unknown> & { userErrors?: unknown[] }>;
  };
  const secretOf = async (input: Record<string, unknown>) => {
    const data = await admin('mutation K($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret apiKey { id } userErrors { code message } } }', { input });
    expect(data.apiKeyCreate.userErrors).toEqual([]);
    return data.apiKeyCreate.secret as string;
  };

  /** TAF's rows as they stand: compared before and after every attempted write. */
  const tafSnapshot = async () => {
    const prisma = app.database.db.prisma;
    const unitIds = [taf.trust, taf.directorate, taf.ward];
    return {
      units: await prisma.orgUnit.findMany({ where: { id: { in: unitIds } }, orderBy: { id: 'asc' } }),
      people: await prisma.person.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
      observations: await prisma.observation.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
      targets: await prisma.measureTarget.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
      phases: await prisma.spcPhase.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
      commentary: await prisma.commentary.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
      teams: await prisma.workstreamTeam.findMany({ where: { orgUnitId: { in: unitIds } } }),
      leads: await prisma.workstreamLead.findMany({ where: { personId: taf.person } }),
      clients: await prisma.integrationClient.findMany({ where: { id: taf.client }, include: { orgUnits: true, measures: true } }),
      keys: await prisma.apiKey.findMany({ where: { OR: [{ id: taf.key }, { integrationClientId: taf.client }] }, orderBy: { id: 'asc' } }),
      rollups: await prisma.observationRollup.count({ where: { orgUnitId: { in: unitIds } } }),
      feedback: await prisma.feedback.findMany({ where: { orgUnitId: { in: unitIds } }, include: { themes: true, actions: true }, orderBy: { id: 'asc' } }),
      rttActions: await prisma.feedbackAction.count({ where: { feedbackId: taf.rttFeedback } }),
      assessments: await prisma.coreItem22Assessment.findMany({ where: { orgUnitId: { in: unitIds } }, orderBy: { id: 'asc' } }),
    };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const fixture = await createMeasurementFixture(app);
    const prisma = app.database.db.prisma;
    for (const [code, type, parentCode] of [
      ['TAF', 'TRUST', null],
      ['TAF-DIR', 'DIRECTORATE', 'TAF'],
      ['TAF-W1', 'WARD', 'TAF-DIR'],
    ] as const) {
      const data = await admin('mutation U($input: OrgUnitCreateInput!) { orgUnitCreate(input: $input) { userErrors { code } } }', { input: { code, name: `Camden ${code}`, type, parentCode, odsCode: code === 'TAF' ? 'TAF' : null } });
      expect(data.orgUnitCreate.userErrors).toEqual([]);
    }
    const unit = async (code: string) => (await prisma.orgUnit.findUniqueOrThrow({ where: { code } })).id;
    const person = await admin('mutation P($input: PersonCreateInput!) { personCreate(input: $input) { person { id } userErrors { code } } }', {
      input: { name: 'Tafline Secret', email: 'tafline@taf.example', orgUnitCode: 'TAF-W1' },
    });
    const personId = Number((await prisma.person.findFirstOrThrow({ where: { name: 'Tafline Secret' } })).id);
    expect(person.personCreate.userErrors).toEqual([]);
    const ws = await admin('mutation W($input: WorkstreamCreateInput!) { workstreamCreate(input: $input) { userErrors { code } } }', { input: { code: 'ICS-OD', name: 'Open Dialogue across the ICS' } });
    expect(ws.workstreamCreate.userErrors).toEqual([]);
    for (const orgUnitCode of ['RTT-A', 'TAF-W1']) {
      const team = await admin('mutation T($input: WorkstreamTeamInput!) { workstreamAddTeam(input: $input) { userErrors { code } } }', { input: { workstreamCode: 'ICS-OD', orgUnitCode } });
      expect(team.workstreamAddTeam.userErrors).toEqual([]);
    }
    const lead = await admin('mutation L($input: WorkstreamLeadInput!) { workstreamAddLead(input: $input) { userErrors { code } } }', {
      input: { workstreamCode: 'ICS-OD', personId: encodeGlobalId('Person', personId) },
    });
    expect(lead.workstreamAddLead.userErrors).toEqual([]);
    const rows = MONTHS.flatMap((periodStart) => [
      { measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart, numerator: 2, denominator: 3, source: 'epr' },
      { measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart, numerator: 30, denominator: 40, source: 'epr' },
      { measureCode: 'C1', orgUnitCode: 'TAF-W1', periodStart, numerator: 3, source: 'epr' },
    ]);
    const imported = await admin('mutation I($input: ImportObservationsInput!) { importObservations(input: $input) { created userErrors { message } } }', { input: { rows } });
    expect(imported.importObservations).toMatchObject({ created: rows.length, userErrors: [] });
    const target = await admin('mutation S($input: MeasureTargetSetInput!) { measureTargetSet(input: $input) { userErrors { code } } }', { input: { measureCode: 'P1', orgUnitCode: 'TAF-W1', value: 0.9, rationale: 'TAF ambition' } });
    expect(target.measureTargetSet.userErrors).toEqual([]);
    const phase = await admin('mutation A($input: SpcPhaseAddInput!) { spcPhaseAdd(input: $input) { userErrors { code } } }', {
      input: { measureCode: 'P1', orgUnitCode: 'TAF-W1', kind: 'RECALCULATION', periodStart: '2025-04-01', reason: 'TAF new model of care' },
    });
    expect(phase.spcPhaseAdd.userErrors).toEqual([]);
    const note = await admin('mutation C($input: CommentaryWriteInput!) { commentaryWrite(input: $input) { userErrors { code } } }', {
      input: { measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart: '2025-06-01', text: 'TAF private narrative' },
    });
    expect(note.commentaryWrite.userErrors).toEqual([]);
    // Feedback: a theme of the faculty's (shared), TAF's item with an action and an assessment, and an RTT item.
    const theme = await admin('mutation T($input: FeedbackThemeCreateInput!) { feedbackThemeCreate(input: $input) { userErrors { code } } }', { input: { code: 'FOOD', name: 'Food', principleKeys: ['RIGHTS_BASED'] } });
    expect(theme.feedbackThemeCreate.userErrors).toEqual([]);
    const recordFeedback = 'mutation R($input: FeedbackRecordInput!) { feedbackRecord(input: $input) { feedback { id } userErrors { code } } }';
    const tafFeedback = await admin(recordFeedback, { input: { orgUnitCode: 'TAF-W1', source: 'PALS', receivedOn: '2025-03-01', themeCodes: ['FOOD'], summary: 'TAF private complaint about the food', externalId: 'TAF-PALS-1' } });
    const rttFeedback = await admin(recordFeedback, { input: { orgUnitCode: 'RTT-A', source: 'PALS', receivedOn: '2025-03-01', themeCodes: ['FOOD'], summary: 'RTT food', externalId: 'RTT-PALS-1' } });
    expect([tafFeedback.feedbackRecord.userErrors, rttFeedback.feedbackRecord.userErrors]).toEqual([[], []]);
    const tafAction = await admin('mutation A($input: FeedbackActionCreateInput!) { feedbackActionCreate(input: $input) { action { id } userErrors { code } } }', {
      input: { feedbackId: (tafFeedback.feedbackRecord.feedback as { id: string }).id, description: 'TAF private menu change', ownerPersonId: encodeGlobalId('Person', personId), dueOn: '2025-04-01' },
    });
    expect(tafAction.feedbackActionCreate.userErrors).toEqual([]);
    const tafAssessment = await admin('mutation C($input: CoreItem22AssessmentRecordInput!) { coreItem22AssessmentRecord(input: $input) { userErrors { code } } }', {
      input: { orgUnitCode: 'TAF-W1', criterion: 'A_RECRUITMENT', met: true, assessedOn: '2025-03-01', assessor: 'TAF private assessor', evidence: 'TAF private interviews' },
    });
    expect(tafAssessment.coreItem22AssessmentRecord.userErrors).toEqual([]);
    const clientCreate = 'mutation N($input: IntegrationClientCreateInput!) { integrationClientCreate(input: $input) { secret userErrors { code } } }';
    const tafClient = await admin(clientCreate, { input: { name: 'TAF feed', sourceSystem: 'taf-epr', measureCodes: ['P1'], orgUnitCodes: ['TAF-DIR'] } });
    const rttClient = await admin(clientCreate, { input: { name: 'RTT feed', sourceSystem: 'rtt-epr', measureCodes: ['P1'], orgUnitCodes: ['RTT-DIR'] } });
    expect([tafClient.integrationClientCreate.userErrors, rttClient.integrationClientCreate.userErrors]).toEqual([[], []]);

    keys = {
      BOARD: fixture.BOARD,
      FACULTY_LEAD: fixture.FACULTY_LEAD,
      TEAM_MANAGER: fixture.TEAM_MANAGER_A,
      ADMIN: await secretOf({ name: 'RTT administrator', role: 'ADMIN', trustCodes: ['RTT'] }),
      INTEGRATION: rttClient.integrationClientCreate.secret as string,
    };
    wholeIcsBoard = await secretOf({ name: 'ICS board', role: 'BOARD' });
    tafBoard = await secretOf({ name: 'TAF board', role: 'BOARD', trustCodes: ['TAF'] });

    const unitIds = { trust: await unit('TAF'), directorate: await unit('TAF-DIR'), ward: await unit('TAF-W1') };
    const tafKey = await prisma.apiKey.findFirstOrThrow({ where: { name: 'TAF board' } });
    taf = {
      ...unitIds,
      person: personId,
      observations: (await prisma.observation.findMany({ where: { orgUnitId: unitIds.ward }, select: { id: true } })).map((o) => Number(o.id)),
      target: (await prisma.measureTarget.findFirstOrThrow({ where: { orgUnitId: unitIds.ward } })).id,
      phase: (await prisma.spcPhase.findFirstOrThrow({ where: { orgUnitId: unitIds.ward } })).id,
      commentary: (await prisma.commentary.findFirstOrThrow({ where: { orgUnitId: unitIds.ward } })).id,
      client: (await prisma.integrationClient.findUniqueOrThrow({ where: { name: 'TAF feed' } })).id,
      key: tafKey.id,
      auditEvents: (await prisma.auditEvent.findMany({ where: { orgUnitId: { in: Object.values(unitIds) } }, select: { id: true } })).map((e) => e.id),
      feedback: (await prisma.feedback.findFirstOrThrow({ where: { orgUnitId: unitIds.ward } })).id,
      action: (await prisma.feedbackAction.findFirstOrThrow({ where: { feedback: { orgUnitId: unitIds.ward } } })).id,
      assessment: (await prisma.coreItem22Assessment.findFirstOrThrow({ where: { orgUnitId: unitIds.ward } })).id,
      rttFeedback: (await prisma.feedback.findFirstOrThrow({ where: { externalId: 'RTT-PALS-1' } })).id,
    };
    expect(taf.observations).toHaveLength(12);
    expect(taf.auditEvents.length).toBeGreaterThan(8);
  });
  afterAll(() => app.close());

  const ROLES = ['BOARD', 'FACULTY_LEAD', 'TEAM_MANAGER', 'ADMIN', 'INTEGRATION'] as const;

  test('this suite asks every root field and tries every trust-bound mutation', async () => {
    const { body } = await q('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }', undefined, TEST_ADMIN_KEY);
    const schema = body.data as { __schema: { queryType: { fields: Array<{ name: string }> }; mutationType: { fields: Array<{ name: string }> } } };
    expect(schema.__schema.queryType.fields.map((f) => f.name).sort()).toEqual([...QUERY_FIELDS].sort());
    expect(schema.__schema.mutationType.fields.map((f) => f.name).sort()).toEqual([...TRUST_MUTATIONS, ...SHARED_MUTATIONS].sort());
  });

  test('every credential names its trusts: RTT’s keys read RTT, the whole-ICS board key every trust', async () => {
    const viewer = '{ viewer { role trustCodes } }';
    for (const role of ROLES) {
      expect((await q(viewer, undefined, keys[role])).body.data).toEqual({ viewer: { role, trustCodes: ['RTT'] } });
    }
    expect((await q(viewer, undefined, wholeIcsBoard)).body.data).toEqual({ viewer: { role: 'BOARD', trustCodes: null } });
    expect((await q(viewer, undefined, tafBoard)).body.data).toEqual({ viewer: { role: 'BOARD', trustCodes: ['TAF'] } });
  });

  test.each(ROLES)('%s of RTT: a lookup of a TAF unit answers exactly as for a code that does not exist', async (role) => {
    const lookups: Array<[string, (code: string) => Record<string, unknown>]> = [
      ['query($c: String!) { orgUnit(code: $c) { code name } }', (c) => ({ c })],
      ['query($c: String!) { orgUnits(withinCode: $c, first: 50) { totalCount nodes { code } } }', (c) => ({ c })],
      ['query($c: String!) { workstreams(orgUnitCode: $c, first: 50) { totalCount nodes { code } } }', (c) => ({ c })],
      ['query($c: String!) { scorecard(orgUnitCode: $c) { orgUnit { code } } }', (c) => ({ c })],
      ['query($c: String!) { drillDown(measureCode: "P1", orgUnitCode: $c) { total { latest { value } } rows { orgUnit { code } } } }', (c) => ({ c })],
      ['query($c: String!) { exceptions(orgUnitCode: $c, first: 100) { nodes { measure { code } } } }', (c) => ({ c })],
      ['query($c: String!) { coverage(orgUnitCode: $c) { columns { code } } }', (c) => ({ c })],
      ['query($c: String!) { measure(code: "P1") { series(orgUnitCode: $c) { points { value } } } }', (c) => ({ c })],
      // Small multiples: a TAF code among RTT's, or TAF's children, answer as a code that does not exist.
      ['query($c: String!) { measure(code: "P1") { seriesByOrgUnit(orgUnitCodes: ["RTT-A", $c]) { orgUnit { code } points { value } } } }', (c) => ({ c })],
      ['query($c: String!) { measure(code: "P1") { seriesByOrgUnit(childrenOf: $c) { orgUnit { code } points { value } } } }', (c) => ({ c })],
      ['query($c: String!) { measure(code: "P1") { commentary(orgUnitCode: $c, periodStart: "2025-06-01") { text } } }', (c) => ({ c })],
      ['query($c: String!) { measure(code: "P1") { equality(orgUnitCode: $c, stratifier: "ETHNICITY") { strata { code value } } } }', (c) => ({ c })],
      ['query($c: String!) { feedback(orgUnitCode: $c, first: 10) { totalCount nodes { summary } } }', (c) => ({ c })],
      ['query($c: String!) { youSaidWeDid(orgUnitCode: $c, from: "2025-01-01", to: "2025-12-31") { totalCount nodes { feedback { summary } } } }', (c) => ({ c })],
      ['query($c: String!) { feedbackOverview(orgUnitCode: $c, from: "2025-01-01", to: "2025-12-31") { total { feedbackCount } gaps(first: 100) { totalCount nodes { orgUnit { code } } } } }', (c) => ({ c })],
    ];
    for (const [query, variables] of lookups) {
      for (const code of ['TAF-W1', 'TAF']) {
        const other = await q(query, variables(code), keys[role]);
        const none = await q(query, variables('NOPE-1'), keys[role]);
        expect(withoutCodes(other, [code])).toEqual(withoutCodes(none, ['NOPE-1']));
        expect(JSON.stringify(other.body)).not.toMatch(/Camden|TAF private|Tafline/);
        // Lookups are nullable: never `data: null`; where there is an error it is NOT_FOUND.
        // (Which also proves each query is valid: a validation error has no data, and would make the comparison empty.)
        expect([query, none.status, none.body.data]).toEqual([query, 200, expect.any(Object)]);
        expect((none.body.errors ?? []).map((e) => e.extensions?.code).filter((c) => c !== 'NOT_FOUND')).toEqual([]);
      }
    }
    // The control: TAF's own board and the whole-ICS board do find it.
    for (const key of [tafBoard, wholeIcsBoard]) {
      expect((await q('{ orgUnit(code: "TAF-W1") { code } }', undefined, key)).body.data).toEqual({ orgUnit: { code: 'TAF-W1' } });
    }
  });

  test.each(ROLES)('%s of RTT: node and nodes give null for every TAF node, of every node type', async (role) => {
    const tafNodes: Record<string, string[]> = {
      OrgUnit: [taf.trust, taf.directorate, taf.ward].map((id) => encodeGlobalId('OrgUnit', id)),
      Person: [encodeGlobalId('Person', taf.person)],
      Observation: taf.observations.map((id) => encodeGlobalId('Observation', id)),
      MeasureTarget: [encodeGlobalId('MeasureTarget', taf.target)],
      SpcPhase: [encodeGlobalId('SpcPhase', taf.phase)],
      Commentary: [encodeGlobalId('Commentary', taf.commentary)],
      IntegrationClient: [encodeGlobalId('IntegrationClient', taf.client)],
      AuditEvent: taf.auditEvents.map((id) => encodeGlobalId('AuditEvent', id)),
      Feedback: [encodeGlobalId('Feedback', taf.feedback)],
      FeedbackAction: [encodeGlobalId('FeedbackAction', taf.action)],
      CoreFidelityAssessment: [encodeGlobalId('CoreFidelityAssessment', taf.assessment)],
    };
    // Shared by every trust: the faculty map, the measure catalogue and the feedback themes.
    const shared = ['Principle', 'Workstream', 'Milestone', 'LivedExperienceInvolvement', 'Measure', 'FeedbackTheme'];
    const registered = FEATURES.flatMap((f) => f.nodeTypes ?? []).map((t) => t.typeName);
    expect([...Object.keys(tafNodes), ...shared].sort()).toEqual([...registered].sort());

    // Integration clients are for key managers only (others get FORBIDDEN whatever the trust).
    const ids = Object.entries(tafNodes).flatMap(([type, list]) => (type === 'IntegrationClient' && role !== 'ADMIN' ? [] : list));
    const nodes = await q('query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }', { ids }, keys[role]);
    expect(nodes.body.errors).toBeUndefined();
    expect((nodes.body.data as { nodes: unknown[] }).nodes).toEqual(ids.map(() => null));
    for (const id of [tafNodes.OrgUnit[2], tafNodes.Person[0], tafNodes.Commentary[0]]) {
      expect((await q('query($id: ID!) { node(id: $id) { id } }', { id }, keys[role])).body.data).toEqual({ node: null });
    }
    // The control: TAF's board fetches its own units, people and annotations.
    const own = await q('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [...tafNodes.OrgUnit, ...tafNodes.Person, ...tafNodes.SpcPhase, ...tafNodes.Commentary] }, tafBoard);
    expect((own.body.data as { nodes: unknown[] }).nodes.every((n) => n !== null)).toBe(true);
  });

  test.each(ROLES)('%s of RTT: lists, nested fields and history leave TAF out', async (role) => {
    const key = keys[role];
    const text = async (query: string) => {
      const response = await q(query, undefined, key);
      expect(response.body.errors ?? []).toEqual([]);
      return JSON.stringify(response.body.data);
    };
    const reads = [
      await text('{ orgUnits(first: 100, includeArchived: true) { totalCount nodes { code } } }'),
      await text('{ people(first: 100, includeArchived: true) { totalCount nodes { name email orgUnit { code } } } }'),
      await text(`{ workstream(code: "ICS-OD") { teams(first: 50) { totalCount nodes { code } } leads(first: 50) { totalCount nodes { person { name } } }
                   history(first: 100) { totalCount nodes { action before after } } } }`),
      await text('{ workstreams(first: 50) { nodes { code teams(first: 50) { nodes { code } } } } }'),
      await text('{ measure(code: "P1") { targets { nodes { value rationale orgUnit { code } } } owner { name } history(first: 100) { nodes { action before after } } } }'),
      await text('{ measures(first: 50) { nodes { code targets { nodes { orgUnit { code } value } } } } }'),
      await text('{ principles { key workstreams(first: 50) { nodes { teams(first: 50) { nodes { code } } } } } }'),
      await text('{ drillDown(measureCode: "P1", orgUnitCode: "RTT") { rows { orgUnit { code } } } }'),
      await text('{ scorecard(orgUnitCode: "RTT") { workstreams(first: 50) { totalCount nodes { workstream { code teams(first: 50) { nodes { code } } } } } } }'),
      await text('{ feedback(orgUnitCode: "RTT", first: 100) { totalCount nodes { summary actions { description owner { name } } } } }'),
      await text('{ orgUnit(code: "RTT-A") { coreItem22(period: "2025-03") { criteria { reason } } coreItem22Assessments(first: 100) { totalCount nodes { assessor } } } }'),
      await text('{ feedbackOverview(orgUnitCode: "RTT", from: "2025-01-01", to: "2025-12-31") { total { feedbackCount byTheme { count } } children { orgUnit { code } } gaps(first: 100) { totalCount nodes { orgUnit { code } message } } exceptions(first: 100) { totalCount nodes { orgUnit { code } } } } }'),
    ];
    if (role !== 'INTEGRATION') reads.push(await text('{ auditEvents(first: 100) { totalCount nodes { entityType entityId before after } } }'));
    for (const read of reads) expect(read).not.toMatch(/TAF|Camden|Tafline|0\.9\b|taf-epr/);
    const teams = JSON.parse(reads[2]) as { workstream: { teams: { nodes: Array<{ code: string }> } } };
    expect(teams.workstream.teams.nodes.map((n) => n.code)).toEqual(['RTT-A']); // RTT's own team is still there

    if (role === 'ADMIN') {
      const clients = await text('{ integrationClients(first: 50, includeArchived: true) { nodes { name orgUnits { code } keys { prefix trustCodes } } } }');
      expect(clients).toContain('RTT feed');
      expect(clients).not.toMatch(/TAF/);
    }
    // Audit entries about TAF's things are not to be had by id filter either.
    if (role !== 'INTEGRATION') {
      for (const [entityType, entityId] of [['OrgUnit', taf.ward], ['Person', taf.person], ['Commentary', taf.commentary], ['SpcPhase', taf.phase], ['Feedback', taf.feedback], ['FeedbackAction', taf.action]] as const) {
        const filtered = await q('query($t: String, $e: String) { auditEvents(entityType: $t, entityId: $e, first: 10) { totalCount } }', { t: entityType, e: String(entityId) }, key);
        expect(filtered.body.data).toEqual({ auditEvents: { totalCount: 0 } });
      }
    }
  });

  test.each(ROLES)('%s of RTT: filtering workstreams by a TAF lead (name, email or id) finds nothing, as for a lead who does not exist', async (role) => {
    const tafline = encodeGlobalId('Person', (await app.database.db.prisma.person.findFirstOrThrow({ where: { name: 'Tafline Secret' } })).id);
    const filters = [{ leadName: 'Tafline' }, { leadPersonEmail: 'TAFLINE@taf.example' }, { leadPersonId: tafline }];
    const list = 'query($n: String, $e: String, $i: ID) { workstreams(leadName: $n, leadPersonEmail: $e, leadPersonId: $i, first: 50) { totalCount nodes { code } } }';
    for (const filter of filters) {
      const variables = { n: filter.leadName, e: filter.leadPersonEmail, i: filter.leadPersonId };
      expect([filter, (await q(list, variables, keys[role])).body.data]).toEqual([filter, { workstreams: { totalCount: 0, nodes: [] } }]);
      // the control: a reader of both trusts finds the workstream Tafline leads
      expect([filter, (await q(list, variables, wholeIcsBoard)).body.data]).toEqual([filter, { workstreams: { totalCount: 1, nodes: [{ code: 'ICS-OD' }] } }]);
    }
  });

  test('the whole-ICS board key reads both trusts (the control for the lists above)', async () => {
    const { body } = await q('{ workstream(code: "ICS-OD") { teams(first: 50) { nodes { code } } } }', undefined, wholeIcsBoard);
    expect((body.data as { workstream: { teams: { nodes: Array<{ code: string }> } } }).workstream.teams.nodes.map((n) => n.code).sort()).toEqual(['RTT-A', 'TAF-W1']);
  });

  test.each(ROLES)('%s of RTT: every write about TAF is refused, as for a code that does not exist, and TAF is unchanged', async (role) => {
    const before = await tafSnapshot();
    const key = keys[role];
    const person = encodeGlobalId('Person', taf.person);
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['mutation($i: OrgUnitUpdateInput!) { orgUnitUpdate(input: $i) { orgUnit { code } userErrors { code field } } }', { i: { code: 'TAF-W1', name: 'Taken over', version: 1 } }],
      ['mutation($i: OrgUnitUpdateInput!) { orgUnitUpdate(input: $i) { orgUnit { code } userErrors { code field } } }', { i: { code: 'RTT-W', parentCode: 'TAF-DIR', version: 1 } }],
      ['mutation($i: OrgUnitArchiveInput!) { orgUnitArchive(input: $i) { orgUnit { code } userErrors { code field } } }', { i: { code: 'TAF-W1', version: 1 } }],
      ['mutation($i: OrgUnitCreateInput!) { orgUnitCreate(input: $i) { orgUnit { code } userErrors { code field } } }', { i: { code: 'TAF-W9', name: 'Planted', type: 'WARD', parentCode: 'TAF-DIR' } }],
      ['mutation($i: PersonCreateInput!) { personCreate(input: $i) { person { name } userErrors { code field } } }', { i: { name: 'Planted', orgUnitCode: 'TAF-W1' } }],
      ['mutation($i: PersonUpdateInput!) { personUpdate(input: $i) { person { name } userErrors { code field } } }', { i: { id: person, name: 'Renamed', version: 1 } }],
      ['mutation($i: PersonArchiveInput!) { personArchive(input: $i) { person { name } userErrors { code field } } }', { i: { id: person, version: 1 } }],
      ['mutation($i: CommentaryWriteInput!) { commentaryWrite(input: $i) { commentary { text } userErrors { code field } } }', { i: { measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart: '2025-06-01', text: 'x' } }],
      ['mutation($i: SpcPhaseAddInput!) { spcPhaseAdd(input: $i) { spcPhase { reason } userErrors { code field } } }', { i: { measureCode: 'P1', orgUnitCode: 'TAF-W1', kind: 'RECALCULATION', periodStart: '2025-02-01', reason: 'x' } }],
      ['mutation($i: SpcPhaseArchiveInput!) { spcPhaseArchive(input: $i) { spcPhase { reason } userErrors { code field } } }', { i: { id: encodeGlobalId('SpcPhase', taf.phase) } }],
      ['mutation($i: MeasureTargetSetInput!) { measureTargetSet(input: $i) { measureTarget { value } userErrors { code field } } }', { i: { measureCode: 'P1', orgUnitCode: 'TAF-W1', value: 0.1, version: 1 } }],
      ['mutation($i: MeasureTargetRemoveInput!) { measureTargetRemove(input: $i) { measureTarget { value } userErrors { code field } } }', { i: { measureCode: 'P1', orgUnitCode: 'TAF-W1', version: 1 } }],
      ['mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { code } userErrors { code field } } }', { i: { code: 'P1', ownerPersonId: person, version: 1 } }],
      ['mutation($i: MeasureUpdateInput!) { measureUpdate(input: $i) { measure { code } userErrors { code field } } }', { i: { code: 'P1', ownerPersonEmail: 'tafline@taf.example', version: 1 } }],
      ['mutation($i: WorkstreamTeamInput!) { workstreamAddTeam(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', orgUnitCode: 'TAF-DIR' } }],
      ['mutation($i: WorkstreamTeamsInput!) { workstreamAddTeams(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', orgUnitCodes: ['TAF-DIR'] } }],
      ['mutation($i: WorkstreamTeamsInput!) { workstreamAddTeams(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', orgUnitCodes: ['RTT-W', 'TAF-W1'] } }],
      ['mutation($i: WorkstreamTeamInput!) { workstreamRemoveTeam(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', orgUnitCode: 'TAF-W1' } }],
      ['mutation($i: WorkstreamLeadInput!) { workstreamAddLead(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', personId: person, role: 'CO_LEAD' } }],
      ['mutation($i: WorkstreamLeadInput!) { workstreamRemoveLead(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', personId: person } }],
      // the same TAF person by email: as unknown as by id
      ['mutation($i: WorkstreamLeadInput!) { workstreamAddLead(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', personEmail: 'tafline@taf.example' } }],
      ['mutation($i: WorkstreamLeadInput!) { workstreamRemoveLead(input: $i) { workstream { code } userErrors { code field } } }', { i: { workstreamCode: 'ICS-OD', personEmail: 'tafline@taf.example' } }],
      ['mutation($i: ObservationRecordInput!) { observationRecord(input: $i) { outcome userErrors { code field } } }', { i: { measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart: '2025-01-01', numerator: 0, denominator: 3 } }],
      ['mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted created userErrors { code field message } } }', { i: { rows: [{ measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart: '2025-01-01', numerator: 0, denominator: 3 }], dryRun: true } }],
      ['mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted created userErrors { code field message } } }', { i: { rows: [{ measureCode: 'P1', orgUnitCode: 'TAF-W1', periodStart: '2025-07-01', numerator: 1, denominator: 3 }] } }],
      ['mutation($i: ApiKeyCreateInput!) { apiKeyCreate(input: $i) { secret userErrors { code field } } }', { i: { name: 'into TAF', role: 'BOARD', trustCodes: ['TAF'] } }],
      ['mutation($i: ApiKeyCreateInput!) { apiKeyCreate(input: $i) { secret userErrors { code field } } }', { i: { name: 'into TAF', role: 'TEAM_MANAGER', scopeOrgUnitCode: 'TAF-W1' } }],
      ['mutation($i: ApiKeyRevokeInput!) { apiKeyRevoke(input: $i) { apiKey { revokedAt } userErrors { code field } } }', { i: { id: encodeGlobalId('ApiKey', taf.key) } }],
      ['mutation($i: IntegrationClientCreateInput!) { integrationClientCreate(input: $i) { secret userErrors { code field } } }', { i: { name: 'Into TAF', sourceSystem: 'x', measureCodes: ['P1'], orgUnitCodes: ['TAF-W1'] } }],
      ['mutation($i: IntegrationClientUpdateScopeInput!) { integrationClientUpdateScope(input: $i) { integrationClient { name } userErrors { code field } } }', { i: { id: encodeGlobalId('IntegrationClient', taf.client), measureCodes: ['P1'], orgUnitCodes: ['RTT-A'] } }],
      ['mutation($i: IntegrationClientIdInput!) { integrationClientRotateKey(input: $i) { secret userErrors { code field } } }', { i: { id: encodeGlobalId('IntegrationClient', taf.client) } }],
      ['mutation($i: IntegrationClientIdInput!) { integrationClientRevoke(input: $i) { integrationClient { name } userErrors { code field } } }', { i: { id: encodeGlobalId('IntegrationClient', taf.client) } }],
      ['mutation($i: FeedbackRecordInput!) { feedbackRecord(input: $i) { feedback { id } userErrors { code field } } }', { i: { orgUnitCode: 'TAF-W1', source: 'PALS', receivedOn: '2025-03-02', themeCodes: ['FOOD'], summary: 'planted' } }],
      ['mutation($i: FeedbackUpdateInput!) { feedbackUpdate(input: $i) { feedback { id } userErrors { code field } } }', { i: { id: encodeGlobalId('Feedback', taf.feedback), version: 1, summary: 'changed' } }],
      ['mutation($i: FeedbackPublishInput!) { feedbackPublish(input: $i) { feedback { id } userErrors { code field } } }', { i: { id: encodeGlobalId('Feedback', taf.feedback), version: 1 } }],
      ['mutation($i: FeedbackActionCreateInput!) { feedbackActionCreate(input: $i) { action { id } userErrors { code field } } }', { i: { feedbackId: encodeGlobalId('Feedback', taf.feedback), description: 'planted', ownerPersonId: person, dueOn: '2025-04-01' } }],
      // an owner from another trust, on RTT's own feedback
      ['mutation($i: FeedbackActionCreateInput!) { feedbackActionCreate(input: $i) { action { id } userErrors { code field } } }', { i: { feedbackId: encodeGlobalId('Feedback', taf.rttFeedback), description: 'owned by TAF', ownerPersonId: person, dueOn: '2025-04-01' } }],
      ['mutation($i: FeedbackActionUpdateInput!) { feedbackActionUpdate(input: $i) { action { id } userErrors { code field } } }', { i: { id: encodeGlobalId('FeedbackAction', taf.action), version: 1, status: 'DONE', evidence: 'x', completedOn: '2025-03-05' } }],
      ['mutation($i: CoreItem22AssessmentRecordInput!) { coreItem22AssessmentRecord(input: $i) { assessment { id } userErrors { code field } } }', { i: { orgUnitCode: 'TAF-W1', criterion: 'B_SKILLS_MONITORED', met: false, assessedOn: '2025-03-01', assessor: 'x', evidence: 'y' } }],
      ['mutation($i: ImportFeedbackInput!) { importFeedback(input: $i) { accepted created userErrors { code field message } } }', { i: { rows: [{ orgUnitCode: 'TAF-W1', source: 'PALS', externalId: 'TAF-PALS-1', receivedOn: '2025-03-01', themeCodes: ['FOOD'], summary: 'overwritten' }] } }],
    ];
    const covered = new Set(attempts.map(([m]) => /\{ (\w+)\(input/.exec(m)![1]));
    expect([...covered].sort()).toEqual(TRUST_MUTATIONS.filter((m) => m !== 'measureTargetSet' || covered.has(m)).sort());
    for (const [mutation, variables] of attempts) {
      const response = await q(mutation, variables, key);
      const text = JSON.stringify(response.body);
      // Refused: a top-level FORBIDDEN (the role may not) or a NOT_FOUND / row error, never a success.
      const data = response.body.data as Record<string, { userErrors?: Array<{ code: string }>; accepted?: number; secret?: string | null }> | null;
      const payload = data ? Object.values(data)[0] : null;
      const refused = response.body.errors?.length
        ? ['FORBIDDEN', 'NOT_FOUND'].includes(String(response.body.errors[0].extensions?.code))
        : (payload?.userErrors?.length ?? 0) > 0 && !payload?.secret && !payload?.accepted;
      if (!refused) throw new Error(`${role} was not refused: ${mutation} → ${text}`);
      expect(text).not.toMatch(/Camden|Tafline|TAF private|taf-epr|TAF-PALS/);
    }
    expect(await tafSnapshot()).toEqual(before);
  });

  test('a row for a TAF unit is refused in the words used for a unit that does not exist', async () => {
    const row = (orgUnitCode: string) => ({ measureCode: 'P1', orgUnitCode, periodStart: '2025-01-01', numerator: 1, denominator: 3 });
    const send = (orgUnitCode: string) =>
      q('mutation($i: ImportObservationsInput!) { importObservations(input: $i) { accepted rejected userErrors { code field message } } }', { i: { rows: [row(orgUnitCode)], dryRun: true } }, keys.INTEGRATION);
    expect(withoutCodes(await send('TAF-W1'), ['TAF-W1'])).toEqual(withoutCodes(await send('NOPE-1'), ['NOPE-1']));
  });

  test('an ADMIN of RTT cannot widen its reach: no key of every trust, no new trust, no shared rule loosened', async () => {
    const create = (input: Record<string, unknown>) => q('mutation($i: ApiKeyCreateInput!) { apiKeyCreate(input: $i) { secret userErrors { code field } } }', { i: input }, keys.ADMIN);
    const everyTrust = await create({ name: 'every trust', role: 'BOARD' });
    expect(everyTrust.body.data).toEqual({ apiKeyCreate: { secret: null, userErrors: [{ code: 'REQUIRED', field: ['trustCodes'] }] } });
    const ownAdmin = await create({ name: 'own admin', role: 'ADMIN', trustCodes: ['RTT'] });
    expect((ownAdmin.body.data as { apiKeyCreate: { secret: string } }).apiKeyCreate.secret).toEqual(expect.any(String));
    const newTrust = await q('mutation { orgUnitCreate(input: { code: "RZ9", name: "New trust", type: TRUST }) { userErrors { code } } }', undefined, keys.ADMIN);
    expect(newTrust.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const version = (await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'C1' } })).version;
    for (const key of [keys.ADMIN, keys.FACULTY_LEAD]) {
      const loosen = await q(`mutation { measureUpdate(input: { code: "C1", version: ${version}, disclosure: { kind: NONE } }) { userErrors { code } } }`, undefined, key);
      expect(loosen.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const sharedTarget = await q('mutation { measureTargetSet(input: { measureCode: "C1", value: 1 }) { userErrors { code } } }', undefined, key);
      expect(sharedTarget.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'C1' } })).disclosure).toBeNull();
    // A FACULTY_LEAD key must name its trusts; an every-trust administrator may make one of every trust.
    const lead = await q('mutation { apiKeyCreate(input: { name: "lead", role: FACULTY_LEAD }) { userErrors { code field } } }', undefined, TEST_ADMIN_KEY);
    expect(lead.body.data).toEqual({ apiKeyCreate: { userErrors: [{ code: 'REQUIRED', field: ['trustCodes'] }] } });
  });

  test('a FACULTY_LEAD key written around apiKeyCreate, with no trusts, reads nothing (fails closed)', async () => {
    const { generateApiKey } = await import('../../src/access/api-key');
    const generated = generateApiKey();
    await app.database.db.prisma.apiKey.create({ data: { name: 'planted lead', prefix: generated.prefix, secretHash: generated.secretHash, role: 'FACULTY_LEAD' } });
    const { body } = await q('{ viewer { trustCodes } orgUnits(first: 10) { totalCount } people(first: 10) { totalCount } }', undefined, generated.key);
    expect(body.data).toEqual({ viewer: { trustCodes: [] }, orgUnits: { totalCount: 0 }, people: { totalCount: 0 } });
  });

  test('FHIR: a TAF unit’s MeasureReport is not found (search, read by id, search of every unit), as for a unit that does not exist; a TAF row is refused', async () => {
    const fhir = (path: string, key: string, body?: unknown) =>
      fetch(app.server.url.replace(/\/graphql$/, `/fhir${path}`), {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${key}`, accept: 'application/fhir+json', ...(body ? { 'content-type': 'application/fhir+json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then(async (r) => ({ status: r.status, text: await r.text() }));
    // The TAF board finds its unit's report, and its id...
    const own = await fhir('/MeasureReport?measure=P1&subject=TAF-W1&period=2025-01', tafBoard);
    expect(own.status).toBe(200);
    const tafReport = (JSON.parse(own.text) as { total: number; entry: Array<{ resource: { id: string } }> });
    expect(tafReport.total).toBe(1);
    const tafId = tafReport.entry[0].resource.id;
    const [, measureId, , period] = /^subtree-(\d+)-(\d+)-(.*)$/.exec(tafId) as RegExpExecArray;
    const noneId = `subtree-${measureId}-999999-${period}`;
    for (const role of ['BOARD', 'FACULTY_LEAD', 'TEAM_MANAGER', 'ADMIN'] as const) {
      // ...which for an RTT key is an empty search, word for word as for a unit that does not exist,
      const other = await fhir('/MeasureReport?measure=P1&subject=TAF-W1&period=2025-01', keys[role]);
      const none = await fhir('/MeasureReport?measure=P1&subject=NOPE-1&period=2025-01', keys[role]);
      expect({ status: other.status, text: other.text.split('TAF-W1').join('<code>') }).toEqual({ status: none.status, text: none.text.split('NOPE-1').join('<code>') });
      expect([other.status, (JSON.parse(other.text) as { total: number }).total]).toEqual([200, 0]);
      // a read by id that is not found, as an id of no unit is,
      const read = await fhir(`/MeasureReport/${tafId}`, keys[role]);
      const noRead = await fhir(`/MeasureReport/${noneId}`, keys[role]);
      expect({ status: read.status, text: read.text.split(tafId).join('<id>') }).toEqual({ status: noRead.status, text: noRead.text.split(noneId).join('<id>') });
      expect(read.status).toBe(404);
      // and a search of every unit that never names a TAF unit.
      const everything = await fhir('/MeasureReport?period=2025-01&_count=1000', keys[role]);
      expect(everything.status).toBe(200);
      expect(everything.text).not.toMatch(/TAF-|Camden/);
    }
    expect((await fhir(`/MeasureReport/${tafId}`, tafBoard)).status).toBe(200);
    const report = {
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'summary',
      measure: 'P1',
      reporter: { identifier: { value: 'TAF-W1' } },
      period: { start: '2025-01-01', end: '2025-01-31' },
      group: [{ population: [{ code: { coding: [{ code: 'numerator' }] }, count: 0 }, { code: { coding: [{ code: 'denominator' }] }, count: 3 }] }],
    };
    const before = await tafSnapshot();
    const sent = await fhir('/MeasureReport', keys.INTEGRATION, report);
    expect(sent.status).toBe(400);
    expect(sent.text).not.toMatch(/Camden/);
    expect(await tafSnapshot()).toEqual(before);
  });
});
