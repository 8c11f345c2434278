import { authenticate } from '../../src/access/authenticate';
import { buildNodeRegistry } from '../../src/app';
import { chartInputFor } from '../../src/board-pack/chart-input';
import { renderBoardPackPdf } from '../../src/board-pack/board-pack-pdf';
import { chartSeries, loadBoardPack } from '../../src/board-pack/board-pack.service';
import { renderSpcChart } from '../../src/board-pack/spc-chart';
import { loadConfig } from '../../src/config';
import { seedDemo } from '../../src/demo/seed';
import { RequestContext } from '../../src/graphql/context';
import { createLogger } from '../../src/logger';
import { measureFromRow } from '../../src/measures/measure.type';
import { orgUnitFromRow } from '../../src/organisation/org-unit.type';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { pdfLines } from '../support/pdf-text';

/**
 * Every chart of the demo trust renders: each live measure at each org unit, as a board
 * member sees it (under disclosure control) and as the administrator does, and the whole
 * trust's pack as a PDF.
 */
describe('every chart of the demo trust on pglite', () => {
  let database: TestDatabase;
  const contexts: Record<'BOARD' | 'ADMIN', RequestContext> = {} as never;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const seeded = await seedDemo(database.db.prisma);
    const config = loadConfig({ NODE_ENV: 'test' });
    for (const role of ['BOARD', 'ADMIN'] as const) {
      const key = seeded.keys.find((k) => k.role === role)!.key;
      const authentication = await authenticate(database.db.prisma, `Bearer ${key}`, null);
      if (!authentication.ok) throw new Error(`demo ${role} key refused`);
      contexts[role] = new RequestContext(database.db, `demo-charts-${role}`, authentication.actor, createLogger('silent'), { statements: 0 }, buildNodeRegistry(), config);
    }
  }, 180_000);
  afterAll(() => database?.drop());

  test.each(['BOARD', 'ADMIN'] as const)('as %s: each measure at each org unit draws an SVG chart with its words', async (role) => {
    const ctx = contexts[role];
    const measures = (await ctx.prisma.measure.findMany({ where: { archivedAt: null } })).map(measureFromRow);
    const units = (await ctx.prisma.orgUnit.findMany({ where: { archivedAt: null } })).map(orgUnitFromRow);
    expect(measures.length * units.length).toBeGreaterThan(500);
    let suppressedMarks = 0;
    for (const unit of units) {
      for (const measure of measures) {
        const { series, phases } = await chartSeries(ctx, measure, unit, {});
        const svg = renderSpcChart(chartInputFor(measure, series, unit.name, { phases, markers: [], id: `spc-${measure.code}` }));
        expect(svg).toMatch(/^<svg [\s\S]*<desc id="spc-[^"]+-desc">[^<]+<\/desc>[\s\S]*<\/svg>\n$/);
        expect(svg).not.toMatch(/NaN|undefined|Infinity/);
        suppressedMarks += (svg.match(/class="suppressed-mark"/g) ?? []).length;
      }
    }
    // The board sees small numbers hidden somewhere in the demo trust; the administrator nowhere.
    if (role === 'BOARD') expect(suppressedMarks).toBeGreaterThan(0);
    else expect(suppressedMarks).toBe(0);
  }, 180_000);

  test('the whole trust’s pack as a PDF: a page per measure, each with its chart’s words', async () => {
    const ctx = contexts.BOARD;
    const unit = orgUnitFromRow(await ctx.prisma.orgUnit.findUniqueOrThrow({ where: { code: 'RZZ' } }));
    const pack = await loadBoardPack(ctx, unit, null, new Date('2026-11-05T09:30:00Z'));
    const pages = pdfLines(await renderBoardPackPdf(pack));
    for (const measure of pack.measures) {
      const page = pages.find((lines) => lines[0] === measure.entry.measure.name);
      expect(page).toBeDefined();
      expect(page!.join(' ')).toMatch(/What the chart shows: .+Shown: /);
    }
    expect(pages[0].join(' ')).toContain('Prepared: 5 November 2026, 09:30 UTC, for a board member');
    expect(pages.at(-1)!.join(' ')).toMatch(new RegExp(`Page ${pages.length} of ${pages.length}`));
  }, 120_000);
});
