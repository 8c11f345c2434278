import { IntegrationClientCreateDocument } from '../generated/graphql';
import { gql } from '../hardening/http';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { expectValidFhir } from '../support/fhir-schema';

const POP = 'http://terminology.hl7.org/CodeSystem/measure-population';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const BASE = 'https://relational-care.example.nhs.uk/fhir';
const LOCAL = `${BASE}/Id/org-unit-code`;

interface FhirResponse {
  status: number;
  contentType: string | null;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Every resource the server sends in these tests is checked against the R4 JSON schema. */
async function fhir(app: TestApp, method: 'GET' | 'POST', path: string, body?: unknown, options: { key?: string | null; contentType?: string; raw?: string; prefer?: string } = {}): Promise<FhirResponse> {
  const headers: Record<string, string> = { accept: 'application/fhir+json' };
  const key = options.key === undefined ? TEST_ADMIN_KEY : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.prefer) headers.prefer = options.prefer;
  if (method === 'POST') headers['content-type'] = options.contentType ?? 'application/fhir+json';
  const url = path.startsWith('http') ? path : app.server.url.replace(/\/graphql$/, `/fhir${path}`);
  const response = await fetch(url, { method, headers, body: method === 'POST' ? (options.raw ?? JSON.stringify(body)) : undefined });
  const text = await response.text();
  const parsed = text === '' ? null : JSON.parse(text);
  if (parsed) expectValidFhir(parsed);
  return { status: response.status, contentType: response.headers.get('content-type'), headers: response.headers, body: parsed };
}
/** The resources of a searchset's matches. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const matches = (bundle: any) => (bundle.entry ?? []).filter((e: { search: { mode: string } }) => e.search.mode === 'match').map((e: { resource: unknown }) => e.resource);
/** Each entry's response status of a batch-response or transaction-response. */
const statuses = (bundle: { entry: Array<{ response: { status: string } }> }) => bundle.entry.map((e) => e.response.status);

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
      // FHIR create: 201 Created with the stored report's Location (its unit's own observation).
      expect(first.status).toBe(201);
      const ids = await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'P1' } }).then(async (m) => [m.id, (await prisma().orgUnit.findUniqueOrThrow({ where: { code: 'RTT-A' } })).id]);
      expect(first.headers.get('location')).toBe(app.server.url.replace(/\/graphql$/, `/fhir/MeasureReport/unit-${ids[0]}-${ids[1]}-2025-01`));
      expect(first.contentType).toMatch(/^application\/fhir\+json/);
      expect(first.body.resourceType).toBe('OperationOutcome');
      expect(first.body.issue[0]).toMatchObject({ severity: 'information', code: 'informational' });
      expect(countsOf(first.body)).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 0 });
      expect(await observation('P1', 'RTT-A', '2025-01-01')).toMatchObject({ numerator: 31, denominator: 40, source: 'fhir', externalId: 'rep-1' });

      const again = await fhir(app, 'POST', '/MeasureReport', body);
      // An identical report already stored: 200, the same Location, nothing changed.
      expect(again.status).toBe(200);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(countsOf(again.body)).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
      // A Bundle is posted to the base, not to the type.
      expect((await fhir(app, 'POST', '/MeasureReport', bundle('transaction', [body]))).status).toBe(400);
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
      expect(body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
      expect(statuses(body)).toEqual(['201 Created', '201 Created', '201 Created', '201 Created']);
      expect(body.entry.map((e: { response: { location: string } }) => e.response.location)).toEqual(reports.map(() => expect.stringMatching(/^MeasureReport\/unit-\d+-\d+-2025-01$/)));
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
      expect(body.type).toBe('batch-response');
      expect(statuses(body)).toEqual(['201 Created', '400 Bad Request']);
      expect(body.entry[0].response.location).toMatch(/^MeasureReport\/unit-/);
      expect(body.entry[1].response.outcome.issue[0]).toMatchObject({ severity: 'error', expression: ['Bundle.entry[1].resource.group[0].population[0].count'] });
      // sent again: the good entry is 200 (already stored, identical), the bad one still refused
      expect(statuses((await fhir(app, 'POST', '', bundle('batch', reports))).body)).toEqual(['200 OK', '400 Bad Request']);
      // a batch whose every entry fails is still a batch-response, entry by entry
      const allBad = await fhir(app, 'POST', '', bundle('batch', [reports[1]]));
      expect([allBad.status, allBad.body.type, statuses(allBad.body)]).toEqual([200, 'batch-response', ['400 Bad Request']]);
      // other Bundle types are not batch or transaction: refused, nothing written
      expect((await fhir(app, 'POST', '', bundle('collection', [reports[0]]))).status).toBe(400);
      expect((await fhir(app, 'POST', '', reports[0])).status).toBe(400);
      expect(await observation('P1', 'RTT-C', '2025-02-01')).not.toBeNull();
      expect(await observation('P1', 'RTT-W', '2025-02-01')).toBeNull();
    });

    test('dryRun=true validates and counts but writes nothing', async () => {
      const before = await observationCount();
      const { status, body, headers } = await fhir(app, 'POST', '/MeasureReport?dryRun=true', report('P1', { value: 'RTT-C' }, '2025-03-01', '2025-03-31', [['numerator', 1], ['denominator', 2]]));
      expect(status).toBe(200);
      expect(headers.get('location')).toBeNull();
      // a Bundle: the statuses each entry would get, no locations
      const dry = await fhir(app, 'POST', '?dryRun=true', bundle('transaction', [report('P1', { value: 'RTT-C' }, '2025-03-01', '2025-03-31', [['numerator', 1], ['denominator', 2]])]));
      expect(dry.body.entry).toEqual([{ response: { status: '201 Created' } }]);
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
      expect(inside.status).toBe(201);
      // ...and sent again it is 201 once more: 200 would tell this key that a figure it cannot read matched
      expect((await fhir(app, 'POST', '/MeasureReport', report('P1', { value: 'RTT-A' }, '2025-04-01', '2025-04-30', [['numerator', 1], ['denominator', 2]]), { key: clientKey })).status).toBe(201);
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

    test('GET /fhir/MeasureReport for a team: a searchset Bundle with the summary report (period, populations, score, improvement notation)', async () => {
      const { status, body } = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2025-01');
      expect(status).toBe(200);
      const root = app.server.url.replace(/\/graphql$/, '/fhir');
      const [p1, unitA] = [await prisma().measure.findUniqueOrThrow({ where: { code: 'P1' } }), await prisma().orgUnit.findUniqueOrThrow({ where: { code: 'RTT-A' } })];
      const id = `subtree-${p1.id}-${unitA.id}-2025-01`;
      expect(body).toMatchObject({
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [{ relation: 'self', url: `${root}/MeasureReport?measure=P1&subject=RTT-A&period=2025-01&_count=100` }],
        entry: [{ fullUrl: `${root}/MeasureReport/${id}`, search: { mode: 'match' } }],
      });
      expect(body.entry[0].resource).toMatchObject({
        resourceType: 'MeasureReport',
        id,
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
      expect(body.entry[0].resource.extension).toEqual(
        expect.arrayContaining([
          { url: `${BASE}/StructureDefinition/pooling`, valueCode: 'subtree' },
          { url: `${BASE}/StructureDefinition/disclosure-control`, valueCode: 'none' },
        ]),
      );
      // read by id: the fullUrl answers the same resource (but for its generation time)
      const read = await fhir(app, 'GET', body.entry[0].fullUrl);
      expect(read.status).toBe(200);
      expect({ ...read.body, date: null }).toEqual({ ...body.entry[0].resource, date: null });
      for (const bad of ['subtree-1-2-2025-13', 'nope', `subtree-${p1.id}-${unitA.id}-2019-01`, `subtree-99999-${unitA.id}-2025-01`]) {
        const missing = await fhir(app, 'GET', `/MeasureReport/${bad}`);
        expect([bad, missing.status, missing.body.issue[0].code]).toEqual([bad, 404, 'not-found']);
      }
    });

    test('searches by period range (FHIR date prefixes), by measure alone, by subject alone, paged', async () => {
      // P1 under RTT-DIR: January (RTT-A, RTT-B) and February (RTT-C, the batch test); April and June come later
      const range = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=ge2025-01-01&period=le2025-02-28');
      expect(matches(range.body).map((r: { period: { start: string } }) => r.period.start)).toEqual(['2025-01-01', '2025-02-01']);
      // ge2025-01-15: January ends after the 15th, so it overlaps and is included (FHIR: the range above the value intersects)
      const overlap = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=ge2025-01-15&period=lt2025-02-01');
      expect(matches(overlap.body).map((r: { period: { start: string } }) => r.period.start)).toEqual(['2025-01-01']);
      const after = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=gt2025-02-28');
      expect(matches(after.body).map((r: { period: { start: string } }) => r.period.start)).toEqual(['2025-04-01']);
      // a bare day is FHIR's eq on that day: a month's report does not lie within one day
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=2025-01-01')).body.total).toBe(0);
      // every measure with RTT-A's own observation in January: P1, C1 and M1 (R1 was sent for RTT-D)
      const unit = await fhir(app, 'GET', '/MeasureReport?subject=RTT-A&period=2025-01&pooled=false');
      expect(matches(unit.body).map((r: { measure: string }) => r.measure.split('/').pop()).sort()).toEqual(['C1', 'M1', 'P1']);
      // one measure, every unit: January P1 at RTT-A, RTT-B, their directorate and the trust (pooled)
      const everywhere = await fhir(app, 'GET', '/MeasureReport?measure=P1&period=2025-01');
      const units = matches(everywhere.body).map((r: { reporter: { identifier: { value: string } } }) => r.reporter.identifier.value);
      expect(units).toEqual(expect.arrayContaining(['RTT-A', 'RTT-B', 'RTT-DIR']));
      // paging: _count=1 walks the same matches one by one, with next links, and total stays
      const walked: string[] = [];
      let next: string | undefined = `/MeasureReport?measure=P1&period=2025-01&_count=1`;
      while (next) {
        const page: FhirResponse = await fhir(app, 'GET', next);
        expect(page.body.total).toBe(everywhere.body.total);
        walked.push(...matches(page.body).map((r: { id: string }) => r.id));
        next = page.body.link.find((l: { relation: string }) => l.relation === 'next')?.url;
      }
      expect(walked).toEqual(matches(everywhere.body).map((r: { id: string }) => r.id));
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&period=2025-01&_count=0')).body).toMatchObject({ total: everywhere.body.total });
      // no N+1: a page of many reports runs as many statements as a page of one (measures, units, count, page, strata or tables)
      const statements = async (path: string, key?: string) => Number((await fhir(app, 'GET', path, undefined, { key })).headers.get('x-sql-statements'));
      for (const key of [undefined, keys.BOARD]) {
        // (the first read of a measure's disclosure table builds it, in one statement for every measure missing: warmed here)
        await statements('/MeasureReport?period=ge2025-01&period=le2025-12', key);
        const many = await statements('/MeasureReport?period=ge2025-01&period=le2025-12&pooled=false', key);
        const one = await statements('/MeasureReport?measure=P1&subject=RTT-A&period=2025-01&pooled=false', key);
        expect(many).toBeGreaterThan(0);
        expect(many).toBe(one);
        const pooledMany = await statements('/MeasureReport?period=ge2025-01&period=le2025-12', key);
        expect(pooledMany).toBe(await statements('/MeasureReport?measure=P1&subject=RTT-A&period=2025-01', key));
      }
    });

    test('GET /fhir/Measure: a searchset of every measure, by _id, url, identifier and status', async () => {
      const all = await fhir(app, 'GET', '/Measure');
      expect(all.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
      expect(matches(all.body).map((m: { id: string }) => m.id)).toEqual(['C1', 'M1', 'P1', 'Q1', 'R1']);
      expect(all.body.entry[0].fullUrl).toBe(app.server.url.replace(/\/graphql$/, '/fhir/Measure/C1'));
      const one = async (query: string) => matches((await fhir(app, 'GET', `/Measure?${query}`)).body).map((m: { id: string }) => m.id);
      expect(await one(`url=${encodeURIComponent(`${BASE}/Measure/R1`)}`)).toEqual(['R1']);
      expect(await one(`identifier=${encodeURIComponent(`${BASE}/Id/measure-code|M1`)}`)).toEqual(['M1']);
      expect(await one('identifier=Q1&_id=Q1,P1')).toEqual(['Q1']);
      expect(await one('url=https://evil.example/fhir/Measure/R1')).toEqual([]);
      expect(await one('status=retired')).toEqual([]);
      expect((await fhir(app, 'GET', '/Measure?name=P1')).status).toBe(400);
    });

    test('GET /fhir/metadata: a CapabilityStatement listing exactly what is served, each listed parameter accepted and others refused', async () => {
      const { status, body } = await fhir(app, 'GET', '/metadata', undefined, { key: null });
      expect(status).toBe(200);
      expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', rest: [{ mode: 'server', interaction: [{ code: 'batch' }, { code: 'transaction' }] }] });
      // no CORS_ORIGINS in the test app: no CORS, and it says so
      expect(body.rest[0].security.cors).toBe(false);
      const resources = body.rest[0].resource as Array<{ type: string; interaction: Array<{ code: string }>; searchParam: Array<{ name: string }> }>;
      expect(resources.map((r) => [r.type, r.interaction.map((i) => i.code)])).toEqual([
        ['Measure', ['read', 'search-type']],
        ['MeasureReport', ['read', 'search-type', 'create']],
      ]);
      const sample: Record<string, string> = { _id: 'P1', url: `${BASE}/Measure/P1`, identifier: 'P1', status: 'active', _count: '5', _offset: '0', measure: 'P1', subject: 'RTT-A', reporter: 'RTT-A', period: '2025-01', pooled: 'false' };
      for (const resource of resources) {
        for (const { name } of resource.searchParam) {
          const answer = await fhir(app, 'GET', `/${resource.type}?${name}=${encodeURIComponent(sample[name])}`);
          expect([resource.type, name, answer.status]).toEqual([resource.type, name, 200]);
        }
        expect((await fhir(app, 'GET', `/${resource.type}?_sort=id`)).status).toBe(400);
        // the general _format: JSON honoured (and left out of the self link), XML refused
        const json = await fhir(app, 'GET', `/${resource.type}?_format=json`);
        expect([json.status, json.body.link[0].url.includes('_format')]).toEqual([200, false]);
        expect((await fhir(app, 'GET', `/${resource.type}?_format=xml`)).status).toBe(400);
      }
      // what is not listed is not served
      expect((await fhir(app, 'GET', '/Organization')).status).toBe(404);
      const post = await fhir(app, 'POST', '/Measure', { resourceType: 'Measure' });
      expect([post.status, post.headers.get('allow'), post.body.issue[0].code]).toEqual([405, 'GET', 'not-supported']);
      const url = app.server.url.replace(/\/graphql$/, '/fhir/MeasureReport/unit-1-1-2025-01');
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const answer = await fetch(url, { method, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/fhir+json' }, body: '{}' });
        expect([method, answer.status, answer.headers.get('allow')]).toEqual([method, 405, 'GET']);
      }
      // writes carry no statement count (it could tell a sender whether a sent figure matched); reads do
      const write = await fhir(app, 'POST', '/MeasureReport?dryRun=true', report('P1', { value: 'RTT-C' }, '2025-03-01', '2025-03-31', [['numerator', 1], ['denominator', 2]]));
      expect([write.status, write.headers.get('x-sql-statements')]).toEqual([200, null]);
      expect(Number((await fhir(app, 'GET', '/Measure')).headers.get('x-sql-statements'))).toBeGreaterThan(0);
    });

    test('Prefer: return=minimal answers no body; return=representation the stored report, as GET Location reads it', async () => {
      const body = report('P1', { value: 'RTT-B' }, '2025-06-01', '2025-06-30', [['numerator', 3], ['denominator', 4]]);
      const minimal = await fhir(app, 'POST', '/MeasureReport', body, { prefer: 'return=minimal' });
      expect([minimal.status, minimal.body]).toEqual([201, null]);
      const location = minimal.headers.get('location') as string;
      const representation = await fhir(app, 'POST', '/MeasureReport', body, { prefer: 'return=representation' });
      expect(representation.status).toBe(200);
      expect(representation.headers.get('location')).toBe(location);
      expect(representation.body.group[0].population.map((p: { count: number }) => p.count)).toEqual([3, 4]);
      const read = await fhir(app, 'GET', location);
      expect({ ...read.body, date: null }).toEqual({ ...representation.body, date: null });
    });

    test('a directorate’s report pools its subtree (Σ numerators ÷ Σ denominators) and says so; pooled=false reads its own observation', async () => {
      const { body } = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=2025-01');
      const [pooled] = matches(body);
      // RTT-A 31/40 and RTT-B 9/10 in January.
      expect(pooled.group[0].population.map((p: { count: number }) => p.count)).toEqual([40, 50]);
      expect(pooled.group[0].measureScore.value).toBeCloseTo(0.8);
      expect(pooled.extension).toEqual(expect.arrayContaining([{ url: `${BASE}/StructureDefinition/contributors`, valueInteger: 2 }]));
      const own = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-DIR&period=2025-01&pooled=false');
      expect([own.status, own.body.total]).toEqual([200, 0]);
      const rate = await fhir(app, 'GET', `/MeasureReport?measure=${encodeURIComponent(`${BASE}/Measure/R1`)}&reporter=${encodeURIComponent(`${ODS}|RTT01`)}&period=2025-01&pooled=false`);
      expect(matches(rate.body)[0].group[0].measureScore).toMatchObject({ value: (3 / 612) * 1000, unit: expect.any(String) });
    });

    test('a board key gets figures under small-number rules, marked as such', async () => {
      const { body } = await fhir(app, 'GET', '/MeasureReport?measure=C1&subject=RTT-A&period=2025-01', undefined, { key: keys.BOARD });
      const [controlled] = matches(body);
      expect(controlled.extension).toEqual(expect.arrayContaining([{ url: `${BASE}/StructureDefinition/disclosure-control`, valueCode: 'suppressed-and-rounded' }]));
      expect(controlled.group[0].population[0].count).toBeUndefined();
      expect(controlled.group[0].population[0]._count.extension[0]).toEqual({ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' });
      // and such a report is refused on import rather than stored as if true
      const back = await fhir(app, 'POST', '/MeasureReport', controlled);
      expect(back.status).toBe(400);
    });

    test('bad searches: 400 for malformed parameters; no data or an unknown unit or measure is an empty searchset that says why', async () => {
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=January')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=ne2025-01')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2025-02-30')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2025-01&pooled=maybe')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&_count=5000')).status).toBe(400);
      expect((await fhir(app, 'GET', '/MeasureReport?measure=P1&patient=RTT-A')).status).toBe(400);
      const none = await fhir(app, 'GET', '/MeasureReport?measure=P1&subject=RTT-A&period=2019-01');
      expect([none.status, none.body.total, none.body.entry]).toEqual([200, 0, undefined]);
      const nowhere = await fhir(app, 'GET', '/MeasureReport?measure=NOPE&subject=NOWHERE&period=2025-01');
      expect([nowhere.status, nowhere.body.total]).toEqual([200, 0]);
      expect(nowhere.body.entry).toEqual([
        {
          search: { mode: 'outcome' },
          resource: expect.objectContaining({
            resourceType: 'OperationOutcome',
            issue: [expect.objectContaining({ severity: 'warning', diagnostics: 'No measure has code "NOPE"' }), expect.objectContaining({ severity: 'warning', diagnostics: 'No org unit is identified by NOWHERE' })],
          }),
        },
      ]);
      expect((await fhir(app, 'GET', '/Patient/1')).status).toBe(404);
    });
  });

  describe('strata (group.stratifier.stratum)', () => {
    // P1 at RTT-C for July 2025: whole 10/20; ETHNICITY A 4/10 + M 5/8 + 99 1/2 = 10/20; SEX 1 6/11 + 2 4/9 = 10/20.
    const STRATIFIER = `${BASE}/CodeSystem/stratifier`;
    const stratum = (stratifier: string, code: string, numerator: number, denominator: number) => ({
      value: { coding: [{ system: `${BASE}/CodeSystem/stratum-${stratifier}`, code }] },
      population: [
        { code: { coding: [{ system: POP, code: 'numerator' }] }, count: numerator },
        { code: { coding: [{ system: POP, code: 'denominator' }] }, count: denominator },
      ],
    });
    const stratified = (unit: string, start: string, end: string, whole: [number, number] | null, ethnicity: Array<[string, number, number]>, sex: Array<[string, number, number]> = []) => {
      const base = report('P1', { value: unit }, start, end, whole ? [['numerator', whole[0]], ['denominator', whole[1]]] : []);
      return {
        ...base,
        group: [
          {
            ...(whole ? { population: base.group[0].population } : {}),
            stratifier: [
              { code: [{ coding: [{ system: STRATIFIER, code: 'ETHNICITY' }] }], stratum: ethnicity.map(([c, n, d]) => stratum('ETHNICITY', c, n, d)) },
              ...(sex.length > 0 ? [{ code: [{ coding: [{ system: STRATIFIER, code: 'SEX' }] }], stratum: sex.map(([c, n, d]) => stratum('SEX', c, n, d)) }] : []),
            ],
          },
        ],
      };
    };
    const stored = (target: TestApp, unit: string, start: string) =>
      target.database.db.prisma.observation
        .findMany({ where: { measure: { code: 'P1' }, orgUnit: { code: unit }, periodStart: new Date(`${start}T00:00:00Z`) }, orderBy: [{ stratifier: 'asc' }, { stratumCode: 'asc' }] })
        .then((rows) => rows.map((o) => [o.stratifier, o.stratumCode, o.numerator, o.denominator, o.derivedFromStrata]));

    beforeAll(async () => {
      await prisma().measure.update({ where: { code: 'P1' }, data: { stratifiers: ['ETHNICITY', 'SEX'] } });
    });

    test('imported into stratum rows beside the whole; exported (true figures) with every stratum; round trip reproduces them', async () => {
      const sent = stratified('RTT-C', '2025-07-01', '2025-07-31', [10, 20], [['A', 4, 10], ['M', 5, 8], ['99', 1, 2]], [['1', 6, 11], ['2', 4, 9]]);
      const posted = await fhir(app, 'POST', '/MeasureReport', sent);
      expect(posted.status).toBe(201);
      const rows = [
        ['', '', 10, 20, false],
        ['ETHNICITY', '99', 1, 2, false],
        ['ETHNICITY', 'A', 4, 10, false],
        ['ETHNICITY', 'M', 5, 8, false],
        ['SEX', '1', 6, 11, false],
        ['SEX', '2', 4, 9, false],
      ];
      expect(await stored(app, 'RTT-C', '2025-07-01')).toEqual(rows);

      const read = await fhir(app, 'GET', posted.headers.get('location') as string);
      const [ethnicity, sex] = read.body.group[0].stratifier;
      expect(ethnicity.code).toEqual([{ coding: [{ system: STRATIFIER, code: 'ETHNICITY', display: 'Ethnic category' }] }]);
      // in the stratifier's code order (A, M, then 99 not known), each with populations and score
      expect(ethnicity.stratum.map((s: { value: { coding: Array<{ code: string }> }; population: Array<{ count: number }>; measureScore: { value: number } }) => [s.value.coding[0].code, s.population.map((p) => p.count), s.measureScore.value])).toEqual([
        ['A', [4, 10], 0.4],
        ['M', [5, 8], 0.625],
        ['99', [1, 2], 0.5],
      ]);
      expect(ethnicity.stratum[1].value).toEqual({ coding: [{ system: `${BASE}/CodeSystem/stratum-ETHNICITY`, code: 'M', display: 'Black or Black British: Caribbean' }], text: 'Black or Black British: Caribbean' });
      expect(sex.stratum.map((s: { value: { coding: Array<{ code: string }> } }) => s.value.coding[0].code)).toEqual(['1', '2']);

      const empty = await startTestApp(kind);
      try {
        await createMeasurementFixture(empty);
        await empty.database.db.prisma.measure.update({ where: { code: 'P1' }, data: { stratifiers: ['ETHNICITY', 'SEX'] } });
        const again = await fhir(empty, 'POST', '', bundle('transaction', [read.body]));
        expect(statuses(again.body)).toEqual(['201 Created']);
        expect(await stored(empty, 'RTT-C', '2025-07-01')).toEqual(rows);
      } finally {
        await empty.close();
      }
    });

    test('strata alone: the whole is worked out from them', async () => {
      const posted = await fhir(app, 'POST', '/MeasureReport', stratified('RTT-B', '2025-07-01', '2025-07-31', null, [['A', 2, 3], ['N', 1, 4]]));
      expect(posted.status).toBe(201);
      // 2 + 1 = 3 of 3 + 4 = 7
      expect(await stored(app, 'RTT-B', '2025-07-01')).toEqual([
        ['', '', 3, 7, true],
        ['ETHNICITY', 'A', 2, 3, false],
        ['ETHNICITY', 'N', 1, 4, false],
      ]);
    });

    test('strata that do not add up are refused with an OperationOutcome naming the problem, and nothing is written', async () => {
      const before = await observationCount();
      // A 4/10 + M 5/8 = 9/18, not the whole's 10/20
      const bad = stratified('RTT-A', '2025-08-01', '2025-08-31', [10, 20], [['A', 4, 10], ['M', 5, 8]]);
      const { status, body } = await fhir(app, 'POST', '/MeasureReport', bad);
      expect(status).toBe(400);
      const problems = body.issue.map((i: { expression: string[]; details: { coding: Array<{ code: string }> } }) => [i.expression[0], i.details.coding[0].code]);
      expect(problems).toEqual(
        expect.arrayContaining([
          ['MeasureReport.group[0].population[0].count', 'STRATA_DO_NOT_ADD_UP'],
          ['MeasureReport.group[0].stratifier[0].stratum[0].value', 'STRATA_DO_NOT_ADD_UP'],
          ['MeasureReport.group[0].stratifier[0].stratum[1].value', 'STRATA_DO_NOT_ADD_UP'],
        ]),
      );
      // an unknown stratum code, and a stratifier the measure is not reported by
      const unknown = await fhir(app, 'POST', '/MeasureReport', stratified('RTT-A', '2025-08-01', '2025-08-31', null, [['Q', 1, 2]]));
      expect(unknown.body.issue.map((i: { expression: string[]; details: { coding: Array<{ code: string }> } }) => [i.expression[0], i.details.coding[0].code])).toEqual([['MeasureReport.group[0].stratifier[0].stratum[0].value', 'UNKNOWN_STRATUM']]);
      // in a batch the stratified entry fails whole and the other entry lands
      const batch = await fhir(app, 'POST', '', bundle('batch', [bad, report('P1', { value: 'RTT-B' }, '2025-08-01', '2025-08-31', [['numerator', 1], ['denominator', 2]])]));
      expect(statuses(batch.body)).toEqual(['400 Bad Request', '201 Created']);
      expect(await stored(app, 'RTT-A', '2025-08-01')).toEqual([]);
      expect(await observationCount()).toBe(before + 1);
    });

    test('a reader under disclosure control gets each stratum as the measure’s one disclosure table decides: masked where the board hides it, rounded where it shows it', async () => {
      // RTT-D (the only team of RTT-DIR2), May 2026: whole 100/200 = ETHNICITY A 62/123 + M 38/77, nothing small.
      // (Another financial year from RTT-C's small strata of July 2025: in the same one, the trust's
      // year to date would tie D's A to C's, and the table would rightly hide D's too.)
      const posted = await fhir(app, 'POST', '/MeasureReport', stratified('RTT-D', '2026-05-01', '2026-05-31', [100, 200], [['A', 62, 123], ['M', 38, 77]]));
      expect(posted.status).toBe(201);
      type Stratum = { value: { coding: Array<{ code: string }> }; population: Array<{ count?: number; _count?: unknown }>; measureScore?: { value?: number } };
      const counts = (s: Stratum) => s.population.map((p) => (p.count === undefined ? 'masked' : p.count));
      const strataOf = async (unit: string, period: string, key: string) => {
        const response = await fhir(app, 'GET', `/MeasureReport?measure=P1&subject=${unit}&period=${period}&pooled=false`, undefined, { key });
        const [only] = matches(response.body);
        expect(only.extension).toEqual(expect.arrayContaining([{ url: `${BASE}/StructureDefinition/disclosure-control`, valueCode: 'suppressed-and-rounded' }]));
        return (only.group[0].stratifier ?? []) as Array<{ stratum: Stratum[] }>;
      };
      for (const key of [keys.BOARD, keys.FACULTY_LEAD]) {
        // Shown: rounded to 5 (A 60/125, M 40/75), the score from the rounded figures (40/75).
        const [shown] = await strataOf('RTT-D', '2026-05', key);
        expect(shown.stratum.map((s) => [s.value.coding[0].code, counts(s), s.measureScore?.value])).toEqual([
          ['A', [60, 125], expect.closeTo(60 / 125, 12)],
          ['M', [40, 75], expect.closeTo(40 / 75, 12)],
        ]);
        // RTT-C, July 2025: ETHNICITY A 4/10 and 99 1/2, SEX 2 4/9 have numerators under 5: masked,
        // whatever else the table hides to protect them.
        const [ethnicity, sex] = await strataOf('RTT-C', '2025-07', key);
        const byCode = new Map([...ethnicity.stratum, ...sex.stratum].map((s) => [s.value.coding[0].code, s]));
        for (const code of ['A', '99', '2']) expect([code, counts(byCode.get(code)!)]).toEqual([code, ['masked', 'masked']]);
        // Every verdict and figure is the board's: the equality view of that unit and month.
        for (const [unit, period, stratifier, strata] of [['RTT-C', '2025-07', 'ETHNICITY', ethnicity.stratum], ['RTT-C', '2025-07', 'SEX', sex.stratum], ['RTT-D', '2026-05', 'ETHNICITY', shown.stratum]] as const) {
          const view = await gql(app.server.url, `{ measure(code: "P1") { equality(orgUnitCode: "${unit}", stratifier: "${stratifier}", from: "${period}-01", to: "${period}-01") { strata { code suppressed numerator denominator } } } }`, undefined, key);
          const board = (view.body.data as { measure: { equality: { strata: Array<{ code: string; suppressed: boolean; numerator: number | null; denominator: number | null }> } } }).measure.equality.strata;
          expect(strata.map((s) => [s.value.coding[0].code, counts(s)])).toEqual(board.map((b) => [b.code, b.suppressed ? ['masked', 'masked'] : [b.numerator, b.denominator]]));
        }
      }
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
      expect([status, body.total]).toEqual([200, 1]);
      exported.push(matches(body)[0]);
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
      expect(statuses(imported.body)).toEqual(['201 Created', '201 Created', '201 Created', '201 Created']);
      expect(await components(empty)).toEqual(await components(app));
      // and the second installation exports the same populations
      const again = await fhir(empty, 'GET', '/MeasureReport?measure=M1&subject=RTT-A&period=2025-01&pooled=false');
      expect(matches(again.body)[0].group).toEqual(exported[3].group);
    } finally {
      await empty.close();
    }
  });
});
