import { createFeedbackFixture } from '../feedback/feedback-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * The loop end to end, over HTTP as a ward and a board would use it: the ward manager's key
 * records feedback and an action, closes the action with evidence and publishes the summary;
 * the board's key then sees CORE item 22 criterion (c) met for the ward this month (it was not
 * before), and the pair on the ward's "you said, we did" page (HTML and CSV).
 */
describe.each(DATABASE_KINDS)('you said, we did end to end on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createFeedbackFixture>>['keys'];
  let wren: string;
  let base: string;
  const today = new Date().toISOString().slice(0, 10);
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const month = today.slice(0, 7);

  const graphql = async (query: string, variables: Record<string, unknown>, key: string) => {
    const response = await fetch(app.server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const criterionC = async () => {
    const data = await graphql('query($p: String!) { orgUnit(code: "RTT-W") { coreItem22(period: $p) { criteria { criterion met reason } } } }', { p: month }, keys.BOARD);
    return data.orgUnit.coreItem22.criteria[2] as { criterion: string; met: boolean; reason: string };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const fixture = await createFeedbackFixture(app);
    keys = fixture.keys;
    wren = fixture.people.wren;
    base = app.server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => app.close());

  test('a ward manager closes the loop; the board sees criterion (c) met and the pair on the ward’s page', async () => {
    expect(await criterionC()).toMatchObject({ criterion: 'C', met: false, reason: expect.stringMatching(/^No feedback received from/) });
    const manager = keys.TEAM_MANAGER_W;

    const recorded = await graphql(
      'mutation($i: FeedbackRecordInput!) { feedbackRecord(input: $i) { feedback { id version status } userErrors { code message } } }',
      { i: { orgUnitCode: 'RTT-W', source: 'COMMUNITY_MEETING', receivedOn: tenDaysAgo, themeCodes: ['RESTRICTIONS'], summary: 'The garden is locked at weekends.', externalId: 'CM-2026-1' } },
      manager,
    );
    expect(recorded.feedbackRecord.userErrors).toEqual([]);
    const feedback = recorded.feedbackRecord.feedback as { id: string; version: number; status: string };
    expect(feedback.status).toBe('DRAFT');

    const created = await graphql(
      'mutation($i: FeedbackActionCreateInput!) { feedbackActionCreate(input: $i) { action { id version status } userErrors { code message } } }',
      { i: { feedbackId: feedback.id, description: 'The garden is open every day from 9 to 8.', ownerPersonId: wren, dueOn: today } },
      manager,
    );
    expect(created.feedbackActionCreate.userErrors).toEqual([]);
    const action = created.feedbackActionCreate.action as { id: string; version: number };

    // Closing without evidence is refused and changes nothing; with evidence it is done.
    const refused = await graphql(
      'mutation($i: FeedbackActionUpdateInput!) { feedbackActionUpdate(input: $i) { action { id } userErrors { field code } } }',
      { i: { id: action.id, version: action.version, status: 'DONE' } },
      manager,
    );
    expect(refused.feedbackActionUpdate).toEqual({ action: null, userErrors: [{ field: ['evidence'], code: 'REQUIRED' }] });
    const done = await graphql(
      'mutation($i: FeedbackActionUpdateInput!) { feedbackActionUpdate(input: $i) { action { status completedOn evidence } userErrors { code message } } }',
      { i: { id: action.id, version: action.version, status: 'DONE', evidence: 'Garden rota signed off at the community meeting.', completedOn: today } },
      manager,
    );
    expect(done.feedbackActionUpdate).toEqual({ action: { status: 'DONE', completedOn: today, evidence: 'Garden rota signed off at the community meeting.' }, userErrors: [] });

    // Not on the wall until reviewed and published.
    const before = await fetch(`${base}/you-said-we-did/RTT-W`, { headers: { authorization: `Bearer ${keys.BOARD}` } });
    expect(await before.text()).not.toContain('The garden is locked at weekends.');
    const published = await graphql(
      'mutation($i: FeedbackPublishInput!) { feedbackPublish(input: $i) { feedback { status } userErrors { code message } } }',
      { i: { id: feedback.id, version: feedback.version } },
      manager,
    );
    expect(published.feedbackPublish).toEqual({ feedback: { status: 'PUBLISHED' }, userErrors: [] });

    // The board: criterion (c) met this month, and the pair on the ward's page.
    expect(await criterionC()).toMatchObject({ met: true, reason: expect.stringContaining('1 with an action done with evidence') });
    const page = await fetch(`${base}/you-said-we-did/RTT-W`, { headers: { authorization: `Bearer ${keys.BOARD}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<p class="summary">The garden is locked at weekends.</p>');
    expect(html).toContain('<p class="action">The garden is open every day from 9 to 8.</p>');
    expect(html).toContain('Garden rota signed off at the community meeting.');
    const csv = await (await fetch(`${base}/you-said-we-did/RTT-W?format=csv`, { headers: { authorization: `Bearer ${keys.BOARD}` } })).text();
    expect(csv.trim().split('\r\n')[1]).toBe(`RTT-W,Unit RTT-W,${tenDaysAgo},COMMUNITY_MEETING,RESTRICTIONS,The garden is locked at weekends.,The garden is open every day from 9 to 8.,DONE,${today},${today},Garden rota signed off at the community meeting.`);
    const pairs = await graphql('{ youSaidWeDid(orgUnitCode: "RTT") { nodes { feedback { summary themes { code } } action { description status completedOn evidence } } } }', {}, keys.BOARD);
    expect(pairs.youSaidWeDid.nodes).toEqual([
      {
        feedback: { summary: 'The garden is locked at weekends.', themes: [{ code: 'RESTRICTIONS' }] },
        action: { description: 'The garden is open every day from 9 to 8.', status: 'DONE', completedOn: today, evidence: 'Garden rota signed off at the community meeting.' },
      },
    ]);
  });
});
