import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  ApiKeyCreateDocument,
  CoreItem22AssessmentRecordDocument,
  FeedbackActionCreateDocument,
  FeedbackActionUpdateDocument,
  FeedbackDetailDocument,
  FeedbackPublishDocument,
  FeedbackRecordDocument,
  FeedbackThemeCreateDocument,
  FeedbackUpdateDocument,
  ImportFeedbackDocument,
} from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { createFeedbackFixture, feedbackSnapshot } from './feedback-fixture';

type Input = Record<string, unknown>;
type AnyMutation = TypedDocumentNode<Record<string, { userErrors: Array<{ field: string[]; code: string; message: string }> } & Record<string, unknown>>, { input: Input }>;
const m = (document: unknown) => document as AnyMutation;

interface World {
  draft: string; // feedback at RTT-A, received 2026-03-10, a DRAFT at version 1
  published: string; // feedback at RTT-A, PUBLISHED (version 2)
  action: string; // an action on `draft`, due 2026-04-30, PLANNED at version 1
  ada: string;
  wren: string;
  tafline: string;
}

interface Case {
  name: string;
  document: AnyMutation;
  input: (w: World) => Input;
  field: string[];
  code: string;
  /** the key to send it with (default the FACULTY_LEAD of RTT) */
  as?: 'ADMIN' | 'FACULTY_LEAD';
}

const record = (summary: string, extra: Input = {}): Input => ({ orgUnitCode: 'RTT-A', source: 'FRIENDS_AND_FAMILY_TEST', receivedOn: '2026-05-01', themeCodes: ['COMMUNICATION'], summary, ...extra });
const id = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64url');

