import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { AppServer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { ApiKeyCreateDocument } from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { codeOf, gql, send, startServerOn, type RawResponse } from './http';

/**
 * `extensions.cost` on every GraphQL response, and the points budget (RATE_LIMIT_POINTS_PER_MINUTE)
 * that charges each operation its cost. Costs worked by hand from the model in
 * src/server/limits/cost.ts: an object field costs 1, a connection's nodes count its page size.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// principles: one list field of objects, not a connection → 1
const CHEAP = '{ principles { key } }';
// orgUnits (the connection, 1) + nodes × first (10 × 1) → 11
const PAGE_OF_10 = '{ orgUnits(first: 10) { nodes { code } } }';
// 1 + 50 × 1 → 51
const PAGE_OF_50 = '{ orgUnits(first: 50) { nodes { code } } }';
// orgUnits 1 + 10 × (node 1 + children connection 1 + 5 × node 1) = 1 + 10 × 7 → 71
const NESTED = '{ orgUnits(first: 10) { totalCount nodes { code children(first: 5) { nodes { code } } } } }';
// measureCreate payload 1 + measure 1 + userErrors (a plain list: counted once) 1 → 3
const MUTATION = (code: string) => `mutation { measureCreate(input: { code: "${code}", name: "Cost test", scoringType: COUNT, improvementDirection: DECREASE }) { measure { code } userErrors { code } } }`;

const pointsHeaders = (response: RawResponse) => ({
  limit: Number(response.headers.get('ratelimit-points-limit')),
  remaining: Number(response.headers.get('ratelimit-points-remaining')),
});

describe.each(DATABASE_KINDS)('operation cost on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  test('every response carries extensions.cost: the operation’s cost in points, as worked by hand', async () => {
    const costs: Array<[string, number, unknown]> = [];
    for (const [query, expected] of [[CHEAP, 1], [PAGE_OF_10, 11], [PAGE_OF_50, 51], [NESTED, 71], ['{ __typename }', 0], [MUTATION('COST-1'), 3]] as const) {
      const response = await gql(app.server.url, query);
      expect([query, response.status, response.body.errors]).toEqual([query, 200, undefined]);
      costs.push([query, expected, response.body.extensions!.cost]);
    }
    for (const [query, expected, actual] of costs) expect([query, actual]).toEqual([query, expected]);
    // by variables: first: $n costs what $n asks (1 + 30)
    const byVariables = await gql(app.server.url, 'query Q($n: Int) { orgUnits(first: $n) { nodes { code } } }', { n: 30 });
    expect(byVariables.body.extensions!.cost).toBe(31);
  });

  test('refused and failed operations carry it too: the computed cost when it was computed, else 0', async () => {
    const tooComplex = await gql(app.server.url, '{ orgUnits(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { code } } } } } } }');
    expect(codeOf(tooComplex)).toBe('QUERY_TOO_COMPLEX');
    expect(tooComplex.body.extensions!.cost).toBe(tooComplex.body.errors![0].extensions!.actual);
    const invalid = await gql(app.server.url, '{ principles { noSuchField } }');
    expect([invalid.status, codeOf(invalid), invalid.body.extensions!.cost]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED', 0]);
    const syntax = await gql(app.server.url, '{ principles { key }');
    expect([syntax.status, syntax.body.extensions!.cost]).toEqual([400, 0]);
    const tooDeep = await gql(app.server.url, `{ ${'orgUnits { nodes { '.repeat(8)}code${' } }'.repeat(8)} }`);
    expect([codeOf(tooDeep), tooDeep.body.extensions!.cost]).toEqual(['QUERY_TOO_DEEP', 0]);
    const anonymous = await gql(app.server.url, CHEAP, undefined, null);
    expect([anonymous.status, anonymous.body.extensions!.cost]).toEqual([401, 1]);
  });

  describe('the points budget', () => {
    let budgeted: AppServer;
    let unbounded: AppServer;

    beforeAll(async () => {
      // 100 points a minute per credential; MAX_QUERY_COST may not exceed it
      budgeted = await startServerOn(app.database.db, { RATE_LIMIT_POINTS_PER_MINUTE: '100', MAX_QUERY_COST: '100', RATE_LIMIT_PER_MINUTE: '1000' });
      unbounded = await startServerOn(app.database.db, { RATE_LIMIT_POINTS_PER_MINUTE: '100', MAX_QUERY_COST: '0' });
    });
    afterAll(async () => {
      await budgeted?.stop();
      await unbounded?.stop();
    });

    test('a costly query spends more of the budget than a cheap one; one the rest cannot cover is refused, not run and not charged', async () => {
      const board = (await app.request(ApiKeyCreateDocument, { input: { name: 'cost board', role: 'BOARD' } })).body.data!.apiKeyCreate.secret!;
      // Two credentials, two requests each: the request budget sees the same, the points budget does not.
      const cheap = [await gql(budgeted.url, CHEAP, undefined, board), await gql(budgeted.url, CHEAP, undefined, board)];
      expect(cheap.map((r) => [r.status, pointsHeaders(r).remaining])).toEqual([[200, 99], [200, 98]]); // 100 − 1, − 1
      const costly = [await gql(budgeted.url, PAGE_OF_50), await gql(budgeted.url, NESTED)];
      // the operator: 100 − 51 = 49 left; then NESTED costs 71 > 49: refused
      expect([costly[0].status, pointsHeaders(costly[0])]).toEqual([200, { limit: 100, remaining: 49 }]);
      expect(costly[0].body.extensions!.rateLimit).toEqual({ limit: 1000, remaining: 999, resetSeconds: expect.any(Number), points: { limit: 100, cost: 51, remaining: 49, resetSeconds: expect.any(Number) } });
      expect([costly[1].status, codeOf(costly[1])]).toEqual([429, 'RATE_LIMITED']);
      expect(costly[1].body.data ?? null).toBeNull();
      expect(costly[1].body.errors![0].message).toMatch(/costs 71 points .* 49 of its 100 points a minute left/);
      expect(Number(costly[1].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(costly[1].body.extensions!.cost).toBe(71);
      expect(pointsHeaders(costly[1]).remaining).toBe(49); // not charged
      // the request budget counted both requests alike
      expect([costly[1].headers.get('ratelimit-limit'), costly[1].headers.get('ratelimit-remaining')]).toEqual(['1000', '998']);
      // what is left still buys something smaller: 49 − 11 = 38
      const smaller = await gql(budgeted.url, PAGE_OF_10);
      expect([smaller.status, pointsHeaders(smaller).remaining]).toEqual([200, 38]);
    });

    test('a mutation refused for its cost writes nothing', async () => {
      const lead = (await app.request(ApiKeyCreateDocument, { input: { name: 'cost admin', role: 'ADMIN' } })).body.data!.apiKeyCreate.secret!;
      // 3 points each: 33 mutations spend 99 of 100; the 34th (3 > 1 left) is refused
      const before = await app.database.db.prisma.measure.count();
      const statuses: number[] = [];
      for (let i = 0; i < 34; i++) statuses.push((await gql(budgeted.url, MUTATION(`COST-M-${i}`), undefined, lead)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(33);
      expect(statuses[33]).toBe(429);
      expect(await app.database.db.prisma.measure.count()).toBe(before + 33);
      expect(await app.database.db.prisma.measure.findUnique({ where: { code: 'COST-M-33' } })).toBeNull();
    });

    test('an operation that costs more than the whole budget says so, without Retry-After (waiting will not help)', async () => {
      // 1 + 100 × 1 = 101 > 100
      const response = await gql(unbounded.url, '{ orgUnits(first: 100) { nodes { code } } }');
      expect([response.status, codeOf(response)]).toEqual([429, 'RATE_LIMITED']);
      expect(response.body.errors![0].message).toMatch(/costs 101 points, more than this credential's whole budget of 100/);
      expect(response.headers.get('retry-after')).toBeNull();
    });

    test('FHIR and the board pack spend the request budget only (they have no GraphQL cost)', async () => {
      const response = await send(budgeted.url.replace(/\/graphql$/, '/fhir/Measure/NONE'), { method: 'GET', contentType: null });
      expect(response.status).toBe(404);
      expect(response.headers.get('ratelimit-points-limit')).toBeNull();
      expect(response.headers.get('ratelimit-limit')).toBe('1000');
    });
  });
});

describe('points budget settings', () => {
  test('100,000 points a minute by default, off under NODE_ENV=test or with rate limiting switched off, and never below MAX_QUERY_COST', () => {
    expect(loadConfig({}).rateLimitPointsPerMinute).toBe(100_000);
    expect(loadConfig({ NODE_ENV: 'production' }).rateLimitPointsPerMinute).toBe(100_000);
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimitPointsPerMinute).toBe(0);
    // RATE_LIMIT_PER_MINUTE=0 meant "no rate limits" before this budget existed, and still does unless it is set
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPointsPerMinute).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_POINTS_PER_MINUTE: '60000', MAX_QUERY_COST: '60000' }).rateLimitPointsPerMinute).toBe(60_000);
    expect(loadConfig({ RATE_LIMIT_POINTS_PER_MINUTE: '0' }).rateLimitPointsPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_POINTS_PER_MINUTE: '40000' })).toThrow(/below MAX_QUERY_COST \(50000\)/);
    expect(loadConfig({ RATE_LIMIT_POINTS_PER_MINUTE: '40000', MAX_QUERY_COST: '40000' }).rateLimitPointsPerMinute).toBe(40_000);
  });
});

describe('points budget shared through Redis, on postgresql', () => {
  const prefix = `rcg-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let app: TestApp;
  let second: AppServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping(); // fails the suite, loudly, when Redis is not there
    const env = { RATE_LIMIT_POINTS_PER_MINUTE: '100', MAX_QUERY_COST: '100', REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix };
    app = await startTestApp('postgresql', env);
    second = await startServerOn(app.database.db, env);
  });
  afterAll(async () => {
    await second?.stop();
    await app?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test('two instances charge one budget, kept under its own key beside the request budget’s', async () => {
    const first = await gql(app.server.url, PAGE_OF_50); // 100 − 51 = 49
    const other = await gql(second.url, PAGE_OF_50); // 51 > 49: refused on the other instance
    expect([first.status, other.status, pointsHeaders(other).remaining]).toEqual([200, 429, 49]);
    expect(await redis.get(`${prefix}points:operator`)).toBe('51');
    const ttl = await redis.pttl(`${prefix}points:operator`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
