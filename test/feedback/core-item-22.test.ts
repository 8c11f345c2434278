import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CoreItem22AssessmentRecordDocument,
  CoreItem22Document,
  FeedbackActionCreateDocument,
  FeedbackActionUpdateDocument,
  FeedbackRecordDocument,
  MeasureCreateDocument,
  MeasureSeriesDocument,
} from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { createFeedbackFixture } from './feedback-fixture';

type Input = Record<string, unknown>;
type AnyMutation = TypedDocumentNode<Record<string, { userErrors: unknown[] } & Record<string, { id: string; version: number }>>, { input: Input }>;
const m = (document: unknown) => document as AnyMutation;

/**
 * CORE item 22 from evidence, and the derived CORE-ITEM-22 series pooling like any MEAN measure
 * (Σ criteria met ÷ Σ team-months). The world, worked by hand:
 *   RTT-A  assessed A met (2026-02-01), B not met (2026-02-01); feedback 2026-03-10 with an action DONE 2026-04-15
 *   RTT-B  assessed D met (2026-05-01); feedback 2026-03-01 with an action IN_PROGRESS (later DONE 2026-06-10)
 *   RTT-C  nothing
 *
 *   score       2026-02  2026-03  2026-04  2026-05  2026-06 (before)  2026-06 (after RTT-B's action is done)
 *   RTT-A       1 (A)    1 (A)    2 (A,C)  2        2                 2
 *   RTT-B       —        0        0        1 (D)    1                 2 (C,D)
 *   RTT-DIR     1/1=1    1/2=0.5  2/2=1    3/2=1.5  3/2=1.5           4/2=2
 * (RTT-B's series starts with its first evidence, 2026-03; RTT-C has none, so no observation.)
 */
describe.each(DATABASE_KINDS)('CORE item 22 from evidence on %s', (kind) => {
  let app: TestApp;
  let bAction: string;
  const must = async (document: AnyMutation, input: Input) => {
    const { body } = await app.request(document, { input });
    const result = Object.values(body.data ?? {})[0];
    if (!result || result.userErrors.length > 0) throw new Error(JSON.stringify(body));
    return result;
  };
  const series = async (orgUnitCode: string) => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'CORE-ITEM-22', orgUnitCode, from: '2026-02-01', to: '2026-06-01' });
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.series.points.map((p) => [p.periodStart, p.numerator, p.denominator, p.value]);
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    const fixture = await createFeedbackFixture(app);
    await must(m(MeasureCreateDocument), { code: 'CORE-ITEM-22', name: 'CORE fidelity item 22', scoringType: 'MEAN', improvementDirection: 'INCREASE', unit: 'criteria met (0–4)' });
    const assess = (orgUnitCode: string, criterion: string, met: boolean, assessedOn: string) =>
      must(m(CoreItem22AssessmentRecordDocument), { orgUnitCode, criterion, met, assessedOn, assessor: 'Crisis peer reviewer', evidence: 'Fidelity review report' });
    await assess('RTT-A', 'A_RECRUITMENT', true, '2026-02-01');
    await assess('RTT-A', 'B_SKILLS_MONITORED', false, '2026-02-01');
    await assess('RTT-B', 'D_ALL_SOURCES_CARING', true, '2026-05-01');
    const feedback = async (orgUnitCode: string, receivedOn: string) =>
      (await must(m(FeedbackRecordDocument), { orgUnitCode, receivedOn, source: 'PATIENT_SURVEY', themeCodes: ['COMMUNICATION'], summary: 'Survey comments' })).feedback.id;
    const a = await feedback('RTT-A', '2026-03-10');
    const b = await feedback('RTT-B', '2026-03-01');
    const aAction = (await must(m(FeedbackActionCreateDocument), { feedbackId: a, description: 'Named nurse each shift', ownerPersonId: fixture.people.ada, dueOn: '2026-04-30' })).action;
    await must(m(FeedbackActionUpdateDocument), { id: aAction.id, version: 1, status: 'DONE', evidence: 'Rota shows a named nurse', completedOn: '2026-04-15' });
    const action = (await must(m(FeedbackActionCreateDocument), { feedbackId: b, description: 'Call-back within a day', ownerPersonId: fixture.people.ada, dueOn: '2026-06-30' })).action;
    await must(m(FeedbackActionUpdateDocument), { id: action.id, version: 1, status: 'IN_PROGRESS' });
    bAction = action.id;
  });
  afterAll(() => app.close());

  test('per team and month: each criterion met or not, and why', async () => {
    const read = async (code: string, period: string) => (await app.request(CoreItem22Document, { orgUnitCode: code, period })).body.data!.orgUnit!.coreItem22;
    const april = await read('RTT-A', '2026-04');
    expect(april).toMatchObject({ period: '2026-04-01', windowStart: '2025-05-01', windowEnd: '2026-04-30', score: 2 });
    expect(april.criteria.map((c) => [c.criterion, c.met])).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
      ['D', false],
    ]);
    // In March the action was not yet done (2026-04-15): (c) not met, and the reason says why.
    const march = await read('RTT-A', '2026-03');
    expect(march.score).toBe(1);
    expect(march.criteria[2]).toEqual({ criterion: 'C', met: false, reason: '1 feedback item(s) received from 2025-04-01 to 2026-03-31, but no action on them done with evidence by 2026-03-31' });
    // A team with feedback but no action done, and a team with nothing at all.
    expect((await read('RTT-B', '2026-05')).criteria.map((c) => c.met)).toEqual([false, false, false, true]);
    expect((await read('RTT-C', '2026-05')).criteria[2].reason).toBe('No feedback received from 2025-06-01 to 2026-05-31');
    const bad = await app.request(CoreItem22Document, { orgUnitCode: 'RTT-A', period: '2026-13' });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('the derived CORE-ITEM-22 series: one observation per team-month, pooling Σ scores ÷ Σ teams', async () => {
    expect(await series('RTT-A')).toEqual([
      ['2026-02-01', 1, 1, 1],
      ['2026-03-01', 1, 1, 1],
      ['2026-04-01', 2, 1, 2],
      ['2026-05-01', 2, 1, 2],
      ['2026-06-01', 2, 1, 2],
    ]);
    expect(await series('RTT-DIR')).toEqual([
      ['2026-02-01', 1, 1, 1],
      ['2026-03-01', 1, 2, 0.5],
      ['2026-04-01', 2, 2, 1],
      ['2026-05-01', 3, 2, 1.5],
      ['2026-06-01', 3, 2, 1.5],
    ]);
    const prisma = app.database.db.prisma;
    const sources = await prisma.observation.groupBy({ by: ['source'], where: { measure: { code: 'CORE-ITEM-22' } }, _count: true });
    expect(sources.map((s) => s.source)).toEqual(['derived:core-item-22']);
    expect(await prisma.observation.count({ where: { measure: { code: 'CORE-ITEM-22' }, orgUnit: { code: 'RTT-C' } } })).toBe(0);
  });

  test('closing an action with evidence moves the series in the same transaction', async () => {
    await must(m(FeedbackActionUpdateDocument), { id: bAction, version: 2, status: 'DONE', evidence: 'Call-back log for June', completedOn: '2026-06-10' });
    const dir = await series('RTT-DIR');
    expect(dir[4]).toEqual(['2026-06-01', 4, 2, 2]);
    expect(dir[3]).toEqual(['2026-05-01', 3, 2, 1.5]); // May is unchanged: the action was done in June
  });
});
