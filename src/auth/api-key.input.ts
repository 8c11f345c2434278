import { ID } from 'type-graphql';
import { z } from 'zod';
import { Role } from '../graphql/enums';
import { field, inputType, type RawInput } from '../graphql/input';

/** Every input of the auth feature: its GraphQL shape and its validation, declared once. */

export const ApiKeyCreateInput = inputType('ApiKeyCreateInput', {
  name: field(() => String, z.string().trim().min(1, 'A name is required').max(120)),
  role: field(() => Role, z.enum(Role)),
  scopeOrgUnitCode: field(() => String, z.string().trim().min(1).nullish(), 'Required for TEAM_MANAGER: the unit whose subtree the key may see and write.'),
  trustCodes: field(
    () => [String],
    z.array(z.string().trim().min(1, 'A trust code cannot be empty').max(64)).min(1, 'Name at least one trust').max(100, 'At most 100 trusts').nullish(),
    'The trusts (ODS codes) the key may read and write. Omitted: every trust, for ADMIN and whole-ICS BOARD keys only; a TEAM_MANAGER key: its scope’s trust.',
  ),
});
export type ApiKeyCreateInput = RawInput<typeof ApiKeyCreateInput>;

export const ApiKeyRevokeInput = inputType('ApiKeyRevokeInput', {
  id: field(() => ID, z.string()),
});
export type ApiKeyRevokeInput = RawInput<typeof ApiKeyRevokeInput>;
