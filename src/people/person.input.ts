import { ID, Int } from 'type-graphql';
import { z } from 'zod';
import { field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';
import { ORG_UNIT_CODE } from '../organisation/org-unit.input';

/** Every input of the people feature: its GraphQL shape and its validation, declared once. */

const NAME = z.string().trim().min(1, 'A name is required').max(200);
const EMAIL = z.string().trim().toLowerCase().email('Not an email address').max(320).nullish();
const JOB_TITLE = z.string().trim().max(200).nullish();

export const PersonCreateInput = inputType('PersonCreateInput', {
  name: field(() => String, NAME),
  email: field(() => String, EMAIL, 'Unique when given.'),
  jobTitle: field(() => String, JOB_TITLE),
  hasLivedExperience: field(() => Boolean, z.boolean().nullish(), 'false when omitted.'),
  orgUnitCode: field(() => String, ORG_UNIT_CODE.nullish(), 'The unit they work in.'),
});
export type PersonCreateInput = RawInput<typeof PersonCreateInput>;

export const PersonUpdateInput = inputType(
  'PersonUpdateInput',
  {
    id: field(() => ID, z.string()),
    version: field(() => Int, VERSION, 'The version you read; a stale one gets a CONFLICT user error.'),
    name: field(() => String, keepIfOmitted(NAME)),
    email: field(() => String, EMAIL),
    jobTitle: field(() => String, JOB_TITLE),
    hasLivedExperience: field(() => Boolean, keepIfOmitted(z.boolean())),
    orgUnitCode: field(() => String, ORG_UNIT_CODE.nullish()),
  },
  'Omitted fields stay as they are; null clears email, jobTitle and orgUnitCode.',
);
export type PersonUpdateInput = RawInput<typeof PersonUpdateInput>;

export const PersonArchiveInput = inputType('PersonArchiveInput', {
  id: field(() => ID, z.string()),
  version: field(() => Int, VERSION),
});
export type PersonArchiveInput = RawInput<typeof PersonArchiveInput>;
