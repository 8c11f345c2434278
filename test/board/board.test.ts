import {
  CommentaryHistoryDocument,
  MeasuresWithCommentaryDocument,
  CommentaryWriteDocument,
  DrillDownDocument,
  ExceptionsDocument,
  ImportObservationsDocument,
  MeasureCreateDocument,
  MeasureSeriesDocument,
  ScorecardDocument,
  SpcPhaseAddDocument,
  type ObservationRowInput,
} from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { gql } from '../hardening/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const MONTHS = Array.from({ length: 24 }, (_, i) => addMonths('2023-01-01', i));

/**
 * BRD-P (a proportion, higher is better, target 0.9) at three teams of RTT-DIR for 24 months:
 *   RTT-A 8/10 every month; RTT-B 45/50 every month; RTT-C 18/20 for 12 months then 20/20.
 * Pooled at RTT-DIR: months 1–12 (8+45+18)/(10+50+20) = 71/80 = 0.8875; months 13–24 73/80 = 0.9125.
 * (The mean of the teams' percentages in month 1 would be (0.8+0.9+0.9)/3 = 0.8667: wrong.)
 * SPC at RTT-DIR: mean (12 × 0.8875 + 12 × 0.9125) / 24 = 0.9; one moving range of 0.025 in 23
 * → mean MR 0.025/23 = 0.00108696; limits 0.9 ± 2.66 × 0.00108696 = 0.897109 and 0.902891.
 * The first 12 points are below the lower limit (concern), the last 12 above the upper (improvement);
 * the target 0.9 lies between the limits: HIT_AND_MISS.
 * BRD-C (a count, lower is better) at the small ward RTT-W: 3 a month, under the disclosure threshold.
 */
function rows(): ObservationRowInput[] {
  return MONTHS.flatMap((periodStart, i) => [
    { measureCode: 'BRD-P', orgUnitCode: 'RTT-A', periodStart, numerator: 8, denominator: 10, source: 'survey' },
    { measureCode: 'BRD-P', orgUnitCode: 'RTT-B', periodStart, numerator: 45, denominator: 50, source: 'survey' },
    { measureCode: 'BRD-P', orgUnitCode: 'RTT-C', periodStart, numerator: i < 12 ? 18 : 20, denominator: 20, source: 'survey' },
    { measureCode: 'BRD-C', orgUnitCode: 'RTT-W', periodStart, numerator: 3, source: 'incidents' },
  ]);
}

