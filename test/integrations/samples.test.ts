import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { seedDemo } from '../../src/demo/seed';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * The files in samples/ import into the demo trust as they are, the way README "Integrations:
 * a walk-through" sends them: the CSVs through the import script (with the demo integration
 * key and the demo faculty lead's), the FHIR MeasureReport and Bundle over HTTP with curl's
 * headers. Every row is accepted, none rejected, and what is stored is what the files say.
 */
const ROOT = path.resolve(__dirname, '../..');
const SAMPLES = path.join(ROOT, 'samples');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
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

function summary(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stdout.matchAll(/^\s+(created|updated|unchanged|accepted|rejected)\s+([\d,]+)/gm)) counts[match[1]] = Number(match[2].replace(/,/g, ''));
  return counts;
}

interface SampleRow {
  measure_code: string;
  org_unit_code: string;
  period_start: string;
  numerator: string;
  denominator: string;
  source: string;
  external_id: string;
}

interface Report {
  measure: string;
  identifier: Array<{ value: string }>;
  reporter: { identifier: { value: string } };
  period: { start: string };
  group: Array<{ population: Array<{ code: { coding: Array<{ code: string }> }; count: number }> }>;
}

const readCsv = (name: string) => parse(readFileSync(path.join(SAMPLES, name), 'utf8'), { columns: true, skip_empty_lines: true }) as SampleRow[];
const readJson = <T>(name: string) => JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as T;

describe.each(DATABASE_KINDS)('samples/ into the demo trust on %s', (kind) => {
  let app: TestApp;
  let keys: Record<string, string>;
  let dir: string;
  let root: string;

  const stored = (measureCode: string, orgUnitCode: string, periodStart: string) =>
    app.database.db.prisma.observation.findFirst({
      where: { measure: { code: measureCode }, orgUnit: { code: orgUnitCode }, periodStart: new Date(`${periodStart}T00:00:00Z`), stratifier: '' },
      select: { numerator: true, denominator: true, source: true, externalId: true },
    });
  const post = (route: string, file: string, key: string) =>
    fetch(`${root}${route}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/fhir+json' }, body: readFileSync(path.join(SAMPLES, file)) });

  beforeAll(async () => {
    app = await startTestApp(kind);
    const seeded = await seedDemo(app.database.db.prisma);
    expect(seeded.seeded).toBe(true);
    keys = Object.fromEntries(seeded.keys.map((k) => [k.role, k.key]));
    root = app.server.url.replace(/\/graphql$/, '');
    dir = mkdtempSync(path.join(tmpdir(), 'rcg-samples-'));
  }, 180_000);
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await app?.close();
  });

  test('samples/ holds the four files the walk-through sends', () => {
    expect(readdirSync(SAMPLES).sort()).toEqual(['bundle-2026-11.json', 'incident-reporting-2026-11.csv', 'measure-report-2026-11.json', 'staff-measures-2026-11.csv']);
  });

  test.each([
    ['incident-reporting-2026-11.csv', 'INTEGRATION', 'incident-reporting'],
    ['staff-measures-2026-11.csv', 'FACULTY_LEAD', null],
  ] as const)('%s imports with the demo %s key: every row accepted, none rejected, stored as written', async (name, role, defaultSource) => {
    const file = path.join(dir, name);
    copyFileSync(path.join(SAMPLES, name), file);
    const rows = readCsv(name);
    const result = await runCli([file, '--url', app.server.url, '--no-progress'], { RCG_API_KEY: keys[role] });
    expect([result.code, result.stderr]).toEqual([0, '']);
    // these keys may not read every stored figure, so the script reports "accepted" (outcomes withheld)
    expect(summary(result.stdout)).toEqual({ accepted: rows.length, rejected: 0 });
    expect(existsSync(`${file}.rejects.csv`) ? parse(readFileSync(`${file}.rejects.csv`, 'utf8'), { columns: true }) : []).toEqual([]);
    for (const row of rows) {
      const observation = await stored(row.measure_code, row.org_unit_code, row.period_start);
      expect([row.measure_code, row.org_unit_code, observation]).toEqual([
        row.measure_code,
        row.org_unit_code,
        {
          numerator: Number(row.numerator),
          denominator: row.denominator === '' ? null : Number(row.denominator),
          // an empty source is the integration client's source system
          source: row.source || defaultSource,
          externalId: row.external_id,
        },
      ]);
    }
    // sent again (as the walk-through suggests after a failure): still nothing rejected
    const again = await runCli([file, '--url', app.server.url, '--no-progress'], { RCG_API_KEY: keys[role] });
    expect([again.code, summary(again.stdout).rejected]).toEqual([0, 0]);
  });

  test('the FHIR MeasureReport and the transaction Bundle import with the demo integration key, every entry stored', async () => {
    const single = readJson<Report>('measure-report-2026-11.json');
    const bundle = readJson<{ entry: Array<{ resource: Report }> }>('bundle-2026-11.json');
    const dryRun = await post('/fhir/MeasureReport?dryRun=true', 'measure-report-2026-11.json', keys.INTEGRATION);
    expect(dryRun.status).toBeLessThan(300);
    expect(await stored('SECLUSION-RATE', 'RZZ-ACU-W01', '2026-11-01')).toBeNull(); // a dry run wrote nothing

    const one = await post('/fhir/MeasureReport', 'measure-report-2026-11.json', keys.INTEGRATION);
    expect([one.status < 300, await one.text()]).toEqual([true, expect.not.stringMatching(/"severity":\s*"(error|fatal)"/)]);
    const many = await post('/fhir', 'bundle-2026-11.json', keys.INTEGRATION);
    expect([many.status < 300, await many.text()]).toEqual([true, expect.not.stringMatching(/"severity":\s*"(error|fatal)"/)]);

    const reports = [single, ...bundle.entry.map((e) => e.resource)];
    expect(reports).toHaveLength(7);
    for (const report of reports) {
      const count = (code: string) => report.group[0].population.find((p) => p.code.coding[0].code === code)!.count;
      const measureCode = report.measure.split('/').pop()!;
      const observation = await stored(measureCode, report.reporter.identifier.value, report.period.start);
      expect([measureCode, report.reporter.identifier.value, observation]).toEqual([
        measureCode,
        report.reporter.identifier.value,
        { numerator: count('numerator'), denominator: count('denominator'), source: 'incident-reporting', externalId: report.identifier[0].value },
      ]);
    }
  });
});
