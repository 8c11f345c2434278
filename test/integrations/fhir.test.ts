import { IntegrationClientCreateDocument } from '../generated/graphql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const POP = 'http://terminology.hl7.org/CodeSystem/measure-population';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const BASE = 'https://relational-care.example.nhs.uk/fhir';
const LOCAL = `${BASE}/Id/org-unit-code`;

interface FhirResponse {
  status: number;
  contentType: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function fhir(app: TestApp, method: 'GET' | 'POST', path: string, body?: unknown, options: { key?: string | null; contentType?: string; raw?: string } = {}): Promise<FhirResponse> {
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  const key = options.key === undefined ? TEST_ADMIN_KEY : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (method === 'POST') headers['content-type'] = options.contentType ?? 'application/fhir+json';
  const url = app.server.url.replace(/\/graphql$/, `/fhir${path}`);
  const response = await fetch(url, { method, headers, body: method === 'POST' ? (options.raw ?? JSON.stringify(body)) : undefined });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

/** A summary MeasureReport written by hand, as another trust system would send it. */
function report(measure: string, orgUnit: { system?: string; value: string }, start: string, end: string, populations: Array<[string, number]>, identifier?: string) {
  return {
    resourceType: 'MeasureReport',
    ...(identifier ? { identifier: [{ system: 'https://epr.example.nhs.uk/id/report', value: identifier }] } : {}),
    status: 'complete',
    type: 'summary',
    measure: `${BASE}/Measure/${measure}`,
    date: '2025-02-03T09:00:00Z',
    reporter: { identifier: { system: orgUnit.system ?? LOCAL, ...orgUnit } },
    period: { start, end },
    group: [{ population: populations.map(([code, count]) => ({ code: { coding: [{ system: POP, code }] }, count })) }],
  };
}
const bundle = (type: string, resources: unknown[]) => ({ resourceType: 'Bundle', type, entry: resources.map((resource) => ({ resource, request: { method: 'POST', url: 'MeasureReport' } })) });

describe.each(DATABASE_KINDS)('FHIR MeasureReport and Measure on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  const prisma = () => app.database.db.prisma;
  const observationCount = () => prisma().observation.count();
  const observation = (measureCode: string, orgUnitCode: string, periodStart: string) =>
    prisma().observation.findFirst({ where: { measure: { code: measureCode }, orgUnit: { code: orgUnitCode }, periodStart: new Date(`${periodStart}T00:00:00Z`) } });
  const countsOf = (outcome: { extension: Array<{ extension: Array<{ url: string; valueInteger?: number }> }> }) =>
    Object.fromEntries(outcome.extension[0].extension.filter((e) => e.valueInteger !== undefined && e.url !== 'accepted').map((e) => [e.url, e.valueInteger]));

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    // RTT-D is a site with its own five-character ODS code.
    await prisma().orgUnit.update({ where: { code: 'RTT-D' }, data: { odsCode: 'RTT01' } });
  });
  afterAll(() => app.close());

  describe('import', () => {
    test('a hand-written summary MeasureReport becomes one observation; sending it again changes nothing', async () => {
      const body = report('P1', { value: 'RTT-A' }, '2025-01-01', '2025-01-31', [['initial-population', 50], ['denominator', 40], ['numerator', 31]], 'rep-1');
      const first = await fhir(app, 'POST', '/MeasureReport', body);
      expect(first.status).toBe(200);
      expect(first.contentType).toMatch(/^application\/fhir\+json/);
      expect(first.body.resourceType).toBe('OperationOutcome');
      expect(first.body.issue[0]).toMatchObject({ severity: 'information', code: 'informational' });
      expect(countsOf(first.body)).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 0 });
      expect(await observation('P1', 'RTT-A', '2025-01-01')).toMatchObject({ numerator: 31, denominator: 40, source: 'fhir', externalId: 'rep-1' });

      const again = await fhir(app, 'POST', '/MeasureReport', body);
      expect(countsOf(again.body)).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
    });

