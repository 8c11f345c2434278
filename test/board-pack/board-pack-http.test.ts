import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { pdfLines } from '../support/pdf-text';
import { BP_COMMENTARY, createBoardPackFixture, SMALL_COUNT } from './board-pack-fixture';

/**
 * The board pack over HTTP, on both databases: who may have it, and that what it shows is what
 * the requesting key may see, in every format. The fixture's small ward RTT-W records 3
 * restraints a month (BP-C), under the MHSDS threshold of 5: a BOARD key's page, PDF and
 * spreadsheets must show "*" with the reason in that cell and never the 3, while the ward's
 * own manager sees the 3.
 */

interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
  json: { errors?: Array<{ message: string; extensions: { code: string } }> } | null;
}

/** The standalone figure 3 (not part of 13, 2023, 3.5, 30 or a key prefix such as f3ba). */
const THE_SMALL_COUNT = new RegExp(`(?<![\\w.,])${SMALL_COUNT}(?![\\w.,])`);

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The inner HTML of the figure cells of a measure × unit in one of the pack's tables. */
function figureCells(html: string, measure: string, unit: string, column: 'latest' | 'drill-down'): string[] {
  const pattern = new RegExp(`<td class="figure[^"]*" data-measure="${measure}" data-unit="${unit}" data-column="${column}">([\\s\\S]*?)</td>`, 'g');
  return [...html.matchAll(pattern)].map((m) => m[1]);
}

/** The measure page of `code` in a pack, without the line naming when its commentary was written (a date is not a figure). */
function measurePage(html: string, code: string): string {
  const start = html.indexOf(`<section class="measure" id="measure-${code}"`);
  expect(start).toBeGreaterThan(0);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end).replace(/<p class="commentary-author">[\s\S]*?<\/p>/, '');
}

