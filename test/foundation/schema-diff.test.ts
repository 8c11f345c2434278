import { schemaDiff } from '../../scripts/schema-diff';

describe('schema-diff (the CHANGELOG’s breaking-change report)', () => {
  test('a lookup made nullable is BREAKING; an optional argument added is DANGEROUS; nothing changed is nothing', () => {
    const before = 'type Query { scorecard(orgUnitCode: String!): Scorecard! }\ntype Scorecard { period: String! }';
    const after = 'type Query { scorecard(orgUnitCode: String!, granularity: String = "MONTH"): Scorecard }\ntype Scorecard { period: String! }';
    expect(schemaDiff(before, after)).toEqual([
      'BREAKING FIELD_CHANGED_KIND: Query.scorecard changed type from Scorecard! to Scorecard.',
      'DANGEROUS OPTIONAL_ARG_ADDED: An optional arg granularity on Query.scorecard was added.',
    ]);
    expect(schemaDiff(before, before)).toEqual([]);
  });
});
