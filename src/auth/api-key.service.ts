import type { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { expectGlobalId } from '../graphql/global-id';
import { runMutation, type MutationResult } from '../editing/mutation';
import { parseInput, userError } from '../graphql/input';
import { generateApiKey } from '../access/api-key';
import { keyTrustsSql } from '../access/key-trusts';
import { trustIdOfPath } from '../access/actor';
import { ApiKeyCreateInput, ApiKeyRevokeInput } from './api-key.input';
import { API_KEY_TYPENAME, apiKeyFromRow, type ApiKey } from './api-key.type';

/** Roles a key of every trust may have: the operator's and a whole integrated care system's board. */
const EVERY_TRUST_ROLES: ReadonlySet<Role> = new Set<Role>(['ADMIN', 'BOARD']);

/**
 * The trusts a new key may read and write, as ids; null: every trust. Codes are looked up
 * through the creator's own view, so a creator can name only trusts it has itself: no key
 * made by a key of one trust ever reads another, or every trust.
 */
async function trustsOfNewKey(
  ctx: RequestContext,
  tx: Prisma.TransactionClient,
  input: { role: Role; trustCodes?: string[] | null },
  scope: { id: number; path: string } | null,
): Promise<number[] | null> {
  if (input.trustCodes == null) {
    if (scope) return [trustIdOfPath(scope.path)]; // a manager's key reads its own trust
    if (!EVERY_TRUST_ROLES.has(input.role)) userError(['trustCodes'], 'REQUIRED', `A ${input.role} key names the trusts it may read and write`);
    if (ctx.actor.trustIds !== null) userError(['trustCodes'], 'REQUIRED', 'Your key reads only some trusts: name the new key’s trusts');
    return null;
  }
  const codes = [...new Set(input.trustCodes)];
  const trusts = await tx.orgUnit.findMany({ where: { code: { in: codes }, type: 'TRUST', parentId: null }, select: { id: true, code: true } });
  const missing = codes.find((code) => !trusts.some((t) => t.code === code));
  if (missing !== undefined) userError(['trustCodes'], 'NOT_FOUND', `No trust has code ${missing}`);
  const ids = trusts.map((t) => t.id).sort((a, b) => a - b);
  if (scope && !ids.includes(trustIdOfPath(scope.path))) userError(['trustCodes'], 'INVALID', 'A TEAM_MANAGER key’s trusts include the trust of its scope');
  return ids;
}

export async function createApiKey(ctx: RequestContext, rawInput: ApiKeyCreateInput): Promise<MutationResult<{ apiKey: ApiKey; secret: string }>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(ApiKeyCreateInput.schema, rawInput);
    let scope: { id: number; path: string } | null = null;
    if (input.role === 'TEAM_MANAGER') {
      if (!input.scopeOrgUnitCode) userError(['scopeOrgUnitCode'], 'REQUIRED', 'A TEAM_MANAGER key is scoped to an org unit');
      scope = await tx.orgUnit.findUnique({ where: { code: input.scopeOrgUnitCode }, select: { id: true, path: true } });
      if (!scope) userError(['scopeOrgUnitCode'], 'NOT_FOUND', `No org unit has code ${input.scopeOrgUnitCode}`);
    } else if (input.scopeOrgUnitCode) {
      userError(['scopeOrgUnitCode'], 'INVALID', 'Only TEAM_MANAGER keys take an org-unit scope');
    }
    if (input.role === 'INTEGRATION') {
      userError(['role'], 'INVALID', 'Integration keys belong to an integration client: register the client instead');
    }
    const trustIds = await trustsOfNewKey(ctx, tx, input, scope);
    const generated = generateApiKey();
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix: generated.prefix,
        secretHash: generated.secretHash,
        role: input.role,
        scopeOrgUnitId: scope?.id ?? null,
        ...(trustIds ? { trusts: { create: trustIds.map((trustId) => ({ trustId })) } } : {}),
      },
    });
    audit({
      entityType: API_KEY_TYPENAME,
      entityId: row.id,
      action: 'create',
      after: { name: row.name, role: row.role, prefix: row.prefix, scopeOrgUnitId: row.scopeOrgUnitId, trustIds },
      orgUnitId: keyAuditUnit(scope?.id ?? null, trustIds),
    });
    return { apiKey: apiKeyFromRow(row), secret: generated.key };
  });
}

/** Whose history a key's entries are: its scope, else its one trust; a key of several trusts or every trust is shared. */
function keyAuditUnit(scopeOrgUnitId: number | null, trustIds: readonly number[] | null): number | null {
  return scopeOrgUnitId ?? (trustIds?.length === 1 ? trustIds[0] : null);
}

export async function revokeApiKey(ctx: RequestContext, rawInput: ApiKeyRevokeInput): Promise<MutationResult<ApiKey>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(ApiKeyRevokeInput.schema, rawInput);
    const dbId = expectGlobalId(input.id, API_KEY_TYPENAME);
    // Through this actor's view: a key of a trust it cannot read (or of every trust) is not found.
    const existing = await tx.apiKey.findUnique({ where: { id: dbId }, include: { trusts: { select: { trustId: true } } } });
    if (!existing) userError(['id'], 'NOT_FOUND', 'No such API key');
    const now = new Date();
    // Already revoked; a revocation still ahead (a rotated key in its overlap) is brought forward to now.
    if (existing.revokedAt && existing.revokedAt <= now) return apiKeyFromRow(existing);
    const row = await tx.apiKey.update({ where: { id: dbId }, data: { revokedAt: now } });
    audit({
      entityType: API_KEY_TYPENAME,
      entityId: row.id,
      action: 'revoke',
      before: { revokedAt: existing.revokedAt },
      after: { revokedAt: row.revokedAt },
      orgUnitId: keyAuditUnit(existing.scopeOrgUnitId, existing.trusts.length ? existing.trusts.map((t) => t.trustId) : null),
    });
    return apiKeyFromRow(row);
  });
}

/** The codes of the trusts each key reads (an integration key: its client's units' trusts); null: every trust. */
export async function trustCodesOfKeys(ctx: RequestContext, keyIds: readonly number[]): Promise<Array<string[] | null>> {
  const rows = await ctx.prisma.$queryRawUnsafe<Array<{ id: number; integration: boolean; codes: string[] }>>(
    `SELECT k.id, k.integration_client_id IS NOT NULL AS integration, ${keyTrustsSql('k', 'code')} AS codes
     FROM api_key k WHERE k.id = ANY($1::int[])`,
    [...keyIds],
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r.integration || r.codes.length > 0 ? r.codes : null]));
  return keyIds.map((id) => byId.get(id) ?? null);
}
