import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { identityProviderUrlProblem, type OidcSettings } from '../config';
import type { Role } from '../generated/prisma/enums';

/**
 * People who sign in: OpenID Connect bearer tokens (JWTs) from one configured issuer
 * (Microsoft Entra ID, NHS CIS2, Keycloak, ...), verified against its published keys (JWKS).
 * API keys stay for integrations; authenticate.ts sends a bearer that looks like a JWT here.
 *
 * Verification (jose): the signature with a key of OIDC_JWKS_URI (or the key set the issuer's
 * discovery document names) chosen by the token's `kid`
 * (an unknown kid refetches the set, at most every 30 s), only the asymmetric algorithms of
 * OIDC_ALGORITHMS (so `none` and an HMAC "signed" with the public key are refused), `iss` and
 * `aud` exactly as configured, `exp` required and `nbf` honoured with OIDC_CLOCK_TOLERANCE_SECONDS
 * of leeway, and `sub` required (it names the person in history and audit); then it must be an
 * access token, not an ID token (accessTokenProblem).
 *
 * Mapping (fails closed; README "People who sign in"): `roles` claim values → one role;
 * `rcg_trusts` → the trusts, by ODS code; `rcg_scope` → a TEAM_MANAGER's org unit.
 */

/** Three base64url parts (the third empty for an unsigned token), as a compact JWS is written. API keys (`rcg_…`) have no dots. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** Who the token says the person is, before its trusts and scope are looked up. */
export interface OidcIdentity {
  subject: string;
  /** the person's name as history and audit show it (`name`, else `preferred_username`, else `email`) */
  name: string | null;
  role: Role;
  /** ODS codes; null when the token has no trusts claim at all */
  trustCodes: string[] | null;
  /** a TEAM_MANAGER's org-unit code */
  scopeCode: string | null;
}

export type VerifyResult =
  | { ok: true; identity: OidcIdentity }
  /** `invalid`: not a token of ours (401 invalid_token); `refused`: a valid token that grants nothing here (403) */
  | { ok: false; reason: 'invalid' | 'refused'; message: string };

/** The identity provider's keys (or its discovery document) could not be read: not the caller's fault, answered 503. */
export class IdentityProviderUnavailable extends Error {
  constructor(cause: unknown, what = "The identity provider's keys could not be fetched") {
    super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'IdentityProviderUnavailable';
  }
}

export interface OidcVerifier {
  verify(token: string): Promise<VerifyResult>;
}

// One verifier (and so one cached key set) per settings object: the routers that authenticate
// (/graphql, /fhir, /board-pack, /charts) share it.
const verifiers = new WeakMap<OidcSettings, OidcVerifier>();

export function oidcVerifier(settings: OidcSettings): OidcVerifier {
  let verifier = verifiers.get(settings);
  if (!verifier) {
    verifier = createOidcVerifier(settings);
    verifiers.set(settings, verifier);
  }
  return verifier;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

function remoteKeySet(url: URL): KeySet {
  return createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
}

/**
 * OpenID Connect Discovery: `<issuer>/.well-known/openid-configuration`, whose `issuer` must be
 * OIDC_ISSUER exactly (else it describes another issuer, or was not written by ours) and whose
 * `jwks_uri` must be https (http only on this machine), as OIDC_JWKS_URI would have to be.
 */
export async function discoverKeySetUrl(issuer: string): Promise<URL> {
  const address = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const unavailable = (message: string) => new IdentityProviderUnavailable(new Error(message), `The identity provider's discovery document (${address}) is not usable`);
  let document: unknown;
  try {
    const response = await fetch(address, { signal: AbortSignal.timeout(5000), redirect: 'error', headers: { accept: 'application/json' } });
    if (response.status !== 200) throw unavailable(`it answered HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (error instanceof IdentityProviderUnavailable) throw error;
    throw new IdentityProviderUnavailable(error, `The identity provider's discovery document (${address}) could not be fetched`);
  }
  const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  if (named !== issuer) throw unavailable(`it names issuer ${JSON.stringify(named)}, not OIDC_ISSUER "${issuer}"`);
  if (typeof jwksUri !== 'string') throw unavailable('it has no jwks_uri');
  const problem = identityProviderUrlProblem(jwksUri, 'its jwks_uri');
  if (problem) throw unavailable(problem);
  return new URL(jwksUri);
}

export function createOidcVerifier(settings: OidcSettings): OidcVerifier {
  // With OIDC_JWKS_URI the key set is known at once; without it, discovery runs at the first
  // token (not at start: the API serves API keys while the IdP is down). A failed discovery is
  // forgotten, so the next token tries again; a good one is kept for the process's life.
  let keySet: Promise<KeySet> | null = settings.jwksUri ? Promise.resolve(remoteKeySet(new URL(settings.jwksUri))) : null;
  const keys = (): Promise<KeySet> => {
    if (keySet) return keySet;
    const attempt = discoverKeySetUrl(settings.issuer).then(remoteKeySet);
    keySet = attempt;
    attempt.catch(() => {
      if (keySet === attempt) keySet = null;
    });
    return attempt;
  };
  return {
    async verify(token) {
      const jwks = await keys();
      let payload: JWTPayload;
      let header: JWTHeaderParameters;
      try {
        ({ payload, protectedHeader: header } = await jwtVerify(token, jwks, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: [...settings.algorithms],
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        if (providerUnavailable(error)) throw new IdentityProviderUnavailable(error);
        return { ok: false, reason: 'invalid', message: invalidTokenMessage(error) };
      }
      const notAccessToken = accessTokenProblem(header, payload, settings.requireAccessTokenType);
      if (notAccessToken) return { ok: false, reason: 'invalid', message: notAccessToken };
      return identityFromClaims(payload, settings);
    },
  };
}

/**
 * Whether a verified token is an access token, not an ID token sent as a bearer (README "Access
 * tokens, not ID tokens"). RFC 9068 access tokens say `typ: at+jwt` and are accepted. Entra ID
 * writes `typ: JWT` on both kinds, so for `JWT` (or no typ) the claims decide: `nonce`, `at_hash`
 * and `c_hash` belong to ID tokens (OpenID Connect Core 2, 3.3.2.11) and are refused. Any other
 * typ (logout+jwt, secevent+jwt, ...) is some other token. With OIDC_REQUIRE_AT_JWT only at+jwt passes.
 */
export function accessTokenProblem(header: Pick<JWTHeaderParameters, 'typ'>, payload: JWTPayload, requireAtJwt: boolean): string | null {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : null;
  const atJwt = typ === 'at+jwt' || typ === 'application/at+jwt';
  if (atJwt) return null;
  if (requireAtJwt) return 'The token is not an access token: its header "typ" is not at+jwt (OIDC_REQUIRE_AT_JWT)';
  if (typ !== null && typ !== 'jwt') return `The token is not an access token: its header "typ" is ${JSON.stringify(header.typ).slice(0, 40)}`;
  if (['nonce', 'at_hash', 'c_hash'].some((name) => name in payload)) {
    return 'The token is an ID token (it carries nonce, at_hash or c_hash), not an access token: send the access token issued for this API';
  }
  return null;
}

/** A network failure, a timeout or a non-200 answer from the JWKS endpoint (jose's generic error), as opposed to a bad token. */
function providerUnavailable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout) return true;
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/i.test(error.message);
}

/** What the caller is told (WWW-Authenticate error_description): the rule broken, never the token's content. */
function invalidTokenMessage(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'The token is not valid yet';
    if (error.claim === 'iss') return 'The token is from another issuer';
    if (error.claim === 'aud') return 'The token is meant for another audience';
    return `The token's "${error.claim}" claim is missing or wrong`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) return 'The token is not signed with an accepted algorithm';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token is signed with a key the issuer does not publish';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature does not verify';
  return 'The token is malformed';
}

/** A claim by name; a dotted name reads a nested object (Keycloak's `realm_access.roles`). */
function claim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  return name.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), payload);
}

