import { seedDemo } from '../../src/demo/seed';
import { buildDataset, DEMO_OPTIONS, DEMO_SMALL_WARD } from '../../src/demo/dataset';
import { gql } from '../hardening/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/** The demo trust seeds its year of feedback, and CORE-ITEM-22 at the assessed teams is derived from it. */
describe.each(DATABASE_KINDS)('the demo’s feedback on %s', (kind) => {
  let app: TestApp;
  let keys: Record<string, string>;
  const ledger = buildDataset(DEMO_OPTIONS).feedback;

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = Object.fromEntries((await seedDemo(app.database.db.prisma)).keys.map((k) => [k.role, k.key]));
  }, 240_000);
  afterAll(() => app.close());

  test('every item, action and assessment is loaded', async () => {
    const prisma = app.database.db.prisma;
    expect(await prisma.feedback.count()).toBe(ledger.feedback.length);
    expect(await prisma.feedbackAction.count()).toBe(ledger.feedback.reduce((n, f) => n + f.actions.length, 0));
    expect(await prisma.coreItem22Assessment.count()).toBe(ledger.assessments.length);
  });

  test('the derived CORE-ITEM-22 months agree with OrgUnit.coreItem22, team by team', async () => {
    const prisma = app.database.db.prisma;
    const assessed = [...new Set(ledger.assessments.map((a) => a.orgUnitCode))];
    let met = 0;
    for (const code of assessed) {
      const { body } = await gql(app.server.url, 'query($c: String!) { orgUnit(code: $c) { coreItem22(period: "2026-10") { score criteria { criterion met } } } }', { c: code }, keys.ADMIN);
      const score = (body.data as { orgUnit: { coreItem22: { score: number; criteria: Array<{ met: boolean }> } } }).orgUnit.coreItem22;
      if (score.criteria[2].met) met += 1;
      const row = await prisma.observation.findFirstOrThrow({ where: { measure: { code: 'CORE-ITEM-22' }, orgUnit: { code }, periodStart: new Date('2026-10-01T00:00:00Z') } });
      expect([code, row.numerator, row.denominator, row.source]).toEqual([code, score.score, 1, 'derived:core-item-22']);
    }
    expect(met).toBeGreaterThan(0);
    expect(met).toBeLessThan(assessed.length);
  });

  test('the small ward’s wall has its published pairs', async () => {
    const { body } = await gql(app.server.url, `{ youSaidWeDid(orgUnitCode: "${DEMO_SMALL_WARD.code}", from: "2025-11-01", to: "2026-10-31") { totalCount } }`, undefined, keys.BOARD);
    const expected = ledger.feedback.filter((f) => f.orgUnitCode === DEMO_SMALL_WARD.code && f.published).reduce((n, f) => n + Math.max(1, f.actions.filter((a) => a.status !== 'DROPPED').length), 0);
    expect(body.data).toEqual({ youSaidWeDid: { totalCount: expected } });
  });
});
