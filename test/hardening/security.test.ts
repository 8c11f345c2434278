import {
  ImportObservationsDocument,
  MeasureCreateDocument,
  MeasureSeriesDocument,
  OrgUnitCreateDocument,
  type ObservationRowInput,
} from '../generated/graphql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import type { AppServer } from '../../src/app';
import { codeOf, gql, send, startServerOn, type RawResponse } from './http';

const MONTHS = ['2024-01-01', '2024-02-01', '2024-03-01'];
const CREATE_UNIT = 'mutation { orgUnitCreate(input: { code: "EVIL", name: "Evil", type: TEAM, parentCode: "RTT-DIR" }) { orgUnit { code } userErrors { code } } }';

/** Every table an attack could write to; read back after each attack to prove it changed nothing. */
async function snapshot(app: TestApp): Promise<Record<string, number>> {
  const p = app.database.db.prisma;
  return {
    orgUnits: await p.orgUnit.count(),
    measures: await p.measure.count(),
    observations: await p.observation.count(),
    revisions: await p.observationRevision.count(),
    apiKeys: await p.apiKey.count(),
    auditEvents: await p.auditEvent.count(),
    commentary: await p.commentary.count(),
  };
}

/** No error in any response may carry a stack trace or a file path. */
function expectNoStack(response: RawResponse): void {
  expect(response.text).not.toMatch(/stacktrace|\bat [\w.<>]+ \(|\/node_modules\/|\.ts:\d+/);
}

describe.each(DATABASE_KINDS)('security: classic attacks on %s', (kind) => {
  let app: TestApp;
  let production: AppServer;
  let url: string;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  let before: Record<string, number>;

  beforeAll(async () => {
    app = await startTestApp(kind);
    url = app.server.url;
    keys = await createMeasurementFixture(app);
    const measure = await app.request(MeasureCreateDocument, { input: { code: 'SEC-C', name: 'Restraints', scoringType: 'COUNT', improvementDirection: 'DECREASE' } });
    expect(measure.body.data!.measureCreate.userErrors).toEqual([]);
    // 3 a month at the small ward RTT-W: under the disclosure threshold, so suppressed for most readers.
    const rows: ObservationRowInput[] = MONTHS.map((periodStart) => ({ measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart, numerator: 3, source: 'incidents' }));
    const imported = await app.request(ImportObservationsDocument, { input: { rows } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 3, userErrors: [] });
    // The same data served in production mode, as a second instance would.
    production = await startServerOn(app.database.db, { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await production?.stop();
    await app?.close();
  });
  beforeEach(async () => {
    before = await snapshot(app);
  });
  afterEach(async () => {
    // Every attack below must leave every table as it was.
    expect(await snapshot(app)).toEqual(before);
  });

  test('production refuses introspection, with or without a key', async () => {
    for (const key of [TEST_ADMIN_KEY, null]) {
      for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Query") { fields { name } } }']) {
        const response = await gql(production.url, query, undefined, key);
        expect([response.status, codeOf(response)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
        expect(response.body.errors![0].message).toMatch(/introspection is not allowed/);
        expect(response.body.data).toBeUndefined();
      }
    }
  });

  test('production gives no field suggestions ("Did you mean") for fields, arguments, types or enum values', async () => {
    const probes: Array<[string, Record<string, unknown>?]> = [
      ['{ principles { nme } }'],
      ['{ orgUnits(frist: 1) { nodes { code } } }'],
      ['query Q($t: OrgUnitTyp) { orgUnits(type: $t) { totalCount } }'],
      ['{ orgUnits(type: TEM) { totalCount } }'],
      ['query Q($t: OrgUnitType) { orgUnits(type: $t) { totalCount } }', { t: 'TEM' }],
      ['mutation { apiKeyCreat(input: { name: "x", role: BOARD }) { secret } }'],
    ];
    for (const [query, variables] of probes) {
      const dev = await gql(url, query, variables);
      const prod = await gql(production.url, query, variables);
      expect(dev.text).toMatch(/Did you mean/); // the probe is a real one...
      expect(prod.status).toBe(dev.status);
      expect(prod.body.errors!.length).toBeGreaterThan(0);
      expect(prod.text).not.toMatch(/Did you mean/); // ...and production answers without the hint
      expect(prod.text).not.toMatch(/"(name|first|OrgUnitType|TEAM|apiKeyCreate)"/);
      expectNoStack(prod);
    }
  });

  test('production has no landing page and sends no stack traces, even for broken requests', async () => {
    const page = await send(production.url, { method: 'GET', key: null, contentType: null, headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(page.text).not.toMatch(/<html/i);
    const devPage = await send(url, { method: 'GET', key: null, contentType: null, headers: { accept: 'text/html' } });
    expect(devPage.headers.get('content-type')).toMatch(/text\/html/); // the probe is real
    for (const body of ['{"query": ', '{"query": "{ principles { key }"}', '[1,2', '{"query": 42}', '"just a string"']) {
      const response = await send(production.url, { body });
      expect(response.status).toBe(400);
      expectNoStack(response);
    }
  });

  test('an unknown path is a JSON 404 naming what is served, in production too, never an HTML page', async () => {
    for (const base of [url, production.url]) {
      const root = base.replace(/\/graphql$/, '');
      for (const [method, path] of [['GET', '/'], ['GET', '/admin'], ['POST', '/graphq'], ['GET', '/graphql/../etc/passwd'], ['DELETE', '/healthz']]) {
        const response = await send(`${root}${path}`, { method, key: null, contentType: null, headers: { accept: 'text/html' } });
        expect([path, response.status, codeOf(response)]).toEqual([path, 404, 'NOT_FOUND']);
        expect(response.headers.get('content-type')).toMatch(/application\/json/);
        expect(response.body.errors![0].message).toMatch(/POST \/graphql/);
        expectNoStack(response);
      }
    }
  });

  test('directive overloading (graphql-cop): repeating an unknown directive yields a few errors, not one per directive', async () => {
    for (const base of [production.url, url]) {
      for (const count of [10, 19]) {
        const response = await gql(base, `query cop { __typename ${'@aa'.repeat(count)} }`, undefined, null);
        expect([response.status, codeOf(response)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
        expect(response.body.errors!.length).toBeLessThanOrEqual(6);
        expectNoStack(response);
      }
    }
    // the same bound for any other pile of validation errors
    const unknownFields = await gql(production.url, `{ ${Array.from({ length: 19 }, (_, i) => `f${i}`).join(' ')} }`);
    expect(codeOf(unknownFields)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(unknownFields.body.errors!.length).toBeLessThanOrEqual(6);
  });

  test('100+ aliases of a real field are refused with TOO_MANY_ALIASES, and nothing runs', async () => {
    const query = `{ ${Array.from({ length: 120 }, (_, i) => `m${i}: measure(code: "SEC-C") { series(orgUnitCode: "RTT") { points { value } } }`).join(' ')} }`;
    const response = await gql(url, query);
    expect([response.status, codeOf(response)]).toEqual([400, 'TOO_MANY_ALIASES']);
    const mutations = `mutation { ${Array.from({ length: 120 }, (_, i) => `u${i}: orgUnitCreate(input: { code: "A${i}", name: "a", type: TEAM, parentCode: "RTT-DIR" }) { userErrors { code } }`).join(' ')} }`;
    expect(codeOf(await gql(url, mutations))).toBe('TOO_MANY_ALIASES');
  });

  test('deep nesting is refused with QUERY_TOO_DEEP', async () => {
    const query = `{ orgUnit(code: "RTT-A") { ${'parent { '.repeat(40)}code${' }'.repeat(40)} } }`;
    const response = await gql(url, query);
    expect([response.status, codeOf(response)]).toEqual([400, 'QUERY_TOO_DEEP']);
  });

  test('a huge `first` is BAD_USER_INPUT; nested large pages are QUERY_TOO_COMPLEX', async () => {
    const huge = await gql(url, '{ orgUnits(first: 2147483647) { nodes { code } } }');
    expect(codeOf(huge)).toBe('BAD_USER_INPUT');
    expect(huge.body.data).toBeNull();
    const negative = await gql(url, '{ orgUnits(last: -5) { nodes { code } } }');
    expect(codeOf(negative)).toBe('BAD_USER_INPUT');
    const nested = await gql(url, '{ orgUnits(first: 100) { nodes { children(first: 100) { nodes { workstreams(first: 100) { nodes { code } } } } } } }');
    expect([nested.status, codeOf(nested)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
  });

  test('batched arrays are refused: not one of the mutations runs', async () => {
    const batch = JSON.stringify([{ query: CREATE_UNIT }, { query: '{ principles { key } }' }]);
    const response = await send(url, { body: batch });
    expect([response.status, codeOf(response)]).toEqual([400, 'BAD_REQUEST']);
  });

  test('GET cannot mutate: 405 with the preflight header, CSRF refusal (400) without it', async () => {
    const withPreflight = await send(`${url}?query=${encodeURIComponent(CREATE_UNIT)}`, { method: 'GET', contentType: null, headers: { 'apollo-require-preflight': 'true' } });
    expect(withPreflight.status).toBe(405);
    expect(withPreflight.headers.get('allow')).toBe('POST');
    const plain = await send(`${url}?query=${encodeURIComponent(CREATE_UNIT)}`, { method: 'GET', contentType: null });
    expect(plain.status).toBe(400);
    expect(plain.body.errors![0].message).toMatch(/Cross-Site Request Forgery/);
    // a GET query with the preflight header still works: GET is for reads
    const read = await send(`${url}?query=${encodeURIComponent('{ principles { key } }')}`, { method: 'GET', contentType: null, headers: { 'apollo-require-preflight': 'true' } });
    expect(read.status).toBe(200);
  });

  test('form-encoded, multipart and text/plain POSTs (what a hostile page can send) cannot mutate', async () => {
    const form = await send(url, { body: `query=${encodeURIComponent(CREATE_UNIT)}`, contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.body.errors![0].message).toMatch(/Cross-Site Request Forgery/);
    const text = await send(url, { body: JSON.stringify({ query: CREATE_UNIT }), contentType: 'text/plain' });
    expect(text.status).toBe(400);
    const multipart = await send(url, { body: `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${CREATE_UNIT}\r\n--x--`, contentType: 'multipart/form-data; boundary=x' });
    expect(multipart.status).toBe(400);
    const none = await send(url, { body: JSON.stringify({ query: CREATE_UNIT }), contentType: null });
    expect(none.status).toBe(400);
  });

  test('malformed JSON is a JSON 400 BAD_REQUEST, never an HTML page or a stack', async () => {
    for (const body of ['{"query": ', '{query: "x"}', '\u0000\u0001', '{"query": "mutation { x }", }']) {
      const response = await send(url, { body });
      expect([response.status, codeOf(response)]).toEqual([400, 'BAD_REQUEST']);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expectNoStack(response);
    }
  });

  test('an oversized body is 413 PAYLOAD_TOO_LARGE and runs nothing', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart: '2024-04-01', numerator: i, source: 'x'.repeat(40) }));
    const body = JSON.stringify({ query: 'mutation M($input: ImportObservationsInput!) { importObservations(input: $input) { created } }', variables: { input: { rows } } });
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const response = await send(url, { body });
    expect([response.status, codeOf(response)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expectNoStack(response);
  });

  test('oversized strings are refused as input errors, and nothing is written', async () => {
    const long = 'x'.repeat(200_000);
    const unit = await app.request(OrgUnitCreateDocument, { input: { code: 'LONG', name: long, type: 'TEAM', parentCode: 'RTT-DIR' } });
    expect(unit.body.data!.orgUnitCreate.orgUnit).toBeNull();
    expect(unit.body.data!.orgUnitCreate.userErrors).toEqual([expect.objectContaining({ field: ['name'] })]);
    const code = await app.request(OrgUnitCreateDocument, { input: { code: long, name: 'x', type: 'TEAM', parentCode: 'RTT-DIR' } });
    expect(code.body.data!.orgUnitCreate.userErrors.length).toBeGreaterThan(0);
    const row = await app.request(ImportObservationsDocument, { input: { rows: [{ measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart: '2024-05-01', numerator: 1, source: long }] } });
    const payload = row.body.data!.importObservations;
    expect(payload.created).toBe(0);
    expect([...payload.userErrors, ...payload.rejectedRows].length).toBeGreaterThan(0);
    // the same in a string literal inside the document itself: one token, still refused by the input rules
    const literal = await gql(url, `mutation { orgUnitCreate(input: { code: "LIT", name: "${long}", type: TEAM, parentCode: "RTT-DIR" }) { orgUnit { code } userErrors { field } } }`);
    expect((literal.body.data as { orgUnitCreate: { userErrors: unknown[] } }).orgUnitCreate.userErrors.length).toBe(1);
  });

  test('invalid IDs are BAD_USER_INPUT (or simply not found), never a server error', async () => {
    const forged = Buffer.from('OrgUnit:99999999999999999999').toString('base64url');
    const wrongType = Buffer.from('Nope:1').toString('base64url');
    for (const id of ['not an id', '', "'; DROP TABLE \"OrgUnit\"; --", 'x'.repeat(5000), forged, wrongType, '%00%00']) {
      const response = await gql(url, 'query Q($id: ID!) { node(id: $id) { id } }', { id });
      const code = codeOf(response);
      expect(code === undefined ? response.body.data : code).toEqual(code === undefined ? { node: null } : 'BAD_USER_INPUT');
      expectNoStack(response);
    }
    const revoke = await gql(url, 'mutation { apiKeyRevoke(input: { id: "garbage" }) { apiKey { id } userErrors { code field } } }');
    const refused = codeOf(revoke) === 'BAD_USER_INPUT' || ((revoke.body.data as { apiKeyRevoke?: { userErrors: unknown[] } })?.apiKeyRevoke?.userErrors.length ?? 0) > 0;
    expect(refused).toBe(true);
    const nodes = await gql(url, 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => forged) });
    expect(codeOf(nodes)).toBe('BAD_USER_INPUT');
  });

  test('a NUL character (U+0000) in any string argument or input is BAD_USER_INPUT naming where, never a server error', async () => {
    const probes: Array<[string, Record<string, unknown> | undefined, RegExp]> = [
      ['query Q($code: String!) { orgUnit(code: $code) { code } }', { code: 'RTT\u0000' }, /variable \$code/],
      ['{ orgUnit(code: "RTT\\u0000") { code } }', undefined, /argument code/],
      ['mutation { orgUnitCreate(input: { code: "NUL", name: "a\\u0000b", type: TEAM, parentCode: "RTT-DIR" }) { orgUnit { code } userErrors { code } } }', undefined, /argument input\.name/],
      [
        'mutation M($input: ImportObservationsInput!) { importObservations(input: $input) { created userErrors { code } } }',
        { input: { rows: [{ measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart: '2024-06-01', numerator: 1, source: 'incidents', externalId: 'ok' }, { measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart: '2024-07-01', numerator: 1, source: 'incidents', externalId: 'a\u0000' }] } },
        /variable \$input at input\.rows\.1\.externalId/,
      ],
      ['query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['\u0000'] }, /variable \$ids at ids\.0/],
    ];
    for (const base of [url, production.url]) {
      for (const [query, variables, where] of probes) {
        const response = await gql(base, query, variables);
        expect([query, response.status, codeOf(response)]).toEqual([query, 400, 'BAD_USER_INPUT']);
        expect(response.body.errors![0].message).toMatch(/NUL character/);
        expect(response.body.errors![0].message).toMatch(where);
        expect(response.body.data).toBeUndefined();
        expectNoStack(response);
      }
    }
  });

  test('an ID whose number is past what its type can hold is BAD_USER_INPUT (a user error inside a mutation), never a server error', async () => {
    const id = (text: string) => Buffer.from(text).toString('base64url');
    const pastBigint = ['OrgUnit', 'Observation', 'AuditEvent', 'ApiKey'].map((type) => id(`${type}:9999999999999999999`));
    const pastInt = ['ApiKey', 'MeasureTarget', 'SpcPhase', 'OrgUnit'].map((type) => id(`${type}:3000000000`));
    const pastSafe = id('Observation:9223372036854775807'); // would be read as another number
    for (const bad of [...pastBigint, ...pastInt, pastSafe]) {
      const response = await gql(production.url, 'query Q($id: ID!) { node(id: $id) { id } }', { id: bad });
      expect([Buffer.from(bad, 'base64url').toString(), codeOf(response)]).toEqual([Buffer.from(bad, 'base64url').toString(), 'BAD_USER_INPUT']);
      expectNoStack(response);
      const many = await gql(production.url, 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [bad] });
      expect(codeOf(many)).toBe('BAD_USER_INPUT');
    }
    for (const bad of [id('ApiKey:9999999999999999999'), id('ApiKey:3000000000')]) {
      const revoke = await gql(production.url, 'mutation M($id: ID!) { apiKeyRevoke(input: { id: $id }) { apiKey { id } userErrors { code field } } }', { id: bad });
      expect(revoke.body.errors).toBeUndefined();
      expect(revoke.body.data).toEqual({ apiKeyRevoke: { apiKey: null, userErrors: [{ code: 'INVALID', field: ['id'] }] } });
    }
  });

  test('error messages echo at most 100 characters of what was sent', async () => {
    const huge = 'x'.repeat(4 * 1024 * 1024);
    const notFound = await gql(url, 'query Q($code: String!) { orgUnit(code: $code) { code } }', { code: huge });
    expect(codeOf(notFound)).toBe('NOT_FOUND');
    expect(notFound.body.errors![0].message).toBe(`No org unit has code "${'x'.repeat(100)}…"`);
    expect(notFound.text.length).toBeLessThan(2000);
    const row = { measureCode: 'y'.repeat(10_000), orgUnitCode: 'RTT-W', periodStart: '2024-06-01', numerator: 1, source: 'incidents' };
    const imported = await app.request(ImportObservationsDocument, { input: { rows: [row] } });
    const [problem] = imported.body.data!.importObservations.userErrors;
    expect(problem).toMatchObject({ code: 'UNKNOWN_MEASURE', message: `No measure has code "${'y'.repeat(100)}…"` });
    const partial = await app.request(ImportObservationsDocument, { input: { rows: [row], allOrNothing: false } });
    expect(partial.body.data!.importObservations.rejectedRows[0].message).toBe(`No measure has code "${'y'.repeat(100)}…"`);
    // short input is echoed whole, as before
    const short = await gql(url, 'query Q($code: String!) { orgUnit(code: $code) { code } }', { code: 'NOPE' });
    expect(short.body.errors![0].message).toBe('No org unit has code "NOPE"');
  });

  test("a team key cannot read another team's unsuppressed figures", async () => {
    const other = await app.request(MeasureSeriesDocument, { measureCode: 'SEC-C', orgUnitCode: 'RTT-W' }, keys.TEAM_MANAGER_A);
    const points = other.body.data!.measure!.series.points;
    expect(points.length).toBe(3);
    expect(points.every((p) => p.suppressed && p.value === null && p.numerator === null)).toBe(true);
    const board = await app.request(MeasureSeriesDocument, { measureCode: 'SEC-C', orgUnitCode: 'RTT-W' }, keys.BOARD);
    expect(board.body.data!.measure!.series.points.every((p) => p.suppressed && p.value === null)).toBe(true);
    // the ward's own manager sees the true values: the suppression above is the rule at work, not missing data
    const own = await app.request(MeasureSeriesDocument, { measureCode: 'SEC-C', orgUnitCode: 'RTT-W' }, keys.TEAM_MANAGER_W);
    expect(own.body.data!.measure!.series.points.map((p) => p.value)).toEqual([3, 3, 3]);
  });

  test('a read-only key cannot write; a team key cannot write outside its team; no key, or a bad one, is 401', async () => {
    const row = { measureCode: 'SEC-C', orgUnitCode: 'RTT-W', periodStart: '2024-01-01', numerator: 99, source: 'incidents' };
    const board = await app.request(ImportObservationsDocument, { input: { rows: [row] } }, keys.BOARD);
    expect(board.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const boardUnit = await app.request(OrgUnitCreateDocument, { input: { code: 'B1', name: 'b', type: 'TEAM', parentCode: 'RTT-DIR' } }, keys.BOARD);
    expect(boardUnit.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const outside = await app.request(ImportObservationsDocument, { input: { rows: [row] } }, keys.TEAM_MANAGER_A);
    expect(outside.body.data!.importObservations.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const typename = await gql(url, '{ __typename }', undefined, null); // the one thing answered without a key
    expect([typename.status, typename.body.data]).toEqual([200, { __typename: 'Query' }]);
    const anonymous = await gql(url, CREATE_UNIT, undefined, null);
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = await gql(url, CREATE_UNIT, undefined, 'rcg_abcdefgh_AAAAAAAAAAAAAAAAAAAAAAAA');
    expect([forged.status, codeOf(forged)]).toEqual([401, 'UNAUTHENTICATED']);
    const values = await app.database.db.prisma.observation.findMany({ where: { measure: { code: 'SEC-C' } }, select: { numerator: true } });
    expect(values.map((v) => Number(v.numerator))).toEqual([3, 3, 3]);
  });

  test('injection-shaped values are data, not code', async () => {
    for (const code of ["RTT' OR '1'='1", 'RTT"; DROP TABLE "Observation"; --', '../../etc/passwd', '${7*7}', '{{7*7}}']) {
      const response = await gql(url, 'query Q($code: String!) { orgUnit(code: $code) { code } }', { code });
      expect(codeOf(response)).toBe('NOT_FOUND');
      expectNoStack(response);
    }
  });
});
