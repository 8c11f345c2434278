import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the import CLI as its own process, as an operator would. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'scripts/import-csv.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The counts from the summary the CLI prints. */
function summary(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stdout.matchAll(/^\s+(created|updated|unchanged|rejected)\s+([\d,]+)/gm)) counts[match[1]] = Number(match[2].replace(/,/g, ''));
  return counts;
}

describe.each(DATABASE_KINDS)('CSV import CLI on %s', (kind) => {
  let app: TestApp;
  let dir: string;
  const work = (name: string) => {
    const target = path.join(dir, name);
    copyFileSync(path.join(FIXTURES, name), target);
    return target;
  };
  const cli = (file: string, ...extra: string[]) => runCli([file, '--url', app.server.url, '--no-progress', ...extra], { RCG_API_KEY: TEST_ADMIN_KEY });
  const observationCount = () => app.database.db.prisma.observation.count();

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createMeasurementFixture(app);
    dir = mkdtempSync(path.join(tmpdir(), 'rcg-csv-'));
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await app?.close();
  });

  test('a valid file: exit 0, every row created, no rejects file', async () => {
    const file = work('observations-valid.csv');
    const result = await cli(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toEqual({ created: 10, updated: 0, unchanged: 0, rejected: 0 });
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    expect(await observationCount()).toBe(10);
    const rate = await app.database.db.prisma.observation.findFirstOrThrow({ where: { externalId: 'r1-a-2024-01' } });
    expect(rate).toMatchObject({ numerator: 3, denominator: 612.5, source: 'incidents' });
    const count = await app.database.db.prisma.observation.findFirstOrThrow({ where: { measure: { code: 'C1' }, orgUnit: { code: 'RTT-D' } } });
    expect(count).toMatchObject({ numerator: 2, denominator: null, source: 'api', externalId: null });
    expect(await app.database.db.prisma.observation.findFirst({ where: { externalId: 'q1,a,2024' } })).not.toBeNull();
  });

  test('re-running the same file: every row unchanged, nothing duplicated', async () => {
    const result = await cli(work('observations-valid.csv'), '--batch-size', '3');
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toEqual({ created: 0, updated: 0, unchanged: 10, rejected: 0 });
    expect(await observationCount()).toBe(10);
  });

  test('a dry run counts and lists rejects but writes nothing', async () => {
    const file = work('observations-with-errors.csv');
    const result = await cli(file, '--dry-run');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DRY RUN');
    expect(summary(result.stdout)).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 11 });
    expect(await observationCount()).toBe(10);
    expect(existsSync(`${file}.rejects.csv`)).toBe(true);
  });

  test.each([5000, 4])('a file with bad rows (batches of %i): good rows land, exit 1, each bad row in the rejects file with its reason', async (batchSize) => {
    const before = await observationCount();
    const file = work('observations-with-errors.csv');
    const result = await cli(file, '--batch-size', String(batchSize));
    expect(result.code).toBe(1);
    expect(summary(result.stdout)).toEqual(batchSize === 5000 ? { created: 4, updated: 0, unchanged: 0, rejected: 11 } : { created: 0, updated: 0, unchanged: 4, rejected: 11 });
    expect(result.stdout).toContain(`${file}.rejects.csv`);
    expect(await observationCount()).toBe(before + (batchSize === 5000 ? 4 : 0));

    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true, relax_column_count: true }) as Array<Record<string, string>>;
    const byLine = Object.fromEntries(rejects.map((r) => [r.row_number, [r.field, r.code]]));
    expect(byLine).toEqual({
      3: ['measure_code', 'UNKNOWN_MEASURE'],
      4: ['org_unit_code', 'UNKNOWN_ORG_UNIT'],
      5: ['period_start', 'PERIOD_NOT_ALIGNED'],
      6: ['period_start', 'PERIOD_IN_FUTURE'],
      7: ['numerator', 'INVALID'],
      8: ['numerator', 'REQUIRED'],
      9: ['numerator', 'NUMERATOR_EXCEEDS_DENOMINATOR'],
      10: ['denominator', 'DENOMINATOR_NOT_ALLOWED'],
      11: ['denominator', 'ZERO_DENOMINATOR'],
      12: ['', 'MALFORMED'],
      13: ['numerator; denominator', 'NEGATIVE; ZERO_DENOMINATOR'],
    });
    expect(rejects.every((r) => r.message.length > 10)).toBe(true);
    // The original columns come first, unchanged, so a fixed file can be sent again.
    expect(rejects[0]).toMatchObject({ measure_code: 'NOPE', org_unit_code: 'RTT-A', period_start: '2024-03-01', numerator: '1', denominator: '2', source: 'epr', external_id: '' });
    expect(readFileSync(`${file}.rejects.csv`, 'utf8').split('\n')[0]).toBe('measure_code,org_unit_code,period_start,numerator,denominator,source,external_id,row_number,field,code,message');
  });

  test.each([[5000, '2024-06'], [2, '2024-07']])('a numerator past the largest number, and duplicate rows, are refused naming the file line (batches of %i)', async (batchSize, month) => {
    const file = path.join(dir, `finite-and-duplicates-${batchSize}.csv`);
    writeFileSync(
      file,
      [
        'measure_code,org_unit_code,period_start,numerator,denominator,source,external_id',
        `P1,RTT-A,${month}-01,1e309,10,epr,`,
        `P1,RTT-B,${month}-01,3,10,epr,dup-${month}`,
        `P1,RTT-C,${month}-01,4,10,epr,`,
        `P1,RTT-B,${month}-01,5,10,epr,`,
        `P1,RTT-W,${month}-01,6,10,epr,dup-${month}`,
      ].join('\n'),
    );
    const result = await cli(file, '--batch-size', String(batchSize));
    expect(result.code).toBe(1);
    expect(summary(result.stdout)).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 3 });
    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Array<Record<string, string>>;
    expect(rejects.map((r) => [r.row_number, r.field, r.code, r.message])).toEqual([
      ['2', 'numerator', 'INVALID', 'numerator "1e309" is not a finite number (too large to hold)'],
      ['5', 'period_start', 'DUPLICATE_IN_BATCH', `Line 3 already gives P1 at RTT-B for ${month}-01`],
      ['6', 'external_id', 'DUPLICATE_IN_BATCH', `Line 3 already uses external_id "dup-${month}" from epr`],
    ]);
    expect((await app.database.db.prisma.observation.findFirstOrThrow({ where: { externalId: `dup-${month}` } })).numerator).toBe(3);
  });

  test('a period before 2000 is refused as implausible', async () => {
    const file = path.join(dir, 'too-early.csv');
    writeFileSync(file, 'measure_code,org_unit_code,period_start,numerator,denominator,source,external_id\nP1,RTT-A,1900-01-01,1,2,epr,\n');
    const result = await cli(file);
    expect(result.code).toBe(1);
    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Array<Record<string, string>>;
    expect(rejects.map((r) => [r.row_number, r.field, r.code])).toEqual([['2', 'period_start', 'PERIOD_TOO_EARLY']]);
  });

  test('strata in the extra columns stratifier,stratum_code: stored, the whole worked out, a lone column refused by line', async () => {
    await app.database.db.prisma.measure.update({ where: { code: 'C1' }, data: { stratifiers: ['SEX'] } });
    const file = path.join(dir, 'strata.csv');
    writeFileSync(
      file,
      [
        'measure_code,org_unit_code,period_start,numerator,denominator,source,external_id,stratifier,stratum_code',
        'C1,RTT-B,2024-09-01,7,,epr,,SEX,1',
        'C1,RTT-B,2024-09-01,5,,epr,,SEX,2',
        'C1,RTT-B,2024-09-01,1,,epr,,SEX,',
      ].join('\n'),
    );
    const result = await cli(file, '--batch-size', '10');
    expect(result.code).toBe(1);
    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Array<Record<string, string>>;
    expect(rejects.map((r) => [r.row_number, r.field, r.code])).toEqual([['4', 'stratum_code', 'REQUIRED']]);
    const whole = await app.database.db.prisma.observation.findFirstOrThrow({ where: { measure: { code: 'C1' }, orgUnit: { code: 'RTT-B' }, periodStart: new Date('2024-09-01T00:00:00Z'), stratifier: '' } });
    expect(whole).toMatchObject({ numerator: 12, derivedFromStrata: true });
  });

  test('two overlapping files imported at once: one row per key, nothing lost or doubled', async () => {
    const rows = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => {
        const month = from + i;
        return `P1,RTT-B,${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01,${month % 7},7,epr,b-${month}`;
      });
    const header = 'measure_code,org_unit_code,period_start,numerator,denominator,source,external_id';
    const first = path.join(dir, 'first.csv');
    const second = path.join(dir, 'second.csv');
    writeFileSync(first, [header, ...rows(0, 150)].join('\n'));
    writeFileSync(second, [header, ...rows(100, 250)].join('\n'));
    const before = await observationCount();
    const [a, b] = await Promise.all([cli(first, '--batch-size', '40'), cli(second, '--batch-size', '40')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const [sa, sb] = [summary(a.stdout), summary(b.stdout)];
    expect(sa.created + sb.created).toBe(250);
    expect(sa.unchanged + sb.unchanged).toBe(50);
    expect(await observationCount()).toBe(before + 250);
  });

  test('usage, header and credential problems exit 2 and write nothing', async () => {
    const before = await observationCount();
    expect((await cli(path.join(dir, 'missing.csv'))).code).toBe(2);
    const badHeader = path.join(dir, 'bad-header.csv');
    writeFileSync(badHeader, 'measure,org_unit_code,period_start,numerator,denominator,source,external_id\nP1,RTT-A,2024-05-01,1,2,epr,\n');
    const header = await cli(badHeader);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/unknown column\(s\) measure.*missing column\(s\) measure_code/);
    const wrongKey = await runCli([work('observations-valid.csv'), '--url', app.server.url], { RCG_API_KEY: 'rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA' });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toContain('API key was refused');
    const noKey = await runCli([work('observations-valid.csv'), '--url', app.server.url]);
    expect(noKey.code).toBe(2);
    expect((await cli(work('observations-valid.csv'), '--batch-size', '0')).code).toBe(2);
    expect(await observationCount()).toBe(before);
  });
});

