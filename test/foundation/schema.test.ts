import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printAppSchema } from '../../src/app/schema';

describe('committed schema', () => {
  test('schema/schema.graphql is what the code emits (run `npm run schema:emit`)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(await printAppSchema()).toBe(committed);
  });

  test('keeps the contract’s names', async () => {
    const sdl = await printAppSchema();
    for (const name of [
      'principles: [Principle!]!',
      'node(id: ID!): Node',
      'orgUnit(code: String!): OrgUnit',
      'measure(code: String!): Measure',
      'workstream(code: String!): Workstream',
      'enum PrincipleKey',
      'enum ScoringType',
      'enum ImprovementDirection',
      'orgUnitCreate(input: OrgUnitCreateInput!): OrgUnitCreatePayload!',
      'measureCreate(input: MeasureCreateInput!): MeasureCreatePayload!',
      // You said, we did
      'feedbackThemeCreate(input: FeedbackThemeCreateInput!)',
      'feedbackRecord(input: FeedbackRecordInput!)',
      'feedbackActionCreate(input: FeedbackActionCreateInput!)',
      'feedbackActionUpdate(input: FeedbackActionUpdateInput!)',
      'feedbackPublish(input: FeedbackPublishInput!)',
      'youSaidWeDid(',
      'enum FeedbackSource {\n  COMMUNITY_MEETING\n  COMPLAINT\n  COMPLIMENT\n  FRIENDS_AND_FAMILY_TEST\n  LIVED_EXPERIENCE_FORUM\n  PALS\n  PATIENT_SURVEY\n  STAFF_SURVEY\n}',
      'enum FeedbackActionStatus {\n  DONE\n  DROPPED\n  IN_PROGRESS\n  PLANNED\n}',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
