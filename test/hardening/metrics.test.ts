import pino from 'pino';
import { PrinciplesDocument } from '../generated/graphql';
import { loadConfig } from '../../src/config';
import { startServer, type AppServer } from '../../src/app';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database';
import { codeOf, gql, send, startServerOn } from './http';

function metricsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql$/, '/metrics');
}

/** The value of one sample line, e.g. `rcg_graphql_requests_total{operation="Principles",...}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

describe.each(DATABASE_KINDS)('metrics and logs on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  test('/metrics speaks Prometheus text: requests and latency by operation and outcome, pool use, process', async () => {
    await app.request(PrinciplesDocument);
    await app.request(PrinciplesDocument);
    await gql(app.server.url, `{ orgUnit(code: "X") { ${'parent { '.repeat(20)}code${' }'.repeat(20)} } }`);
    await gql(app.server.url, 'query Missing { orgUnit(code: "NOPE") { code } }');

    const response = await send(metricsUrl(app.server.url), { method: 'GET', key: null, contentType: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toContain('# TYPE rcg_graphql_requests_total counter');
    expect(sample(text, 'rcg_graphql_requests_total', { operation: 'Principles', type: 'query', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'rcg_graphql_requests_total', { operation: 'anonymous', outcome: 'QUERY_TOO_DEEP' })).toBe(1);
    expect(sample(text, 'rcg_graphql_requests_total', { operation: 'Missing', outcome: 'NOT_FOUND' })).toBe(1);
    expect(text).toContain('# TYPE rcg_graphql_request_duration_seconds histogram');
    expect(sample(text, 'rcg_graphql_request_duration_seconds_count', { operation: 'Principles', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'rcg_graphql_request_duration_seconds_bucket', { operation: 'Principles', outcome: 'ok', le: '+Inf' })).toBe(2);
    expect(sample(text, 'rcg_graphql_sql_statements_count', { operation: 'Principles' })).toBe(2);
    expect(sample(text, 'rcg_http_requests_total', { route: 'graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'rcg_http_requests_total', { route: 'graphql', method: 'POST', status: '400' })).toBe(1);
    const total = sample(text, 'rcg_db_pool_connections', { state: 'total' });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'rcg_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total!);
    expect(sample(text, 'rcg_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'rcg_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'rcg_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  test('client-chosen operation names cannot blow up the label set', async () => {
    for (let i = 0; i < 230; i++) await gql(app.server.url, `query Op${i}_${'x'.repeat(100)} { __typename }`);
    const text = (await send(metricsUrl(app.server.url), { method: 'GET', key: null, contentType: null })).text;
    const operations = new Set([...text.matchAll(/rcg_graphql_requests_total\{operation="([^"]*)"/g)].map((m) => m[1]));
    expect(operations.size).toBeLessThanOrEqual(202); // 200 names, plus "anonymous" and "other"
    expect(operations.has('other')).toBe(true);
    expect([...operations].every((name) => name.length <= 64)).toBe(true);
  });
});

describe('metrics access and switches, on postgresql', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
  });
  afterAll(() => database.drop());

  test('METRICS_TOKEN guards /metrics; METRICS_ENABLED=false removes it', async () => {
    const guarded = await startServerOn(database.db, { METRICS_TOKEN: 'scrape-secret-123' });
    try {
      const url = metricsUrl(guarded.url);
      expect((await send(url, { method: 'GET', key: null, contentType: null })).status).toBe(401);
      expect((await send(url, { method: 'GET', key: 'wrong', contentType: null })).status).toBe(401);
      expect((await send(url, { method: 'GET', key: 'scrape-secret-123', contentType: null })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
    const off = await startServerOn(database.db, { METRICS_ENABLED: 'false' });
    try {
      expect((await send(metricsUrl(off.url), { method: 'GET', key: null, contentType: null })).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  test('in production /metrics is closed unless METRICS_TOKEN is set, and then needs the token', async () => {
    const closed = await startServerOn(database.db, { NODE_ENV: 'production' });
    try {
      const response = await send(metricsUrl(closed.url), { method: 'GET', key: null, contentType: null });
      expect([response.status, codeOf(response)]).toEqual([404, 'NOT_FOUND']);
      expect(response.text).not.toMatch(/rcg_/);
      expect(response.body.errors![0].message).toMatch(/\(also \/fhir, \/board-pack, \/charts, \/you-said-we-did, \/healthz, \/readyz\)$/); // not even named among the served paths
    } finally {
      await closed.stop();
    }
    const guarded = await startServerOn(database.db, { NODE_ENV: 'production', METRICS_TOKEN: 'scrape-secret-456' });
    try {
      const url = metricsUrl(guarded.url);
      expect((await send(url, { method: 'GET', key: null, contentType: null })).status).toBe(401);
      const scraped = await send(url, { method: 'GET', key: 'scrape-secret-456', contentType: null });
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('rcg_graphql_requests_total');
    } finally {
      await guarded.stop();
    }
    // an operator who guards it elsewhere (at the load balancer) may still open it explicitly
    const opened = await startServerOn(database.db, { NODE_ENV: 'production', METRICS_ENABLED: 'true' });
    try {
      expect((await send(metricsUrl(opened.url), { method: 'GET', key: null, contentType: null })).status).toBe(200);
    } finally {
      await opened.stop();
    }
  });

  test('outside production /metrics stays open by default', () => {
    expect(loadConfig({}).metricsEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).metricsEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).metricsEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 't' }).metricsEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 't', METRICS_ENABLED: 'false' }).metricsEnabled).toBe(false);
  });
});

describe('structured request logs, on postgresql', () => {
  let database: TestDatabase;
  let server: AppServer;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startServer(loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: TEST_ADMIN_KEY }), database.db, logger);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const logFor = (requestId: string) => lines.find((l) => l.msg === 'graphql request' && l.requestId === requestId);

  test('one JSON line per request: request id, actor, operation, duration, SQL statements, status, outcome', async () => {
    const ok = await send(server.url, { body: JSON.stringify({ query: 'query Principles { principles { key } }' }), headers: { 'x-request-id': 'client-chosen-id-0001' } });
    expect(ok.headers.get('x-request-id')).toBe('client-chosen-id-0001');
    expect(ok.body.extensions!.requestId).toBe('client-chosen-id-0001');
    expect(logFor('client-chosen-id-0001')).toMatchObject({
      level: 30,
      actor: 'operator (ADMIN_API_KEY)',
      operationName: 'Principles',
      operationType: 'query',
      // the principles, and for a first read the map's response cache reading the board data version
      sqlStatements: (ok.body.extensions as { sqlStatements: number }).sqlStatements,
      status: 200,
      outcome: 'ok',
      errorCodes: [],
      durationMs: expect.any(Number),
      cost: 1,
    });
    expect([1, 2]).toContain((ok.body.extensions as { sqlStatements: number }).sqlStatements);
  });

  test('imports add their rows to the log line and to rcg_observation_rows_total (dry runs do not)', async () => {
    const setup = await gql(
      server.url,
      `mutation { t: orgUnitCreate(input: { code: "RMT", name: "Metrics trust", type: TRUST }) { userErrors { code message } }
                  m: measureCreate(input: { code: "MTR-C", name: "Feeds", scoringType: COUNT, improvementDirection: INCREASE }) { userErrors { code } } }`,
    );
    expect(setup.body).toMatchObject({ data: { t: { userErrors: [] }, m: { userErrors: [] } } });
    const importRows = (rows: unknown[], extra = '') =>
      gql(server.url, `mutation Feed($rows: [ObservationRowInput!]!) { importObservations(input: { rows: $rows${extra} }) { created unchanged rejected userErrors { code } rejectedRows { code message } } }`, { rows });
    const good = ['2025-01-01', '2025-02-01'].map((periodStart) => ({ measureCode: 'MTR-C', orgUnitCode: 'RMT', periodStart, numerator: 3, source: 'feed' }));
    const bad = { measureCode: 'MTR-C', orgUnitCode: 'NOPE', periodStart: '2025-03-01', numerator: -1, source: 'feed' };

    const first = await importRows([...good, bad], ', allOrNothing: false');
    expect(first.body.data).toMatchObject({ importObservations: { created: 2, unchanged: 0, rejected: 1, userErrors: [] } });
    expect((first.body.data as { importObservations: { rejectedRows: Array<{ code: string }> } }).importObservations.rejectedRows.map((e) => e.code)).toEqual(['UNKNOWN_ORG_UNIT', 'NEGATIVE']);
    expect(logFor(first.headers.get('x-request-id')!)).toMatchObject({ operationName: 'Feed', observationRows: { sender: 'ADMIN', created: 2, updated: 0, unchanged: 0, rejected: 1 } });
    await importRows(good);
    await importRows(good, ', dryRun: true');

    const text = (await send(metricsUrl(server.url), { method: 'GET', key: null, contentType: null })).text;
    expect(sample(text, 'rcg_observation_rows_total', { sender: 'ADMIN', outcome: 'created' })).toBe(2);
    expect(sample(text, 'rcg_observation_rows_total', { sender: 'ADMIN', outcome: 'unchanged' })).toBe(2);
    expect(sample(text, 'rcg_observation_rows_total', { sender: 'ADMIN', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'rcg_observation_rows_total', { sender: 'ADMIN', outcome: 'updated' })).toBeNull();
  });

  test('refused requests are logged too, with their code: limits, missing credentials, bad JSON', async () => {
    const deep = await gql(server.url, `{ orgUnit(code: "X") { ${'parent { '.repeat(20)}code${' }'.repeat(20)} } }`);
    expect(logFor(deep.headers.get('x-request-id')!)).toMatchObject({ status: 400, outcome: 'QUERY_TOO_DEEP', actor: 'operator (ADMIN_API_KEY)' });
    const anonymous = await gql(server.url, '{ principles { key } }', undefined, null);
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(logFor(anonymous.headers.get('x-request-id')!)).toMatchObject({ status: 401, outcome: 'UNAUTHENTICATED', actor: null });
    const malformed = await send(server.url, { body: '{"query": ' });
    expect(logFor(malformed.headers.get('x-request-id')!)).toMatchObject({ status: 400, outcome: 'BAD_REQUEST' });
    // a hostile X-Request-Id is replaced, not echoed into the logs
    const hostile = await send(server.url, { body: JSON.stringify({ query: '{ __typename }' }), headers: { 'x-request-id': '<script>alert(1)</script>' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  // The line is built from named fields, never from the request: no header or body can reach it
  // (README "Operations" on why this is not pino-http, whose default serializers log every header).
  test('no credential, header or body reaches the log: not the key, not the variables, not a failed request', async () => {
    const marker = 'body-marker-7f3a';
    const before = lines.length;
    const ok = await send(server.url, { body: JSON.stringify({ query: 'query Look($c: String!) { orgUnit(code: $c) { code } }', variables: { c: marker } }), headers: { cookie: `session=${marker}` } });
    const refused = await send(server.url, { body: JSON.stringify({ query: '{ principles { key } }' }), key: `not-a-key-${marker}` });
    const written = lines.slice(before);
    expect(written.filter((l) => l.requestId === ok.headers.get('x-request-id') || l.requestId === refused.headers.get('x-request-id')).length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(written);
    expect(text).not.toContain(TEST_ADMIN_KEY);
    expect(text).not.toContain(marker);
    expect(text.toLowerCase()).not.toContain('authorization');
  });
});
