import { getNamedType, isObjectType, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { buildAppSchema } from '../../src/app/schema';
import { checkStructure, OperationGuard, operationCost } from '../../src/server/limits';

const LIMITS = { maxDepth: 6, maxAliases: 3, maxRootFields: 2, maxDirectives: 2, maxCost: 1000, maxTokens: 200 };

function cost(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(schema, document, operation, variables);
}

describe('structural limits (no schema, before validation)', () => {
  const check = (query: string) => checkStructure(parse(query), LIMITS)?.code ?? null;

  test('depth counts nested fields, through fragments and inline fragments', () => {
    expect(check('{ a { b { c { d { e { f } } } } } }')).toBeNull(); // 6 levels
    expect(check('{ a { b { c { d { e { f { g } } } } } } }')).toBe('QUERY_TOO_DEEP');
    expect(check('fragment F on X { d { e { f { g } } } } { a { b { c { ...F } } } }')).toBe('QUERY_TOO_DEEP');
    expect(check('{ a { ... on B { b { ... on C { c { d { e { f { g } } } } } } } } }')).toBe('QUERY_TOO_DEEP');
  });

  test('aliases count on real fields and on __typename alike, and once per fragment spread', () => {
    expect(check('{ q { a: x b: x c: x } }')).toBeNull();
    expect(check('{ q { a: x b: x c: x d: x } }')).toBe('TOO_MANY_ALIASES');
    expect(check('{ q { t1: __typename t2: __typename t3: __typename t4: __typename } }')).toBe('TOO_MANY_ALIASES');
    expect(check('fragment F on Q { a: x b: x } { y { ...F } z { ...F } }')).toBe('TOO_MANY_ALIASES');
  });

  test('root fields count fields at the root, fragments expanded', () => {
    expect(check('{ a b }')).toBeNull();
    expect(check('{ a b c }')).toBe('TOO_MANY_ROOT_FIELDS');
    expect(check('fragment F on Query { b c } { a ...F }')).toBe('TOO_MANY_ROOT_FIELDS');
    expect(check('{ a { b c d e f } }')).toBeNull(); // nested fields are not root fields
  });

  test('directives count everywhere: operation, variables, fields, fragments', () => {
    expect(check('query Q($v: Boolean!) @a { x @include(if: $v) }')).toBeNull();
    expect(check('{ x @a @b @c }')).toBe('TOO_MANY_DIRECTIVES');
    expect(check('fragment F on Q { x @skip(if: false) } { q { a { ...F } b { ...F } c { ...F } } }')).toBe('TOO_MANY_DIRECTIVES');
  });

  test('a fragment bomb is measured in linear time and refused', () => {
    const levels = 60; // 2^60 expansions if walked naively
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Q { ${i + 1 < levels ? `a: x ...F${i + 1} ...F${i + 1}` : 'x'} }`);
    const started = Date.now();
    const violation = checkStructure(parse(`${fragments.join('\n')} { q { ...F0 } }`), LIMITS);
    expect(Date.now() - started).toBeLessThan(200);
    expect(violation).toMatchObject({ code: 'TOO_MANY_ALIASES', actual: 1_000_000 });
    expect(violation!.message).toContain('more than 1000000');
  });

  test('cycles and unknown fragments do not hang the check (validation refuses them later)', () => {
    expect(check('fragment A on Q { ...B } fragment B on Q { ...A } { ...A }')).toBeNull();
    expect(check('{ ...Missing }')).toBeNull();
  });

  test('the guard reports too many tokens, leaves other syntax errors to Apollo, and caches verdicts', () => {
    const guard = new OperationGuard(LIMITS);
    expect(guard.check(`{ ${'x '.repeat(300)} }`)?.code).toBe('TOO_MANY_TOKENS');
    expect(guard.check('{ principles { key }')).toBeNull();
    const deep = '{ a { b { c { d { e { f { g } } } } } } }';
    const first = guard.check(deep);
    expect(first?.code).toBe('QUERY_TOO_DEEP');
    expect(guard.check(deep)).toBe(first);
  });

  test('a limit of 0 is off', () => {
    expect(checkStructure(parse('{ q { a: x b: x c: x d: x e: x } }'), { ...LIMITS, maxAliases: 0 })).toBeNull();
  });
});

describe('operation cost', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  test('scalars are free; each object costs 1', () => {
    expect(cost(schema, '{ principles { key name } }')).toBe(1);
    expect(cost(schema, '{ orgUnit(code: "X") { code parent { code } } }')).toBe(2);
  });

  test('a connection multiplies its nodes/edges by the page asked; 20 when absent; pageInfo and totalCount do not multiply', () => {
    expect(cost(schema, '{ orgUnits(first: 50) { totalCount nodes { code } } }')).toBe(1 + 50);
    expect(cost(schema, '{ orgUnits { nodes { code } } }')).toBe(1 + 20);
    expect(cost(schema, '{ orgUnits(last: 10) { pageInfo { hasNextPage } edges { cursor node { code } } } }')).toBe(1 + 1 + 10 * 2);
  });

  test('nested connections multiply, and variables count as sent', () => {
    const query = 'query Q($n: Int, $m: Int) { orgUnits(first: $n) { nodes { children(first: $m) { nodes { code } } } } }';
    expect(cost(schema, query, { n: 100, m: 100 })).toBe(1 + 100 * (1 + 1 + 100));
    expect(cost(schema, query, { n: 10, m: 5 })).toBe(1 + 10 * (1 + 1 + 5));
    expect(cost(schema, query, {})).toBe(1 + 20 * (1 + 1 + 20));
  });

  test('a page larger than the cap counts at the cap: the resolver refuses it before any work', () => {
    expect(cost(schema, '{ orgUnits(first: 1000000) { nodes { code } } }')).toBe(1 + 100);
  });

  test('nodes(ids:) multiplies by the ids sent', () => {
    expect(cost(schema, 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id ... on OrgUnit { parent { code } } } }', { ids: ['a', 'b', 'c'] })).toBe(3 * 2);
  });

  test('small multiples (seriesByOrgUnit) multiply by the codes sent; childrenOf, bounded by the data, counts once', () => {
    const query = 'query Q($codes: [String!]) { measure(code: "M") { seriesByOrgUnit(orgUnitCodes: $codes) { orgUnit { code } points { value } } } }';
    // measure 1 + codes × (series 1 + orgUnit 1 + points 1)
    expect(cost(schema, query, { codes: Array.from({ length: 50 }, (_, i) => `U${i}`) })).toBe(1 + 50 * 3);
    expect(cost(schema, '{ measure(code: "M") { seriesByOrgUnit(orgUnitCodes: ["A", "B"]) { points { value } } } }')).toBe(1 + 2 * 2);
    expect(cost(schema, '{ measure(code: "M") { seriesByOrgUnit(childrenOf: "A") { points { value } } } }')).toBe(1 + 2);
  });

  test('fragments and inline fragments are costed where they are spread', () => {
    const query = 'fragment U on OrgUnit { parent { code } } { orgUnits(first: 10) { nodes { ...U ... on OrgUnit { ancestors { code } } } } }';
    expect(cost(schema, query)).toBe(1 + 10 * (1 + 1 + 1));
  });

  test('every connection in the schema takes first/last, so the cost model multiplies it (the API grows: this keeps it so)', () => {
    const offenders: string[] = [];
    let connections = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        connections += 1;
        const args = new Set(field.args.map((a) => a.name));
        if (!args.has('first') || !args.has('last')) offenders.push(`${type.name}.${field.name}`);
      }
    }
    expect(connections).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  test('the standard introspection query is admitted; the fields/type cycle is not', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    expect(cost(schema, getIntrospectionQuery())).toBeLessThan(50_000);
    const cycle = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
    expect(cost(schema, cycle)).toBeGreaterThan(50_000);
  });
});