    test('a Bundle of reports (transaction): counts, ODS-coded reporters, fractional figures, in one go', async () => {
      const reports = [
        report('P1', { value: 'RTT-B' }, '2025-01-01', '2025-01-31', [['numerator', 9], ['denominator', 10]]),
        report('R1', { system: ODS, value: 'RTT01' }, '2025-01-01', '2025-01-31', [['numerator', 3], ['denominator', 612]]),
        report('C1', { value: 'RTT-A' }, '2025-01-01', '2025-01-31', [['initial-population', 4]]),
        {
          ...report('M1', { value: 'RTT-A' }, '2025-01-01', '2025-01-31', [['denominator', 11]]),
          group: [
            {
              population: [
                { code: { coding: [{ system: POP, code: 'numerator' }] }, _count: { extension: [{ url: `${BASE}/StructureDefinition/exact-count`, valueDecimal: 412.5 }] } },
                { code: { coding: [{ system: POP, code: 'denominator' }] }, count: 11 },
              ],
            },
          ],
        },
      ];
      const { status, body } = await fhir(app, 'POST', '', bundle('transaction', reports));
      expect(status).toBe(200);
      expect(countsOf(body)).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 0 });
      expect(await observation('R1', 'RTT-D', '2025-01-01')).toMatchObject({ numerator: 3, denominator: 612 });
      expect(await observation('C1', 'RTT-A', '2025-01-01')).toMatchObject({ numerator: 4, denominator: null });
      expect(await observation('M1', 'RTT-A', '2025-01-01')).toMatchObject({ numerator: 412.5, denominator: 11 });
    });

    test('a bad report: OperationOutcome 400 naming each problem by FHIRPath, and nothing written', async () => {
      const before = await observationCount();
      const bad = { ...report('NOPE', { value: 'RTT-A' }, '2025-01-15', '2025-01-31', [['numerator', 1]]), status: 'pending' };
      const { status, body } = await fhir(app, 'POST', '/MeasureReport', bad);
      expect(status).toBe(400);
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue.map((i: { expression: string[]; details: { coding: Array<{ code: string }> } }) => [i.expression[0], i.details.coding[0].code])).toEqual([
        ['MeasureReport.status', 'INVALID'],
        ['MeasureReport.measure', 'UNKNOWN_MEASURE'],
        ['MeasureReport.period.start', 'PERIOD_NOT_ALIGNED'],
      ]);
      expect(body.issue.every((i: { severity: string; diagnostics: string }) => i.severity === 'error' && i.diagnostics.length > 0)).toBe(true);
      expect(await observationCount()).toBe(before);
    });

    test('a transaction with one bad entry is refused whole, with every entry’s problems (mapping and rows) listed', async () => {
      const before = await observationCount();
      const reports = [
        report('P1', { value: 'RTT-C' }, '2025-01-01', '2025-01-31', [['numerator', 5], ['denominator', 6]]),
        report('P1', { value: 'RTT-W' }, '2025-01-01', '2025-01-31', [['numerator', 7], ['denominator', 6]]),
        report('P1', { value: 'NOWHERE' }, '2025-01-01', '2025-01-31', [['numerator', 1], ['denominator', 2]]),
      ];
      const { status, body } = await fhir(app, 'POST', '', bundle('transaction', reports));
      expect(status).toBe(400);
      const problems = body.issue.map((i: { expression: string[]; details: { coding: Array<{ code: string }> } }) => [i.expression[0], i.details.coding[0].code]);
      expect(problems).toEqual(
        expect.arrayContaining([
          ['Bundle.entry[2].resource.reporter.identifier', 'UNKNOWN_ORG_UNIT'],
          ['Bundle.entry[1].resource.group[0].population[0].count', 'NUMERATOR_EXCEEDS_DENOMINATOR'],
        ]),
      );
      expect(problems).toHaveLength(2);
      expect(await observationCount()).toBe(before);
    });

    test('a batch is processed entry by entry: good entries land, bad ones are listed', async () => {
      const reports = [
        report('P1', { value: 'RTT-C' }, '2025-02-01', '2025-02-28', [['numerator', 5], ['denominator', 6]]),
        report('P1', { value: 'RTT-W' }, '2025-02-01', '2025-02-28', [['numerator', 7], ['denominator', 6]]),
      ];
      const { status, body } = await fhir(app, 'POST', '', bundle('batch', reports));
      expect(status).toBe(200);
      expect(countsOf(body)).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 1 });
      expect(body.issue[1]).toMatchObject({ severity: 'error', expression: ['Bundle.entry[1].resource.group[0].population[0].count'] });
      expect(await observation('P1', 'RTT-C', '2025-02-01')).not.toBeNull();
      expect(await observation('P1', 'RTT-W', '2025-02-01')).toBeNull();
    });

    test('dryRun=true validates and counts but writes nothing', async () => {
      const before = await observationCount();
      const { status, body } = await fhir(app, 'POST', '/MeasureReport?dryRun=true', report('P1', { value: 'RTT-C' }, '2025-03-01', '2025-03-31', [['numerator', 1], ['denominator', 2]]));
      expect(status).toBe(200);
      expect(countsOf(body)).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 0 });
      expect(body.issue[0].diagnostics).toContain('dry run');
      expect(await observationCount()).toBe(before);
    });

    test('a measure canonical under another base is refused, even when its code is ours', async () => {
      const before = await observationCount();
      const foreign = { ...report('P1', { value: 'RTT-C' }, '2025-06-01', '2025-06-30', [['numerator', 1], ['denominator', 2]]), measure: 'https://evil.example/fhir/Measure/P1' };
      const { status, body } = await fhir(app, 'POST', '/MeasureReport', foreign);
      expect(status).toBe(400);
      expect(body.issue).toEqual([
        expect.objectContaining({
          severity: 'error',
          code: 'invalid',
          expression: ['MeasureReport.measure'],
          details: expect.objectContaining({ coding: [expect.objectContaining({ code: 'UNKNOWN_CANONICAL_BASE' })] }),
          diagnostics: `https://evil.example/fhir/Measure/P1 is not one of our Measures: their canonical URLs start with ${BASE}/Measure/`,
        }),
      ]);
      const search = await fhir(app, 'GET', `/MeasureReport?measure=${encodeURIComponent('https://evil.example/fhir/Measure/P1')}&subject=RTT-A&period=2025-01`);
      expect(search.status).toBe(400);
      expect(search.body.issue[0].diagnostics).toMatch(/not one of our Measures/);
      expect(await observationCount()).toBe(before);
    });

    test('a period before 2000 is refused as implausible', async () => {
      const { status, body } = await fhir(app, 'POST', '/MeasureReport', report('P1', { value: 'RTT-C' }, '1900-01-01', '1900-01-31', [['numerator', 1], ['denominator', 2]]));
      expect(status).toBe(400);
      expect(body.issue.map((i: { expression: string[]; details: { coding: Array<{ code: string }> } }) => [i.expression[0], i.details.coding[0].code])).toEqual([['MeasureReport.period.start', 'PERIOD_TOO_EARLY']]);
    });

    test('a NUL character in any string of the body is a 400 OperationOutcome, never a server error; long echoes are cut', async () => {
      const before = await observationCount();
      const nul = report('P1', { value: 'RTT-C' }, '2025-05-01', '2025-05-31', [['numerator', 1], ['denominator', 2]], 'rep\u0000nul');
      const { status, body } = await fhir(app, 'POST', '/MeasureReport', nul);
      expect(status).toBe(400);
      expect(body.issue[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['MeasureReport.identifier[0].value'] });
      expect(body.issue[0].diagnostics).toMatch(/NUL character/);
      const long = await fhir(app, 'POST', '/MeasureReport', report(`${'Z'.repeat(60)}`, { value: 'X'.repeat(5000) }, '2025-05-01', '2025-05-31', [['numerator', 1]]));
      expect(long.status).toBe(400);
      expect(long.body.issue.every((i: { diagnostics: string }) => i.diagnostics.length < 300)).toBe(true);
      expect(await observationCount()).toBe(before);
    });

    test('credentials, roles, scope and media type: 401, 403, 415, 400', async () => {
      const body = report('P1', { value: 'RTT-C' }, '2025-04-01', '2025-04-30', [['numerator', 1], ['denominator', 2]]);
      const before = await observationCount();
      const none = await fhir(app, 'POST', '/MeasureReport', body, { key: null });
      expect(none.status).toBe(401);
      expect(none.body.issue[0].code).toBe('login');
      expect((await fhir(app, 'POST', '/MeasureReport', body, { key: 'rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
      expect((await fhir(app, 'GET', '/Measure/P1', undefined, { key: null })).status).toBe(401);
      const board = await fhir(app, 'POST', '/MeasureReport', body, { key: keys.BOARD });
      expect(board.status).toBe(403);
      expect(board.body.issue[0].code).toBe('forbidden');

      const client = await app.request(IntegrationClientCreateDocument, { input: { name: 'EPR', sourceSystem: 'epr', measureCodes: ['P1'], orgUnitCodes: ['RTT-A'] } });
      const clientKey = client.body.data!.integrationClientCreate.secret!;
      const outside = await fhir(app, 'POST', '/MeasureReport', body, { key: clientKey });
      expect(outside.status).toBe(403);
      expect(outside.body.issue[0]).toMatchObject({ code: 'forbidden', details: { coding: [{ code: 'FORBIDDEN' }] } });
      const inside = await fhir(app, 'POST', '/MeasureReport', report('P1', { value: 'RTT-A' }, '2025-04-01', '2025-04-30', [['numerator', 1], ['denominator', 2]]), { key: clientKey });
      // An integration key may not read stored figures: it learns how many reports were accepted, not which were new.
      expect(countsOf(inside.body as never)).toEqual({ created: 0, updated: 0, unchanged: 0, rejected: 0 });
      expect(JSON.stringify(inside.body)).toMatch(/accepted 1 \(created, updated and unchanged are withheld/);
      expect(inside.status).toBe(200);
      expect(await observation('P1', 'RTT-A', '2025-04-01')).toMatchObject({ source: 'epr' });

      expect((await fhir(app, 'POST', '/MeasureReport', undefined, { contentType: 'text/csv', raw: 'a,b' })).status).toBe(415);
      const garbage = await fhir(app, 'POST', '/MeasureReport', undefined, { raw: '{"resourceType": "MeasureRep' });
      expect(garbage.status).toBe(400);
      expect(garbage.body.resourceType).toBe('OperationOutcome');
      const patient = await fhir(app, 'POST', '/MeasureReport', { resourceType: 'Patient' });
      expect(patient.status).toBe(400);
      expect(await observationCount()).toBe(before + 1);
    });
  });

  describe('export', () => {
    test('GET /fhir/Measure/<code>: an R4 Measure with scoring, improvement notation and populations', async () => {
      const { status, contentType, body } = await fhir(app, 'GET', '/Measure/R1');
      expect(status).toBe(200);
      expect(contentType).toMatch(/^application\/fhir\+json/);
      expect(body).toMatchObject({
        resourceType: 'Measure',
        id: 'R1',
        url: `${BASE}/Measure/R1`,
        status: 'active',
        title: 'Restrictive interventions per 1,000 bed days',
        scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'ratio' }] },
        improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'decrease' }] },
        extension: [{ url: `${BASE}/StructureDefinition/multiplier`, valueDecimal: 1000 }],
      });
      expect(body.group[0].population.map((p: { code: { coding: Array<{ system: string; code: string }> } }) => p.code.coding[0])).toEqual([
        expect.objectContaining({ system: POP, code: 'numerator' }),
        expect.objectContaining({ system: POP, code: 'denominator' }),
      ]);
      const missing = await fhir(app, 'GET', '/Measure/NOPE');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    });

    test('GET /fhir/MeasureReport for a team: summary report with period, populations, score and improvement notation', async () => {
      const { status, body } = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2025-01');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        resourceType: 'MeasureReport',
        status: 'complete',
        type: 'summary',
        measure: `${BASE}/Measure/P1`,
        period: { start: '2025-01-01', end: '2025-01-31' },
        reporter: { identifier: { system: LOCAL, value: 'RTT-A' } },
        improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] },
        group: [
          {
            population: [
              { code: { coding: [{ system: POP, code: 'numerator' }] }, count: 31 },
              { code: { coding: [{ system: POP, code: 'denominator' }] }, count: 40 },
            ],
            measureScore: { value: 31 / 40 },
          },
        ],
      });
      expect(body.extension).toEqual(
        expect.arrayContaining([
          { url: `${BASE}/StructureDefinition/pooling`, valueCode: 'subtree' },
          { url: `${BASE}/StructureDefinition/disclosure-control`, valueCode: 'none' },
        ]),
      );
    });

    test('a directorate’s report pools its subtree (Σ numerators ÷ Σ denominators) and says so; pooled=false reads its own observation', async () => {
      const { body } = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=2025-01');
      // RTT-A 31/40 and RTT-B 9/10 in January.
      expect(body.group[0].population.map((p: { count: number }) => p.count)).toEqual([40, 50]);
      expect(body.group[0].measureScore.value).toBeCloseTo(0.8);
      expect(body.extension).toEqual(expect.arrayContaining([{ url: `${BASE}/StructureDefinition/contributors`, valueInteger: 2 }]));
      const own = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=2025-01&pooled=false');
      expect(own.status).toBe(404);
      const rate = await fhir(app, 'GET', `/MeasureReport?measure=${encodeURIComponent(`${BASE}/Measure/R1`)}&reporter=${encodeURIComponent(`${ODS}|RTT01`)}&period=2025-01-01&pooled=false`);
      expect(rate.body.group[0].measureScore).toMatchObject({ value: (3 / 612) * 1000, unit: expect.any(String) });
    });

    test('a board key gets figures under small-number rules, marked as such', async () => {
      const { body } = await fhir(app, 'GET', '/MeasureReport?measure=C1&subject=RTT-A&period=2025-01', undefined, { key: keys.BOARD });
      expect(body.extension).toEqual(expect.arrayContaining([{ url: `${BASE}/StructureDefinition/disclosure-control`, valueCode: 'suppressed-and-rounded' }]));
      expect(body.group[0].population[0].count).toBeUndefined();
      expect(body.group[0].population[0]._count.extension[0]).toEqual({ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' });
      // and such a report is refused on import rather than stored as if true
      const back = await fhir(app, 'POST', '/MeasureReport', body);
      expect(back.status).toBe(400);
    });

    test('bad searches: 400 for missing or malformed parameters, 404 for no data', async () => {
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=January')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2025-01&pooled=maybe')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2019-01')).status).toBe(404);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=NOWHERE&period=2025-01')).status).toBe(404);
      expect((await fhir(app, 'GET', '/Patient/1')).status).toBe(404);
    });
  });

  test('round trip: a team’s reports exported and imported into an empty database reproduce the same components', async () => {
    const wanted: Array<[string, string]> = [
      ['P1', 'RTT-A'],
      ['R1', 'RTT-D'],
      ['C1', 'RTT-A'],
      ['M1', 'RTT-A'],
    ];
    const exported = [];
    for (const [measure, unit] of wanted) {
      const { status, body } = await fhir(app, 'GET', `/MeasureReport?measure=${measure}&subject=${unit}&period=2025-01&pooled=false`);
      expect(status).toBe(200);
      exported.push(body);
    }
    const components = async (target: TestApp) =>
      (
        await target.database.db.prisma.observation.findMany({
          where: { periodStart: new Date('2025-01-01T00:00:00Z'), OR: wanted.map(([m, u]) => ({ measure: { code: m }, orgUnit: { code: u } })) },
          include: { measure: true, orgUnit: true },
          orderBy: [{ measureId: 'asc' }],
        })
      ).map((o) => ({ measure: o.measure.code, unit: o.orgUnit.code, numerator: o.numerator, denominator: o.denominator, externalId: o.externalId }));

    const empty = await startTestApp(kind);
    try {
      await createMeasurementFixture(empty);
      await empty.database.db.prisma.orgUnit.update({ where: { code: 'RTT-D' }, data: { odsCode: 'RTT01' } });
      expect(await empty.database.db.prisma.observation.count()).toBe(0);
      const imported = await fhir(empty, 'POST', '', bundle('transaction', exported));
      expect(imported.status).toBe(200);
      expect(countsOf(imported.body)).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 0 });
      expect(await components(empty)).toEqual(await components(app));
      // and the second installation exports the same populations
      const again = await fhir(empty, 'GET', '/MeasureReport?measure=M1&subject=RTT-A&period=2025-01&pooled=false');
      expect(again.body.group).toEqual(exported[3].group);
    } finally {
      await empty.close();
    }
  });
});
