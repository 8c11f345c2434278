import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { loadConfig, type OidcSettings } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import { authenticate, bearerChallenge } from './authenticate';
import { accessTokenProblem, createOidcVerifier, discoverKeySetUrl, identityFromClaims, IdentityProviderUnavailable, looksLikeJwt } from './oidc';

const OIDC_ENV = { OIDC_ISSUER: 'https://idp.example/t', OIDC_AUDIENCE: 'api://rcg', OIDC_JWKS_URI: 'https://idp.example/t/keys' };
const settings = (env: Record<string, string> = {}): OidcSettings => loadConfig({ ...OIDC_ENV, ...env }).oidc!;

describe('OIDC settings', () => {
  test('off unless issuer and audience are set; the JWKS is optional (discovery); a partial set stops the start', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example/t' })).toThrow(/set together/);
    expect(() => loadConfig({ OIDC_JWKS_URI: 'https://idp.example/t/keys' })).toThrow(/set together/);
    expect(loadConfig({ OIDC_ISSUER: 'https://idp.example/t', OIDC_AUDIENCE: 'api://rcg' }).oidc).toMatchObject({ jwksUri: null, requireAccessTokenType: false });
    // discovery fetches the issuer, so it must be https (http only on this machine)
    expect(() => loadConfig({ OIDC_ISSUER: 'http://idp.example/t', OIDC_AUDIENCE: 'api://rcg' })).toThrow(/OIDC_ISSUER.*https/);
    expect(loadConfig({ OIDC_ISSUER: 'http://localhost:9/t', OIDC_AUDIENCE: 'api://rcg', OIDC_REQUIRE_AT_JWT: 'true' }).oidc).toMatchObject({ jwksUri: null, requireAccessTokenType: true });
    expect(settings()).toMatchObject({ algorithms: ['RS256', 'PS256', 'ES256'], clockToleranceSeconds: 30, rolesClaim: 'roles', trustsClaim: 'rcg_trusts', scopeClaim: 'rcg_scope', trustMap: null });
  });

  test('refuses symmetric or unsigned algorithms, a plain-http key set elsewhere, a long tolerance and INTEGRATION in the role map', () => {
    expect(() => settings({ OIDC_ALGORITHMS: 'RS256,HS256' })).toThrow(/asymmetric algorithms only.*"HS256"/);
    expect(() => settings({ OIDC_ALGORITHMS: 'none' })).toThrow(/"none"/);
    expect(() => settings({ OIDC_JWKS_URI: 'http://idp.example/keys' })).toThrow(/https/);
    expect(settings({ OIDC_JWKS_URI: 'http://127.0.0.1:9/keys' }).jwksUri).toBe('http://127.0.0.1:9/keys');
    expect(() => settings({ OIDC_CLOCK_TOLERANCE_SECONDS: '301' })).toThrow(/at most 300/);
    expect(() => settings({ OIDC_ROLE_MAP: 'feeds=INTEGRATION' })).toThrow(/INTEGRATION/);
    expect(() => settings({ OIDC_TRUST_MAP: 'group-1=not-a-code' })).toThrow(/ODS codes/);
    expect(settings({ OIDC_ROLE_MAP: 'rcg-board = BOARD, rcg-lead=FACULTY_LEAD' }).roleMap).toEqual({ 'rcg-board': 'BOARD', 'rcg-lead': 'FACULTY_LEAD' });
  });
});

