import {
  AuditEventsDocument,
  DisclosureImportDocument,
  MeasureCreateDocument,
  MeasureDisclosureDocument,
  MeasureDisclosureUpdateDocument,
  MeasureSeriesDocument,
  NodesByIdsDocument,
  ScorecardNotesDocument,
  type MeasureSeriesQuery,
  type ObservationRowInput,
} from '../generated/graphql';
import { encodeGlobalId } from '../../src/graphql/global-id';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { tableWorkerBuilds } from '../../src/board/disclosure-table-workers';

/**
 * The attack suite for small numbers: each test tries, as a reader without the right to true
 * figures would, to recover a suppressed figure from what the API shows, and fails if it can.
 *
 * ATK-C, a patient COUNT (MHSDS rule: under 5 suppressed, counts rounded to 5), 24 months
 * (Jan 2023 – Dec 2024): RTT-A 3 a month (under 5), RTT-B 12, RTT-C 30, RTT-W 8 (all under
 * RTT-DIR, so RTT-DIR = 53 a month) and RTT-D 40 (RTT-DIR2). The trust RTT = 93 a month.
 * ATK-P, a patient PROPORTION at RTT-B: 39/55 every month (shown as 40/55).
 * ATK-T, a staff COUNT (training): 2 a month at RTT-A; the default rule for it is NONE.
 */
const MONTHS = Array.from({ length: 24 }, (_, i) => addMonths('2023-01-01', i));
const COUNTS: Record<string, number> = { 'RTT-A': 3, 'RTT-B': 12, 'RTT-C': 30, 'RTT-W': 8, 'RTT-D': 40 };
const CHILDREN_OF_DIR = ['RTT-A', 'RTT-B', 'RTT-C', 'RTT-W'];

function rows(): ObservationRowInput[] {
  return MONTHS.flatMap((periodStart) => [
    ...Object.entries(COUNTS).map(([orgUnitCode, numerator]) => ({ measureCode: 'ATK-C', orgUnitCode, periodStart, numerator, source: 'incidents' })),
    { measureCode: 'ATK-P', orgUnitCode: 'RTT-B', periodStart, numerator: 39, denominator: 55, source: 'epr' },
    { measureCode: 'ATK-T', orgUnitCode: 'RTT-A', periodStart, numerator: 2, source: 'workforce' },
  ]);
}

type Series = NonNullable<MeasureSeriesQuery['measure']>['series'];