describe('CSV import CLI without a server', () => {
  test('--help explains the format and how bad rows are handled', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('measure_code,org_unit_code,period_start,numerator,denominator,source,external_id');
    expect(result.stdout).toContain('allOrNothing: false');
    expect(result.stdout).toContain('.rejects.csv');
  });

  test('a file that is not CSV text (a stray quote, binary data): one clear line on stderr, exit 2, no stack trace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rcg-csv-bad-'));
    try {
      const header = 'measure_code,org_unit_code,period_start,numerator,denominator,source,external_id';
      const quote = path.join(dir, 'quote.csv');
      writeFileSync(quote, `${header}\nP1,RTT-A,2024-03-01,1,2,epr,\nP1,RT"T-B,2024-03-01,1,2,epr,\n`);
      const binary = path.join(dir, 'export.xlsx.csv');
      writeFileSync(binary, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('"[Content_Types].xml'), Buffer.alloc(64)]));
      const cases: Array<[string, RegExp]> = [
        [quote, /quote\.csv is not valid CSV: line 3 field 2: a quote inside an unquoted field/],
        [binary, /export\.xlsx\.csv is not CSV text: it holds binary data \(a NUL byte at byte 6\)/],
      ];
      for (const [file, message] of cases) {
        const result = await runCli([file, '--url', 'http://127.0.0.1:9/graphql', '--no-progress'], { RCG_API_KEY: 'rcg_abcdefgh_AAAAAAAAAAAAAAAAAAAA' });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/^import failed: [^\n]*\n$/); // one line
        expect(result.stderr).not.toMatch(/\n\s+at |node_modules/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreachable server is a connection error: exit 2', async () => {
    const result = await runCli([path.join(FIXTURES, 'observations-valid.csv'), '--url', 'http://127.0.0.1:9/graphql'], { RCG_API_KEY: 'rcg_abcdefgh_AAAAAAAAAAAAAAAAAAAA' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot reach');
  });
});
