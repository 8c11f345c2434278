import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, print } from 'graphql';

/**
 * The README's first command, for real: the process starts on an empty embedded database,
 * migrates it, seeds the demonstration trust, prints its URL and one key per role, serves
 * GraphQL over HTTP, and stops cleanly on SIGTERM. It runs package.json's own `start` commands
 * (its preparing step, then the server's node command), not a copy of them.
 */
const root = path.resolve(__dirname, '../..');
const startScript: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;

/** `node a b && node c d` as the argument lists after each `node`. */
function startCommands(): string[][] {
  return startScript.split(' && ').map((command) => {
    const [program, ...args] = command.trim().split(/\s+/);
    if (program !== 'node') throw new Error(`npm start runs ${program}, which this test does not know how to run: ${startScript}`);
    return args;
  });
}
describe('npm start on the embedded database', () => {
  let child: ChildProcess;
  let output = '';
  let url: string;
  const keys: Record<string, string> = {};
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rcg-e2e-'));

  beforeAll(async () => {
    const commands = startCommands();
    const server = commands.pop()!;
    for (const args of commands) execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child = spawn(process.execPath, server, {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', NODE_OPTIONS: '', NODE_ENV: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
      const check = setInterval(() => {
        const serving = /serving (http:\/\/\S+\/graphql)/.exec(output);
        if (serving && /INTEGRATION/.test(output)) {
          clearInterval(check);
          clearTimeout(timer);
          url = serving[1];
          for (const match of output.matchAll(/^\s+(ADMIN|FACULTY_LEAD|BOARD|TEAM_MANAGER|INTEGRATION)\s+(rcg_\S+)/gm)) keys[match[1]] = match[2];
          resolve();
        }
      }, 100);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  }, 120_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const graphql = async (query: string, key: string | null = keys.BOARD) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  };

  test('prints one demonstration key per role', () => {
    expect(Object.keys(keys).sort()).toEqual(['ADMIN', 'BOARD', 'FACULTY_LEAD', 'INTEGRATION', 'TEAM_MANAGER']);
  });

  test('answers { principles { key name } } with the 4Rs for a demo key, and 401 without one', async () => {
    const { status, body } = await graphql('{ principles { key name } }');
    expect(status).toBe(200);
    expect(body.data.principles).toEqual([
      { key: 'RIGHTS_BASED', name: 'Rights-based' },
      { key: 'RELATIONAL', name: 'Relational' },
      { key: 'REFLECTIVE', name: 'Reflective' },
      { key: 'RESPONSIVE', name: 'Responsive' },
    ]);
    expect((await graphql('{ principles { key } }', null)).status).toBe(401);
  });

  test('/healthz and /readyz answer 200', async () => {
    const base = url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: 'pglite' });
  });

  test('the demo trust is seeded: a scorecard with data, and a suppressed small ward for the board', async () => {
    const card = await graphql('{ scorecard(orgUnitCode: "RZZ") { period principles { principle { key } entries { measure { code } latest { value } } } } }');
    expect(card.body.errors).toBeUndefined();
    expect(card.body.data.scorecard.period).toBe('2026-10-01');
    const entries = card.body.data.scorecard.principles.flatMap((p: any) => p.entries);
    expect(entries.length).toBeGreaterThan(20);
    const ward = '{ measure(code: "RESTRICTIVE-PEOPLE") { series(orgUnitCode: "RZZ-ACU-W07") { disclosureControlled points { suppressed value } } } }';
    const asBoard = await graphql(ward);
    expect(asBoard.body.data.measure.series.disclosureControlled).toBe(true);
    expect(asBoard.body.data.measure.series.points.some((p: any) => p.suppressed)).toBe(true);
    const asManager = await graphql(ward, keys.TEAM_MANAGER);
    expect(asManager.body.data.measure.series.disclosureControlled).toBe(false);
    expect(asManager.body.data.measure.series.points.every((p: any) => !p.suppressed)).toBe(true);
  });

  test('every GraphQL example in the README runs as written against the demo, in order', async () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const operations = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((block) => parse(block[1]).definitions.map((d) => print(d)));
    expect(operations.length).toBeGreaterThanOrEqual(10);
    const userErrorsIn = (value: unknown): unknown[] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => (k === 'userErrors' && Array.isArray(v) ? v : userErrorsIn(v)))
        : [];
    for (const operation of operations) {
      const { status, body } = await graphql(operation, keys.ADMIN);
      expect({ operation, status, errors: body.errors, userErrors: userErrorsIn(body.data) }).toEqual({ operation, status: 200, errors: undefined, userErrors: [] });
    }
  });

  test('SIGTERM stops the process cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
