import { DisclosureImportDocument } from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * Compiled execution (src/server/jit-executor.ts, graphql-jit) answers exactly what graphql-js's
 * interpreter answers (GRAPHQL_JIT=false): two servers over two databases filled by the same
 * requests get the same documents, and their answers (data and errors, the request ids aside)
 * must be equal. The documents cover what the API's clients use: connections, nested lists,
 * series with SPC and disclosure control, `nodes` with fragments on an interface, aliases,
 * @include/@skip, __typename, introspection, and the errors: a bad variable, a bad argument, a
 * missing record, a variable of an input type with defaults left out.
 */
const MONTHS = Array.from({ length: 18 }, (_, i) => addMonths('2024-01-01', i));

const DOCUMENTS: Array<{ name: string; query: string; variables?: Record<string, unknown>; key?: 'BOARD' }> = [
  { name: 'a page of measures with their principles', query: '{ measures(first: 40) { totalCount pageInfo { hasNextPage endCursor } nodes { id code name scoringType principles { key name } } } }' },
  { name: 'a page of org units with their parents', query: 'query ($n: Int) { orgUnits(first: $n) { edges { cursor node { id code name type depth parent { code } } } } }', variables: { n: 5 } },
  {
    name: 'a series with SPC',
    query:
      'query ($m: String!, $o: String!) { measure(code: $m) { code series(orgUnitCode: $o) { from to variationIcon assuranceIcon target disclosureControlled points { periodStart numerator denominator value mean upperProcessLimit lowerProcessLimit pointType contributors suppressed } latest { periodStart value } yearToDate { label value } } } }',
    variables: { m: 'P1', o: 'RTT-DIR' },
  },
  {
    name: 'small multiples under disclosure control',
    query: 'query ($codes: [String!]!) { measure(code: "P1") { seriesByOrgUnit(orgUnitCodes: $codes, last: 6) { orgUnit { code } disclosureControlled points { periodStart numerator denominator value suppressed } } } }',
    variables: { codes: ['RTT-A', 'RTT-B', 'RTT-W', 'RTT-DIR'] },
    key: 'BOARD',
  },
  {
    name: 'nodes with fragments, aliases, @include and @skip',
    query:
      'query ($full: Boolean!) { first: orgUnits(first: 2) { nodes { id } } again: measures(first: 1) { nodes { __typename id ... on Measure { code name @include(if: $full) scoringType @skip(if: $full) } } } }',
    variables: { full: true },
  },
  { name: '__typename and introspection', query: '{ __typename __schema { queryType { name } } __type(name: "OrgUnit") { kind fields(includeDeprecated: false) { name } } }' },
  { name: 'a bad variable', query: 'query ($n: Int) { orgUnits(first: $n) { nodes { id } } }', variables: { n: 'many' } },
  { name: 'a page too large', query: '{ orgUnits(first: 101) { nodes { id } } }' },
  { name: 'a unit that does not exist, beside one that does', query: '{ measure(code: "P1") { ok: series(orgUnitCode: "RTT-A") { to } missing: series(orgUnitCode: "NOPE") { to } } }' },
  {
    name: 'an input with defaults left out (a dry run of one row)',
    query: 'mutation ($input: ImportObservationsInput!) { importObservations(input: $input) { created accepted dryRun userErrors { code field } } }',
    variables: { input: { dryRun: true, rows: [{ measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart: '2025-07-01', numerator: 1, denominator: 2, source: 'pas' }] } },
  },
];

async function fill(app: TestApp) {
  const keys = await createMeasurementFixture(app);
  const rows = MONTHS.flatMap((periodStart, i) =>
    ['RTT-A', 'RTT-B', 'RTT-C', 'RTT-W'].map((orgUnitCode, u) => ({ measureCode: 'P1', orgUnitCode, periodStart, numerator: 3 + ((i + u) % 7), denominator: 12 + u, source: 'pas' })),
  );
  const imported = await app.request(DisclosureImportDocument, { input: { rows } });
  expect(imported.body.data!.importObservations).toMatchObject({ created: rows.length, userErrors: [] });
  return keys;
}

