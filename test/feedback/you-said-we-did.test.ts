import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { FeedbackActionCreateDocument, FeedbackActionUpdateDocument, FeedbackPublishDocument, FeedbackRecordDocument, YouSaidWeDidDocument } from '../generated/graphql';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { createFeedbackFixture } from './feedback-fixture';

type Input = Record<string, unknown>;
type AnyMutation = TypedDocumentNode<Record<string, { userErrors: unknown[] } & Record<string, { id: string; version: number }>>, { input: Input }>;
const m = (document: unknown) => document as AnyMutation;

/**
 * "You said, we did" as GraphQL, CSV and HTML. The world (RTT-DIR's subtree):
 *   RTT-W  2026-06-03 PALS     published  action DONE 2026-06-20 (+ a DROPPED one, not shown)
 *   RTT-W  2026-05-10 FFT      published  action IN_PROGRESS, due 2026-07-01 (overdue)
 *   RTT-A  2026-04-02 meeting  published  no action yet
 *   RTT-A  2026-04-20 FFT      DRAFT      (not shown)
 *   RTT-D  2026-04-05 FFT      published  (outside RTT-DIR)
 */
describe.each(DATABASE_KINDS)('you said, we did on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createFeedbackFixture>>['keys'];
  let base: string;
  const must = async (document: AnyMutation, input: Input) => {
    const { body } = await app.request(document, { input });
    const result = Object.values(body.data ?? {})[0];
    if (!result || result.userErrors.length > 0) throw new Error(JSON.stringify(body));
    return result;
  };
  const get = (path: string, key: string | null = keys.BOARD) => fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  beforeAll(async () => {
    app = await startTestApp(kind);
    const fixture = await createFeedbackFixture(app);
    keys = fixture.keys;
    base = app.server.url.replace(/\/graphql$/, '');
    const item = async (orgUnitCode: string, receivedOn: string, source: string, summary: string, publish: boolean) => {
      const feedback = (await must(m(FeedbackRecordDocument), { orgUnitCode, receivedOn, source, summary, themeCodes: ['COMMUNICATION', 'FOOD'] })).feedback;
      if (publish) await must(m(FeedbackPublishDocument), { id: feedback.id, version: 1 });
      return feedback.id;
    };
    const action = async (feedbackId: string, description: string, dueOn: string) =>
      (await must(m(FeedbackActionCreateDocument), { feedbackId, description, ownerPersonId: fixture.people.wren, dueOn })).action.id;
    const leave = await item('RTT-W', '2026-06-03', 'PALS', 'Nobody explained my leave <b>at all</b>', true);
    const done = await action(leave, 'A leave leaflet in every bedroom', '2026-07-01');
    await must(m(FeedbackActionUpdateDocument), { id: done, version: 1, status: 'DONE', evidence: 'Leaflets in all 12 bedrooms (audit 20 June)', completedOn: '2026-06-20' });
    const dropped = await action(leave, 'A weekly leave clinic', '2026-07-01');
    await must(m(FeedbackActionUpdateDocument), { id: dropped, version: 1, status: 'DROPPED', droppedReason: 'The leaflet answered it' });
    const food = await item('RTT-W', '2026-05-10', 'FRIENDS_AND_FAMILY_TEST', '=The food is cold by the time it arrives', true);
    const started = await action(food, 'Heated trolley for the ward', '2026-07-01');
    await must(m(FeedbackActionUpdateDocument), { id: started, version: 1, status: 'IN_PROGRESS' });
    await item('RTT-A', '2026-04-02', 'COMMUNITY_MEETING', 'We want a say in the ward rules', true);
    await item('RTT-A', '2026-04-20', 'FRIENDS_AND_FAMILY_TEST', 'Draft: not reviewed yet', false);
    await item('RTT-D', '2026-04-05', 'FRIENDS_AND_FAMILY_TEST', 'Another directorate', true);
  });
  afterAll(() => app.close());

  test('GraphQL: the published pairs of the subtree, newest feedback first; drafts and dropped actions left out', async () => {
    const { body } = await app.request(YouSaidWeDidDocument, { orgUnitCode: 'RTT-DIR', from: '2026-01-01', to: '2026-11-30' }, keys.BOARD);
    expect(body.errors).toBeUndefined();
    const connection = body.data!.youSaidWeDid!;
    expect(connection.totalCount).toBe(3);
    expect(connection.nodes.map((p) => [p.orgUnit.code, p.feedback.receivedOn, p.feedback.source, p.action?.status ?? null, p.action?.completedOn ?? null])).toEqual([
      ['RTT-W', '2026-06-03', 'PALS', 'DONE', '2026-06-20'],
      ['RTT-W', '2026-05-10', 'FRIENDS_AND_FAMILY_TEST', 'IN_PROGRESS', null],
      ['RTT-A', '2026-04-02', 'COMMUNITY_MEETING', null, null],
    ]);
    expect(connection.nodes[0]).toMatchObject({
      feedback: { summary: 'Nobody explained my leave <b>at all</b>', themes: [{ code: 'COMMUNICATION' }, { code: 'FOOD' }] },
      action: { description: 'A leave leaflet in every bedroom', evidence: 'Leaflets in all 12 bedrooms (audit 20 June)' },
    });
    // The ward alone, and a period that ends before the June item.
    const ward = (await app.request(YouSaidWeDidDocument, { orgUnitCode: 'RTT-W', from: '2026-05-01', to: '2026-05-31' }, keys.BOARD)).body.data!.youSaidWeDid!;
    expect(ward.nodes.map((p) => p.feedback.receivedOn)).toEqual(['2026-05-10']);
    // Paged like any connection.
    const page = (await app.request(YouSaidWeDidDocument, { orgUnitCode: 'RTT', from: '2026-01-01', to: '2026-11-30', first: 2 }, keys.BOARD)).body.data!.youSaidWeDid!;
    expect([page.totalCount, page.nodes.length]).toEqual([4, 2]);
  });

  test('GraphQL reads a fixed number of statements whatever the number of pairs', async () => {
    const few = await app.request(YouSaidWeDidDocument, { orgUnitCode: 'RTT-A', from: '2026-01-01', to: '2026-11-30' }, TEST_ADMIN_KEY);
    const many = await app.request(YouSaidWeDidDocument, { orgUnitCode: 'RTT', from: '2026-01-01', to: '2026-11-30' }, TEST_ADMIN_KEY);
    expect([few.body.data!.youSaidWeDid!.totalCount, many.body.data!.youSaidWeDid!.totalCount]).toEqual([1, 4]);
    expect(many.body.extensions!.sqlStatements).toBe(few.body.extensions!.sqlStatements);
  });

  test('CSV: the documented header, one row a pair, formulas neutralised', async () => {
    const response = await get('/you-said-we-did/RTT-W?from=2026-01-01&to=2026-11-30&format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="you-said-we-did-RTT-W-2026-01-01-2026-11-30.csv"');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('org_unit_code,org_unit_name,received_on,source,themes,you_said,we_did,action_status,due_on,completed_on,evidence');
    expect(lines.slice(1)).toEqual([
      'RTT-W,Unit RTT-W,2026-06-03,PALS,COMMUNICATION;FOOD,Nobody explained my leave <b>at all</b>,A leave leaflet in every bedroom,DONE,2026-07-01,2026-06-20,Leaflets in all 12 bedrooms (audit 20 June)',
      "RTT-W,Unit RTT-W,2026-05-10,FRIENDS_AND_FAMILY_TEST,COMMUNICATION;FOOD,'=The food is cold by the time it arrives,Heated trolley for the ward,IN_PROGRESS,2026-07-01,,",
    ]);
  });

  test('HTML: one self-contained page, text escaped, status in words', async () => {
    const response = await get('/you-said-we-did/RTT-W?from=2026-01-01&to=2026-11-30');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('<title>You said, we did: Unit RTT-W</title>');
    expect(html).toContain('Nobody explained my leave &lt;b&gt;at all&lt;/b&gt;');
    expect(html).toContain('Done on 20 June 2026');
    expect(html).toContain('In progress: due 1 July 2026 (overdue)');
    expect(html).toContain('1 of 2 actions are done.');
    expect(html).not.toMatch(/<script|<link|src=|Draft: not reviewed|weekly leave clinic/i);
  });

  test('refusals: another trust’s unit is 404 exactly as an unknown one; bad parameters 400; no key 401', async () => {
    const other = await get('/you-said-we-did/TAF-W1');
    const none = await get('/you-said-we-did/NOPE-1');
    expect(other.status).toBe(404);
    const errors = async (r: Response, code: string) => JSON.stringify(((await r.json()) as { errors: unknown }).errors).split(code).join('<code>');
    expect(await errors(other, 'TAF-W1')).toBe(await errors(none, 'NOPE-1'));
    for (const path of ['/you-said-we-did/RTT-W?from=2026-02-30', '/you-said-we-did/RTT-W?format=pdf', '/you-said-we-did/RTT-W?from=2026-06-01&to=2026-05-01', '/you-said-we-did/RTT-W?period=2026-01']) {
      const response = await get(path);
      expect([path, response.status, ((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code]).toEqual([path, 400, 'BAD_USER_INPUT']);
    }
    expect((await get('/you-said-we-did/RTT-W', null)).status).toBe(401);
  });
});