/** Bad inputs: each must come back as a user error and change nothing. */
const BAD: Case[] = [
  // themes
  { name: 'feedbackThemeCreate: code taken', document: m(FeedbackThemeCreateDocument), input: () => ({ code: 'FOOD', name: 'Again', principleKeys: ['RELATIONAL'] }), field: ['code'], code: 'TAKEN' },
  { name: 'feedbackThemeCreate: lower-case code', document: m(FeedbackThemeCreateDocument), input: () => ({ code: 'food', name: 'x', principleKeys: ['RELATIONAL'] }), field: ['code'], code: 'INVALID' },
  { name: 'feedbackThemeCreate: no principle', document: m(FeedbackThemeCreateDocument), input: () => ({ code: 'NEW-THEME', name: 'x', principleKeys: [] }), field: ['principleKeys'], code: 'INVALID' },
  // recording: identifiers in the summary (each kind), named by kind
  { name: 'feedbackRecord: an NHS number in the summary', document: m(FeedbackRecordDocument), input: () => record('Mr X (943 476 5919) said the ward was loud'), field: ['summary'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackRecord: a phone number in the summary', document: m(FeedbackRecordDocument), input: () => record('Call back on 07700 900123'), field: ['summary'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackRecord: an email address in the summary', document: m(FeedbackRecordDocument), input: () => record('From jo.bloggs@example.com: staff were rude'), field: ['summary'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackRecord: a postcode in the summary', document: m(FeedbackRecordDocument), input: () => record('Lives at SW1A 1AA, visits were stopped'), field: ['summary'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackRecord: an unknown theme', document: m(FeedbackRecordDocument), input: () => record('Fine', { themeCodes: ['FOOD', 'NO-SUCH-THEME'] }), field: ['themeCodes', '1'], code: 'NOT_FOUND' },
  { name: 'feedbackRecord: an unknown unit', document: m(FeedbackRecordDocument), input: () => record('Fine', { orgUnitCode: 'NOPE' }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'feedbackRecord: another trust’s unit', document: m(FeedbackRecordDocument), input: () => record('Fine', { orgUnitCode: 'TAF-W1' }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'feedbackRecord: received in the future', document: m(FeedbackRecordDocument), input: () => record('Fine', { receivedOn: '2099-01-01' }), field: ['receivedOn'], code: 'INVALID' },
  { name: 'feedbackRecord: a blank summary', document: m(FeedbackRecordDocument), input: () => record('   '), field: ['summary'], code: 'INVALID' },
  { name: 'feedbackRecord: no theme', document: m(FeedbackRecordDocument), input: () => record('Fine', { themeCodes: [] }), field: ['themeCodes'], code: 'INVALID' },
  { name: 'feedbackRecord: external id already recorded in the trust', document: m(FeedbackRecordDocument), input: () => record('Again', { externalId: 'FFT-1' }), field: ['externalId'], code: 'TAKEN' },
  // editing
  { name: 'feedbackUpdate: wrong version', document: m(FeedbackUpdateDocument), input: (w) => ({ id: w.draft, version: 7, summary: 'Changed' }), field: ['version'], code: 'CONFLICT' },
  { name: 'feedbackUpdate: an identifier in the new summary', document: m(FeedbackUpdateDocument), input: (w) => ({ id: w.draft, version: 1, summary: 'NHS 9434765919' }), field: ['summary'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackUpdate: received after an action is due', document: m(FeedbackUpdateDocument), input: (w) => ({ id: w.draft, version: 1, receivedOn: '2026-05-01' }), field: ['receivedOn'], code: 'INVALID' },
  { name: 'feedbackUpdate: an unknown theme', document: m(FeedbackUpdateDocument), input: (w) => ({ id: w.draft, version: 1, themeCodes: ['NOPE-THEME'] }), field: ['themeCodes', '0'], code: 'NOT_FOUND' },
  // publishing
  { name: 'feedbackPublish: wrong version', document: m(FeedbackPublishDocument), input: (w) => ({ id: w.draft, version: 3 }), field: ['version'], code: 'CONFLICT' },
  { name: 'feedbackPublish: already published', document: m(FeedbackPublishDocument), input: (w) => ({ id: w.published, version: 2 }), field: ['id'], code: 'INVALID' },
  { name: 'feedbackPublish: unknown feedback', document: m(FeedbackPublishDocument), input: () => ({ id: id('Feedback', 999999), version: 1 }), field: ['id'], code: 'NOT_FOUND' },
  { name: 'feedbackPublish: an id of another type', document: m(FeedbackPublishDocument), input: (w) => ({ id: w.ada, version: 1 }), field: ['id'], code: 'INVALID' },
  // actions
  { name: 'feedbackActionCreate: due before the feedback was received', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonId: w.ada, dueOn: '2026-03-09' }), field: ['dueOn'], code: 'INVALID' },
  { name: 'feedbackActionCreate: an owner from another trust (a key of every trust)', as: 'ADMIN', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonId: w.tafline, dueOn: '2026-04-01' }), field: ['ownerPersonId'], code: 'INVALID' },
  { name: 'feedbackActionCreate: an owner from another trust (a key of RTT)', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonId: w.tafline, dueOn: '2026-04-01' }), field: ['ownerPersonId'], code: 'NOT_FOUND' },
  { name: 'feedbackActionCreate: an identifier in the description', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Ring 020 7946 0958', ownerPersonId: w.ada, dueOn: '2026-04-01' }), field: ['description'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackActionCreate: owner named by id and by email', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonId: w.ada, ownerPersonEmail: 'ada@rtt.nhs.example', dueOn: '2026-04-01' }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'feedbackActionCreate: no owner named', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', dueOn: '2026-04-01' }), field: ['ownerPersonId'], code: 'REQUIRED' },
  { name: 'feedbackActionCreate: an unknown owner email', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonEmail: 'nobody@rtt.nhs.example', dueOn: '2026-04-01' }), field: ['ownerPersonEmail'], code: 'NOT_FOUND' },
  { name: 'feedbackActionCreate: not an email', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonEmail: 'ada at rtt', dueOn: '2026-04-01' }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'feedbackActionCreate: another trust’s owner by email (a key of RTT)', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonEmail: 'tafline@taf.nhs.example', dueOn: '2026-04-01' }), field: ['ownerPersonEmail'], code: 'NOT_FOUND' },
  { name: 'feedbackActionCreate: another trust’s owner by email (a key of every trust)', as: 'ADMIN', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonEmail: 'tafline@taf.nhs.example', dueOn: '2026-04-01' }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'feedbackActionCreate: unknown feedback', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: id('Feedback', 999999), description: 'Fix it', ownerPersonId: w.ada, dueOn: '2026-04-01' }), field: ['feedbackId'], code: 'NOT_FOUND' },
  { name: 'feedbackActionCreate: unknown workstream', document: m(FeedbackActionCreateDocument), input: (w) => ({ feedbackId: w.draft, description: 'Fix it', ownerPersonId: w.ada, dueOn: '2026-04-01', workstreamCode: 'NOPE' }), field: ['workstreamCode'], code: 'NOT_FOUND' },
  { name: 'feedbackActionUpdate: DONE without evidence', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'DONE', completedOn: '2026-04-02' }), field: ['evidence'], code: 'REQUIRED' },
  { name: 'feedbackActionUpdate: DROPPED without a reason', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'DROPPED' }), field: ['droppedReason'], code: 'REQUIRED' },
  { name: 'feedbackActionUpdate: completed before the feedback was received', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'DONE', evidence: 'Rota changed', completedOn: '2026-03-09' }), field: ['completedOn'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: completed in the future', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'DONE', evidence: 'Rota changed', completedOn: '2099-01-01' }), field: ['completedOn'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: a completion date without DONE', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'IN_PROGRESS', completedOn: '2026-04-01' }), field: ['completedOn'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: an identifier in the evidence', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, status: 'DONE', evidence: 'Confirmed with sam@example.org', completedOn: '2026-04-02' }), field: ['evidence'], code: 'IDENTIFIER_IN_TEXT' },
  { name: 'feedbackActionUpdate: wrong version', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 9, status: 'IN_PROGRESS' }), field: ['version'], code: 'CONFLICT' },
  { name: 'feedbackActionUpdate: due before the feedback was received', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, dueOn: '2026-01-01' }), field: ['dueOn'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: owner named by id and by email', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, ownerPersonId: w.wren, ownerPersonEmail: 'wren@rtt.nhs.example' }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: an unknown owner email', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, ownerPersonEmail: 'nobody@rtt.nhs.example' }), field: ['ownerPersonEmail'], code: 'NOT_FOUND' },
  { name: 'feedbackActionUpdate: the owner cleared', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, ownerPersonEmail: null }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'feedbackActionUpdate: an owner from another trust', as: 'ADMIN', document: m(FeedbackActionUpdateDocument), input: (w) => ({ id: w.action, version: 1, ownerPersonId: w.tafline }), field: ['ownerPersonId'], code: 'INVALID' },
  // CORE item 22 assessments
  { name: 'coreItem22AssessmentRecord: a directorate', document: m(CoreItem22AssessmentRecordDocument), input: () => ({ orgUnitCode: 'RTT-DIR', criterion: 'A_RECRUITMENT', met: true, assessedOn: '2026-06-01', assessor: 'Peer reviewer', evidence: 'Interview packs' }), field: ['orgUnitCode'], code: 'INVALID' },
  { name: 'coreItem22AssessmentRecord: in the future', document: m(CoreItem22AssessmentRecordDocument), input: () => ({ orgUnitCode: 'RTT-A', criterion: 'A_RECRUITMENT', met: true, assessedOn: '2099-06-01', assessor: 'Peer reviewer', evidence: 'Interview packs' }), field: ['assessedOn'], code: 'INVALID' },
  { name: 'coreItem22AssessmentRecord: no assessor', document: m(CoreItem22AssessmentRecordDocument), input: () => ({ orgUnitCode: 'RTT-A', criterion: 'B_SKILLS_MONITORED', met: true, assessedOn: '2026-06-01', assessor: ' ', evidence: 'Supervision notes' }), field: ['assessor'], code: 'INVALID' },
  { name: 'coreItem22AssessmentRecord: an identifier in the evidence', document: m(CoreItem22AssessmentRecordDocument), input: () => ({ orgUnitCode: 'RTT-A', criterion: 'D_ALL_SOURCES_CARING', met: true, assessedOn: '2026-06-01', assessor: 'Peer reviewer', evidence: 'Carer at B33 8TH agreed' }), field: ['evidence'], code: 'IDENTIFIER_IN_TEXT' },
];

