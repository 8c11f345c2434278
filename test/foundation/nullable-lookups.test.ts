import { buildSchema, getNamedType, isNonNullType } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { gql } from '../hardening/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * Lookups are nullable, as GitHub's are: an unknown code gives null for that root field and a
 * NOT_FOUND error naming its path, beside the other root fields' data (before, one unknown code
 * nulled the whole response: `data: null`).
 */
const LOOKUPS: Array<[field: string, selection: string]> = [
  ['orgUnit', 'orgUnit(code: "NOPE") { code }'],
  ['measure', 'measure(code: "NOPE") { code }'],
  ['workstream', 'workstream(code: "NOPE") { code }'],
  ['scorecard', 'scorecard(orgUnitCode: "NOPE") { period }'],
  ['drillDown', 'drillDown(measureCode: "P1", orgUnitCode: "NOPE") { period }'],
  ['drillDown', 'drillDown(measureCode: "NOPE", orgUnitCode: "RTT") { period }'],
  ['exceptions', 'exceptions(orgUnitCode: "NOPE") { nodes { reasons } }'],
  ['coverage', 'coverage(orgUnitCode: "NOPE") { depth }'],
  ['feedback', 'feedback(orgUnitCode: "NOPE", first: 5) { totalCount }'],
  ['feedbackOverview', 'feedbackOverview(orgUnitCode: "NOPE") { gaps(first: 10) { nodes { kind } } }'],
  ['youSaidWeDid', 'youSaidWeDid(orgUnitCode: "NOPE", first: 5) { totalCount }'],
];

/** Each error's code and path (RawResponse types errors loosely). */
const located = (errors: unknown) => (errors as Array<{ path?: unknown[]; message: string; extensions?: { code?: unknown } }> | undefined) ?? [];

describe('the schema', () => {
  test('every root field that looks something up by a required code is nullable', () => {
    // The committed SDL (`npm run schema:check` keeps it the one the server builds).
    const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));
    const fields = Object.values(schema.getQueryType()!.getFields());
    const byCode = fields.filter((f) => f.args.some((a) => /^(code|orgUnitCode|measureCode)$/.test(a.name) && isNonNullType(a.type) && getNamedType(a.type).name === 'String'));
    expect(byCode.map((f) => f.name).sort()).toEqual([...new Set(LOOKUPS.map(([name]) => name))].sort());
    expect(byCode.filter((f) => isNonNullType(f.type)).map((f) => f.name)).toEqual([]);
  });
});

describe.each(DATABASE_KINDS)('nullable lookups on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createMeasurementFixture(app);
  });
  afterAll(() => app.close());

  test.each(LOOKUPS)('%s with an unknown code: null and NOT_FOUND beside the other root fields’ data', async (field, selection) => {
    const response = await gql(app.server.url, `{ principles { key } ${selection} }`);
    expect(response.status).toBe(200);
    const data = response.body.data as Record<string, unknown>;
    expect(data).toEqual({ principles: expect.any(Array), [field]: null });
    expect((data.principles as unknown[]).length).toBe(4);
    expect(located(response.body.errors).map((e) => [e.extensions?.code, e.path, e.message.includes('NOPE')])).toEqual([['NOT_FOUND', [field], true]]);
  });

  test('two lookups of one field, one known and one not: the known one answers, the unknown one is null', async () => {
    const response = await gql(app.server.url, '{ known: scorecard(orgUnitCode: "RTT") { orgUnit { code } } unknown: scorecard(orgUnitCode: "NOPE") { orgUnit { code } } }');
    expect(response.body.data).toEqual({ known: { orgUnit: { code: 'RTT' } }, unknown: null });
    expect(located(response.body.errors).map((e) => [e.extensions?.code, e.path])).toEqual([['NOT_FOUND', ['unknown']]]);
  });

  test('a board-only operation with an unknown code is not cached as an answer: asked twice, it is NOT_FOUND twice', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await gql(app.server.url, '{ scorecard(orgUnitCode: "NOPE") { period } exceptions(orgUnitCode: "RTT") { nodes { reasons } } }');
      expect(response.body.data).toEqual({ scorecard: null, exceptions: { nodes: expect.any(Array) } });
      expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    }
  });
});
