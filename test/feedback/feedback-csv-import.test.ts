import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { createFeedbackFixture } from './feedback-fixture';

const ROOT = path.resolve(__dirname, '../..');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'scripts/import-feedback-csv.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** npm run import:feedback as an operator runs it, against a real server. */
describe.each(DATABASE_KINDS)('feedback CSV import on %s', (kind) => {
  let app: TestApp;
  let dir: string;
  const HEADER = 'org_unit_code,source,external_id,received_on,theme_codes,summary';

  beforeAll(async () => {
    app = await startTestApp(kind);
    await createFeedbackFixture(app);
    dir = mkdtempSync(path.join(tmpdir(), 'rcg-feedback-csv-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await app.close();
  });

  test('imports, re-imports idempotently, and reports bad rows by line with nothing written', async () => {
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, `${HEADER}\nRTT-W,FRIENDS_AND_FAMILY_TEST,FFT-1,2026-05-01,FOOD;COMMUNICATION,"Cold food, and no one said why"\nRTT-A,PALS,PALS-7,2026-05-03,COMMUNICATION,Letters arrive late\n`);
    const args = (file: string, ...more: string[]) => [file, '--url', app.server.url, '--key', TEST_ADMIN_KEY, ...more];
    expect(await runCli(args(good, '--dry-run'))).toMatchObject({ code: 0, stdout: 'Dry run (nothing written): created 2, updated 0, unchanged 0\n' });
    expect(await app.database.db.prisma.feedback.count()).toBe(0);
    expect(await runCli(args(good))).toMatchObject({ code: 0, stdout: 'created 2, updated 0, unchanged 0\n' });
    expect(await runCli(args(good))).toMatchObject({ code: 0, stdout: 'created 0, updated 0, unchanged 2\n' });
    const stored = await app.database.db.prisma.feedback.findFirstOrThrow({ where: { externalId: 'FFT-1' }, include: { themes: { include: { theme: true } } } });
    expect([stored.summary, stored.themes.map((t) => t.theme.code).sort()]).toEqual(['Cold food, and no one said why', ['COMMUNICATION', 'FOOD']]);

    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, `${HEADER}\nRTT-W,PALS,P-1,2026-05-01,FOOD,Fine\nRTT-W,PALS,P-2,2026-05-01,FOOD,Ring 07700 900123\nRTT-W,SMOKE_SIGNAL,P-3,2026-05-01,FOOD,Fine\n`);
    const result = await runCli(args(bad));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('line 3 (summary): IDENTIFIER_IN_TEXT: The summary appears to hold a phone number.');
    expect(result.stdout).toContain('line 4 (source): INVALID:');
    expect(result.stdout).not.toContain('07700');
    expect(await app.database.db.prisma.feedback.count()).toBe(2);

    const header = path.join(dir, 'header.csv');
    writeFileSync(header, 'org_unit_code,source,summary\n');
    expect(await runCli(args(header))).toMatchObject({ code: 2, stderr: expect.stringContaining('missing external_id, received_on, theme_codes') });
  });
});
