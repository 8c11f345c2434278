/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/seed';
import { DEMO_SMALL_WARD, DEMO_TRUST_CODE } from '../../src/demo/dataset';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The board pack in a real browser (Debian's Chromium, driven by playwright-core), on the
 * demo trust and PostgreSQL only (one database is enough for what a browser adds): a board
 * member reads the trust's pack, follows the summary to a measure page and finds the small
 * numbers marked; the small ward's manager reads the ward's true figures; axe-core finds no
 * serious or critical WCAG 2.2 AA violation. It saves the README's screenshots.
 *
 * No Chromium is a failure, not a skip: CI installs it (.ci/run).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
// As the machine's own probe starts it: root needs --no-sandbox; the rest keeps it off the (closed) network.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

describe('the board pack in Chromium, demo trust, on postgresql', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let keys: Record<string, string>;
  let measureCount: number;

  /** `bypassCSP`: only to inject axe-core; the page's own policy forbids every script, as it should. */
  const open = async (path: string, key: string, bypassCSP = false): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { authorization: `Bearer ${key}` }, locale: 'en-GB', bypassCSP });
    const page = await context.newPage();
    const response = await page.goto(`${base}${path}`);
    expect(response?.status()).toBe(200);
    return page;
  };

  const axeViolations = async (page: Page): Promise<AxeViolation[]> => {
    await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(async () => {
      const { axe: engine } = window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } };
      return engine.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    app = await startTestApp('postgresql');
    base = app.server.url.replace(/\/graphql$/, '');
    const seeded = await seedDemo(app.database.db.prisma);
    keys = Object.fromEntries(seeded.keys.map((k) => [k.role, k.key]));
    measureCount = await app.database.db.prisma.measure.count({ where: { archivedAt: null } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a board member reads the trust’s pack: the matrix, a chart per measure, the small numbers marked, and a link to a measure page', async () => {
    const page = await open(`/board-pack/${DEMO_TRUST_CODE}`, keys.BOARD);
    expect(await page.title()).toBe('Board pack: Ashby and Riverside Mental Health NHS Trust (fictional demo), October 2026');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    await page.getByText('Disclosure control.', { exact: true }).waitFor();

    // The matrix: five rows of variation by four columns of assurance, every measure placed once.
    const matrix = page.getByRole('table', { name: 'Summary matrix: variation (rows) by assurance (columns)' });
    expect(await matrix.isVisible()).toBe(true);
    expect(await matrix.locator('tbody tr').count()).toBe(5);
    expect(await matrix.locator('thead th').count()).toBe(5);
    expect(await matrix.getByRole('link').count()).toBe(measureCount);

    // A chart per measure, each an image whose name and description say what it shows.
    const charts = page.locator('figure.chart > svg[role="img"]');
    expect(await charts.count()).toBe(measureCount);
    for (const chart of await charts.all()) {
      const [title, desc] = await chart.evaluate((svg) => [svg.querySelector('title')?.textContent ?? '', svg.querySelector('desc')?.textContent ?? '']);
      expect(title.length).toBeGreaterThan(3);
      expect(desc).toMatch(/Shown: .+ \(\d+ points/);
      expect((await chart.boundingBox())!.width).toBeGreaterThan(400);
    }

    // Small numbers: a "*" on screen with its reason in words beside it, never a blank.
    const suppressed = page.locator('td.figure.suppressed');
    expect(await suppressed.count()).toBeGreaterThan(0);
    for (const cell of (await suppressed.all()).slice(0, 20)) {
      const text = await cell.innerText();
      expect(text).toMatch(/^\*\s+Suppressed\.\s+Not shown: /);
      expect(await cell.locator('.value').count()).toBe(0);
    }

    // Follow a measure from the matrix to its page.
    const link = matrix.getByRole('link', { name: 'Restrictive interventions per 1,000 occupied bed days' });
    await link.click();
    expect(new URL(page.url()).hash).toBe('#measure-RESTRICTIVE-RATE');
    const heading = page.getByRole('heading', { level: 3, name: 'Restrictive interventions per 1,000 occupied bed days' });
    const box = (await heading.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);
    const section = page.locator('#measure-RESTRICTIVE-RATE');
    expect(await section.getByRole('img').first().getAttribute('aria-labelledby')).toBe('spc-RESTRICTIVE-RATE-title spc-RESTRICTIVE-RATE-desc');
    expect(await section.getByRole('table').count()).toBe(1);
    expect(await section.locator('dd.latest').innerText()).toMatch(/per 1,000 occupied bed days/);
    await page.close();
  });

  test('the keyboard reaches the skip link first and it lands on the summary', async () => {
    const page = await open(`/board-pack/${DEMO_TRUST_CODE}`, keys.BOARD);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the summary');
    // Visible when focused (it sits off screen until then).
    const skip = (await page.locator('.skip-link').boundingBox())!;
    expect(skip.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#summary');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('section')?.id)).toBe('summary');
    await page.close();
  });

  test('the small ward: a board member sees "*" and the reason where its manager sees the true figure', async () => {
    const board = await open(`/board-pack/${DEMO_SMALL_WARD.code}`, keys.BOARD);
    const manager = await open(`/board-pack/${DEMO_SMALL_WARD.code}`, keys.TEAM_MANAGER);
    const latest = async (page: Page) =>
      page.locator('dd.latest').evaluateAll((cells) => cells.map((cell) => [cell.getAttribute('data-measure') ?? '', (cell as HTMLElement).innerText] as [string, string]));
    const seenByBoard = new Map(await latest(board));
    const seenByManager = new Map(await latest(manager));
    const hidden = [...seenByBoard].filter(([, text]) => text.startsWith('*')).map(([code]) => code);
    expect(hidden.length).toBeGreaterThan(0);
    for (const code of hidden) {
      expect(seenByBoard.get(code)).toMatch(/^\*\s+Suppressed\.\s+The latest figure \(.+\) is not shown: /);
      expect(seenByManager.get(code)).toMatch(/^\d[\d,]*(\.\d+)?%?/);
    }
    expect(await manager.getByText('True figures.', { exact: true }).isVisible()).toBe(true);
    await board.close();
    await manager.close();
  });

  test('axe-core finds no serious or critical WCAG 2.2 AA violation, for the board’s pack or the manager’s', async () => {
    for (const [path, key] of [
      [`/board-pack/${DEMO_TRUST_CODE}`, keys.BOARD],
      [`/board-pack/${DEMO_SMALL_WARD.code}`, keys.TEAM_MANAGER],
    ]) {
      const page = await open(path, key, true);
      const violations = await axeViolations(page);
      expect(violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}, e.g. ${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
      await page.close();
    }
  }, 120_000);

  test('screenshots for the README: the summary matrix and a measure page', async () => {
    const page = await open(`/board-pack/${DEMO_TRUST_CODE}`, keys.BOARD);
    const summary = join(SCREENSHOTS, 'board-pack-summary.png');
    const measure = join(SCREENSHOTS, 'board-pack-measure.png');
    await page.locator('#summary').screenshot({ path: summary });
    await page.locator('#measure-RESTRICTIVE-RATE').screenshot({ path: measure });
    expect(existsSync(summary) && existsSync(measure)).toBe(true);
    await page.close();
  });
});
