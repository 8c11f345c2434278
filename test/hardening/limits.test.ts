import { readFileSync } from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import * as documents from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/test-app';
import { codeOf, gql, send, startServerOn } from './http';

const LIMIT_CODES = ['QUERY_TOO_DEEP', 'QUERY_TOO_COMPLEX', 'TOO_MANY_ALIASES', 'TOO_MANY_ROOT_FIELDS', 'TOO_MANY_DIRECTIVES', 'TOO_MANY_TOKENS'];

/** The limits are the same whatever the database: this suite runs on PostgreSQL only (the quicker to create). */
describe('operation limits over HTTP on postgresql', () => {
  let app: TestApp;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp('postgresql');
    url = app.server.url;
  });
  afterAll(() => app.close());

  test('the default limits admit every operation the tests and the README use', async () => {
    const operations = Object.entries(documents)
      .filter(([name]) => name.endsWith('Document'))
      .map(([name, document]) => [name, print(document as never)] as const);
    expect(operations.length).toBeGreaterThan(20);
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => [`README example ${i + 1}`, m[1]] as const);
    expect(examples.length).toBeGreaterThan(2);
    for (const [name, query] of [...operations, ...examples]) {
      // Variables are absent, so many fail validation or input checks: what matters is that no limit refuses them.
      const response = await gql(url, query, { first: 100, n: 100 });
      expect([name, LIMIT_CODES.includes(String(codeOf(response)))]).toEqual([name, false]);
    }
    const map = await app.request(documents.PrincipleMapDocument);
    expect(map.body.errors).toBeUndefined();
  });

  test('depth: 16 nested levels are refused with QUERY_TOO_DEEP before anything runs', async () => {
    const deep = `{ orgUnit(code: "X") { ${'parent { '.repeat(14)}code${' }'.repeat(14)} } }`;
    const response = await gql(url, deep);
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 15, actual: 16 });
    expect(response.body.data).toBeUndefined();
    const fifteen = await gql(url, `{ orgUnit(code: "X") { ${'parent { '.repeat(13)}code${' }'.repeat(13)} } }`);
    expect(codeOf(fifteen)).toBe('NOT_FOUND'); // admitted, and answered
  });

  test('aliases: 31 aliases of a real field, or of __typename, are refused with TOO_MANY_ALIASES', async () => {
    const real = `{ principles { ${Array.from({ length: 31 }, (_, i) => `a${i}: measures(first: 1) { totalCount }`).join(' ')} } }`;
    const response = await gql(url, real);
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 31 });
    const typenames = `{ principles { ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(' ')} } }`;
    expect(codeOf(await gql(url, typenames))).toBe('TOO_MANY_ALIASES');
    const thirty = `{ principles { ${Array.from({ length: 30 }, (_, i) => `a${i}: key`).join(' ')} } }`;
    expect((await gql(url, thirty)).status).toBe(200);
  });

  test('root fields: 21 are refused with TOO_MANY_ROOT_FIELDS', async () => {
    const response = await gql(url, `{ ${'principles { key } '.repeat(21)} }`);
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('TOO_MANY_ROOT_FIELDS');
  });

  test('directives: 21 are refused with TOO_MANY_DIRECTIVES', async () => {
    const response = await gql(url, `{ principles { key ${'@include(if: true) '.repeat(21)} } }`);
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('TOO_MANY_DIRECTIVES');
  });

  test('tokens: a document over 10,000 tokens is refused with TOO_MANY_TOKENS', async () => {
    const response = await gql(url, `{ principles { ${'key '.repeat(10_001)} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: 10000 });
  });

  test('a syntax error stays 400 GRAPHQL_PARSE_FAILED, small or large', async () => {
    for (const query of ['{ principles { key }', `{ principles { ${'key '.repeat(5000)} `, '{ principles(first: ) { key } }', 'query {']) {
      const response = await gql(url, query);
      expect([response.status, codeOf(response)]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
    }
  });

  test('cost: three nested pages of 100 (a million objects) are refused with QUERY_TOO_COMPLEX, literal or by variables', async () => {
    const literal = '{ orgUnits(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { code } } } } } } }';
    const response = await gql(url, literal);
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 50000 });
    expect(response.body.errors![0].extensions!.actual).toBeGreaterThan(1_000_000);
    expect(response.body.extensions?.sqlStatements).toBe(0); // refused before execution

    const byVariables = 'query Q($n: Int) { orgUnits(first: $n) { nodes { children(first: $n) { nodes { children(first: $n) { nodes { code } } } } } } }';
    expect(codeOf(await gql(url, byVariables, { n: 100 }))).toBe('QUERY_TOO_COMPLEX');
    const small = await gql(url, byVariables, { n: 10 });
    expect([small.status, small.body.errors]).toEqual([200, undefined]);
    // no `first`: the default page of 20 → 20 × 20 × 20 = 8,000 objects, admitted
    expect((await gql(url, '{ orgUnits { nodes { children { nodes { children { nodes { code } } } } } } }')).status).toBe(200);
  });

  test('page size: more than 100 on any connection is BAD_USER_INPUT, not clamped', async () => {
    const response = await gql(url, '{ orgUnits(first: 101) { nodes { code } } }');
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    const nested = await gql(url, '{ principles { workstreams(first: 5000) { nodes { code } } } }');
    expect(codeOf(nested)).toBe('BAD_USER_INPUT');
  });

  test('batched requests are refused (400) and run nothing', async () => {
    const batch = JSON.stringify([{ query: '{ principles { key } }' }, { query: '{ viewer { role } }' }]);
    const response = await send(url, { body: batch });
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('BAD_REQUEST');
    expect(response.body.errors![0].message).toMatch(/batching/i);
  });

  test('each limit follows its environment variable; 0 switches one off', async () => {
    const tight = await startServerOn(app.database.db, { MAX_QUERY_DEPTH: '3', MAX_QUERY_COST: '10', MAX_ALIASES: '0', MAX_ROOT_FIELDS: '1', MAX_DIRECTIVES: '1', MAX_TOKENS: '20' });
    try {
      const u = tight.url;
      expect(codeOf(await gql(u, '{ orgUnit(code: "X") { parent { parent { code } } } }'))).toBe('QUERY_TOO_DEEP');
      expect(codeOf(await gql(u, '{ orgUnits(first: 11) { nodes { code } } }'))).toBe('QUERY_TOO_COMPLEX');
      expect(codeOf(await gql(u, '{ principles { key } viewer { role } }'))).toBe('TOO_MANY_ROOT_FIELDS');
      expect(codeOf(await gql(u, '{ principles @include(if: true) @skip(if: false) { key } }'))).toBe('TOO_MANY_DIRECTIVES');
      expect(codeOf(await gql(u, `{ principles { ${'key '.repeat(20)} } }`))).toBe('TOO_MANY_TOKENS');
      const aliasesOff = await gql(u, '{ principles { a: key b: key c: key } }');
      expect([aliasesOff.status, aliasesOff.body.errors]).toEqual([200, undefined]);
    } finally {
      await tight.stop();
    }
  });
});
