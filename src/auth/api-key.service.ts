import type { RequestContext } from '../graphql/context';
import { expectGlobalId } from '../graphql/global-id';
import { runMutation, type MutationResult } from '../editing/mutation';
import { parseInput, userError } from '../graphql/input';
import { generateApiKey } from '../access/api-key';
import { ApiKeyCreateInput, ApiKeyRevokeInput } from './api-key.input';
import { API_KEY_TYPENAME, apiKeyFromRow, type ApiKey } from './api-key.type';

export async function createApiKey(ctx: RequestContext, rawInput: ApiKeyCreateInput): Promise<MutationResult<{ apiKey: ApiKey; secret: string }>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(ApiKeyCreateInput.schema, rawInput);
    let scopeOrgUnitId: number | null = null;
    if (input.role === 'TEAM_MANAGER') {
      if (!input.scopeOrgUnitCode) userError(['scopeOrgUnitCode'], 'REQUIRED', 'A TEAM_MANAGER key is scoped to an org unit');
      const unit = await tx.orgUnit.findUnique({ where: { code: input.scopeOrgUnitCode }, select: { id: true } });
      if (!unit) userError(['scopeOrgUnitCode'], 'NOT_FOUND', `No org unit has code ${input.scopeOrgUnitCode}`);
      scopeOrgUnitId = unit.id;
    } else if (input.scopeOrgUnitCode) {
      userError(['scopeOrgUnitCode'], 'INVALID', 'Only TEAM_MANAGER keys take an org-unit scope');
    }
    if (input.role === 'INTEGRATION') {
      userError(['role'], 'INVALID', 'Integration keys belong to an integration client: register the client instead');
    }
    const generated = generateApiKey();
    const row = await tx.apiKey.create({
      data: { name: input.name, prefix: generated.prefix, secretHash: generated.secretHash, role: input.role, scopeOrgUnitId },
    });
    audit({ entityType: API_KEY_TYPENAME, entityId: row.id, action: 'create', after: { name: row.name, role: row.role, prefix: row.prefix, scopeOrgUnitId } });
    return { apiKey: apiKeyFromRow(row), secret: generated.key };
  });
}

export async function revokeApiKey(ctx: RequestContext, rawInput: ApiKeyRevokeInput): Promise<MutationResult<ApiKey>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(ApiKeyRevokeInput.schema, rawInput);
    const dbId = expectGlobalId(input.id, API_KEY_TYPENAME);
    const existing = await tx.apiKey.findUnique({ where: { id: dbId } });
    if (!existing) userError(['id'], 'NOT_FOUND', 'No such API key');
    const now = new Date();
    // Already revoked; a revocation still ahead (a rotated key in its overlap) is brought forward to now.
    if (existing.revokedAt && existing.revokedAt <= now) return apiKeyFromRow(existing);
    const row = await tx.apiKey.update({ where: { id: dbId }, data: { revokedAt: now } });
    audit({ entityType: API_KEY_TYPENAME, entityId: row.id, action: 'revoke', before: { revokedAt: existing.revokedAt }, after: { revokedAt: row.revokedAt } });
    return apiKeyFromRow(row);
  });
}
