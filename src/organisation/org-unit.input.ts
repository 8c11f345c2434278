import { Int } from 'type-graphql';
import { z } from 'zod';
import { OrgUnitType } from '../graphql/enums';
import { field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';

/** Every input of the organisation feature: its GraphQL shape and its validation, declared once. */

export const ORG_UNIT_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'A code is 2 to 32 characters: capital letters, digits and hyphens');

const NAME = z.string().trim().min(1, 'A name is required').max(200);
const ODS_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{3}([A-Z0-9]{2})?$/, 'An ODS code is 3 characters (an organisation) or 5 (a site)')
  .nullish();

export const OrgUnitCreateInput = inputType('OrgUnitCreateInput', {
  code: field(() => String, ORG_UNIT_CODE),
  name: field(() => String, NAME),
  type: field(() => OrgUnitType, z.enum(OrgUnitType)),
  parentCode: field(() => String, ORG_UNIT_CODE.nullish(), 'The parent; omit for a trust (a root).'),
  odsCode: field(() => String, ODS_CODE),
});
export type OrgUnitCreateInput = RawInput<typeof OrgUnitCreateInput>;

export const OrgUnitUpdateInput = inputType(
  'OrgUnitUpdateInput',
  {
    code: field(() => String, ORG_UNIT_CODE, 'Which unit (codes never change: integrations address units by them).'),
    version: field(() => Int, VERSION, 'The version you read; a stale one gets a CONFLICT user error and changes nothing.'),
    name: field(() => String, keepIfOmitted(NAME)),
    type: field(() => OrgUnitType, keepIfOmitted(z.enum(OrgUnitType)), 'A trust stays a trust; other levels may change if the tree still fits.'),
    odsCode: field(() => String, ODS_CODE, 'null clears it.'),
    parentCode: field(() => String, ORG_UNIT_CODE.nullish(), 'Moves the unit, with its whole subtree, under this parent; pooled figures follow.'),
  },
  'Omitted fields stay as they are.',
);
export type OrgUnitUpdateInput = RawInput<typeof OrgUnitUpdateInput>;

export const OrgUnitArchiveInput = inputType('OrgUnitArchiveInput', {
  code: field(() => String, ORG_UNIT_CODE),
  version: field(() => Int, VERSION),
});
export type OrgUnitArchiveInput = RawInput<typeof OrgUnitArchiveInput>;
