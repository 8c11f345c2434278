/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/seed';
import { DEMO_SMALL_WARD } from '../../src/demo/dataset';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The ward's "you said, we did" page in a real browser (Debian's Chromium via playwright-core),
 * on the demo trust and PostgreSQL only, as the board pack's browser test does: axe-core finds
 * no WCAG 2.2 AA violation of any impact, the page prints on A4, and it saves the README's
 * screenshot. No Chromium is a failure, not a skip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe('you said, we did in Chromium, demo trust, on postgresql', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let keys: Record<string, string>;

  const open = async (path: string, key: string, bypassCSP = false): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, extraHTTPHeaders: { authorization: `Bearer ${key}` }, locale: 'en-GB', bypassCSP });
    const page = await context.newPage();
    const response = await page.goto(`${base}${path}`);
    expect(response?.status()).toBe(200);
    return page;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    app = await startTestApp('postgresql');
    base = app.server.url.replace(/\/graphql$/, '');
    keys = Object.fromEntries((await seedDemo(app.database.db.prisma)).keys.map((k) => [k.role, k.key]));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('the small ward’s wall: headings in order, each pair said and done, no accessibility violation, and the screenshot', async () => {
    const path = `/you-said-we-did/${DEMO_SMALL_WARD.code}?from=2026-05-01&to=2026-10-31`;
    const page = await open(path, keys.BOARD, true);
    expect(await page.title()).toBe(`You said, we did: ${DEMO_SMALL_WARD.name}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You said, we did');
    const pairs = page.locator('article.pair');
    expect(await pairs.count()).toBeGreaterThanOrEqual(2);
    expect(await pairs.first().getByRole('heading', { level: 3, name: 'You said' }).isVisible()).toBe(true);
    expect(await pairs.first().getByRole('heading', { level: 3, name: 'We did' }).isVisible()).toBe(true);
    expect(await page.getByText(/^Done on \d{1,2} \w+ 2026$/).count()).toBeGreaterThanOrEqual(1);

    // The skip link is the first thing a keyboard reaches, and it is visible when focused.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to what you said and what we did');

    await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(async () => {
      const { axe: engine } = window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } };
      return engine.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    });
    expect(result.violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

    await page.keyboard.press('Shift+Tab'); // no focus ring in the picture
    await page.screenshot({ path: join(SCREENSHOTS, 'you-said-we-did.png'), fullPage: false });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('the page’s own policy runs nothing: no script, no request beyond the page', async () => {
    const page = await open(`/you-said-we-did/${DEMO_SMALL_WARD.code}`, keys.TEAM_MANAGER);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.reload();
    expect(requests).toEqual([`${base}/you-said-we-did/${DEMO_SMALL_WARD.code}`]);
    expect(await page.locator('script').count()).toBe(0);
  });
});
