import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { FeedbackActionCreateDocument, FeedbackActionUpdateDocument, FeedbackOverviewDocument, FeedbackRecordDocument } from '../generated/graphql';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { createFeedbackFixture } from './feedback-fixture';

type Input = Record<string, unknown>;
type AnyMutation = TypedDocumentNode<Record<string, { userErrors: unknown[] } & Record<string, { id: string; version: number }>>, { input: Input }>;
const m = (document: unknown) => document as AnyMutation;

/**
 * The board and map view of the loop, worked by hand. Themes: COMMUNICATION → RELATIONAL,
 * RESPONSIVE; FOOD → RIGHTS_BASED; RESTRICTIONS → RIGHTS_BASED, RESPONSIVE.
 *   RTT-A  F1 2026-03-01 [COMMUNICATION]  DONE 2026-03-11 (10 days)
 *          F2 2026-04-01 [FOOD]           three open actions due 2026-05-01, 06-01, 07-01: all overdue (today is later)
 *   RTT-W  F3 2026-05-01 [COMMUNICATION, RESTRICTIONS]  DONE 2026-05-31 (30 days)
 *          F4 2026-06-01 [FOOD]           no action
 *   RTT-B  F5 2025-06-01 [FOOD]           before the period, and before the 12 months to 2026-11-30
 *   RTT-C  nothing
 *   RTT-D  F6 2026-02-01 [FOOD]           DONE 2026-02-05 (4 days)   (RTT-DIR2, not RTT-DIR)
 */
describe.each(DATABASE_KINDS)('feedback overview on %s', (kind) => {
  let app: TestApp;
  const must = async (document: AnyMutation, input: Input) => {
    const { body } = await app.request(document, { input });
    const result = Object.values(body.data ?? {})[0];
    if (!result || result.userErrors.length > 0) throw new Error(JSON.stringify(body));
    return result;
  };
  const overview = async (orgUnitCode: string, overdueThreshold?: number) => {
    const response = await app.request(FeedbackOverviewDocument, { orgUnitCode, from: '2026-01-01', to: '2026-11-30', overdueThreshold }, TEST_ADMIN_KEY);
    expect(response.body.errors).toBeUndefined();
    return { view: response.body.data!.feedbackOverview!, statements: response.body.extensions!.sqlStatements! };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const { people } = await createFeedbackFixture(app);
    const item = async (orgUnitCode: string, receivedOn: string, themeCodes: string[]) =>
      (await must(m(FeedbackRecordDocument), { orgUnitCode, receivedOn, themeCodes, source: 'PATIENT_SURVEY', summary: 'Survey comment' })).feedback.id;
    const action = async (feedbackId: string, dueOn: string, completedOn?: string) => {
      const created = (await must(m(FeedbackActionCreateDocument), { feedbackId, description: 'Something done', ownerPersonId: people.ada, dueOn })).action;
      if (completedOn) await must(m(FeedbackActionUpdateDocument), { id: created.id, version: 1, status: 'DONE', evidence: 'Checked', completedOn });
    };
    await action(await item('RTT-A', '2026-03-01', ['COMMUNICATION']), '2026-03-31', '2026-03-11');
    const f2 = await item('RTT-A', '2026-04-01', ['FOOD']);
    for (const due of ['2026-05-01', '2026-06-01', '2026-07-01']) await action(f2, due);
    await action(await item('RTT-W', '2026-05-01', ['COMMUNICATION', 'RESTRICTIONS']), '2026-06-30', '2026-05-31');
    await item('RTT-W', '2026-06-01', ['FOOD']);
    await item('RTT-B', '2025-06-01', ['FOOD']);
    await action(await item('RTT-D', '2026-02-01', ['FOOD']), '2026-03-01', '2026-02-05');
  });
  afterAll(() => app.close());

  test('the directorate pooled, by theme and principle, with the median days to done', async () => {
    const { view } = await overview('RTT-DIR');
    expect(view.total).toEqual({
      feedbackCount: 4,
      answeredCount: 2,
      actionsOpen: 3,
      actionsOverdue: 3,
      actionsDone: 2,
      actionsDropped: 0,
      medianDaysToDone: 20, // (10 + 30) / 2
      byTheme: [
        { theme: { code: 'COMMUNICATION' }, count: 2 },
        { theme: { code: 'FOOD' }, count: 2 },
        { theme: { code: 'RESTRICTIONS' }, count: 1 },
      ],
      // F1: RELATIONAL, RESPONSIVE; F2: RIGHTS_BASED; F3: all three (RIGHTS_BASED once); F4: RIGHTS_BASED
      byPrinciple: [
        { principle: 'RIGHTS_BASED', count: 3 },
        { principle: 'RELATIONAL', count: 2 },
        { principle: 'RESPONSIVE', count: 2 },
      ],
    });
  });

  test('drill-down: each child’s subtree, adding up to the parent', async () => {
    const { view } = await overview('RTT-DIR');
    expect(view.children.map((c) => [c.orgUnit.code, c.hasChildren, c.figures.feedbackCount, c.figures.actionsDone, c.figures.actionsOverdue, c.figures.medianDaysToDone])).toEqual([
      ['RTT-A', false, 2, 1, 3, 10],
      ['RTT-B', false, 0, 0, 0, null],
      ['RTT-C', false, 0, 0, 0, null],
      ['RTT-W', false, 2, 1, 0, 30],
    ]);
    const sum = view.children.reduce((n, c) => n + c.figures.feedbackCount, 0);
    expect(sum).toBe(view.total.feedbackCount);
    // The trust: RTT-DIR and RTT-DIR2 (with F6, 4 days): median of 4, 10, 30 is 10.
    const trust = (await overview('RTT')).view;
    expect([trust.total.feedbackCount, trust.total.medianDaysToDone]).toEqual([5, 10]);
    expect(trust.children.map((c) => [c.orgUnit.code, c.hasChildren, c.figures.feedbackCount])).toEqual([
      ['RTT-DIR', true, 4],
      ['RTT-DIR2', true, 1],
    ]);
  });

  test('coverage gaps and the overdue exception', async () => {
    const { view } = await overview('RTT-DIR');
    expect(view.gaps.nodes.map((g) => [g.kind, g.orgUnit.code, g.overdueActions])).toEqual([
      ['OVERDUE_ACTIONS', 'RTT-A', 3],
      ['NO_FEEDBACK_SOUGHT', 'RTT-B', 0], // its only item is from 2025-06-01, before 2025-12-01
      ['NO_FEEDBACK_SOUGHT', 'RTT-C', 0],
    ]);
    expect(view.gaps.nodes[1].message).toBe('Unit RTT-B has recorded no feedback received from 2025-12-01 to 2026-11-30');
    expect(view.exceptions.nodes).toEqual([{ orgUnit: { code: 'RTT-A' }, overdueActions: 3, threshold: 3, message: '3 overdue actions at Unit RTT-A (threshold 3)' }]);
    expect((await overview('RTT-DIR', 4)).view.exceptions.nodes).toEqual([]);
    const bad = await app.request(FeedbackOverviewDocument, { orgUnitCode: 'RTT', overdueThreshold: 0 });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a fixed number of statements whatever the size of the subtree', async () => {
    const [trust, directorate] = [await overview('RTT'), await overview('RTT-DIR')];
    expect(trust.statements).toBe(directorate.statements);
  });
});
