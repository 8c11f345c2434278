import { ImportObservationsDocument, MeasureAddPrincipleDocument, MeasureCreateDocument, ScorecardByGranularityDocument, type ObservationRowInput } from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * GR-P (a proportion, higher is better) at team RTT-A, April to November 2024:
 *   Apr–Sep 8/10 a month, Oct and Nov 10/10.
 * By NHS quarter (Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec):
 *   Q1 = 3 × 8 / 3 × 10 = 24/30 = 0.8; Q2 = 24/30 = 0.8; Q3 to November = 20/20 = 1, 2 of 3 months → partial.
 *   SPC over the whole quarters only: mean (0.8 + 0.8) / 2 = 0.8 (with Q3 it would be 2.6 / 3 = 0.8667).
 * By financial year: 2024/25 to November = (6 × 8 + 2 × 10) / 80 = 68/80, 8 of 12 months → partial,
 *   so SPC has no whole year: mean null.
 */
const MONTHS = Array.from({ length: 8 }, (_, i) => addMonths('2024-04-01', i));
const rows = (): ObservationRowInput[] =>
  MONTHS.map((periodStart, i) => ({ measureCode: 'GR-P', orgUnitCode: 'RTT-A', periodStart, numerator: i < 6 ? 8 : 10, denominator: 10, source: 'audit' }));

describe.each(DATABASE_KINDS)('scorecard by month, quarter and financial year on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createMeasurementFixture(app);
    const created = await app.request(MeasureCreateDocument, { input: { code: 'GR-P', name: 'Care plans shared', scoringType: 'PROPORTION', improvementDirection: 'INCREASE' } });
    expect(created.body.data!.measureCreate.userErrors).toEqual([]);
    const linked = await app.request(MeasureAddPrincipleDocument, { input: { measureCode: 'GR-P', principle: 'RELATIONAL' } });
    expect(linked.body.data!.measureAddPrinciple.userErrors).toEqual([]);
    const imported = await app.request(ImportObservationsDocument, { input: { rows: rows() } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 8, userErrors: [] });
  });
  afterAll(() => app.close());

  // The operation also asks for `principles`, so the whole-response cache stands aside and each
  // answer comes through the resolver's cache: a key without the granularity would hand the
  // monthly scorecard back to the quarterly request that follows it.
  const entryAt = async (granularity?: 'MONTH' | 'QUARTER' | 'FINANCIAL_YEAR') => {
    const { body } = await app.request(ScorecardByGranularityDocument, { orgUnitCode: 'RTT-A', period: '2024-11-01', ...(granularity ? { granularity } : {}) });
    expect(body.errors).toBeUndefined();
    expect(body.data!.principles.length).toBe(4);
    const scorecard = body.data!.scorecard!;
    const relational = scorecard.principles.find((s) => s.principle!.key === 'RELATIONAL')!;
    return { scorecard, entry: relational.entries.find((e) => e.measure.code === 'GR-P')! };
  };

  test('by default the scorecard is by month, as before: no point is partial', async () => {
    const { scorecard, entry } = await entryAt();
    expect(scorecard).toMatchObject({ period: '2024-11-01', granularity: 'MONTH' });
    expect(entry.recentPoints.map((p) => p.label)).toEqual(['Apr 2024', 'May 2024', 'Jun 2024', 'Jul 2024', 'Aug 2024', 'Sep 2024', 'Oct 2024', 'Nov 2024']);
    expect(entry.recentPoints.every((p) => !p.partial && p.monthsExpected === 1)).toBe(true);
    expect(entry.latest).toEqual({ label: 'Nov 2024', numerator: 10, denominator: 10, partial: false });
  });

  test('by quarter: whole quarters pooled, the quarter in progress flagged partial and left out of the SPC mean', async () => {
    const { scorecard, entry } = await entryAt('QUARTER');
    expect(scorecard).toMatchObject({ period: '2024-11-01', granularity: 'QUARTER' });
    expect(entry.recentPoints.map((p) => [p.label, p.numerator, p.denominator, p.monthsWithData, p.monthsExpected, p.partial])).toEqual([
      ['2024/25 Q1', 24, 30, 3, 3, false],
      ['2024/25 Q2', 24, 30, 3, 3, false],
      ['2024/25 Q3', 20, 20, 2, 3, true],
    ]);
    for (const p of entry.recentPoints) expect(p.mean).toBeCloseTo(0.8, 12);
    expect(entry.latest).toEqual({ label: '2024/25 Q3', numerator: 20, denominator: 20, partial: true });
  });

  test('by financial year: the year to November is one partial point, with no SPC mean', async () => {
    const { scorecard, entry } = await entryAt('FINANCIAL_YEAR');
    expect(scorecard.granularity).toBe('FINANCIAL_YEAR');
    expect(entry.recentPoints.map((p) => [p.label, p.numerator, p.denominator, p.monthsWithData, p.monthsExpected, p.partial, p.mean])).toEqual([['2024/25', 68, 80, 8, 12, true, null]]);
  });

  test('each granularity keeps its own cached answer: asked again, each gives what it gave', async () => {
    const labels = async (granularity?: 'MONTH' | 'QUARTER' | 'FINANCIAL_YEAR') => (await entryAt(granularity)).entry.recentPoints.map((p) => p.label);
    expect(await labels('FINANCIAL_YEAR')).toEqual(['2024/25']);
    expect(await labels('QUARTER')).toEqual(['2024/25 Q1', '2024/25 Q2', '2024/25 Q3']);
    expect((await labels('MONTH')).length).toBe(8);
    expect((await labels()).length).toBe(8);
    expect(await labels('QUARTER')).toEqual(['2024/25 Q1', '2024/25 Q2', '2024/25 Q3']);
  });
});
