import type { AppServer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { send, startServerOn } from '../hardening/http';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * CORS over HTTP, as a browser would ask: an allow-listed origin is reflected (with the
 * headers a dashboard needs to read), any other origin and a request without one get no CORS
 * headers, and preflights are answered before authentication, rate limits and Apollo's CSRF
 * prevention. test/ecosystem/browser.test.ts does the same from a real page in Chromium.
 */
const ALLOWED = 'https://dashboard.trust.example';
const OTHER = 'https://elsewhere.example';
const VIEWER = JSON.stringify({ query: '{ viewer { role } }' });

const corsHeaders = (headers: Headers) => {
  const names: string[] = [];
  headers.forEach((_value, name) => names.push(name));
  return names.filter((name) => name.startsWith('access-control-'));
};
const list = (value: string | null) => (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);

/** A browser's preflight for a JSON POST with a key. */
const preflight = (url: string, origin: string, requestHeaders = 'authorization,content-type') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });

describe('CORS from CORS_ORIGINS, on postgresql', () => {
  let app: TestApp;
  let withCors: AppServer;
  let root: string;

  beforeAll(async () => {
    app = await startTestApp('postgresql');
    withCors = await startServerOn(app.database.db, { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173`, RATE_LIMIT_PER_MINUTE: '1000' });
    root = withCors.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await withCors?.stop();
    await app?.close();
  });

  test('an allowed origin gets its own origin back, Vary: Origin, and may read the rate-limit and retry headers', async () => {
    const response = await send(withCors.url, { body: VIEWER, headers: { origin: ALLOWED } });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ viewer: { role: 'ADMIN' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(list(response.headers.get('vary'))).toContain('origin');
    expect(list(response.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'x-request-id', 'www-authenticate']),
    );
    expect(response.headers.get('ratelimit-remaining')).not.toBeNull(); // the exposed header is really there
    expect(response.headers.get('access-control-allow-credentials')).toBeNull(); // bearer keys, never cookies
  });

  test('the second listed origin is allowed too, and matching is exact (scheme, host and port)', async () => {
    const second = await send(withCors.url, { body: VIEWER, headers: { origin: 'http://localhost:5173' } });
    expect(second.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    for (const near of ['http://localhost:5174', 'https://localhost:5173', 'http://dashboard.trust.example', `${ALLOWED}.evil.example`, 'null']) {
      const response = await send(withCors.url, { body: VIEWER, headers: { origin: near } });
      expect([near, corsHeaders(response.headers)]).toEqual([near, []]);
    }
  });

  test('another origin gets no CORS header (the request is served, but a browser will not let the page read it)', async () => {
    const response = await send(withCors.url, { body: VIEWER, headers: { origin: OTHER } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response.headers)).toEqual([]);
    expect(list(response.headers.get('vary'))).toContain('origin');
  });

  test('a request without Origin (a server, curl, a feed) is served as before, with no CORS header', async () => {
    const response = await send(withCors.url, { body: VIEWER });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ viewer: { role: 'ADMIN' } });
    expect(corsHeaders(response.headers)).toEqual([]);
  });

  test('a preflight from an allowed origin is 204 with the methods, headers and max-age, before any key or CSRF check', async () => {
    const response = await preflight(withCors.url, ALLOWED, 'authorization,content-type,apollo-require-preflight');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(list(response.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post']));
    expect(list(response.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight']));
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('ratelimit-remaining')).toBeNull(); // answered before the rate limiter: costs no budget
  });

  test('a preflight from another origin is 403 with no Access-Control-Allow-* header', async () => {
    const response = await preflight(withCors.url, OTHER);
    expect(response.status).toBe(403);
    expect(corsHeaders(response.headers)).toEqual([]);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
  });

  test('/fhir has the same CORS: preflight, reads, and a 401 the page can read (with WWW-Authenticate exposed)', async () => {
    const fhirPreflight = await preflight(`${root}/fhir/MeasureReport`, ALLOWED);
    expect(fhirPreflight.status).toBe(204);
    expect(fhirPreflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect((await preflight(`${root}/fhir/MeasureReport`, OTHER)).status).toBe(403);
    const metadata = await fetch(`${root}/fhir/metadata`, { headers: { origin: ALLOWED } });
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const refused = await fetch(`${root}/fhir/MeasureReport`, { headers: { origin: ALLOWED } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="relational-care-graph"');
    const other = await fetch(`${root}/fhir/metadata`, { headers: { origin: OTHER } });
    expect(corsHeaders(other.headers)).toEqual([]);
  });

  test('errors carry the CORS headers too, so the page can read why (401 without a key, 400 CSRF)', async () => {
    const noKey = await send(withCors.url, { body: VIEWER, key: null, headers: { origin: ALLOWED } });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    // CORS does not weaken CSRF prevention: a simple text/plain POST is still refused.
    const simple = await send(withCors.url, { body: VIEWER, contentType: 'text/plain', headers: { origin: ALLOWED } });
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/Cross-Site Request Forgery/);
  });

  test('health and readiness probes are not API routes: no CORS headers there', async () => {
    const health = await fetch(`${root}/healthz`, { headers: { origin: ALLOWED } });
    expect(health.status).toBe(200);
    expect(corsHeaders(health.headers)).toEqual([]);
  });

  test('without CORS_ORIGINS nothing changes: no CORS header, and a preflight reaches Apollo as before', async () => {
    const response = await send(app.server.url, { body: VIEWER, headers: { origin: ALLOWED } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response.headers)).toEqual([]);
    const pre = await preflight(app.server.url, ALLOWED);
    expect(pre.status).not.toBe(204);
    expect(corsHeaders(pre.headers)).toEqual([]);
  });
});

describe('CORS_ORIGINS parsing', () => {
  const parse = (value: string) => loadConfig({ CORS_ORIGINS: value, ADMIN_API_KEY: TEST_ADMIN_KEY }).corsOrigins;

  test('exact origins, comma-separated, spaces and empty items ignored; unset is none', () => {
    expect(parse(' https://a.example , http://localhost:5173,,')).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(parse('')).toEqual([]);
  });

  test.each(['*', 'https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example', 'https://A.example', 'https://a.example:443', 'null'])(
    'refuses %s at start (it could never match what a browser sends)',
    (value) => {
      expect(() => parse(value)).toThrow(/CORS_ORIGINS takes exact origins/);
    },
  );
});