/** A claim as strings: an array of strings, or one string of values separated by commas or spaces. */
function stringsOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((v) => v !== '');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Printable text for a label, at most `max` characters (a name arrives from a directory we do not control). */
function printable(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The role, trusts and scope a verified token's claims grant (pure; tested on its own).
 * Fails closed: no recognised role, or two different ones, grant nothing.
 */
export function identityFromClaims(payload: JWTPayload, settings: Pick<OidcSettings, 'roleMap' | 'rolesClaim' | 'trustsClaim' | 'trustMap' | 'scopeClaim'>): VerifyResult {
  const subject = printable(payload.sub, 200);
  if (!subject) return { ok: false, reason: 'invalid', message: 'The token has no subject ("sub")' };
  const name = printable(payload.name, 100) ?? printable(payload.preferred_username, 100) ?? printable(payload.email, 100);

  const roleValues = stringsOf(claim(payload, settings.rolesClaim)) ?? [];
  const roles = [...new Set(roleValues.flatMap((value) => (Object.hasOwn(settings.roleMap, value) ? [settings.roleMap[value]] : [])))];
  const known = Object.keys(settings.roleMap).join(', ');
  if (roles.length === 0) {
    return { ok: false, reason: 'refused', message: `The token grants no role here: its "${settings.rolesClaim}" claim holds none of ${known}` };
  }
  if (roles.length > 1) {
    return { ok: false, reason: 'refused', message: `The token grants more than one role here (${roles.sort().join(', ')}): a person signs in with one` };
  }
  const role = roles[0];

  const trustValues = stringsOf(claim(payload, settings.trustsClaim));
  let trustCodes: string[] | null = null;
  if (trustValues !== null) {
    // With a map (e.g. Entra group object ids → ODS codes) values it does not list are other
    // groups and are ignored; without one every value must be a trust's ODS code.
    const codes = settings.trustMap ? trustValues.flatMap((value) => (Object.hasOwn(settings.trustMap!, value) ? [settings.trustMap![value]] : [])) : trustValues.map((v) => v.toUpperCase());
    // A trusts claim that names none grants none (never "every trust").
    if (codes.length === 0) return { ok: false, reason: 'refused', message: `The token's "${settings.trustsClaim}" claim names no trust of this installation` };
    trustCodes = [...new Set(codes)].sort();
  }
  const scopeCode = role === 'TEAM_MANAGER' ? printable(claim(payload, settings.scopeClaim), 100) : null;
  if (role === 'TEAM_MANAGER' && !scopeCode) {
    return { ok: false, reason: 'refused', message: `A team manager's token names the org unit they manage in its "${settings.scopeClaim}" claim` };
  }
  if (trustCodes === null && role !== 'ADMIN' && role !== 'BOARD' && role !== 'TEAM_MANAGER') {
    return { ok: false, reason: 'refused', message: `A ${role} token names the trusts it may read and write in its "${settings.trustsClaim}" claim` };
  }
  return { ok: true, identity: { subject, name, role, trustCodes, scopeCode } };
}
