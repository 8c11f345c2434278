import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { trustIdOfPath, type Actor } from './actor';
import type { OidcSettings } from '../config';
import { hashApiKey, parseApiKey, sameHash, sameKey } from './api-key';
import { keyTrustsSql } from './key-trusts';
import { looksLikeJwt, oidcVerifier, type OidcIdentity } from './oidc';

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

/**
 * `missing`: no credential (401); `invalid`: a credential that is not ours, wrong, revoked,
 * expired (401, `error="invalid_token"`); `refused`: a person's valid token that grants nothing
 * here (403, `error="insufficient_scope"`). `message` says why, in words safe to send.
 */
export type Authentication = { ok: true; actor: Actor } | { ok: false; reason: 'missing' | 'invalid' | 'refused'; message: string };

const MISSING: Authentication = { ok: false, reason: 'missing', message: 'A valid API key or sign-in token is required: send Authorization: Bearer <key or token>' };
const INVALID_KEY: Authentication = { ok: false, reason: 'invalid', message: 'That API key is not valid (wrong, revoked or malformed)' };

/** The realm every challenge names (as graphql/errors.ts BEARER_CHALLENGE). */
const REALM = 'relational-care-graph';

/**
 * The `WWW-Authenticate` value (RFC 6750 §3) for a request that was not authenticated: every
 * 401 and 403 of a credential carries one, so clients and gateways know to (re)acquire a token.
 */
export function bearerChallenge(authentication: Extract<Authentication, { ok: false }>): string {
  if (authentication.reason === 'missing') return `Bearer realm="${REALM}"`;
  const error = authentication.reason === 'refused' ? 'insufficient_scope' : 'invalid_token';
  // error_description is a quoted-string of printable ASCII without `"` or `\`.
  const description = authentication.message.replace(/[^\x20-\x7e]|["\\]/g, "'");
  return `Bearer realm="${REALM}", error="${error}", error_description="${description}"`;
}

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

/**
 * Reads `Authorization: Bearer <key or token>` and finds the actor it names: a JWT (three
 * base64url parts) goes to the OpenID Connect verifier when OIDC_* is configured, anything
 * else is an API key. Throws IdentityProviderUnavailable when the issuer's keys cannot be fetched.
 */
export async function authenticate(
  prisma: PrismaClient,
  authorization: string | undefined,
  adminApiKey: string | null,
  oidc: OidcSettings | null = null,
): Promise<Authentication> {
  if (!authorization) return MISSING;
  const key = bearerToken(authorization);
  if (key === null) return { ok: false, reason: 'invalid', message: 'Send the credential as Authorization: Bearer <key or token>' };

  if (adminApiKey && sameKey(key, adminApiKey)) {
    return {
      ok: true,
      actor: { keyId: null, subject: 'operator', label: 'operator (ADMIN_API_KEY)', role: 'ADMIN', scopeOrgUnitId: null, scopePath: null, integrationClientId: null, sourceSystem: null, trustIds: null },
    };
  }

  if (looksLikeJwt(key)) {
    if (!oidc) return { ok: false, reason: 'invalid', message: 'Sign-in tokens are not accepted here (OIDC is not configured): send an API key' };
    const verified = await oidcVerifier(oidc).verify(key);
    if (!verified.ok) return verified;
    return personActor(prisma, verified.identity);
  }

  const parsed = parseApiKey(key);
  if (!parsed) return INVALID_KEY;
  // One statement per request: the key, its scope's path, its client and its trusts. An
  // integration key's trusts are those of the units its client may write to.
  const [row] = await prisma.$queryRawUnsafe<KeyRow[]>(
    `SELECT k.id, k.name, k.prefix, k.secret_hash, k.role::text AS role, k.scope_org_unit_id, k.integration_client_id,
            k.last_used_at, k.revoked_at, u.path AS scope_path, c.archived_at AS client_archived_at, c.source_system,
            ${keyTrustsSql('k', 'id')} AS trust_ids
     FROM api_key k
     LEFT JOIN org_unit u ON u.id = k.scope_org_unit_id
     LEFT JOIN integration_client c ON c.id = k.integration_client_id
     WHERE k.prefix = $1`,
    parsed.prefix,
  );
  // A revocation may lie ahead: a rotated integration key keeps working until then.
  const revoked = row?.revoked_at != null && row.revoked_at.getTime() <= Date.now();
  if (!row || revoked || row.client_archived_at || !sameHash(row.secret_hash, hashApiKey(key))) {
    return INVALID_KEY;
  }
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_PRECISION_MS) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    ok: true,
    actor: {
      keyId: row.id,
      subject: `key:${row.id}`,
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

interface UnitRow {
  id: number;
  code: string;
  path: string;
  is_trust: boolean;
}

/**
 * A signed-in person's actor: the token's trusts and scope looked up by code, in one statement,
 * under the rules of apiKeyCreate (src/auth/api-key.service.ts). Fails closed: a trust the
 * installation lacks, a scope it lacks or outside the named trusts, refuse the token.
 */
async function personActor(prisma: PrismaClient, identity: OidcIdentity): Promise<Authentication> {
  const codes = [...(identity.trustCodes ?? []), ...(identity.scopeCode ? [identity.scopeCode] : [])];
  const units =
    codes.length === 0
      ? []
      : await prisma.$queryRawUnsafe<UnitRow[]>(
          `SELECT id, code, path, (type = 'TRUST' AND parent_id IS NULL) AS is_trust FROM org_unit WHERE code = ANY($1::text[])`,
          codes,
        );
  const refuse = (message: string): Authentication => ({ ok: false, reason: 'refused', message });

  let scope: UnitRow | null = null;
  if (identity.scopeCode) {
    scope = units.find((u) => u.code === identity.scopeCode) ?? null;
    if (!scope) return refuse(`The token's scope names org unit ${identity.scopeCode}, which this installation does not hold`);
  }
  let trustIds: number[] | null = null;
  if (identity.trustCodes) {
    trustIds = [];
    for (const code of identity.trustCodes) {
      const trust = units.find((u) => u.code === code && u.is_trust);
      if (!trust) return refuse(`The token names trust ${code}, which this installation does not hold`);
      trustIds.push(trust.id);
    }
    trustIds.sort((a, b) => a - b);
    if (scope && !trustIds.includes(trustIdOfPath(scope.path))) return refuse(`The token's scope ${scope.code} lies outside the trusts it names`);
  } else if (scope) {
    trustIds = [trustIdOfPath(scope.path)]; // a manager reads its own trust, as its key would
  } else if (identity.role !== 'ADMIN' && identity.role !== 'BOARD') {
    return refuse(`A ${identity.role} token names the trusts it may read and write`); // identityFromClaims already refuses this
  }
  return {
    ok: true,
    actor: {
      keyId: null,
      subject: `oidc:${identity.subject}`,
      label: identity.name ? `oidc:${identity.subject} (${identity.name})` : `oidc:${identity.subject}`,
      role: identity.role,
      scopeOrgUnitId: scope?.id ?? null,
      scopePath: scope?.path ?? null,
      integrationClientId: null,
      sourceSystem: null,
      trustIds,
    },
  };
}
