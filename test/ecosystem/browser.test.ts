import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Request as BrowserRequest } from 'playwright-core';
import type { AppServer } from '../../src/app';
import { startServerOn } from '../hardening/http';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * In a real browser (Debian's Chromium, driven by playwright-core): a dashboard page on another
 * origin calls the API with a key, and the explorer loads, renders GraphiQL and runs a query
 * without any request leaving this server. CI installs chromium (.ci/run); without it these
 * tests fail, they never skip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A dashboard as a trust would host it: on load, it calls the API named in its query string and shows what it got. */
const DASHBOARD = `<!doctype html>
<html><head><meta charset="utf-8"><title>dashboard</title><link rel="icon" href="data:,"></head>
<body><pre id="result" data-state="loading"></pre>
<script>
(async () => {
  const params = new URLSearchParams(location.search);
  const api = params.get('api');
  const show = (value) => { const el = document.getElementById('result'); el.textContent = JSON.stringify(value); el.dataset.state = 'done'; };
  try {
    const response = await fetch(api + '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + params.get('key') },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    const fhir = await fetch(api + '/fhir/metadata', { headers: { authorization: 'Bearer ' + params.get('key') } });
    show({ ok: true, status: response.status, body: await response.json(), remaining: response.headers.get('RateLimit-Remaining'), fhirStatus: fhir.status });
  } catch (error) {
    show({ ok: false, error: String(error) });
  }
})();
</script></body></html>`;

interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the dashboard page from its own port: another origin than the API's. */
async function servePage(): Promise<PageServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('in Chromium: CORS from a page on another origin, and the offline explorer', () => {
  let browser: Browser;
  let allowedPage: PageServer;
  let otherPage: PageServer;
  let app: TestApp;
  let api: AppServer;
  let apiOrigin: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
    allowedPage = await servePage();
    otherPage = await servePage();
    // The explorer's own instance (the test app) keeps CORS off; this one allows the first page's origin only.
    app = await startTestApp('postgresql');
    api = await startServerOn(app.database.db, { CORS_ORIGINS: allowedPage.origin, RATE_LIMIT_PER_MINUTE: '1000' });
    apiOrigin = new URL(api.url).origin;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await allowedPage?.close();
    await otherPage?.close();
    await api?.stop();
    await app?.close();
  });

  test(`Chromium is installed at ${CHROMIUM} (CHROMIUM_PATH), and is a real browser`, async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(browser.version()).toMatch(/^\d+\./);
  });

  /** Opens the dashboard on `origin` against the API and returns what its script showed, and the browser's console. */
  async function runDashboard(origin: string) {
    const context = await browser.newContext();
    const console: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (message) => console.push(message.text()));
      await page.goto(`${origin}/?api=${encodeURIComponent(apiOrigin)}&key=${encodeURIComponent(TEST_ADMIN_KEY)}`);
      await page.waitForSelector('#result[data-state="done"]', { timeout: 15_000 });
      return { result: JSON.parse((await page.textContent('#result')) ?? 'null') as Record<string, unknown>, console };
    } finally {
      await context.close();
    }
  }

  test('a page on an allowed origin gets data with its key, and can read the rate-limit budget', async () => {
    const { result } = await runDashboard(allowedPage.origin);
    expect(result).toMatchObject({ ok: true, status: 200, body: { data: { viewer: { role: 'ADMIN' } } }, fhirStatus: 200 });
    expect(Number(result.remaining)).toBeGreaterThan(0); // an exposed header: without Expose-Headers the page reads null
  });

  test('a page on any other origin is refused by the browser: a CORS failure, no data', async () => {
    expect(allowedPage.origin).not.toBe(otherPage.origin);
    const { result, console } = await runDashboard(otherPage.origin);
    expect(result).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    expect(console.join('\n')).toMatch(/blocked by CORS policy/);
  });

  describe('the explorer', () => {
    let context: BrowserContext;
    const requests: BrowserRequest[] = [];
    const elsewhere: string[] = [];
    const problems: string[] = [];

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // Record every request of every page and worker; anything for another host is recorded and never sent.
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || new URL(url).origin === new URL(app.server.url).origin) {
          await route.continue();
        } else {
          elsewhere.push(url);
          await route.abort();
        }
      });
      context.on('request', (request) => requests.push(request));
      context.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
      context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
      context.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy/.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
      });
    });
    afterAll(async () => {
      await context?.close();
    });

    test('loads, renders GraphiQL with its schema, and runs { viewer { role } } with a key typed into the headers editor; every request goes to this server', async () => {
      const page = await context.newPage();
      await page.goto(app.server.url);
      await page.waitForSelector('.graphiql-container', { timeout: 20_000 });

      // The headers editor is open, on the key placeholder.
      const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
      expect(await headersEditor.evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue())).toMatch(/"Authorization": "Bearer <key>"/);

      // The schema arrived (introspection, sent without the placeholder): the docs list the root types.
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.waitForSelector('.graphiql-doc-explorer >> text=Query', { timeout: 10_000 });

      // As a person would: replace the query, paste the key over the placeholder, press run.
      await page.locator('.graphiql-query-editor .CodeMirror').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText('{ viewer { role } }');
      await headersEditor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${TEST_ADMIN_KEY}` }));
      await page.click('.graphiql-execute-button');
      const result = page.locator('.result-window .CodeMirror');
      // A function, not a string: the page's CSP (no 'unsafe-eval') refuses Playwright's eval of a string predicate.
      await page.waitForFunction(
        () => {
          const editor = (globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror: { getValue(): string } } | null } }).document.querySelector('.result-window .CodeMirror');
          return /"role"/.test(editor?.CodeMirror.getValue() ?? '');
        },
        null,
        { timeout: 10_000 },
      );
      const shown = JSON.parse(await result.evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue())) as { data: unknown };
      expect(shown.data).toEqual({ viewer: { role: 'ADMIN' } });

      // What the page asked for, and of whom.
      const apiOrigin = new URL(app.server.url).origin;
      expect(elsewhere).toEqual([]);
      expect(requests.map((request) => new URL(request.url()).origin).filter((origin) => origin !== apiOrigin)).toEqual([]);
      const paths = requests.map((request) => `${request.method()} ${new URL(request.url()).pathname}`);
      expect(paths).toEqual(expect.arrayContaining(['GET /graphql', 'GET /explorer/graphiql.min.js', 'GET /explorer/react.production.min.js', 'GET /explorer/start.js', 'POST /graphql']));
      const sentKey = requests.filter((request) => request.method() === 'POST').map((request) => request.headers().authorization ?? null);
      expect(sentKey).toContain(`Bearer ${TEST_ADMIN_KEY}`);
      expect(sentKey).not.toContain('Bearer <key>'); // the placeholder is never sent
      expect(problems).toEqual([]);
    });
  });
});