describe.each(DATABASE_KINDS)('disclosure attacks on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;

  const series = async (measureCode: string, orgUnitCode: string, key: string | null, extra: { from?: string; to?: string; granularity?: 'MONTH' | 'QUARTER' | 'FINANCIAL_YEAR' } = {}): Promise<Series> => {
    const { body } = await app.request(MeasureSeriesDocument, { measureCode, orgUnitCode, ...extra }, key);
    expect(body.errors).toBeUndefined();
    return body.data!.measure!.series;
  };

  beforeAll(async () => {
    // On PostgreSQL every disclosure table is built on a worker thread (as a large trust's are),
    // on PGlite on the request's thread: the suite holds for both paths.
    app = await startTestApp(kind, kind === 'postgresql' ? { DISCLOSURE_WORKER_MIN_FIGURES: '1' } : {});
    keys = await createMeasurementFixture(app);
    for (const input of [
      { code: 'ATK-C', name: 'Restraints', scoringType: 'COUNT' as const, improvementDirection: 'DECREASE' as const },
      { code: 'ATK-P', name: 'Care plans shared', scoringType: 'PROPORTION' as const, improvementDirection: 'INCREASE' as const },
      { code: 'ATK-T', name: 'Staff trained', scoringType: 'COUNT' as const, improvementDirection: 'INCREASE' as const, audience: 'STAFF' as const },
    ]) {
      const { body } = await app.request(MeasureCreateDocument, { input });
      expect(body.data!.measureCreate.userErrors).toEqual([]);
    }
    const prisma = app.database.db.prisma;
    const rights = await prisma.principle.findUniqueOrThrow({ where: { key: 'RIGHTS_BASED' } });
    const restraints = await prisma.measure.findUniqueOrThrow({ where: { code: 'ATK-C' } });
    await prisma.measurePrinciple.create({ data: { measureId: restraints.id, principleId: rights.id } });
    const imported = await app.request(DisclosureImportDocument, { input: { rows: rows() } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 24 * 7, outcomesWithheld: false, userErrors: [] });
  });
  afterAll(() => app.close());

  test('a parent minus its shown children never gives a suppressed child: every month at least two children are hidden', async () => {
    const parent = await series('ATK-C', 'RTT-DIR', keys.BOARD);
    const children = await Promise.all(CHILDREN_OF_DIR.map((code) => series('ATK-C', code, keys.BOARD)));
    expect(parent.points).toHaveLength(24);
    parent.points.forEach((point, month) => {
      expect(point.suppressed).toBe(false); // 53 → 55
      expect(point.value).toBe(55);
      const hidden = children.filter((child) => child.points[month].suppressed).length;
      expect(children[0].points[month].suppressed).toBe(true); // RTT-A: 3
      expect(hidden).toBeGreaterThanOrEqual(2);
      // What subtraction gives: the parent minus the shown children is a sum of two or more hidden cells.
      const shownSum = children.reduce((sum, child) => sum + (child.points[month].value ?? 0), 0);
      expect(point.value! - shownSum).toBeGreaterThan(COUNTS['RTT-A'] + 2);
    });
  });

  test('SPC fields carry nothing hidden: a suppressed series has no mean, limits, point types or icons', async () => {
    const ward = await series('ATK-C', 'RTT-A', keys.BOARD);
    expect(ward.points.every((p) => p.suppressed && p.value === null && p.numerator === null)).toBe(true);
    expect(ward.points.every((p) => p.mean === null && p.upperProcessLimit === null && p.lowerProcessLimit === null && p.pointType === null)).toBe(true);
    expect([ward.variationIcon, ward.assuranceIcon]).toEqual([null, null]);
    // One-month windows: the mean a window shows is the history's, never the window's own value.
    for (const month of ['2023-06-01', '2024-06-01']) {
      const one = await series('ATK-C', 'RTT-A', keys.BOARD, { from: month, to: month });
      expect(one.points.map((p) => [p.value, p.mean])).toEqual([[null, null]]);
    }
    // Differencing two windows of a shown parent: the limits do not move with `from`.
    const wide = await series('ATK-C', 'RTT-DIR', keys.BOARD, { from: '2023-01-01', to: '2024-12-01' });
    const narrow = await series('ATK-C', 'RTT-DIR', keys.BOARD, { from: '2024-10-01', to: '2024-12-01' });
    expect(narrow.points.at(-1)!.mean).toBe(wide.points.at(-1)!.mean);
    expect(narrow.points.at(-1)!.upperProcessLimit).toBe(wide.points.at(-1)!.upperProcessLimit);
  });

  test('a quarter, a year or a year to date minus the shown months never gives a hidden month', async () => {
    for (const code of [...CHILDREN_OF_DIR, 'RTT-DIR']) {
      const months = await series('ATK-C', code, keys.BOARD);
      const quarters = await series('ATK-C', code, keys.BOARD, { granularity: 'QUARTER' });
      for (const quarter of quarters.points.filter((q) => !q.suppressed)) {
        const inside = months.points.filter((m) => m.periodStart >= quarter.periodStart && m.periodStart <= addMonths(quarter.periodStart, 2));
        const hidden = inside.filter((m) => m.suppressed).length;
        expect(hidden === 0 || hidden >= 2).toBe(true);
      }
      // Years to date: YTD(m) − YTD(m−1) is month m, so a hidden month needs one of them hidden.
      for (const month of MONTHS.filter((m) => m.slice(5, 7) !== '04')) {
        const [now, before] = await Promise.all([series('ATK-C', code, keys.BOARD, { to: month }), series('ATK-C', code, keys.BOARD, { to: addMonths(month, -1) })]);
        const monthHidden = months.points.find((p) => p.periodStart === month)!.suppressed;
        if (monthHidden && now.yearToDate.from === before.yearToDate.from) expect(now.yearToDate.suppressed || before.yearToDate.suppressed).toBe(true);
      }
    }
  });

  test('an exact value beside rounded components gives nothing away: the value is computed from what is shown', async () => {
    const proportion = await series('ATK-P', 'RTT-B', keys.BOARD);
    for (const point of proportion.points) {
      expect([point.numerator, point.denominator]).toEqual([40, 55]); // 39/55 rounded to 5
      expect(point.value).toBe(40 / 55); // not 39/55 = 0.70909…, which only 39/55 could give
    }
    expect(proportion.yearToDate.value).toBe(proportion.yearToDate.numerator! / proportion.yearToDate.denominator!);
    // A reader of true figures (ADMIN) sees 39/55.
    const truth = await series('ATK-P', 'RTT-B', TEST_ADMIN_KEY);
    expect(truth.points[0]).toMatchObject({ numerator: 39, denominator: 55 });
  });

  test('observations by id are null for readers who may not see their true figures', async () => {
    const stored = await app.database.db.prisma.observation.findMany({ where: { measure: { code: 'ATK-C' } }, include: { orgUnit: true }, orderBy: { id: 'asc' }, take: 100 });
    const ids = stored.map((row) => encodeGlobalId('Observation', row.id));
    const asBoard = await app.request(NodesByIdsDocument, { ids }, keys.BOARD);
    expect(asBoard.body.data!.nodes.every((node) => node === null)).toBe(true);
    const asLead = await app.request(NodesByIdsDocument, { ids }, keys.FACULTY_LEAD);
    expect(asLead.body.data!.nodes.every((node) => node === null)).toBe(true);
    // A ward's manager reads that ward's observations, and only those.
    const asManager = await app.request(NodesByIdsDocument, { ids }, keys.TEAM_MANAGER_W);
    const seen = asManager.body.data!.nodes.map((node, i) => (node ? stored[i].orgUnit.code : null)).filter((code) => code !== null);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['RTT-W']));
  });

  test('write results are no oracle: dry runs guessing 0..4 all answer alike for a writer who may not read the figure', async () => {
    const guess = (numerator: number) => ({ rows: [{ measureCode: 'ATK-C', orgUnitCode: 'RTT-A', periodStart: '2024-06-01', numerator, source: 'incidents' }], dryRun: true });
    const answers = [];
    const statements = [];
    // A first request of a key may also note its last use: not part of the comparison.
    await app.request(DisclosureImportDocument, { input: guess(0) }, keys.FACULTY_LEAD);
    for (let numerator = 0; numerator <= 4; numerator++) {
      const { body } = await app.request(DisclosureImportDocument, { input: guess(numerator) }, keys.FACULTY_LEAD);
      answers.push(body.data!.importObservations);
      statements.push(body.extensions!.sqlStatements);
    }
    expect(answers[0]).toMatchObject({ accepted: 1, outcomesWithheld: true, created: 0, updated: 0, unchanged: 0 });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    // No timing oracle either: a dry run stops before any write, so a right guess and a wrong
    // one run the same statements (the work a clock could tell apart).
    expect(new Set(statements).size).toBe(1);
    // The oracle was real: a reader of true figures is told that 3 is unchanged.
    const admin = await app.request(DisclosureImportDocument, { input: guess(3) });
    expect(admin.body.data!.importObservations).toMatchObject({ unchanged: 1, outcomesWithheld: false });
  });

  test('the audit log is no oracle either: import records, which exist only when a row changed, are shown only to readers of every true figure', async () => {
    // A real write of a guess (2) at RTT-A changes the stored 3: an import record is written.
    const wrote = await app.request(
      DisclosureImportDocument,
      { input: { rows: [{ measureCode: 'ATK-C', orgUnitCode: 'RTT-A', periodStart: '2022-12-01', numerator: 2, source: 'incidents' }] } },
      keys.FACULTY_LEAD,
    );
    expect(wrote.body.data!.importObservations).toMatchObject({ accepted: 1, outcomesWithheld: true });
    const asLead = await app.request(AuditEventsDocument, { entityType: 'ObservationImport', first: 50 }, keys.FACULTY_LEAD);
    expect(asLead.body.data!.auditEvents.nodes).toEqual([]);
    const asBoard = await app.request(AuditEventsDocument, { first: 100 }, keys.BOARD);
    expect(asBoard.body.data!.auditEvents.nodes.some((event) => event.entityType === 'ObservationImport')).toBe(false);
    const asAdmin = await app.request(AuditEventsDocument, { entityType: 'ObservationImport', first: 50 });
    expect(asAdmin.body.data!.auditEvents.nodes.length).toBeGreaterThan(0);
  });

  test('the rule belongs to the measure: staff training is shown as recorded until a faculty lead sets a rule, with history', async () => {
    const training = await series('ATK-T', 'RTT-A', keys.BOARD);
    expect(training.points.every((p) => !p.suppressed && p.value === 2)).toBe(true);
    const before = await app.request(MeasureDisclosureDocument, { code: 'ATK-T' }, keys.BOARD);
    expect(before.body.data!.measure!.disclosure).toMatchObject({ kind: 'NONE', isDefault: true });
    expect((await app.request(MeasureDisclosureDocument, { code: 'ATK-C' }, keys.BOARD)).body.data!.measure!.disclosure).toMatchObject({
      kind: 'SMALL_NUMBERS',
      minCount: 5,
      roundTo: 5,
      isDefault: true,
    });

    const version = before.body.data!.measure!.version;
    const refused = await app.request(MeasureDisclosureUpdateDocument, { input: { code: 'ATK-T', version, disclosure: { kind: 'SMALL_NUMBERS' } } }, keys.BOARD);
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const set = await app.request(MeasureDisclosureUpdateDocument, { input: { code: 'ATK-T', version, disclosure: { kind: 'SMALL_NUMBERS', minCount: 3, roundTo: 0 } } }, keys.FACULTY_LEAD);
    expect(set.body.data!.measureUpdate).toMatchObject({ userErrors: [], measure: { disclosure: { kind: 'SMALL_NUMBERS', minCount: 3, roundTo: 0, minDenominator: 3, isDefault: false } } });
    const hidden = await series('ATK-T', 'RTT-A', keys.BOARD);
    expect(hidden.points.every((p) => p.suppressed && p.value === null)).toBe(true);
    const history = await app.request(MeasureDisclosureDocument, { code: 'ATK-T' }, keys.BOARD);
    expect(history.body.data!.measure!.history.nodes[0]).toMatchObject({ action: 'update', actor: expect.stringMatching(/FACULTY_LEAD/) });

    const invalid = await app.request(
      MeasureDisclosureUpdateDocument,
      { input: { code: 'ATK-T', version: set.body.data!.measureUpdate.measure!.version, disclosure: { kind: 'SMALL_NUMBERS', minCount: -1 } } },
      keys.FACULTY_LEAD,
    );
    expect(invalid.body.data!.measureUpdate.userErrors[0]).toMatchObject({ field: ['disclosure', 'minCount'], code: 'INVALID' });
  });

  test('a suppressed latest value says so in words beside its icons', async () => {
    const { body } = await app.request(ScorecardNotesDocument, { orgUnitCode: 'RTT-A' }, keys.BOARD);
    const entry = body.data!.scorecard!.principles.flatMap((section) => section.entries).find((e) => e.measure.code === 'ATK-C')!;
    expect(entry.latest).toMatchObject({ suppressed: true, value: null });
    expect(entry.note).toBe(
      'The latest figure (Dec 2024) is not shown: the count is under 5. Small numbers are hidden to protect the people they describe; there are too few figures shown for icons.',
    );
    const manager = await app.request(ScorecardNotesDocument, { orgUnitCode: 'RTT-A' }, keys.TEAM_MANAGER_A);
    expect(manager.body.data!.scorecard!.principles.flatMap((section) => section.entries).find((e) => e.measure.code === 'ATK-C')!.note).toBeNull();
  });

  test('a write moves only its own measure’s data version, and that measure’s verdicts follow the new figure at once', async () => {
    const prisma = app.database.db.prisma;
    const created = await app.request(MeasureCreateDocument, { input: { code: 'ATK-V', name: 'Seclusions', scoringType: 'COUNT', improvementDirection: 'DECREASE' } });
    expect(created.body.data!.measureCreate.userErrors).toEqual([]);
    const row = (numerator: number) => ({ measureCode: 'ATK-V', orgUnitCode: 'RTT-A', periodStart: '2024-06-01', numerator, source: 'incidents' });
    await app.request(DisclosureImportDocument, { input: { rows: [row(3)] } });
    const before = await series('ATK-V', 'RTT-A', keys.BOARD, { from: '2024-06-01', to: '2024-06-01' });
    expect(before.points[0]).toMatchObject({ suppressed: true, value: null });

    const versions = async () => new Map((await prisma.measureDataVersion.findMany()).map((v) => [v.measureId, v.version]));
    const measureId = async (code: string) => (await prisma.measure.findUniqueOrThrow({ where: { code } })).id;
    const [other, written] = [await measureId('ATK-C'), await measureId('ATK-V')];
    const at1 = await versions();
    await app.request(DisclosureImportDocument, { input: { rows: [row(30)] } });
    const at2 = await versions();
    expect(at2.get(other)).toBe(at1.get(other));
    expect(at2.get(written)).not.toBe(at1.get(written));
    const after = await series('ATK-V', 'RTT-A', keys.BOARD, { from: '2024-06-01', to: '2024-06-01' });
    expect(after.points[0]).toMatchObject({ suppressed: false, value: 30 });
  });

  // Last, after every view above has read its tables.
  it(`builds its disclosure tables ${kind === 'postgresql' ? 'on a worker thread' : 'on the request’s thread'}`, () => {
    if (kind === 'postgresql') expect(tableWorkerBuilds()).toBeGreaterThan(0);
    else expect(tableWorkerBuilds()).toBe(0);
  });
});
