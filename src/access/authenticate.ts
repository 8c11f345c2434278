import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { trustIdOfPath, type Actor } from './actor';
import { hashApiKey, parseApiKey, sameHash, sameKey } from './api-key';

// Recording every use would turn every read into a write; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

interface KeyRow {
  id: number;
  name: string;
  prefix: string;
  secret_hash: string;
  role: Role;
  scope_org_unit_id: number | null;
  integration_client_id: number | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  scope_path: string | null;
  client_archived_at: Date | null;
  source_system: string | null;
  trust_ids: number[];
}

export type Authentication = { ok: true; actor: Actor } | { ok: false; reason: 'missing' | 'invalid' };

/** The credential in an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
}

/**
 * The trusts a key reads. No trust rows means every trust only for the roles that may be made
 * so (ADMIN, whole-ICS BOARD); a manager's key without rows reads its scope's trust, and any
 * other reads nothing: a row written around apiKeyCreate fails closed. An integration key
 * reads its client's units' trusts (a client names at least one unit).
 */
function trustsOf(row: KeyRow): number[] | null {
  if (row.trust_ids.length > 0 || row.integration_client_id !== null) return row.trust_ids.map(Number);
  if (row.role === 'ADMIN' || row.role === 'BOARD') return null;
  if (row.role === 'TEAM_MANAGER' && row.scope_path) return [trustIdOfPath(row.scope_path)];
  return [];
}

/** Reads `Authorization: Bearer <key>` and finds the actor it names. */
export async function authenticate(
  prisma: PrismaClient,
  authorization: string | undefined,
  adminApiKey: string | null,
): Promise<Authentication> {
  if (!authorization) return { ok: false, reason: 'missing' };
  const key = bearerToken(authorization);
  if (key === null) return { ok: false, reason: 'invalid' };

  if (adminApiKey && sameKey(key, adminApiKey)) {
    return {
      ok: true,
      actor: { keyId: null, label: 'operator (ADMIN_API_KEY)', role: 'ADMIN', scopeOrgUnitId: null, scopePath: null, integrationClientId: null, sourceSystem: null, trustIds: null },
    };
  }

  const parsed = parseApiKey(key);
  if (!parsed) return { ok: false, reason: 'invalid' };
  // One statement per request: the key, its scope's path, its client and its trusts. An
  // integration key's trusts are those of the units its client may write to.
  const [row] = await prisma.$queryRawUnsafe<KeyRow[]>(
    `SELECT k.id, k.name, k.prefix, k.secret_hash, k.role::text AS role, k.scope_org_unit_id, k.integration_client_id,
            k.last_used_at, k.revoked_at, u.path AS scope_path, c.archived_at AS client_archived_at, c.source_system,
            CASE WHEN k.integration_client_id IS NULL
              THEN ARRAY(SELECT t.trust_id FROM api_key_trust t WHERE t.api_key_id = k.id ORDER BY t.trust_id)
              ELSE ARRAY(SELECT DISTINCT split_part(su.path, '/', 2)::int FROM integration_client_org_unit s
                         JOIN org_unit su ON su.id = s.org_unit_id WHERE s.client_id = k.integration_client_id ORDER BY 1)
            END AS trust_ids
     FROM api_key k
     LEFT JOIN org_unit u ON u.id = k.scope_org_unit_id
     LEFT JOIN integration_client c ON c.id = k.integration_client_id
     WHERE k.prefix = $1`,
    parsed.prefix,
  );
  // A revocation may lie ahead: a rotated integration key keeps working until then.
  const revoked = row?.revoked_at != null && row.revoked_at.getTime() <= Date.now();
  if (!row || revoked || row.client_archived_at || !sameHash(row.secret_hash, hashApiKey(key))) {
    return { ok: false, reason: 'invalid' };
  }
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    ok: true,
    actor: {
      keyId: row.id,
      label: `key:${row.prefix} (${row.name})`,
      role: row.role,
      scopeOrgUnitId: row.scope_org_unit_id,
      scopePath: row.scope_path,
      integrationClientId: row.integration_client_id,
      sourceSystem: row.source_system,
      trustIds: trustsOf(row),
    },
  };
}
