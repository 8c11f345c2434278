import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { ApiKeyCreateDocument, OrgUnitCreateDocument } from '../generated/graphql';
import { codeOf, gql, send, type RawResponse } from '../hardening/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * People who sign in with OpenID Connect: the test is its own identity provider. It makes its
 * signing keys, serves their public halves as a JWKS from a local HTTP server, and signs tokens
 * good and bad. Nothing leaves the machine.
 */
const ISSUER = 'https://login.example.nhs.uk/00000000-test-tenant/v2.0';
const AUDIENCE = 'api://relational-care-graph-test';
const VIEWER = '{ viewer { label role trustCodes scopeOrgUnit { code } } }';

interface Keys {
  rsa: { privateKey: KeyLike; publicKey: KeyLike };
  ec: { privateKey: KeyLike; publicKey: KeyLike };
  /** a key the JWKS does not publish */
  stranger: { privateKey: KeyLike; publicKey: KeyLike };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe.each(DATABASE_KINDS)('OpenID Connect sign-in on %s', (kind) => {
  let app: TestApp;
  let keys: Keys;
  let jwksServer: http.Server;
  let jwksFetches = 0;
  let url: string;
  /** what the discovery document at http://127.0.0.1:<port>/<DISCOVERED> answers */
  let discovery: 'up' | 'down' | 'other-issuer' = 'down';
  let discoveryFetches = 0;
  const DISCOVERED = 'discovered-tenant';

  /** A token as the test's identity provider signs it; `claims` override the defaults, `undefined` removes one. */
  async function token(claims: JWTPayload = {}, options: { key?: KeyLike; alg?: string; kid?: string; typ?: string } = {}): Promise<string> {
    const payload: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: 'sub-asha-0001', name: 'Dr Asha Patel', iat: now(), exp: now() + 600, roles: ['RCG.Board'], ...claims };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa-1', typ: options.typ ?? 'JWT' }).sign(options.key ?? keys.rsa.privateKey);
  }

  const ask = (credential: string | null, query = VIEWER) => gql(url, query, undefined, credential);
  const challengeOf = (response: RawResponse) => response.headers.get('www-authenticate');
  const expectInvalidToken = (response: RawResponse, words: RegExp) => {
    expect([response.status, codeOf(response)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors![0].message).toMatch(words);
    expect(challengeOf(response)).toMatch(/^Bearer realm="relational-care-graph", error="invalid_token", error_description="[^"]+"$/);
  };
  const expectRefused = (response: RawResponse, words: RegExp) => {
    expect([response.status, codeOf(response)]).toEqual([403, 'FORBIDDEN']);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors![0].message).toMatch(words);
    expect(challengeOf(response)).toMatch(/^Bearer realm="relational-care-graph", error="insufficient_scope"/);
  };

  beforeAll(async () => {
    keys = {
      rsa: await generateKeyPair('RS256'),
      ec: await generateKeyPair('ES256'),
      stranger: await generateKeyPair('RS256'),
    };
    const jwks = {
      keys: [
        { ...(await exportJWK(keys.rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(keys.ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    jwksServer = http.createServer((req, res) => {
      jwksFetches += 1;
      if (req.url === `/${DISCOVERED}/.well-known/openid-configuration`) {
        discoveryFetches += 1;
        if (discovery === 'down') {
          res.writeHead(503).end();
          return;
        }
        const { port: own } = jwksServer.address() as AddressInfo;
        const named = discovery === 'other-issuer' ? `http://127.0.0.1:${own}/someone-else` : `http://127.0.0.1:${own}/${DISCOVERED}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: named, jwks_uri: `http://127.0.0.1:${own}/discovery/keys` }));
        return;
      }
      if (req.url !== '/discovery/keys') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;

    app = await startTestApp(kind, { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URI: `http://127.0.0.1:${port}/discovery/keys` });
    url = app.server.url;
    for (const unit of [
      { code: 'RQQ', name: 'Quayside trust', type: 'TRUST' as const },
      { code: 'RQQ-DIR', name: 'Acute directorate', type: 'DIRECTORATE' as const, parentCode: 'RQQ' },
      { code: 'RQQ-W1', name: 'Ward 1', type: 'WARD' as const, parentCode: 'RQQ-DIR' },
      { code: 'RPP', name: 'Pennine trust', type: 'TRUST' as const },
      { code: 'RPP-DIR', name: 'Pennine directorate', type: 'DIRECTORATE' as const, parentCode: 'RPP' },
    ]) {
      const created = await app.request(OrgUnitCreateDocument, { input: unit });
      expect(created.body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  test('a valid token of each role signs the person in with that role, its trusts and its scope', async () => {
    const cases: Array<[JWTPayload, unknown]> = [
      // ADMIN and BOARD may be of every trust when the token names none (as their keys may)
      [{ roles: ['RCG.Admin'] }, { role: 'ADMIN', trustCodes: null, scopeOrgUnit: null }],
      [{ roles: ['RCG.Board'] }, { role: 'BOARD', trustCodes: null, scopeOrgUnit: null }],
      [{ roles: ['RCG.Board'], rcg_trusts: ['RPP'] }, { role: 'BOARD', trustCodes: ['RPP'], scopeOrgUnit: null }],
      [{ roles: ['RCG.FacultyLead', 'Some.Other.App.Role'], rcg_trusts: ['RQQ', 'RPP'] }, { role: 'FACULTY_LEAD', trustCodes: ['RPP', 'RQQ'], scopeOrgUnit: null }],
      // a manager without a trusts claim reads its scope's trust; the ODS code's case does not matter
      [{ roles: ['RCG.TeamManager'], rcg_scope: 'RQQ-W1' }, { role: 'TEAM_MANAGER', trustCodes: ['RQQ'], scopeOrgUnit: { code: 'RQQ-W1' } }],
      [{ roles: 'RCG.TeamManager', rcg_scope: 'RQQ-W1', rcg_trusts: 'rqq' }, { role: 'TEAM_MANAGER', trustCodes: ['RQQ'], scopeOrgUnit: { code: 'RQQ-W1' } }],
    ];
    for (const [claims, expected] of cases) {
      const response = await ask(await token(claims));
      expect([claims, response.status, response.body.errors]).toEqual([claims, 200, undefined]);
      expect((response.body.data as { viewer: unknown }).viewer).toEqual({ label: 'oidc:sub-asha-0001 (Dr Asha Patel)', ...(expected as object) });
    }
  });

  test('an ES256 token verifies with its own key of the JWKS; the name falls back to preferred_username, then email, then the subject alone', async () => {
    const es = await ask(await token({ name: undefined, preferred_username: 'asha.patel@quayside.nhs.uk' }, { key: keys.ec.privateKey, alg: 'ES256', kid: 'ec-1' }));
    expect((es.body.data as { viewer: { label: string } }).viewer.label).toBe('oidc:sub-asha-0001 (asha.patel@quayside.nhs.uk)');
    const email = await ask(await token({ name: undefined, email: 'a.patel@nhs.net' }));
    expect((email.body.data as { viewer: { label: string } }).viewer.label).toBe('oidc:sub-asha-0001 (a.patel@nhs.net)');
    const bare = await ask(await token({ name: '  \u0007 ' }));
    expect((bare.body.data as { viewer: { label: string } }).viewer.label).toBe('oidc:sub-asha-0001');
  });

  test('expired and not-yet-valid tokens are refused beyond the 30 s clock tolerance, accepted within it', async () => {
    expectInvalidToken(await ask(await token({ iat: now() - 700, exp: now() - 31 })), /expired/);
    expectInvalidToken(await ask(await token({ nbf: now() + 120 })), /not valid yet/);
    // 10 s past exp and 10 s before nbf lie inside the tolerance: a clock a little fast or slow still works
    expect((await ask(await token({ iat: now() - 600, exp: now() - 10 }))).status).toBe(200);
    expect((await ask(await token({ nbf: now() + 10 }))).status).toBe(200);
    // no exp at all: a token that never expires is not accepted
    expectInvalidToken(await ask(await token({ exp: undefined })), /"exp"/);
  });

  test('a token for another audience or from another issuer is refused', async () => {
    expectInvalidToken(await ask(await token({ aud: 'api://some-other-app' })), /another audience/);
    expectInvalidToken(await ask(await token({ iss: 'https://login.example.nhs.uk/other-tenant/v2.0' })), /another issuer/);
    expectInvalidToken(await ask(await token({ iss: undefined })), /issuer/);
  });

  test('an unsigned token (alg none) and an HS256 token "signed" with the public key are refused', async () => {
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'sub-mallory', exp: now() + 600, roles: ['RCG.Admin'] };
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    expectInvalidToken(await ask(unsigned), /accepted algorithm/);
    // Algorithm confusion: a verifier that trusted the header's alg would check this HMAC against the public key's PEM, which anyone can fetch.
    const publicPem = new TextEncoder().encode(await exportSPKI(keys.rsa.publicKey));
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(publicPem);
    expectInvalidToken(await ask(confused), /accepted algorithm/);
  });

  test('a token signed by a key the issuer does not publish, or with its payload changed, is refused', async () => {
    const fetchesBefore = jwksFetches;
    expectInvalidToken(await ask(await token({}, { key: keys.stranger.privateKey, kid: 'rsa-unknown' })), /does not publish/);
    // an unknown kid made the verifier look for a rotated key set once; the key set was fetched at most once more
    expect(jwksFetches - fetchesBefore).toBeLessThanOrEqual(1);
    expectInvalidToken(await ask(await token({}, { key: keys.stranger.privateKey, kid: 'rsa-1' })), /signature/);

    const board = await token({ roles: ['RCG.Board'], rcg_trusts: ['RQQ'] });
    const [header, , signature] = board.split('.');
    const forged = `${header}.${b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'sub-asha-0001', exp: now() + 600, roles: ['RCG.Admin'] })}.${signature}`;
    expectInvalidToken(await ask(forged), /signature/);
    // the untouched token works: what changed was only the payload
    expect((await ask(board)).status).toBe(200);
  });

  test('a valid token that grants no role here is refused with 403, as is one naming two roles', async () => {
    expectRefused(await ask(await token({ roles: ['Some.Other.App.Role'] })), /grants no role here/);
    expectRefused(await ask(await token({ roles: undefined })), /grants no role here/);
    expectRefused(await ask(await token({ roles: [{ value: 'RCG.Admin' }] as unknown as string[] })), /grants no role here/);
    expectRefused(await ask(await token({ roles: ['RCG.Board', 'RCG.FacultyLead'], rcg_trusts: ['RQQ'] })), /more than one role/);
  });

  test('trusts and scope fail closed: an unknown trust, a trusts claim naming none, a manager without scope, a lead without trusts', async () => {
    expectRefused(await ask(await token({ roles: ['RCG.Board'], rcg_trusts: ['RXX'] })), /trust RXX, which this installation does not hold/);
    // one trust known and one not: the whole token is refused, not narrowed
    expectRefused(await ask(await token({ roles: ['RCG.FacultyLead'], rcg_trusts: ['RQQ', 'RXX'] })), /trust RXX/);
    // a unit that is not a trust is not a trust
    expectRefused(await ask(await token({ roles: ['RCG.Board'], rcg_trusts: ['RQQ-W1'] })), /trust RQQ-W1/);
    // an empty trusts claim grants no trust, never every trust
    expectRefused(await ask(await token({ roles: ['RCG.Board'], rcg_trusts: [] })), /names no trust/);
    expectRefused(await ask(await token({ roles: ['RCG.TeamManager'] })), /org unit they manage/);
    expectRefused(await ask(await token({ roles: ['RCG.TeamManager'], rcg_scope: 'NOPE' })), /org unit NOPE/);
    expectRefused(await ask(await token({ roles: ['RCG.TeamManager'], rcg_scope: 'RQQ-W1', rcg_trusts: ['RPP'] })), /outside the trusts it names/);
    expectRefused(await ask(await token({ roles: ['RCG.FacultyLead'] })), /names the trusts/);
  });

  test('a person signed in for one trust reads nothing of another', async () => {
    const lead = await token({ roles: ['RCG.FacultyLead'], rcg_trusts: ['RPP'] });
    const own = await ask(lead, '{ orgUnit(code: "RPP") { code } }');
    expect(own.body.data).toEqual({ orgUnit: { code: 'RPP' } });
    const other = await ask(lead, '{ orgUnit(code: "RQQ-W1") { code } }');
    expect((other.body.data as { orgUnit?: unknown } | null)?.orgUnit ?? null).toBeNull();
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  test("the person's name and subject are on the audit entry and history of what they write", async () => {
    const lead = await token({ sub: 'sub-ben-0002', name: 'Ben Okafor', roles: ['RCG.FacultyLead'], rcg_trusts: ['RQQ'] });
    const created = await ask(
      lead,
      'mutation { workstreamCreate(input: { code: "OIDC-WS", name: "Signed-in workstream", status: ACTIVE }) { workstream { code history(first: 5) { nodes { actor action } } } userErrors { code message } } }',
    );
    const payload = (created.body.data as { workstreamCreate: { workstream: { history: { nodes: unknown[] } }; userErrors: unknown[] } }).workstreamCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.workstream.history.nodes).toEqual([{ actor: 'oidc:sub-ben-0002 (Ben Okafor)', action: 'create' }]);
    const stored = await app.database.db.prisma.auditEvent.findMany({ where: { entityType: 'Workstream' }, select: { actor: true, action: true } });
    expect(stored).toEqual([{ actor: 'oidc:sub-ben-0002 (Ben Okafor)', action: 'create' }]);

    // and the same on commentary beside a number
    const manager = await token({ sub: 'sub-cara-0003', name: 'Cara Jones', roles: ['RCG.TeamManager'], rcg_scope: 'RQQ-W1' });
    const measure = await gql(url, 'mutation { measureCreate(input: { code: "OIDC-M", name: "Signed-in measure", scoringType: COUNT, improvementDirection: DECREASE }) { userErrors { code } } }');
    expect(measure.body.data).toEqual({ measureCreate: { userErrors: [] } });
    const commentary = await ask(
      manager,
      'mutation { commentaryWrite(input: { measureCode: "OIDC-M", orgUnitCode: "RQQ-W1", periodStart: "2026-01-01", text: "Two new starters this month." }) { commentary { author } userErrors { code message } } }',
    );
    expect(commentary.body.data).toEqual({ commentaryWrite: { commentary: { author: 'oidc:sub-cara-0003 (Cara Jones)' }, userErrors: [] } });
  });

  test('401s carry WWW-Authenticate: Bearer, with error="invalid_token" where a credential was sent (API keys too, and on /fhir and /board-pack)', async () => {
    const none = await ask(null);
    expect(none.status).toBe(401);
    expect(challengeOf(none)).toBe('Bearer realm="relational-care-graph"');
    expectInvalidToken(await ask('rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA'), /API key is not valid/);
    expectInvalidToken(await ask('garbage'), /API key is not valid/);
    const notBearer = await send(url, { body: JSON.stringify({ query: VIEWER }), key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expectInvalidToken(notBearer, /Bearer/);

    const root = url.replace(/\/graphql$/, '');
    const fhirBadKey = await fetch(`${root}/fhir/Measure/OIDC-M`, { headers: { authorization: 'Bearer rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA' } });
    expect(fhirBadKey.status).toBe(401);
    expect(fhirBadKey.headers.get('www-authenticate')).toMatch(/^Bearer realm="relational-care-graph", error="invalid_token"/);
    const fhirNone = await fetch(`${root}/fhir/Measure/OIDC-M`);
    expect([fhirNone.status, fhirNone.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="relational-care-graph"']);
    const fhirPerson = await fetch(`${root}/fhir/Measure/OIDC-M`, { headers: { authorization: `Bearer ${await token({ roles: ['RCG.Board'], rcg_trusts: ['RQQ'] })}` } });
    expect(fhirPerson.status).toBe(200);
    const fhirExpired = await fetch(`${root}/fhir/Measure/OIDC-M`, { headers: { authorization: `Bearer ${await token({ exp: now() - 60 })}` } });
    expect([fhirExpired.status, fhirExpired.headers.get('www-authenticate')]).toEqual([401, expect.stringContaining('error="invalid_token"')]);

    const packRefused = await fetch(`${root}/board-pack/RQQ`, { headers: { authorization: `Bearer ${await token({ roles: ['Nope'] })}` } });
    expect([packRefused.status, packRefused.headers.get('www-authenticate')]).toEqual([403, expect.stringContaining('error="insufficient_scope"')]);
    const packBadKey = await fetch(`${root}/board-pack/RQQ`, { headers: { authorization: 'Bearer rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA' } });
    expect([packBadKey.status, packBadKey.headers.get('www-authenticate')]).toEqual([401, expect.stringContaining('error="invalid_token"')]);
  });

  test('an ID token sent as a bearer is refused (nonce, at_hash or c_hash with typ JWT, or another typ); an RFC 9068 at+jwt token is accepted', async () => {
    expectInvalidToken(await ask(await token({ nonce: 'n-0S6_WzA2Mj' })), /ID token/);
    expectInvalidToken(await ask(await token({ at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' })), /ID token/);
    expectInvalidToken(await ask(await token({ c_hash: 'LDktKdoQak3Pk0cnXxCltA' }, { typ: 'jwt' })), /ID token/);
    expectInvalidToken(await ask(await token({}, { typ: 'logout+jwt' })), /not an access token: its header "typ" is "logout\+jwt"/);
    const challenge = challengeOf(await ask(await token({ nonce: 'n-0S6_WzA2Mj' })));
    expect(challenge).toContain('error_description="The token is an ID token');
    // RFC 9068 says at+jwt (or application/at+jwt): an access token whatever its other claims.
    for (const typ of ['at+jwt', 'application/at+jwt']) {
      const response = await ask(await token({ roles: ['RCG.Board'], scp: 'access_as_user' }, { typ }));
      expect([typ, response.status, response.body.errors]).toEqual([typ, 200, undefined]);
    }
    // An Entra ID v2 access token: typ JWT, scp and roles, no nonce: accepted.
    expect((await ask(await token({ scp: 'access_as_user', roles: ['RCG.Board'] }))).status).toBe(200);
  });

  test('with OIDC_REQUIRE_AT_JWT only at+jwt tokens pass; without OIDC_JWKS_URI the key set comes from discovery at first use, retried until the IdP answers with its own issuer', async () => {
    const { port } = jwksServer.address() as AddressInfo;
    const issuer = `http://127.0.0.1:${port}/${DISCOVERED}`;
    discovery = 'down';
    // The app starts while the IdP is down: discovery waits for the first token.
    const discovered = await startTestApp(kind, { OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_REQUIRE_AT_JWT: 'true' });
    try {
      expect(discoveryFetches).toBe(0);
      const signed = (claims: JWTPayload = {}, typ = 'at+jwt') => token({ iss: issuer, ...claims }, { typ });
      const askThere = async (credential: string) => gql(discovered.server.url, VIEWER, undefined, credential);
      const down = await askThere(await signed());
      expect([down.status, codeOf(down), down.headers.get('retry-after')]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
      // A document naming another issuer is not ours: still no key set, still 503 (never accepted).
      discovery = 'other-issuer';
      const spoofed = await askThere(await signed());
      expect([spoofed.status, codeOf(spoofed)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      // Back up: the next token discovers the key set and signs in.
      discovery = 'up';
      const fetchesBefore = discoveryFetches;
      const up = await askThere(await signed());
      expect([up.status, up.body.errors]).toEqual([200, undefined]);
      expect((up.body.data as { viewer: { role: string } }).viewer.role).toBe('BOARD');
      // Discovered once and kept: more tokens read no discovery document.
      expect((await askThere(await signed())).status).toBe(200);
      expect(discoveryFetches - fetchesBefore).toBe(1);
      // OIDC_REQUIRE_AT_JWT: a typ JWT token without any ID-token claim is refused all the same.
      const plain = await askThere(await signed({}, 'JWT'));
      expectInvalidToken(plain, /not at\+jwt \(OIDC_REQUIRE_AT_JWT\)/);
    } finally {
      await discovered.close();
    }
  });

  test('API keys keep working beside sign-in', async () => {
    const created = await app.request(ApiKeyCreateDocument, { input: { name: 'Nightly feed board', role: 'BOARD', trustCodes: ['RQQ'] } });
    const secret = created.body.data!.apiKeyCreate.secret!;
    const response = await ask(secret);
    expect(response.status).toBe(200);
    expect((response.body.data as { viewer: unknown }).viewer).toEqual({ label: expect.stringMatching(/^key:[a-z0-9]+ \(Nightly feed board\)$/), role: 'BOARD', trustCodes: ['RQQ'], scopeOrgUnit: null });
  });
});
