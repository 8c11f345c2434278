import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config';
import { ApiKeyCreateDocument } from '../generated/graphql';
import type { AppServer } from '../../src/app';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { codeOf, gql, send, startServerOn, type RawResponse } from './http';

/** Redis runs on 127.0.0.1:6379 on the project's machines and in CI (.ci/run starts it if it is down). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUERY = '{ principles { key } }';

function budget(response: RawResponse) {
  return {
    limit: Number(response.headers.get('ratelimit-limit')),
    remaining: Number(response.headers.get('ratelimit-remaining')),
    reset: Number(response.headers.get('ratelimit-reset')),
  };
}

async function createKey(app: TestApp, role: 'BOARD' | 'FACULTY_LEAD'): Promise<string> {
  // A faculty lead's key names its trust: one made straight in the database, so as not to spend the operator's budget.
  let trustCodes: string[] | null = null;
  if (role === 'FACULTY_LEAD') {
    const trust = await app.database.db.prisma.orgUnit.create({ data: { code: 'RRL', name: 'Rate trust', type: 'TRUST', path: '/', depth: 0 } });
    await app.database.db.prisma.orgUnit.update({ where: { id: trust.id }, data: { path: `/${trust.id}/` } });
    trustCodes = ['RRL'];
  }
  const { body } = await app.request(ApiKeyCreateDocument, { input: { name: `rate ${role}`, role, trustCodes } });
  return body.data!.apiKeyCreate.secret!;
}

// Rate limits do not depend on the database: PostgreSQL, the quicker to create.
describe('rate limits, in-process store, on postgresql', () => {
  let app: TestApp;
  let boardKey: string;

  beforeAll(async () => {
    app = await startTestApp('postgresql', { RATE_LIMIT_PER_MINUTE: '4' });
    boardKey = await createKey(app, 'BOARD'); // spends one of the operator's four
  });
  afterAll(() => app.close());

  test('each response reports the budget in RateLimit-* headers and extensions.rateLimit; past it, 429 RATE_LIMITED', async () => {
    const first = await gql(app.server.url, QUERY, undefined, boardKey);
    expect(first.status).toBe(200);
    expect(budget(first)).toEqual({ limit: 4, remaining: 3, reset: expect.any(Number) });
    expect(budget(first).reset).toBeGreaterThan(0);
    expect(budget(first).reset).toBeLessThanOrEqual(60);
    expect(first.body.extensions!.rateLimit).toEqual({ limit: 4, remaining: 3, resetSeconds: budget(first).reset });
    for (const remaining of [2, 1, 0]) {
      expect(budget(await gql(app.server.url, QUERY, undefined, boardKey)).remaining).toBe(remaining);
    }
    const refused = await gql(app.server.url, QUERY, undefined, boardKey);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors![0].message).toMatch(/4 requests a minute/);
    expect(refused.body.errors![0].extensions!.rateLimit).toMatchObject({ limit: 4, remaining: 0 });
    expect(refused.body.extensions!.rateLimit).toMatchObject({ limit: 4, remaining: 0 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.data).toBeUndefined();
  });

  test('the budget is per credential: the operator key still has its own', async () => {
    const operator = await gql(app.server.url, QUERY, undefined, TEST_ADMIN_KEY);
    expect(operator.status).toBe(200);
    expect(budget(operator)).toMatchObject({ limit: 4, remaining: 2 }); // one went on creating the BOARD key
  });

  test('an over-budget mutation runs nothing', async () => {
    const lead = await createKey(app, 'FACULTY_LEAD');
    const before = await app.database.db.prisma.measure.count();
    const create = (i: number) =>
      gql(app.server.url, `mutation { measureCreate(input: { code: "RL-${i}", name: "m", scoringType: COUNT, improvementDirection: INCREASE }) { userErrors { code } } }`, undefined, lead);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await create(i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await app.database.db.prisma.measure.count()).toBe(before + 4);
  });

  test('/fhir draws on the same budget per credential and refuses with a 429 OperationOutcome', async () => {
    const key = await createKey(app, 'BOARD'); // the operator's last request this window
    const fhir = (path: string) => send(app.server.url.replace(/\/graphql$/, `/fhir${path}`), { method: 'GET', key, contentType: null });
    const seen: Array<[number, number]> = [];
    const graphql = await gql(app.server.url, QUERY, undefined, key);
    seen.push([graphql.status, budget(graphql).remaining]);
    for (const path of ['/Measure/NO-SUCH', '/MeasureReport?measure=X&subject=Y&period=2025-01', '/Measure/NO-SUCH']) {
      const response = await fhir(path);
      seen.push([response.status, budget(response).remaining]);
    }
    // (a search that matches nothing is an empty searchset, 200)
    expect(seen).toEqual([[200, 3], [404, 2], [200, 1], [404, 0]]);
    const refused = await fhir('/Measure/NO-SUCH');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled' }] });
    // ...and the same credential is now refused on /graphql too: one budget
    expect((await gql(app.server.url, QUERY, undefined, key)).status).toBe(429);
  });

  test('without a credential, the budget is the client address; bad keys spend it too (no free brute force)', async () => {
    const anonymous = await gql(app.server.url, '{ __typename }', undefined, null);
    expect(budget(anonymous)).toMatchObject({ limit: 4, remaining: 3 });
    const bad = await gql(app.server.url, QUERY, undefined, 'rcg_abcdefgh_AAAAAAAAAAAAAAAAAAAAAAAA');
    expect([bad.status, codeOf(bad), budget(bad).remaining]).toEqual([401, 'UNAUTHENTICATED', 2]);
    await gql(app.server.url, '{ __typename }', undefined, null);
    await gql(app.server.url, '{ __typename }', undefined, null);
    const guessing = await gql(app.server.url, QUERY, undefined, 'rcg_abcdefgh_BBBBBBBBBBBBBBBBBBBBBBBB');
    expect([guessing.status, codeOf(guessing)]).toEqual([429, 'RATE_LIMITED']);
  });

  test('off by default under NODE_ENV=test; 1,200 a minute by default otherwise', async () => {
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ NODE_ENV: 'production' }).rateLimitPerMinute).toBe(1200);
    expect(loadConfig({}).rateLimitPerMinute).toBe(1200);
    const plain = await startServerOn(app.database.db);
    try {
      const response = await gql(plain.url, QUERY);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
      expect(response.body.extensions!.rateLimit).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });
});

describe('rate limits shared through Redis, on postgresql', () => {
  const prefix = `rcg-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let app: TestApp;
  let second: AppServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping(); // fails the suite, loudly, when Redis is not there
    const env = { RATE_LIMIT_PER_MINUTE: '5', REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix };
    app = await startTestApp('postgresql', env);
    // A second instance of the API over the same database, as behind a load balancer.
    second = await startServerOn(app.database.db, env);
  });
  afterAll(async () => {
    await second?.stop();
    await app?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test('two instances draw on one budget per credential', async () => {
    const urls = [app.server.url, second.url];
    const seen: Array<[number, number]> = [];
    for (let i = 0; i < 6; i++) {
      const response = await gql(urls[i % 2], QUERY);
      seen.push([response.status, budget(response).remaining]);
    }
    expect(seen).toEqual([[200, 4], [200, 3], [200, 2], [200, 1], [200, 0], [429, 0]]);
    const refused = await gql(app.server.url, QUERY);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const ttl = await redis.pttl(`${prefix}operator`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test('when Redis is unreachable the API keeps serving (fail open) and counts the store errors', async () => {
    const unreachable = await startServerOn(app.database.db, { RATE_LIMIT_PER_MINUTE: '1', REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_REDIS_PREFIX: prefix });
    try {
      for (let i = 0; i < 3; i++) expect((await gql(unreachable.url, QUERY)).status).toBe(200);
      const metrics = await send(unreachable.url.replace('/graphql', '/metrics'), { method: 'GET', key: null, contentType: null });
      expect(metrics.text).toMatch(/^rcg_rate_limit_store_errors_total 3$/m);
    } finally {
      await unreachable.stop();
    }
  });
});
