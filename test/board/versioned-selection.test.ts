import { getNamedType, isObjectType, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { buildApplication } from '../../src/app';
import type { Application } from '../../src/server/feature';
import { selectsOnlyVersioned } from '../../src/board/versioned-selection';

/**
 * Which operations the versioned read cache may answer (src/board/versioned-read-cache.ts): only
 * those every field of which its feature declares versioned. Checked against the real schema and
 * the features' real declarations.
 */
let application: Application;
beforeAll(async () => {
  application = await buildApplication();
});

const verdict = (source: string, operationName?: string) => {
  const document = parse(source);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName)! : operations[0];
  return selectsOnlyVersioned(application.schema, document, operation, application.versionedReads);
};

describe('selectsOnlyVersioned', () => {
  test('every declared name is an object type of the schema, and every declared root is a query field', () => {
    const missing = [...application.versionedReads.types].filter((name) => !isObjectType(application.schema.getType(name)));
    expect(missing).toEqual([]);
    const queryFields = application.schema.getQueryType()!.getFields();
    expect([...application.versionedReads.queryFields].filter((name) => !queryFields[name])).toEqual([]);
  });

  test('no declared type reaches a table outside the version through a field of a declared type: audit history, keys, clients, observations are never declared', () => {
    for (const name of ['AuditEvent', 'AuditEventConnection', 'ApiKey', 'IntegrationClient', 'Observation', 'ObservationRevision', 'Viewer', 'Query', 'Mutation']) {
      expect({ name, declared: application.versionedReads.types.has(name) }).toEqual({ name, declared: false });
    }
  });

  test('ordinary reads of declared fields are answered: a series, a page of measures, org units, the map', () => {
    expect(verdict('query B($m: String!) { measure(code: $m) { series(orgUnitCode: "RZZ") { from to variationIcon points { periodStart value mean pointType } } } }')).toBe(true);
    expect(verdict('{ measures(first: 40) { nodes { id code name scoringType principles { key name } } pageInfo { hasNextPage endCursor } } }')).toBe(true);
    expect(verdict('{ orgUnits(first: 100) { nodes { code parent { code } } totalCount } }')).toBe(true);
    expect(verdict('{ principles { key workstreams(first: 5) { nodes { code teams(first: 5) { nodes { code } } leads { nodes { role person { name } } } } } } }')).toBe(true);
    expect(verdict('{ __typename measures(first: 1) { __typename nodes { __typename code } } }')).toBe(true);
  });

  test('fragments count like the fields they hold, on declared types only', () => {
    expect(verdict('query Q { measures(first: 2) { nodes { ...M } } } fragment M on Measure { code name }')).toBe(true);
    expect(verdict('{ measures(first: 2) { nodes { ... on Measure { code } ... { name } } } }')).toBe(true);
    expect(verdict('query Q { ...R } fragment R on Query { measures(first: 1) { nodes { code } } }')).toBe(true);
    expect(verdict('query Q { measures(first: 2) { nodes { ...M } } } fragment M on Measure { code history(first: 1) { nodes { action } } }')).toBe(false);
    expect(verdict('query Q { ...R } fragment R on Query { viewer { role } }')).toBe(false);
  });

  test('anything outside is executed: audit history, the viewer, keys, clients, node(s), introspection, mutations', () => {
    expect(verdict('{ measure(code: "X") { code history(first: 1) { nodes { action } } } }')).toBe(false);
    expect(verdict('{ measures(first: 1) { nodes { code } } viewer { role } }')).toBe(false);
    expect(verdict('{ integrationClients(first: 1) { nodes { name } } }')).toBe(false);
    expect(verdict('{ auditEvents(first: 1) { nodes { action } } }')).toBe(false);
    expect(verdict('{ nodes(ids: ["x"]) { id } }')).toBe(false);
    expect(verdict('{ node(id: "x") { ... on Measure { code } } }')).toBe(false);
    expect(verdict('{ __schema { queryType { name } } }')).toBe(false);
    expect(verdict('{ measures(first: 1) { nodes { code } } __type(name: "Measure") { name } }')).toBe(false);
    expect(verdict('mutation { apiKeyRevoke(id: "x") { userErrors { message } } }')).toBe(false);
    // each named operation of a document on its own merits
    const both = 'query A { measures(first: 1) { nodes { code } } } query B { viewer { role } }';
    expect([verdict(both, 'A'), verdict(both, 'B')]).toEqual([true, false]);
  });

  test('a field a declared type lends to an undeclared one is not enough: the type it returns must be declared too', () => {
    const measure = application.schema.getType('Measure');
    if (!isObjectType(measure)) throw new Error('Measure is an object type');
    const undeclaredReturns = Object.values(measure.getFields())
      .map((field) => getNamedType(field.type))
      .filter((type) => isObjectType(type) && !application.versionedReads.types.has(type.name))
      .map((type) => type.name);
    expect(undeclaredReturns).toContain('AuditEventConnection');
    expect(verdict('{ measure(code: "X") { commentaryHistory: history(first: 1) { totalCount } } }')).toBe(false);
  });
});