describe.each(DATABASE_KINDS)('board views on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    for (const input of [
      { code: 'BRD-P', name: 'Care plans co-produced', scoringType: 'PROPORTION' as const, improvementDirection: 'INCREASE' as const, target: 0.9 },
      { code: 'BRD-C', name: 'Restraints', scoringType: 'COUNT' as const, improvementDirection: 'DECREASE' as const },
    ]) {
      const { body } = await app.request(MeasureCreateDocument, { input });
      expect(body.data!.measureCreate.userErrors).toEqual([]);
    }
    const prisma = app.database.db.prisma;
    const relational = await prisma.principle.findUniqueOrThrow({ where: { key: 'RELATIONAL' } });
    for (const code of ['BRD-P', 'BRD-C']) {
      const measure = await prisma.measure.findUniqueOrThrow({ where: { code } });
      await prisma.measurePrinciple.create({ data: { measureId: measure.id, principleId: relational.id } });
    }
    const imported = await app.request(ImportObservationsDocument, { input: { rows: rows() } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 96, userErrors: [] });
  });
  afterAll(() => app.close());

  test('series at a team: its own figures, a flat process, assurance FAIL against a higher target', async () => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-A' });
    const series = body.data!.measure!.series;
    expect(series).toMatchObject({ from: '2023-01-01', to: '2024-12-01', target: 0.9, assuranceIcon: 'FAIL', variationIcon: 'COMMON_CAUSE' });
    expect(series.points).toHaveLength(24);
    expect(series.points.every((p) => p.value === 0.8 && p.numerator === 8 && p.denominator === 10)).toBe(true);
  });

  test('series at the directorate pools components exactly, with hand-worked limits and point types', async () => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR' });
    const series = body.data!.measure!.series;
    const first = series.points[0];
    const last = series.points[23];
    expect(first).toMatchObject({ numerator: 71, denominator: 80, contributors: 3, pointType: 'SPECIAL_CAUSE_CONCERN' });
    expect(first.value).toBeCloseTo(0.8875, 12);
    expect(first.value).not.toBeCloseTo((0.8 + 0.9 + 0.9) / 3, 3);
    expect(last).toMatchObject({ numerator: 73, denominator: 80, pointType: 'SPECIAL_CAUSE_IMPROVEMENT' });
    expect(last.value).toBeCloseTo(0.9125, 12);
    expect(last.mean).toBeCloseTo(0.9, 12);
    expect(last.upperProcessLimit).toBeCloseTo(0.9 + (2.66 * 0.025) / 23, 12);
    expect(last.lowerProcessLimit).toBeCloseTo(0.9 - (2.66 * 0.025) / 23, 12);
    expect(series.points.slice(0, 12).every((p) => p.pointType === 'SPECIAL_CAUSE_CONCERN')).toBe(true);
    expect(series.points.slice(12).every((p) => p.pointType === 'SPECIAL_CAUSE_IMPROVEMENT')).toBe(true);
    expect(series.variationIcon).toBe('IMPROVEMENT_HIGH');
    expect(series.assuranceIcon).toBe('HIT_AND_MISS');

    // Financial year to date at Dec 2024: April–December 2024, 9 × 73 over 9 × 80 = 657 / 720.
    expect(series.yearToDate).toMatchObject({ from: '2024-04-01', to: '2024-12-01', label: '2024/25 to Dec 2024', numerator: 657, denominator: 720, monthsWithData: 9, monthsExpected: 9 });
    const trust = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT' });
    expect(trust.body.data!.measure!.series.points.map((p) => p.numerator)).toEqual(series.points.map((p) => p.numerator));
  });

  test('quarters pool three months of components; a range outside the data is missing, not zero', async () => {
    const quarters = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', from: '2023-04-01', to: '2023-09-01', granularity: 'QUARTER' });
    // Q1 2023/24 = Apr–Jun 2023: 3 × 71 = 213 over 3 × 80 = 240.
    expect(quarters.body.data!.measure!.series.points.map((p) => [p.label, p.numerator, p.denominator])).toEqual([
      ['2023/24 Q1', 213, 240],
      ['2023/24 Q2', 213, 240],
    ]);
    const gap = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-D', from: '2024-01-01', to: '2024-03-01' });
    expect(gap.body.data!.measure!.series.points.map((p) => [p.missing, p.value])).toEqual([[true, null], [true, null], [true, null]]);
  });

  test('a BOARD key sees a small ward suppressed; that ward’s TEAM_MANAGER sees true values', async () => {
    const board = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-C', orgUnitCode: 'RTT-W' }, keys.BOARD);
    const boardSeries = board.body.data!.measure!.series;
    expect(boardSeries.disclosureControlled).toBe(true);
    expect(boardSeries.points.every((p) => p.suppressed && p.value === null && p.numerator === null && p.suppressionReason)).toBe(true);
    // SPC runs on the figures the reader may see: a suppressed point has no classification
    // (before, it kept COMMON_CAUSE from the true values, which says where the hidden value lies).
    expect(boardSeries.points.every((p) => p.pointType === null && p.mean === null && p.upperProcessLimit === null)).toBe(true);
    expect(boardSeries.variationIcon).toBeNull();

    const manager = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-C', orgUnitCode: 'RTT-W' }, keys.TEAM_MANAGER_W);
    const managerSeries = manager.body.data!.measure!.series;
    expect(managerSeries.disclosureControlled).toBe(false);
    expect(managerSeries.points.every((p) => !p.suppressed && p.value === 3)).toBe(true);

    // Another team's manager is outside RTT-W's scope: suppressed too.
    const other = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-C', orgUnitCode: 'RTT-W' }, keys.TEAM_MANAGER_A);
    expect(other.body.data!.measure!.series.points[0].suppressed).toBe(true);
  });

  test('drill-down ranks the children best first at the period, down to the frontline', async () => {
    // True figures (ADMIN): C 20/20, B 45/50, A 8/10; the directorate 73/80.
    const truth = (await app.request(DrillDownDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR' })).body.data!.drillDown!;
    expect(truth.total.latest!.value).toBeCloseTo(0.9125, 12);
    expect(truth.rows.map((r) => [r.orgUnit.code, r.rank, r.latest?.value ?? null])).toEqual([
      ['RTT-C', 1, 1],
      ['RTT-B', 2, 0.9],
      ['RTT-A', 3, 0.8],
      ['RTT-W', null, null],
    ]);
    // A BOARD key sees components rounded to 5 and values computed from them (README "Disclosure
    // control"): A 8/10 → 10/10 = 1; B 45/50 = 0.9; C 20/20 = 1; the directorate 73/80 → 75/80 = 0.9375.
    // Ranked by what is shown: A and C tie at 1 and keep their order by name.
    const { body } = await app.request(DrillDownDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR' }, keys.BOARD);
    const drill = body.data!.drillDown!;
    expect(drill.period).toBe('2024-12-01');
    expect(drill.total.latest!.value).toBeCloseTo(75 / 80, 12);
    expect(drill.rows.map((r) => [r.orgUnit.code, r.rank, r.latest?.value ?? null])).toEqual([
      ['RTT-A', 1, 1],
      ['RTT-C', 2, 1],
      ['RTT-B', 3, 0.9],
      ['RTT-W', null, null],
    ]);
    expect(drill.rows.every((r) => r.hasChildren === false)).toBe(true);
    const trust = await app.request(DrillDownDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT' }, keys.BOARD);
    expect(trust.body.data!.drillDown!.rows.find((r) => r.orgUnit.code === 'RTT-DIR')!.hasChildren).toBe(true);
  });

  test('exceptions list concern or assurance FAIL at the unit and below', async () => {
    const { body } = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT-DIR', depth: 1 });
    // RTT-A sits at 0.8 with limits at 0.8: the 0.9 target is above the upper limit → FAIL.
    expect(body.data!.exceptions!.nodes).toEqual([{ measure: { code: 'BRD-P' }, orgUnit: { code: 'RTT-A' }, reasons: ['ASSURANCE_FAIL'], assuranceIcon: 'FAIL', variationIcon: 'COMMON_CAUSE' }]);
    // A BOARD key reads RTT-A as 10/10 every month (rounded to 5): a flat 1 above the target, so
    // no exception; exceptions follow the figures the reader sees, never the hidden ones.
    const forBoard = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT-DIR', depth: 1 }, keys.BOARD);
    expect(forBoard.body.data!.exceptions!.nodes).toEqual([]);
    const early = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT-DIR', depth: 0, period: '2023-12-01' }, keys.BOARD);
    expect(early.body.data!.exceptions!.nodes).toEqual([]); // 12 points: too few for SPC
  });

  test('exceptions are a connection: pages of the cached view join up to the whole list, cursors name the pair, and pages are cached', async () => {
    const whole = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 2, first: 100 });
    expect(whole.body.errors).toBeUndefined();
    const all = whole.body.data!.exceptions!;
    expect(all.nodes.length).toBeGreaterThanOrEqual(1);
    expect(all.totalCount).toBe(all.nodes.length);
    expect(all.pageInfo.hasNextPage).toBe(false);
    // Walk it one at a time: every entry once, in the same order.
    const walked: typeof all.nodes = [];
    let after: string | null = null;
    for (let i = 0; i <= all.nodes.length; i++) {
      const page = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 2, first: 1, after });
      const connection: typeof all = page.body.data!.exceptions!;
      walked.push(...connection.nodes);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      after = connection.pageInfo.endCursor ?? null;
      if (!connection.pageInfo.hasNextPage) break;
    }
    expect(walked).toEqual(all.nodes);
    // Backwards from the end gives the last entry.
    const last = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 2, first: null, last: 1 });
    expect(last.body.data!.exceptions!.nodes).toEqual(all.nodes.slice(-1));
    // The cursor is the measure × unit pair, not a position.
    const cursor = Buffer.from(all.pageInfo.startCursor!, 'base64url').toString('utf8');
    expect(cursor).toMatch(/^cursor:[0-9]+-[0-9]+$/);
    // Asked again unchanged, the page comes from the board response cache: fewer statements, same data.
    const again = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 2, first: 100 });
    expect(again.body.data).toEqual(whole.body.data);
    expect(again.body.extensions?.sqlStatements ?? 0).toBeLessThan(whole.body.extensions!.sqlStatements!);
    const tooMany = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 2, first: 101 });
    expect(tooMany.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  test('commentary is written by a role that may, shown beside the number, and keeps its history', async () => {
    const denied = await app.request(CommentaryWriteDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', periodStart: '2024-12-01', text: 'x' } }, keys.BOARD);
    expect(denied.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const outOfScope = await app.request(CommentaryWriteDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-B', periodStart: '2024-12-01', text: 'x' } }, keys.TEAM_MANAGER_A);
    expect(outOfScope.body.data!.commentaryWrite.userErrors[0]).toMatchObject({ field: ['orgUnitCode'], code: 'FORBIDDEN' });
    const bad = await app.request(CommentaryWriteDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', periodStart: '2024-12-15', text: '  ' } }, keys.FACULTY_LEAD);
    expect(bad.body.data!.commentaryWrite.userErrors.map((e) => e.field[0]).sort()).toEqual(['periodStart', 'text']);

    for (const text of ['First draft.', 'C’s co-production sessions lifted the directorate.']) {
      const { body } = await app.request(CommentaryWriteDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', periodStart: '2024-12-01', text } }, keys.FACULTY_LEAD);
      expect(body.data!.commentaryWrite.userErrors).toEqual([]);
    }
    const history = await app.request(CommentaryHistoryDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', periodStart: '2024-12-01' });
    expect(history.body.data!.measure!.commentary!.text).toMatch(/co-production/);
    expect(history.body.data!.measure!.commentaryHistory.nodes.map((c) => c.text)).toEqual(['C’s co-production sessions lifted the directorate.', 'First draft.']);
    expect(history.body.data!.measure!.commentaryHistory.totalCount).toBe(2);
    // A page of one, then the next from its cursor: newest first, as the whole list.
    const firstPage = await gql(app.server.url, 'query { measure(code: "BRD-P") { commentaryHistory(orgUnitCode: "RTT-DIR", periodStart: "2024-12-01", first: 1) { nodes { text } pageInfo { hasNextPage endCursor } } } }');
    const page1 = (firstPage.body.data as { measure: { commentaryHistory: { nodes: Array<{ text: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } }).measure.commentaryHistory;
    expect([page1.nodes.map((c) => c.text), page1.pageInfo.hasNextPage]).toEqual([['C’s co-production sessions lifted the directorate.'], true]);
    const secondPage = await gql(app.server.url, 'query($a: String!) { measure(code: "BRD-P") { commentaryHistory(orgUnitCode: "RTT-DIR", periodStart: "2024-12-01", first: 1, after: $a) { nodes { text } pageInfo { hasNextPage } } } }', { a: page1.pageInfo.endCursor });
    expect((secondPage.body.data as { measure: { commentaryHistory: unknown } }).measure.commentaryHistory).toEqual({ nodes: [{ text: 'First draft.' }], pageInfo: { hasNextPage: false } });
  });

  test('commentary, its history and the series on every measure of a list: the same SQL statements for 1 measure as for all', async () => {
    const written = await app.request(CommentaryWriteDocument, { input: { measureCode: 'BRD-C', orgUnitCode: 'RTT-DIR', periodStart: '2024-12-01', text: 'Restraints reviewed weekly.' } }, keys.FACULTY_LEAD);
    expect(written.body.data!.commentaryWrite.userErrors).toEqual([]);
    const variables = { orgUnitCode: 'RTT-DIR', periodStart: '2024-12-01' };
    const one = await app.request(MeasuresWithCommentaryDocument, { first: 1, ...variables });
    const all = await app.request(MeasuresWithCommentaryDocument, { first: 100, ...variables });
    for (const response of [one, all]) expect(response.body.errors).toBeUndefined();
    const nodes = all.body.data!.measures.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    expect(all.body.extensions!.sqlStatements).toBe(one.body.extensions!.sqlStatements);
    // each measure's own narrative, as its single-measure query reads it
    for (const node of nodes) {
      const alone = await app.request(CommentaryHistoryDocument, { measureCode: node.code, ...variables });
      expect([node.code, node.commentary, node.commentaryHistory.nodes]).toEqual([node.code, alone.body.data!.measure!.commentary, alone.body.data!.measure!.commentaryHistory.nodes]);
    }
    expect(nodes.find((n) => n.code === 'BRD-C')!.commentaryHistory.nodes.map((c) => c.text)).toEqual(['Restraints reviewed weekly.']);
    expect(nodes.find((n) => n.code === 'BRD-P')!.commentaryHistory.nodes).toHaveLength(2);
  });

  test('the scorecard shows each principle’s measures with latest value, target, icons, points and commentary', async () => {
    const { body } = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-DIR', recentPoints: 6 }, keys.BOARD);
    const card = body.data!.scorecard!;
    expect(card.period).toBe('2024-12-01');
    expect(card.principles.map((s) => s.principle!.key)).toEqual(['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE']);
    const relational = card.principles[1].entries;
    expect(relational.map((e) => e.measure.code)).toEqual(['BRD-P', 'BRD-C']); // by name: Care plans…, Restraints
    const entry = relational.find((e) => e.measure.code === 'BRD-P')!;
    expect(entry).toMatchObject({ target: 0.9, variationIcon: 'IMPROVEMENT_HIGH', assuranceIcon: 'HIT_AND_MISS', commentary: { text: expect.stringMatching(/co-production/) } });
    // 73/80 shown rounded as 75/80. Icons from the shown values: Jan–Dec 2023 70/80, 2024 75/80;
    // mean 0.90625, limits ± 2.66 × 0.0625/23: 2023 below (concern), 2024 above (improvement).
    expect(entry.latest!.value).toBeCloseTo(75 / 80, 12);
    expect(entry.recentPoints).toHaveLength(6);
    expect(entry.recentPoints[5].periodStart).toBe('2024-12-01');
    const restraints = relational.find((e) => e.measure.code === 'BRD-C')!;
    expect(restraints.latest!.suppressed).toBe(true); // 3 a month at the directorate: still under 5
  });

  test('a recorded baseline is honoured by the series', async () => {
    const added = await app.request(
      SpcPhaseAddDocument,
      { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-C', kind: 'BASELINE', periodStart: '2023-01-01', periodEnd: '2023-12-01', reason: 'Before the co-production programme started' } },
      keys.FACULTY_LEAD,
    );
    expect(added.body.data!.spcPhaseAdd.userErrors).toEqual([]);
    const { body } = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-C' });
    const points = body.data!.measure!.series.points;
    // Baseline of twelve 0.9s: mean 0.9, no variation, limits 0.9; every later 1.0 is above it.
    expect(points[23].mean).toBeCloseTo(0.9, 12);
    expect(points.slice(12).every((p) => p.pointType === 'SPECIAL_CAUSE_IMPROVEMENT')).toBe(true);
    const invalid = await app.request(SpcPhaseAddDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-C', kind: 'BASELINE', periodStart: '2023-01-01', reason: 'no end' } }, keys.FACULTY_LEAD);
    expect(invalid.body.data!.spcPhaseAdd.userErrors[0]).toMatchObject({ field: ['periodEnd'] });
    const board = await app.request(SpcPhaseAddDocument, { input: { measureCode: 'BRD-P', orgUnitCode: 'RTT-C', kind: 'RECALCULATION', periodStart: '2024-01-01', reason: 'Process change' } }, keys.BOARD);
    expect(board.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  test('bad read arguments are clear errors with codes', async () => {
    const misaligned = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', from: '2024-01-15' });
    expect(misaligned.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const reversed = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'RTT-DIR', from: '2024-06-01', to: '2024-01-01' });
    expect(reversed.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const unknown = await app.request(MeasureSeriesDocument, { measureCode: 'BRD-P', orgUnitCode: 'NOWHERE' });
    expect(unknown.body.errors![0].extensions!.code).toBe('NOT_FOUND');
    const depth = await app.request(ExceptionsDocument, { orgUnitCode: 'RTT', depth: 9 });
    expect(depth.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  test('the scorecard costs the same number of SQL statements when the measures double', async () => {
    const before = await app.request(ScorecardDocument, { orgUnitCode: 'RTT' }, keys.BOARD);
    const statements = before.body.extensions!.sqlStatements!;
    const sections = (body: typeof before.body) => body.data!.scorecard!.principles.flatMap((section) => section.entries).length;
    for (let i = 0; i < 8; i++) {
      await app.request(MeasureCreateDocument, { input: { code: `EXTRA-${i}`, name: `Extra ${i}`, scoringType: 'COUNT', improvementDirection: 'NEITHER' } });
      // On the scorecard, with data: each needs its figures and its disclosure table.
      const linked = await gql(app.server.url, 'mutation($i: MeasurePrincipleInput!) { measureAddPrinciple(input: $i) { userErrors { code } } }', { i: { measureCode: `EXTRA-${i}`, principle: 'RESPONSIVE' } });
      expect(linked.body.data).toEqual({ measureAddPrinciple: { userErrors: [] } });
    }
    await app.request(ImportObservationsDocument, {
      input: { rows: Array.from({ length: 8 }, (_, i) => ({ measureCode: `EXTRA-${i}`, orgUnitCode: 'RTT-A', periodStart: '2024-06-01', numerator: 20 + i, source: 'extra' })) },
    });
    const after = await app.request(ScorecardDocument, { orgUnitCode: 'RTT' }, keys.BOARD);
    expect(after.body.errors).toBeUndefined();
    expect(sections(after.body)).toBe(sections(before.body) + 8);
    // The same statements, whatever the number of measures; at most one more where the first
    // request found every disclosure table cached and this one must read rollups for the new
    // measures' tables (one statement for all of them).
    expect(after.body.extensions!.sqlStatements).toBeGreaterThanOrEqual(statements);
    expect(after.body.extensions!.sqlStatements).toBeLessThanOrEqual(statements + 1);
    // credential, org unit, measures, rollups, targets, SPC phases, commentary, measure→principle and
    // measure→workstream links, principles, workstreams, the data versions, the disclosure tables'
    // rollups: a fixed set, whatever the data
    expect(after.body.extensions!.sqlStatements).toBeLessThanOrEqual(15);
  });

  test('a repeated board view is served from the cache, and any write a board shows invalidates it', async () => {
    const first = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-DIR' }, keys.BOARD);
    const again = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-DIR' }, keys.BOARD);
    expect(again.body.data).toEqual(first.body.data);
    // credential, org unit, data version: nothing else is read for a cached view
    expect(again.body.extensions!.sqlStatements).toBeLessThanOrEqual(3);
    const value = (body: typeof first.body) => body.data!.scorecard!.principles[1].entries.find((e) => e.measure.code === 'BRD-P')!.latest!.value;
    expect(value(again.body)).toBeCloseTo(75 / 80, 12); // 73/80 shown rounded

    // A correction at one team moves the directorate's latest point at once: (8+45+10)/80 = 63/80, shown as 65/80.
    const corrected = await app.request(ImportObservationsDocument, { input: { rows: [{ measureCode: 'BRD-P', orgUnitCode: 'RTT-C', periodStart: '2024-12-01', numerator: 10, denominator: 20, source: 'survey' }] } });
    expect(corrected.body.data!.importObservations.updated).toBe(1);
    const after = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-DIR' }, keys.BOARD);
    expect(value(after.body)).toBeCloseTo(65 / 80, 12);

    // Readers with different disclosure never share a cached result.
    const manager = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-W' }, keys.TEAM_MANAGER_W);
    const board = await app.request(ScorecardDocument, { orgUnitCode: 'RTT-W' }, keys.BOARD);
    const restraints = (body: typeof first.body) => body.data!.scorecard!.principles[1].entries.find((e) => e.measure.code === 'BRD-C')!.latest!;
    expect(restraints(manager.body)).toMatchObject({ value: 3, suppressed: false });
    expect(restraints(board.body)).toMatchObject({ value: null, suppressed: true });
  });
});