describe('claims to role, trusts and scope', () => {
  test('Keycloak-style nested roles and a group map (Entra group object ids to ODS codes)', () => {
    const keycloak = settings({ OIDC_ROLES_CLAIM: 'realm_access.roles', OIDC_TRUSTS_CLAIM: 'groups', OIDC_TRUST_MAP: '1f0c-aaaa=RZZ,2e9d-bbbb=TAF' });
    const result = identityFromClaims({ sub: 's1', name: 'Jo', realm_access: { roles: ['offline_access', 'RCG.FacultyLead'] }, groups: ['9999-other', '2e9d-bbbb', '1f0c-aaaa'] }, keycloak);
    expect(result).toEqual({ ok: true, identity: { subject: 's1', name: 'Jo', role: 'FACULTY_LEAD', trustCodes: ['RZZ', 'TAF'], scopeCode: null } });
    // groups present but none of them mapped: no trust, so refused (never "every trust")
    const unmapped = identityFromClaims({ sub: 's1', realm_access: { roles: ['RCG.Board'] }, groups: ['9999-other'] }, keycloak);
    expect(unmapped).toMatchObject({ ok: false, reason: 'refused' });
  });

  test('a scope claim is read for a team manager only; a prototype key is not a role', () => {
    const s = settings();
    expect(identityFromClaims({ sub: 's', roles: ['RCG.Board'], rcg_scope: 'RZZ-W1' }, s)).toMatchObject({ ok: true, identity: { role: 'BOARD', scopeCode: null } });
    expect(identityFromClaims({ sub: 's', roles: ['constructor', '__proto__', 'toString'] }, s)).toMatchObject({ ok: false, reason: 'refused' });
    expect(identityFromClaims({ roles: ['RCG.Board'] }, s)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  test('a name is made printable and bounded before it reaches history', () => {
    const long = 'A'.repeat(150);
    const result = identityFromClaims({ sub: 's', name: `Dr\nEve\u0000 ${long}`, roles: ['RCG.Admin'] }, settings());
    expect(result.ok && result.identity.name).toBe(`Dr Eve ${'A'.repeat(92)}…`); // controls become spaces, runs collapse: 7 + 92 + 1 = 100 characters
  });
});

describe('the verifier and authenticate', () => {
  test('JWT shape: three base64url parts; API keys never look like one', () => {
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toBe(true);
    expect(looksLikeJwt('rcg_demolead_AAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
  });

  test('a JWT when sign-in is not configured is an invalid credential, without touching the database', async () => {
    const noDatabase = {} as PrismaClient;
    const result = await authenticate(noDatabase, 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', null, null);
    expect(result).toEqual({ ok: false, reason: 'invalid', message: expect.stringMatching(/OIDC is not configured/) });
    if (!result.ok) expect(bearerChallenge(result)).toMatch(/^Bearer realm="relational-care-graph", error="invalid_token", error_description="Sign-in tokens are not accepted here/);
  });

  test('keys that cannot be fetched are the provider being away (503), not a bad token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({ sub: 's', roles: ['RCG.Board'] }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer('https://idp.example/t').setAudience('api://rcg').setExpirationTime('5m').sign(privateKey);
    // a port nobody listens on
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createOidcVerifier(settings({ OIDC_JWKS_URI: `http://127.0.0.1:${port}/keys` })).verify(jwt)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
    // a key set endpoint that answers 500
    const failing = http.createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/keys`;
      await expect(createOidcVerifier(settings({ OIDC_JWKS_URI: url })).verify(jwt)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  test('discovery: the document must name OIDC_ISSUER exactly and an https (or local http) key set; a failure is the provider being away', async () => {
    let document: unknown = {};
    const idp = http.createServer((req, res) => {
      if (req.url !== '/t/.well-known/openid-configuration') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/t`;
    try {
      document = { issuer, jwks_uri: `${issuer}/keys` };
      expect((await discoverKeySetUrl(issuer)).href).toBe(`${issuer}/keys`);
      await expect(discoverKeySetUrl(`${issuer}/`)).rejects.toThrow(/names issuer/); // exactly: a trailing slash is another issuer
      document = { issuer: `${issuer}/other`, jwks_uri: `${issuer}/keys` };
      await expect(discoverKeySetUrl(issuer)).rejects.toThrow(/names issuer ".*\/other", not OIDC_ISSUER/);
      document = { issuer, jwks_uri: 'http://keys.example/keys' };
      await expect(discoverKeySetUrl(issuer)).rejects.toThrow(/jwks_uri must be https/);
      document = { issuer };
      await expect(discoverKeySetUrl(issuer)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
      await expect(discoverKeySetUrl(`${issuer}/missing`)).rejects.toThrow(/HTTP 404/);
    } finally {
      await new Promise((resolve) => idp.close(resolve));
    }
  });
});

describe('access tokens, not ID tokens', () => {
  test('at+jwt passes; typ JWT passes without ID-token claims and is refused with them; other typs are refused; OIDC_REQUIRE_AT_JWT takes at+jwt only', () => {
    expect(accessTokenProblem({ typ: 'at+jwt' }, { nonce: 'x' }, false)).toBeNull();
    expect(accessTokenProblem({ typ: 'application/at+JWT' }, {}, true)).toBeNull();
    expect(accessTokenProblem({ typ: 'JWT' }, { scp: 'access_as_user', roles: ['RCG.Board'] }, false)).toBeNull();
    expect(accessTokenProblem({}, {}, false)).toBeNull();
    for (const claim of ['nonce', 'at_hash', 'c_hash']) expect(accessTokenProblem({ typ: 'JWT' }, { [claim]: 'x' }, false)).toMatch(/ID token/);
    expect(accessTokenProblem({}, { nonce: 'x' }, false)).toMatch(/ID token/);
    expect(accessTokenProblem({ typ: 'secevent+jwt' }, {}, false)).toMatch(/not an access token/);
    expect(accessTokenProblem({ typ: 'JWT' }, {}, true)).toMatch(/OIDC_REQUIRE_AT_JWT/);
  });
});