describe.each(DATABASE_KINDS)('feedback mutations on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createFeedbackFixture>>['keys'];
  let world: World;
  const send = async (document: AnyMutation, input: Input, key?: string) => (await app.request(document, { input }, key)).body;
  const must = async (document: AnyMutation, input: Input, key?: string) => {
    const body = await send(document, input, key);
    const result = Object.values(body.data ?? {})[0];
    if (!result || result.userErrors.length > 0) throw new Error(JSON.stringify(body));
    return result as Record<string, { id: string; version: number } & Record<string, unknown>>;
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const fixture = await createFeedbackFixture(app);
    keys = fixture.keys;
    const draft = (await must(m(FeedbackRecordDocument), record('The ward felt noisy at night', { receivedOn: '2026-03-10', externalId: 'FFT-1', themeCodes: ['COMMUNICATION', 'FOOD'] }))).feedback;
    const published = (await must(m(FeedbackRecordDocument), record('Visiting hours are too short', { receivedOn: '2026-02-01', source: 'COMMUNITY_MEETING', themeCodes: ['RESTRICTIONS'] }))).feedback;
    await must(m(FeedbackPublishDocument), { id: published.id, version: 1 });
    const action = (await must(m(FeedbackActionCreateDocument), { feedbackId: draft.id, description: 'Quiet hours from 22:00', ownerPersonId: fixture.people.ada, dueOn: '2026-04-30' })).action;
    world = { draft: draft.id, published: published.id, action: action.id, ...fixture.people };
  });
  afterAll(() => app.close());

  test.each(BAD.map((c) => [c.name, c] as const))('%s → user error, nothing changed', async (_name, c) => {
    const before = await feedbackSnapshot(app.database.db.prisma);
    const body = await send(c.document, c.input(world), c.as === 'ADMIN' ? undefined : keys.FACULTY_LEAD);
    expect(body.errors).toBeUndefined();
    const result = Object.values(body.data!)[0];
    expect(result.userErrors).toEqual([expect.objectContaining({ field: c.field, code: c.code })]);
    expect(result.userErrors[0].message.length).toBeGreaterThan(10);
    for (const [field, value] of Object.entries(result)) if (field !== 'userErrors' && field !== 'current') expect([field, value]).toEqual([field, null]);
    expect(await feedbackSnapshot(app.database.db.prisma)).toBe(before);
  });

  test('an action’s owner may be named by email (any case), on create and on update', async () => {
    const created = (await must(m(FeedbackActionCreateDocument), { feedbackId: world.draft, description: 'Earplugs on request', ownerPersonEmail: ' Ada@RTT.nhs.example ', dueOn: '2026-05-01' }, keys.FACULTY_LEAD)).action;
    expect(created.owner).toEqual({ name: 'Ada Ward-Manager' });
    const updated = (await must(m(FeedbackActionUpdateDocument), { id: created.id, version: created.version, ownerPersonEmail: 'wren@rtt.nhs.example' }, keys.FACULTY_LEAD)).action;
    expect(updated.owner).toEqual({ name: 'Wren Nurse' });
    expect(updated.version).toBe(created.version + 1);
    // Omitting both keeps the owner.
    const kept = (await must(m(FeedbackActionUpdateDocument), { id: created.id, version: updated.version, description: 'Earplugs and eye masks on request' }, keys.FACULTY_LEAD)).action;
    expect(kept.owner).toEqual({ name: 'Wren Nurse' });
  });

  test('every feedback mutation has bad-input cases (importFeedback has its own test below)', async () => {
    const { body } = await app.request(m(FeedbackRecordDocument), { input: {} } as never);
    expect(body.errors).toBeDefined(); // (a missing required field is refused before the resolver)
    const names = new Set(BAD.map((c) => c.name.split(':')[0]));
    expect([...names].sort()).toEqual(['coreItem22AssessmentRecord', 'feedbackActionCreate', 'feedbackActionUpdate', 'feedbackPublish', 'feedbackRecord', 'feedbackThemeCreate', 'feedbackUpdate']);
  });

  test('an identifier is named by kind, never echoed', async () => {
    const body = await send(m(FeedbackRecordDocument), record('Mr X 943 476 5919, SW1A 1AA, 07700 900123'), keys.FACULTY_LEAD);
    const [error] = Object.values(body.data!)[0].userErrors;
    expect(error.message).toContain('an NHS number, a phone number and a postcode');
    expect(JSON.stringify(body)).not.toMatch(/943|5919|SW1A|07700/);
  });

  test('a CONFLICT names the current version and the payload carries the item as it is', async () => {
    const body = await send(m(FeedbackPublishDocument), { id: world.draft, version: 5 }, keys.FACULTY_LEAD);
    const result = body.data!.feedbackPublish as unknown as { userErrors: Array<{ message: string }>; current: { version: number; status: string } };
    expect(result.userErrors[0].message).toContain('the current version is 1');
    expect(result.current).toEqual({ version: 1, status: 'DRAFT' });
  });

  test('BOARD may not record anything; a ward manager only within its own ward', async () => {
    const before = await feedbackSnapshot(app.database.db.prisma);
    const attempts: Array<[AnyMutation, Input, string]> = [
      [m(FeedbackRecordDocument), record('Fine'), keys.BOARD],
      [m(FeedbackThemeCreateDocument), { code: 'NEW-THEME', name: 'x', principleKeys: ['RELATIONAL'] }, keys.BOARD],
      [m(FeedbackThemeCreateDocument), { code: 'NEW-THEME', name: 'x', principleKeys: ['RELATIONAL'] }, keys.TEAM_MANAGER_W],
      [m(FeedbackRecordDocument), record('Fine'), keys.TEAM_MANAGER_W], // RTT-A is not the ward manager's
      [m(FeedbackActionCreateDocument), { feedbackId: world.draft, description: 'x', ownerPersonId: world.wren, dueOn: '2026-04-01' }, keys.TEAM_MANAGER_W],
      [m(FeedbackActionUpdateDocument), { id: world.action, version: 1, status: 'IN_PROGRESS' }, keys.TEAM_MANAGER_W],
      [m(FeedbackPublishDocument), { id: world.draft, version: 1 }, keys.TEAM_MANAGER_W],
      [m(FeedbackPublishDocument), { id: world.draft, version: 1 }, keys.BOARD],
      [m(CoreItem22AssessmentRecordDocument), { orgUnitCode: 'RTT-A', criterion: 'A_RECRUITMENT', met: true, assessedOn: '2026-06-01', assessor: 'x', evidence: 'y' }, keys.TEAM_MANAGER_W],
      [m(ImportFeedbackDocument), { rows: [] }, keys.BOARD],
    ];
    for (const [document, input, key] of attempts) {
      const body = await send(document, input, key);
      expect([JSON.stringify(input), body.errors?.[0]?.extensions?.code]).toEqual([JSON.stringify(input), 'FORBIDDEN']);
    }
    expect(await feedbackSnapshot(app.database.db.prisma)).toBe(before);
  });

  test('the loop, as a ward manager: record, act, close with evidence, publish; every step audited and in the history', async () => {
    const manager = keys.TEAM_MANAGER_W;
    const prisma = app.database.db.prisma;
    const audits = () => prisma.auditEvent.count();
    const start = await audits();
    const feedback = (await must(m(FeedbackRecordDocument), record('Nobody explained my leave', { orgUnitCode: 'RTT-W', source: 'PALS', receivedOn: '2026-06-03' }), manager)).feedback;
    expect(feedback).toMatchObject({ status: 'DRAFT', version: 1, receivedOn: '2026-06-03', themes: [{ code: 'COMMUNICATION', principleKeys: ['RELATIONAL', 'RESPONSIVE'] }], orgUnit: { code: 'RTT-W' } });
    const action = (await must(m(FeedbackActionCreateDocument), { feedbackId: feedback.id, description: 'A leave leaflet in every bedroom', ownerPersonId: world.wren, dueOn: '2026-07-01' }, manager)).action;
    expect(action).toMatchObject({ status: 'PLANNED', version: 1, owner: { name: 'Wren Nurse' }, overdue: true }); // due 2026-07-01, before today
    const started = (await must(m(FeedbackActionUpdateDocument), { id: action.id, version: 1, status: 'IN_PROGRESS' }, manager)).action;
    expect(started).toMatchObject({ status: 'IN_PROGRESS', version: 2 });
    const done = (await must(m(FeedbackActionUpdateDocument), { id: action.id, version: 2, status: 'DONE', evidence: 'Leaflet printed; audit of 12 bedrooms', completedOn: '2026-06-20' }, manager)).action;
    expect(done).toMatchObject({ status: 'DONE', completedOn: '2026-06-20', evidence: 'Leaflet printed; audit of 12 bedrooms', overdue: false, version: 3 });
    const published = (await must(m(FeedbackPublishDocument), { id: feedback.id, version: 1 }, manager)).feedback;
    expect(published).toMatchObject({ status: 'PUBLISHED', version: 2, reviewedBy: expect.stringContaining('TEAM_MANAGER') });
    // 5 mutations: create (1), action create (2: the action and the feedback), two updates (1 each), publish (1) = 6
    expect((await audits()) - start).toBe(6);
    const detail = (await app.request(FeedbackDetailDocument, { id: feedback.id }, manager)).body.data!.node as { history: { nodes: Array<{ action: string }> }; actions: unknown[] };
    expect(detail.history.nodes.map((n) => n.action)).toEqual(['publish', 'addAction', 'create']);
    expect(detail.actions).toHaveLength(1);

    // A changed summary sends it back for review.
    const edited = (await must(m(FeedbackUpdateDocument), { id: feedback.id, version: 2, summary: 'Nobody explained my section 17 leave' }, manager)).feedback;
    expect(edited).toMatchObject({ status: 'DRAFT', reviewedBy: null, publishedAt: null, version: 3 });
    // Dropping needs a reason, and keeps it.
    const second = (await must(m(FeedbackActionCreateDocument), { feedbackId: feedback.id, description: 'Weekly leave clinic', ownerPersonId: world.wren, dueOn: '2026-08-01' }, manager)).action;
    const dropped = (await must(m(FeedbackActionUpdateDocument), { id: second.id, version: 1, status: 'DROPPED', droppedReason: 'Replaced by the leaflet' }, manager)).action;
    expect(dropped).toMatchObject({ status: 'DROPPED', droppedReason: 'Replaced by the leaflet', overdue: false, completedOn: null });
  });

  test('importFeedback: per-row errors and nothing written; then idempotent on (source, externalId); dry run writes nothing', async () => {
    const prisma = app.database.db.prisma;
    const row = (i: number, extra: Input = {}) => ({ orgUnitCode: 'RTT-B', source: 'PATIENT_SURVEY', externalId: `SURV-${i}`, receivedOn: '2026-09-0' + (i + 1), themeCodes: ['FOOD'], summary: `Survey answer ${i}`, ...extra });
    const before = await feedbackSnapshot(prisma);
    const bad = (await app.request(ImportFeedbackDocument, {
      input: {
        rows: [
          row(0),
          row(1, { summary: 'Contact me: 07700 900123' }),
          row(2, { source: 'CARRIER_PIGEON' }),
          row(3, { themeCodes: ['FOOD', 'NOPE-THEME'] }),
          row(4, { orgUnitCode: 'TAF-W1' }),
          row(5, { receivedOn: '2026-02-30' }),
          row(0, { summary: 'the same key again' }),
        ],
      },
    }, keys.FACULTY_LEAD)).body.data!.importFeedback;
    expect(bad.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([
      ['rows.1.summary', 'IDENTIFIER_IN_TEXT'],
      ['rows.2.source', 'INVALID'],
      ['rows.3.themeCodes.1', 'NOT_FOUND'],
      ['rows.4.orgUnitCode', 'NOT_FOUND'],
      ['rows.5.receivedOn', 'INVALID'],
      ['rows.6.externalId', 'INVALID'],
    ]);
    expect(bad).toMatchObject({ accepted: 0, created: 0 });
    expect(await feedbackSnapshot(prisma)).toBe(before);

    const rows = [row(0), row(1), row(2, { source: 'friends_and_family_test' })];
    const dry = (await app.request(ImportFeedbackDocument, { input: { rows, dryRun: true } }, keys.FACULTY_LEAD)).body.data!.importFeedback;
    expect(dry).toMatchObject({ accepted: 3, created: 3, updated: 0, unchanged: 0, userErrors: [] });
    expect(await feedbackSnapshot(prisma)).toBe(before);

    const first = (await app.request(ImportFeedbackDocument, { input: { rows } }, keys.FACULTY_LEAD)).body.data!.importFeedback;
    expect(first).toMatchObject({ accepted: 3, created: 3, updated: 0, unchanged: 0, userErrors: [] });
    const again = (await app.request(ImportFeedbackDocument, { input: { rows } }, keys.FACULTY_LEAD)).body.data!.importFeedback;
    expect(again).toMatchObject({ accepted: 3, created: 0, updated: 0, unchanged: 3 });
    const changed = (await app.request(ImportFeedbackDocument, { input: { rows: [row(0, { summary: 'Survey answer 0, corrected' }), row(1)] } }, keys.FACULTY_LEAD)).body.data!.importFeedback;
    expect(changed).toMatchObject({ accepted: 2, created: 0, updated: 1, unchanged: 1 });
    expect(await prisma.feedback.count({ where: { externalId: { startsWith: 'SURV-' } } })).toBe(3);
    expect((await prisma.feedback.findFirstOrThrow({ where: { externalId: 'SURV-0' } })).summary).toBe('Survey answer 0, corrected');
    // The same external id in another trust is another item (unique per trust): TAF's admin may record it.
    const tafLead = (await app.request(ApiKeyCreateDocument, { input: { name: 'TAF lead', role: 'FACULTY_LEAD', trustCodes: ['TAF'] } })).body.data!.apiKeyCreate.secret!;
    const taf = (await app.request(ImportFeedbackDocument, { input: { rows: [row(0, { orgUnitCode: 'TAF-W1' })] } }, tafLead)).body.data!.importFeedback;
    expect(taf).toMatchObject({ created: 1, userErrors: [] });

    // A ward manager imports only into its own ward, and cannot move another team's item onto it.
    const snapshot = await feedbackSnapshot(prisma);
    const outside = (await app.request(ImportFeedbackDocument, { input: { rows: [row(7, { orgUnitCode: 'RTT-W' }), row(8, { orgUnitCode: 'RTT-A' })] } }, keys.TEAM_MANAGER_W)).body.data!.importFeedback;
    expect(outside.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['rows.1.orgUnitCode', 'FORBIDDEN']]);
    const moved = (await app.request(ImportFeedbackDocument, { input: { rows: [row(1, { orgUnitCode: 'RTT-W', summary: 'moved here' })] } }, keys.TEAM_MANAGER_W)).body.data!.importFeedback;
    expect(moved.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['rows.0.externalId', 'FORBIDDEN']]);
    expect(await feedbackSnapshot(prisma)).toBe(snapshot);
  });
});
