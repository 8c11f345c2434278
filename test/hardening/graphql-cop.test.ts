import type { AppServer } from '../../src/app';
import { send, startServerOn, type RawResponse } from './http';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * graphql-cop's checks, ported one for one from its source (github.com/dolevf/graphql-cop,
 * lib/tests/*.py at 2b7e086, Nov 2025), because the tool itself (PyPI) cannot be installed
 * here. Each `flags` function is the Python check's own condition for a finding, on the same
 * request it sends; the test is that none of them flags the API in production, with a key
 * (as graphql-cop is run with `-H Authorization`) or without one. In development the
 * introspection-based checks do flag, by design (the schema is public there).
 */
type Check = { name: string; run: (url: string, headers: Record<string, string>) => Promise<RawResponse>; flags: (r: RawResponse) => boolean };

/** graph_query(): POST JSON `{ query, operationName: "cop" }` (or ten copies of `{ query }` for a batch). */
function graphQuery(url: string, headers: Record<string, string>, query: string, batch = false): Promise<RawResponse> {
  const body = batch ? JSON.stringify(Array.from({ length: 10 }, () => ({ query }))) : JSON.stringify({ query, operationName: 'cop' });
  return send(url, { body, key: null, headers });
}

/** request(): any verb, query-string params or a form-encoded body, as Python requests sends them. */
function request(url: string, headers: Record<string, string>, options: { params?: Record<string, string>; form?: Record<string, string>; verb?: string } = {}): Promise<RawResponse> {
  const target = options.params ? `${url}?${new URLSearchParams(options.params).toString()}` : url;
  const form = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return send(target, { method: options.verb ?? 'GET', body: form, key: null, headers, contentType: form ? 'application/x-www-form-urlencoded' : null });
}

// Python's `try: ... except: pass` around each condition: a missing key is "not flagged".
const data = (r: RawResponse) => (r.body.data ?? null) as Record<string, unknown> | null;
const quietly = (condition: () => unknown): boolean => {
  try {
    return Boolean(condition());
  } catch {
    return false;
  }
};

const CHECKS: Check[] = [
  {
    name: 'alias overloading (101 aliases of __typename)',
    run: (url, h) => graphQuery(url, h, `query cop { ${Array.from({ length: 101 }, (_, i) => `alias${i}:__typename \n`).join('')} }`),
    flags: (r) => quietly(() => data(r)!.alias100),
  },
  { name: 'batch queries (an array of 10)', run: (url, h) => graphQuery(url, h, 'query cop { __typename }', true), flags: (r) => quietly(() => Array.isArray(JSON.parse(r.text)) && (JSON.parse(r.text) as unknown[]).length >= 10) },
  {
    name: 'circular introspection',
    run: (url, h) => graphQuery(url, h, 'query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }'),
    flags: (r) => quietly(() => ((data(r)!.__schema as { types: unknown[] }).types.length ?? 0) > 25),
  },
  { name: 'directive overloading (10 unknown directives)', run: (url, h) => graphQuery(url, h, 'query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }'), flags: (r) => quietly(() => r.body.errors!.length === 10) },
  { name: 'field duplication (500 × __typename)', run: (url, h) => graphQuery(url, h, `query cop { ${'__typename \n'.repeat(500)}} `), flags: (r) => quietly(() => data(r)!.__typename) },
  { name: 'field suggestions', run: (url, h) => graphQuery(url, h, 'query cop { __schema { directive } }'), flags: (r) => quietly(() => r.body.errors![0].message.includes('Did you mean')) },
  { name: 'mutation over GET', run: (url, h) => request(url, h, { params: { query: 'mutation cop {__typename}' } }), flags: (r) => quietly(() => data(r)!.__typename) },
  { name: 'GET method support', run: (url, h) => request(url, h, { params: { query: 'query cop {__typename}' } }), flags: (r) => quietly(() => data(r)!.__typename) },
  {
    name: 'GraphiQL / Playground',
    run: (url, h) => request(url, { ...h, Accept: 'text/html' }),
    flags: (r) => ['graphiql.min.css', 'GraphQL Playground', 'GraphiQL', 'graphql-playground'].some((word) => r.text.includes(word)),
  },
  { name: 'introspection', run: (url, h) => graphQuery(url, h, 'query cop { __schema { types { name fields { name } } } }'), flags: (r) => quietly(() => (data(r)!.__schema as { types: unknown[] }).types) },
  { name: 'POST-based CSRF (form-encoded query)', run: (url, h) => request(url, h, { form: { query: 'query cop { __typename }' }, verb: 'POST' }), flags: (r) => quietly(() => data(r)!.__typename) },
  {
    name: 'trace mode',
    run: (url, h) => graphQuery(url, h, 'query cop { __typename }'),
    flags: (r) => quietly(() => r.body.errors?.[0]?.extensions?.tracing) || r.text.toLowerCase().includes('"tracing"'),
  },
  {
    name: 'unhandled errors (exception details)',
    run: (url, h) => graphQuery(url, h, 'qwerty cop { abc }'),
    flags: (r) => quietly(() => r.body.errors?.[0]?.extensions?.exception) || r.text.toLowerCase().includes('"exception"'),
  },
];

// HTTP-level behaviour, the same whatever the database: PostgreSQL, the quicker to create.
describe('graphql-cop’s checks (ported), on postgresql', () => {
  let app: TestApp;
  let production: AppServer;

  beforeAll(async () => {
    app = await startTestApp('postgresql');
    production = await startServerOn(app.database.db, { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await production.stop();
    await app.close();
  });

  const USER_AGENT = { 'User-Agent': 'graphql-cop/1.14' };

  test('there are graphql-cop’s 13 checks', () => {
    expect(CHECKS).toHaveLength(13);
  });

  test.each([
    ['with a key', { ...USER_AGENT, Authorization: `Bearer ${TEST_ADMIN_KEY}` }],
    ['without a key', USER_AGENT],
  ])('in production none of them flags the API (%s)', async (_label, headers) => {
    const findings: string[] = [];
    for (const check of CHECKS) if (check.flags(await check.run(production.url, headers))) findings.push(check.name);
    expect(findings).toEqual([]);
  });

  test('the checks can fail: in development, with a key, introspection is on and they say so', async () => {
    const headers = { ...USER_AGENT, Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const findings: string[] = [];
    for (const check of CHECKS) if (check.flags(await check.run(app.server.url, headers))) findings.push(check.name);
    expect(findings).toEqual(expect.arrayContaining(['introspection']));
  });
});