describe.each(DATABASE_KINDS)('board pack over HTTP on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createBoardPackFixture>>;
  let base: string;

  const get = async (path: string, key: string | null = TEST_ADMIN_KEY): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    const body = Buffer.from(await response.arrayBuffer());
    const text = body.toString('utf8');
    let json: Answer['json'] = null;
    if ((response.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text) as Answer['json'];
    return { status: response.status, headers: response.headers, body, text, json };
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    base = app.server.url.replace(/\/graphql$/, '');
    keys = await createBoardPackFixture(app);
  });
  afterAll(() => app.close());

  test('needs a valid key (401 as on /graphql), and answers another trust’s unit exactly as a code that does not exist (404)', async () => {
    for (const path of ['/board-pack/RTT', '/board-pack/RTT/scorecard.csv', '/charts/spc.svg?measure=BP-C&orgUnit=RTT']) {
      const none = await get(path, null);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="relational-care-graph"');
      expect(none.json!.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      const wrong = await get(path, 'rcg_not-a-real-key');
      expect(wrong.status).toBe(401);
      // RFC 6750: a credential was sent and is bad
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer realm="relational-care-graph", error="invalid_token", error_description="That API key is not valid/);
    }
    const message = (answer: Answer, code: string) => answer.json!.errors![0].message.replace(code, '<code>');
    for (const path of ['/board-pack/%s', '/board-pack/%s?format=pdf', '/board-pack/%s/drill-down.xlsx', '/charts/spc.svg?measure=BP-C&orgUnit=%s']) {
      const other = await get(path.replace('%s', 'TAF-W'), keys.BOARD);
      const unknown = await get(path.replace('%s', 'NO-SUCH-UNIT'), keys.BOARD);
      expect([other.status, unknown.status]).toEqual([404, 404]);
      expect(other.json!.errors![0].extensions.code).toBe('NOT_FOUND');
      expect(message(other, 'TAF-W')).toBe(message(unknown, 'NO-SUCH-UNIT'));
    }
    // The other trust's own key has it (the 404 is about the reader, not the unit).
    expect((await get('/board-pack/TAF-W', TEST_ADMIN_KEY)).status).toBe(200);
  });

  test('bad input is 400 and unknown paths 404, in the server’s JSON error shape', async () => {
    for (const [path, status, code] of [
      ['/board-pack/RTT?period=2024-13', 400, 'BAD_USER_INPUT'],
      ['/board-pack/RTT?format=docx', 400, 'BAD_USER_INPUT'],
      ['/board-pack/RTT?periodd=2024-12', 400, 'BAD_USER_INPUT'],
      ['/board-pack/RTT?period=2024-12&period=2024-11', 400, 'BAD_USER_INPUT'],
      ['/board-pack/RTT/minutes.docx', 404, 'NOT_FOUND'],
      ['/board-pack/RTT/drill-down.csv?measure=NOPE', 404, 'NOT_FOUND'],
      ['/charts/spc.svg?measure=BP-C', 400, 'BAD_USER_INPUT'],
      ['/charts/spc.svg?measure=BP-C&orgUnit=RTT&granularity=WEEK', 400, 'BAD_USER_INPUT'],
      ['/charts/spc.svg?measure=BP-C&orgUnit=RTT&width=10', 400, 'BAD_USER_INPUT'],
      ['/charts/spc.svg?measure=BP-C&orgUnit=RTT&from=2024-12&to=2024-01', 400, 'BAD_USER_INPUT'],
      ['/charts/other.png', 404, 'NOT_FOUND'],
    ] as const) {
      const answer = await get(path);
      expect([path, answer.status, answer.json?.errors?.[0].extensions.code]).toEqual([path, status, code]);
    }
  });

  test('the page is self-contained, in English, with the cover, the matrix, one chart per measure and links that reach each measure page', async () => {
    const answer = await get('/board-pack/RTT', keys.BOARD);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = answer.text;
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    // Nothing loads from anywhere else, and nothing runs.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    expect(html).toContain('<dd class="pack-period">December 2024</dd>');
    expect(html).toContain('<dd class="updated-to">December 2024</dd>');
    const measures = await app.database.db.prisma.measure.count({ where: { archivedAt: null } });
    expect((html.match(/<figure class="chart"><svg /g) ?? []).length).toBe(measures);
    expect((html.match(/<section class="measure" id="measure-/g) ?? []).length).toBe(measures);
    // Every link in the matrix names a measure page that exists.
    const matrix = html.slice(html.indexOf('<table class="matrix">'), html.indexOf('</table>', html.indexOf('<table class="matrix">')));
    const targets = [...matrix.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets).toHaveLength(measures);
    for (const id of targets) expect(html).toContain(`id="${id}"`);
    // Tables say what they are, and their headers what they head.
    expect((html.match(/<table/g) ?? []).length).toBe((html.match(/<caption>/g) ?? []).length);
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/);
  });

  test('a BOARD key’s page shows the small ward’s 3 nowhere: "*" with the reason in words; the ward’s manager sees the 3', async () => {
    const board = (await get('/board-pack/RTT-DIR', keys.BOARD)).text;
    const manager = (await get('/board-pack/RTT-DIR', keys.TEAM_MANAGER_W)).text;
    const [boardCell] = figureCells(board, 'BP-C', 'RTT-W', 'drill-down');
    expect(boardCell).toContain('<span class="mark" aria-hidden="true">*</span>');
    expect(boardCell).toMatch(/<span class="reason">Not shown: [^<]*under 5[^<]*<\/span>/);
    expect(textOf(boardCell)).not.toMatch(THE_SMALL_COUNT);
    expect(board).toContain('Disclosure control.');
    const [managerCell] = figureCells(manager, 'BP-C', 'RTT-W', 'drill-down');
    expect(managerCell).toContain(`<span class="value">${SMALL_COUNT}</span>`);

    // The ward's own pack: as BOARD every figure of BP-C there is hidden, chart and words included.
    const boardWard = (await get('/board-pack/RTT-W', keys.BOARD)).text;
    const page = measurePage(boardWard, 'BP-C');
    expect(textOf(page)).not.toMatch(THE_SMALL_COUNT);
    expect(page).toContain('No values to show. 24 points suppressed (small numbers).');
    expect(figureCells(boardWard, 'BP-C', 'RTT-W', 'latest')[0]).toContain('<span class="mark" aria-hidden="true">*</span>');
    // … and the manager's shows the true figure, says it is true, and carries the commentary and its author.
    const managerWard = (await get('/board-pack/RTT-W', keys.TEAM_MANAGER_W)).text;
    expect(figureCells(managerWard, 'BP-C', 'RTT-W', 'latest')[0]).toContain(`<span class="value">${SMALL_COUNT}</span>`);
    expect(measurePage(managerWard, 'BP-C')).toContain(`Latest: ${SMALL_COUNT} (December 2024).`);
    expect(managerWard).toContain('True figures.');
    expect(managerWard).toContain(BP_COMMENTARY);
    expect(managerWard).toMatch(/<p class="commentary-author">key:\w+ \(TEAM_MANAGER RTT-W\)/);
  });

  test('the PDF as BOARD has "*" where the small ward’s figure would be, and the manager’s PDF has the 3', async () => {
    const answer = await get('/board-pack/RTT-DIR?format=pdf', keys.BOARD);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="board-pack-RTT-DIR-2024-12.pdf"');
    expect(answer.body.subarray(0, 5).toString()).toBe('%PDF-');
    const board = pdfLines(answer.body).flat();
    const manager = pdfLines((await get('/board-pack/RTT-DIR?format=pdf', keys.TEAM_MANAGER_W)).body).flat();
    const wardRow = (lines: string[]) => lines.filter((line) => line.includes('Unit RTT-W (RTT-W)'));
    // The ward's row in the drill-down of every measure; BP-C is the one with figures.
    expect(wardRow(board).length).toBeGreaterThan(0);
    for (const row of wardRow(board)) expect(row).not.toMatch(THE_SMALL_COUNT);
    expect(wardRow(board).some((row) => row.includes('*'))).toBe(true);
    expect(wardRow(manager).some((row) => THE_SMALL_COUNT.test(row))).toBe(true);

    const boardWard = pdfLines((await get('/board-pack/RTT-W?format=pdf', keys.BOARD)).body).flat();
    const managerWard = pdfLines((await get('/board-pack/RTT-W?format=pdf', keys.TEAM_MANAGER_W)).body).flat();
    const bpPage = (lines: string[]) => lines.slice(lines.indexOf('Restraints on the ward'), lines.findIndex((l, i) => i > lines.indexOf('Restraints on the ward') && l.startsWith('Page ')));
    expect(bpPage(boardWard)).toContain('Latest (December 2024): *');
    expect(bpPage(boardWard).join('\n')).toContain('No values to show. 24 points suppressed (small numbers).');
    expect(bpPage(managerWard)).toContain(`Latest (December 2024): ${SMALL_COUNT} restraints`);
  });

  test('the CSV and XLSX tables as BOARD hold "*" and the reason for the small ward, never the 3; the manager’s hold the 3', async () => {
    type Row = Record<string, string>;
    const csv = async (path: string, key: string) => {
      const answer = await get(path, key);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      return parse(answer.text, { columns: true }) as Row[];
    };
    const wardOf = (rows: Row[]) => rows.find((r) => r.measure_code === 'BP-C' && r.org_unit_code === 'RTT-W')!;

    const boardDrill = wardOf(await csv('/board-pack/RTT-DIR/drill-down.csv?measure=BP-C', keys.BOARD));
    expect(boardDrill).toMatchObject({ value: '*', value_shown: '*', numerator: '*', suppressed: 'true' });
    expect(boardDrill.suppression_reason).toMatch(/^Not shown: .*under 5/);
    expect(Object.values(boardDrill)).not.toContain(String(SMALL_COUNT));
    expect(wardOf(await csv('/board-pack/RTT-DIR/drill-down.csv?measure=BP-C', keys.TEAM_MANAGER_W))).toMatchObject({ value: String(SMALL_COUNT), suppressed: 'false' });

    const boardCard = (await csv('/board-pack/RTT-W/scorecard.csv', keys.BOARD)).find((r) => r.measure_code === 'BP-C')!;
    expect(boardCard).toMatchObject({ org_unit_code: 'RTT-W', period: '2024-12', latest_period: 'Dec 2024', value: '*', suppressed: 'true' });
    expect((await csv('/board-pack/RTT-W?format=csv', keys.TEAM_MANAGER_W)).find((r) => r.measure_code === 'BP-C')).toMatchObject({ value: String(SMALL_COUNT) });

    const sheetRows = async (path: string, key: string, sheetName: string) => {
      const answer = await get(path, key);
      expect(answer.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(answer.body as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet(sheetName)!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      const rows: Array<Record<string, unknown>> = [];
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, (row.values as unknown[])[i + 1]])));
      });
      return rows;
    };
    for (const path of ['/board-pack/RTT-DIR?format=xlsx', '/board-pack/RTT-DIR/drill-down.xlsx']) {
      const boardRow = (await sheetRows(path, keys.BOARD, 'Drill-down')).find((r) => r.measure_code === 'BP-C' && r.org_unit_code === 'RTT-W')!;
      expect(boardRow).toMatchObject({ value: '*', numerator: '*', suppressed: 'true' });
      expect(Object.values(boardRow)).not.toContain(SMALL_COUNT);
      const managerRow = (await sheetRows(path, keys.TEAM_MANAGER_W, 'Drill-down')).find((r) => r.measure_code === 'BP-C' && r.org_unit_code === 'RTT-W')!;
      expect(managerRow).toMatchObject({ value: SMALL_COUNT, numerator: SMALL_COUNT });
    }
    expect((await sheetRows('/board-pack/RTT-W/scorecard.xlsx', keys.BOARD, 'Scorecard')).find((r) => r.measure_code === 'BP-C')).toMatchObject({ value: '*' });
  });

  test('/charts/spc.svg is one MDC chart with words, disclosure-controlled for the key', async () => {
    const board = await get('/charts/spc.svg?measure=BP-C&orgUnit=RTT-W', keys.BOARD);
    expect(board.status).toBe(200);
    expect(board.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(board.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(board.text).toContain('<title id="spc-BP-C-title">Restraints on the ward: Unit RTT-W</title>');
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(board.text)![1];
    expect(desc).toBe('No values to show. 24 points suppressed (small numbers). Shown: January 2023 to December 2024 (24 points, restraints).');
    expect((board.text.match(/class="suppressed-mark"/g) ?? []).length).toBe(24);
    expect(board.text).not.toMatch(/class="point /);

    const manager = await get('/charts/spc.svg?measure=BP-C&orgUnit=RTT-W&from=2024-01&to=2024-12', keys.TEAM_MANAGER_W);
    expect(/<desc[^>]*>([^<]*)<\/desc>/.exec(manager.text)![1]).toMatch(new RegExp(`Latest: ${SMALL_COUNT} \\(December 2024\\)\\..*Shown: January 2024 to December 2024 \\(12 points, restraints\\)\\.$`));
    expect((manager.text.match(/class="point /g) ?? []).length).toBe(12);

    const quarters = await get('/charts/spc.svg?measure=BP-C&orgUnit=RTT&granularity=QUARTER&width=600&height=320', keys.BOARD);
    expect(quarters.text).toMatch(/<svg [^>]*width="600" height="320"/);
    expect(/<desc[^>]*>([^<]*)<\/desc>/.exec(quarters.text)![1]).toContain('2022/23 Q4 to 2024/25 Q3 (8 points, restraints)');
  });
});

describe('board pack rate limits on pglite', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  test('share the credential’s budget with /graphql: over it, 429 RATE_LIMITED with Retry-After', async () => {
    app = await startTestApp('pglite', { RATE_LIMIT_PER_MINUTE: '3' });
    const base = app.server.url.replace(/\/graphql$/, '');
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const statuses: number[] = [];
    let last: Response | null = null;
    for (const path of ['/charts/spc.svg?measure=X&orgUnit=Y', '/board-pack/NOPE', '/board-pack/NOPE/scorecard.csv', '/board-pack/NOPE']) {
      last = await fetch(`${base}${path}`, { headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(last!.headers.get('ratelimit-limit')).toBe('3');
    const body = (await last!.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // The same budget as /graphql: it is spent there too.
    expect((await app.requestRaw(JSON.stringify({ query: '{ __typename }' }))).status).toBe(429);
  });
});