/** The answer without what differs from request to request (the request id, the rate limit's budget). */
function comparable(json: unknown) {
  const { data, errors } = json as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
  return { data, errors: errors?.map(({ extensions, ...rest }) => ({ ...rest, extensions: { ...extensions, requestId: undefined } })) };
}

describe.each(DATABASE_KINDS)('compiled execution on %s', (kind) => {
  let compiled: TestApp;
  let interpreted: TestApp;
  let keys: { compiled: Record<string, string>; interpreted: Record<string, string> };

  beforeAll(async () => {
    compiled = await startTestApp(kind);
    interpreted = await startTestApp(kind, { GRAPHQL_JIT: 'false' });
    keys = { compiled: await fill(compiled), interpreted: await fill(interpreted) };
  });
  afterAll(async () => {
    await compiled.close();
    await interpreted.close();
  });

  test.each(DOCUMENTS)('$name: the same answer as graphql-js', async ({ query, variables, key }) => {
    const send = (app: TestApp, own: Record<string, string>) => app.requestRaw(JSON.stringify({ query, variables }), { key: key ? own[key] : TEST_ADMIN_KEY });
    // Three times on the compiled side: a document is compiled on its second request, and the third runs the kept plan.
    const runs = [await send(compiled, keys.compiled), await send(compiled, keys.compiled), await send(compiled, keys.compiled)];
    const reference = await send(interpreted, keys.interpreted);
    for (const run of runs) {
      expect(run.status).toBe(reference.status);
      expect(comparable(run.json)).toEqual(comparable(reference.json));
    }
  });

  test('a document runs interpreted on its first request and compiled from its second; one with an input-object variable always interpreted', async () => {
    const counts = async () => {
      const text = await (await fetch(compiled.server.url.replace(/\/graphql$/, '/metrics'))).text();
      const of = (executor: string) => Number(new RegExp(`^rcg_graphql_executions_total\\{executor="${executor}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return { compiled: of('compiled'), interpreted: of('interpreted') };
    };
    const before = await counts();
    // `viewer` is outside the versioned read cache, so every request of the document is executed
    const fresh = JSON.stringify({ query: '{ fresh: orgUnits(first: 3) { nodes { code } } viewer { role } }' });
    for (let i = 0; i < 3; i += 1) expect((await compiled.requestRaw(fresh)).status).toBe(200);
    const afterQuery = await counts();
    expect([afterQuery.interpreted - before.interpreted, afterQuery.compiled - before.compiled]).toEqual([1, 2]);
    const dryRun = DOCUMENTS.find((d) => d.name.startsWith('an input with defaults'))!;
    for (let i = 0; i < 3; i += 1) await compiled.requestRaw(JSON.stringify({ query: dryRun.query, variables: dryRun.variables }));
    const afterMutation = await counts();
    expect([afterMutation.interpreted - afterQuery.interpreted, afterMutation.compiled - afterQuery.compiled]).toEqual([3, 0]);
  });

  test('the errors are the ones graphql-js gives: a bad variable is BAD_USER_INPUT with its message, a missing unit NOT_FOUND at its path, nulling its nullable parent', async () => {
    // (Each document was sent three times above: these answers are the compiled plans'.)
    const bad = (await compiled.requestRaw(JSON.stringify({ query: 'query ($n: Int) { orgUnits(first: $n) { nodes { id } } }', variables: { n: 'many' } }))).json as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].message).toMatch(/^Variable "\$n" got invalid value "many"/);
    const missing = (await compiled.requestRaw(JSON.stringify({ query: '{ measure(code: "P1") { ok: series(orgUnitCode: "RTT-A") { to } missing: series(orgUnitCode: "NOPE") { to } } }' }))).json as {
      data: { measure: null };
      errors: Array<{ path: string[]; extensions: { code: string } }>;
    };
    // series is non-null: the error takes the nearest nullable field, measure, with it.
    expect(missing.data.measure).toBeNull();
    expect(missing.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['measure', 'missing'], 'NOT_FOUND']]);
  });
});
