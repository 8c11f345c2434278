import type { PrismaClient } from '../generated/prisma/client';
import type { Actor } from './actor';
import { hashApiKey, parseApiKey, sameHash, sameKey } from './api-key';

// Recording every use would turn every read into a write; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

export type Authentication = { ok: true; actor: Actor } | { ok: false; reason: 'missing' | 'invalid' };

/** Reads `Authorization: Bearer <key>` and finds the actor it names. */
export async function authenticate(
  prisma: PrismaClient,
  authorization: string | undefined,
  adminApiKey: string | null,
): Promise<Authentication> {
  if (!authorization) return { ok: false, reason: 'missing' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { ok: false, reason: 'invalid' };
  const key = match[1];

  if (adminApiKey && sameKey(key, adminApiKey)) {
    return {
      ok: true,
      actor: { keyId: null, label: 'operator (ADMIN_API_KEY)', role: 'ADMIN', scopeOrgUnitId: null, scopePath: null, integrationClientId: null, sourceSystem: null },
    };
  }

  const parsed = parseApiKey(key);
  if (!parsed) return { ok: false, reason: 'invalid' };
  const row = await prisma.apiKey.findUnique({
    where: { prefix: parsed.prefix },
    include: { scopeOrgUnit: { select: { path: true } }, integrationClient: { select: { archivedAt: true, sourceSystem: true } } },
  });
  if (!row || row.revokedAt || row.integrationClient?.archivedAt || !sameHash(row.secretHash, hashApiKey(key))) {
    return { ok: false, reason: 'invalid' };
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    ok: true,
    actor: {
      keyId: row.id,
      label: `key:${row.prefix} (${row.name})`,
      role: row.role,
      scopeOrgUnitId: row.scopeOrgUnitId,
      scopePath: row.scopeOrgUnit?.path ?? null,
      integrationClientId: row.integrationClientId,
      sourceSystem: row.integrationClient?.sourceSystem ?? null,
    },
  };
}
