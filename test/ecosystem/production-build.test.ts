import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_ADMIN_URL } from '../support/test-database';

/**
 * The production build, for real: `npm run build` compiles src/ (with the generated Prisma
 * client) to dist/; dist/ is laid out as a deployment would be (dist, prisma/migrations,
 * package.json, node_modules; no src/, no tsconfig) and `node dist/main.js` is started there
 * with NODE_ENV=production on a fresh, empty PostgreSQL database, which it migrates. It
 * answers /readyz and GraphQL, writes nothing but JSON lines on stdout and nothing on stderr,
 * and stops on SIGTERM with status 0.
 */
const ROOT = path.resolve(__dirname, '../..');
const OPERATOR_KEY = 'prod-build-operator-key-0123456789';

type LogLine = { level: number; time: number; msg: string } & Record<string, unknown>;

describe('npm run build, then node dist/main.js in production on postgresql', () => {
  let build: ReturnType<typeof spawnSync>;
  let deployDir: string;
  let databaseName: string;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let base: string;
  let exited: Promise<number | null>;

  const admin = async <T>(fn: (client: Client) => Promise<T>) => {
    const client = new Client({ connectionString: TEST_ADMIN_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 240_000 });
    if (build.status !== 0) return; // the first test reports it

    // What a deployment ships: no src/, no TypeScript config, node_modules as installed.
    deployDir = mkdtempSync(path.join(os.tmpdir(), 'rcg-dist-'));
    cpSync(path.join(ROOT, 'dist'), path.join(deployDir, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'prisma/migrations'), path.join(deployDir, 'prisma/migrations'), { recursive: true });
    writeFileSync(path.join(deployDir, 'package.json'), readFileSync(path.join(ROOT, 'package.json')));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(deployDir, 'node_modules'), 'dir');

    databaseName = `rcg_prodbuild_${process.pid}_${Date.now()}`;
    await admin((client) => client.query(`CREATE DATABASE "${databaseName}"`));
    const databaseUrl = new URL(TEST_ADMIN_URL);
    databaseUrl.pathname = `/${databaseName}`;

    // Only what a production unit file would set: nothing inherited from Jest (no NODE_OPTIONS, no ts-node).
    child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: deployDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl.toString(),
        MIGRATE_ON_START: 'true',
        ADMIN_API_KEY: OPERATOR_KEY,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dist/main.js did not start:\n${stdout}\n${stderr}`)), 60_000);
      const check = setInterval(() => {
        const serving = /"msg":"relational-care-graph serving http/.test(stdout) && /"url":"(http:\/\/[^"]+)\/graphql"/.exec(stdout);
        if (serving) {
          clearInterval(check);
          clearTimeout(timer);
          resolve(serving[1]);
        }
      }, 100);
      void exited.then((code) => reject(new Error(`dist/main.js exited with ${code}:\n${stdout}\n${stderr}`)));
    });
  }, 300_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (deployDir) rmSync(deployDir, { recursive: true, force: true });
    if (databaseName) await admin((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
  });

  const graphql = async (query: string, key: string | null = OPERATOR_KEY, variables?: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };

  test('npm run build compiles src/ and the generated Prisma client to dist/, without the tests', () => {
    expect([build.status, build.status === 0 ? '' : `${build.stdout}\n${build.stderr}`]).toEqual([0, '']);
    expect(existsSync(path.join(ROOT, 'dist/main.js'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist/generated/prisma/client.js'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist/demo/data/measures.json'))).toBe(true);
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name)) : [name]));
    expect(files(path.join(ROOT, 'dist')).filter((name) => /\.test\.|\.ts$/.test(name) && !name.endsWith('.d.ts'))).toEqual([]);
  });

  test('it runs from a directory with no src/ and no TypeScript: dist, migrations, package.json, node_modules', () => {
    expect(readdirSync(deployDir).sort()).toEqual(['dist', 'node_modules', 'package.json', 'prisma']);
    expect(child.spawnargs.slice(1)).toEqual(['--enable-source-maps', 'dist/main.js']);
  });

  test('the compiled worker thread builds a disclosure table: the same verdicts as on the main thread, no ts-node', () => {
    // A ward of one month under 5 in a trust of two wards: the ward is primary, its sibling complementary,
    // each in 5 cells (April, its quarter, quarter to date, financial year and year to date).
    const script = `
      const w = require('./dist/board/disclosure-table-workers');
      const t = require('./dist/statistics/disclosure-table');
      const rule = require('./dist/statistics/suppression').defaultDisclosureRule('PATIENTS', 'COUNT');
      const m = (n) => [{ periodStart: '2024-04-01', numerator: n, denominator: 0 }];
      const units = [{ unitId: 1, parentId: null, months: m(24) }, { unitId: 2, parentId: 1, months: m(3) }, { unitId: 3, parentId: 1, months: m(21) }];
      const logger = { warn: (o, msg) => { console.error(msg); process.exitCode = 1; } };
      w.buildTable('COUNT', units, rule, { threads: 1, minFigures: 1 }, logger).then(async (table) => {
        const key = t.bucketKey('MONTH', '2024-04-01');
        console.log(JSON.stringify({ builds: w.tableWorkerBuilds(), count: table.suppressedCount, ward: table.suppression(2, key).cause, sibling: table.suppression(3, key).cause, trust: table.suppression(1, key) }));
        await w.closeTableWorkers();
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: deployDir, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ builds: 1, count: 10, ward: 'PRIMARY', sibling: 'COMPLEMENTARY', trust: null });
  });

  test('/readyz is 200 on the database it migrated itself', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'postgresql' });
  });

  test('GraphQL answers with the operator key, writes through Prisma, and refuses without a key', async () => {
    const read = await graphql('{ viewer { role } principles { key } }');
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual({ viewer: { role: 'ADMIN' }, principles: [{ key: 'RIGHTS_BASED' }, { key: 'RELATIONAL' }, { key: 'REFLECTIVE' }, { key: 'RESPONSIVE' }] });
    const created = await graphql('mutation { apiKeyCreate(input: { name: "board pack", role: BOARD }) { secret } }');
    expect(created.body.errors).toBeUndefined();
    const secret = created.body.data.apiKeyCreate.secret as string;
    expect((await graphql('{ viewer { role } }', secret)).body.data).toEqual({ viewer: { role: 'BOARD' } });
    expect((await graphql('{ viewer { role } }', null)).status).toBe(401);
  });

  test('it is in production mode: no introspection, no explorer page', async () => {
    const introspection = await graphql('{ __schema { types { name } } }');
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
  });

  test('SIGTERM stops it with status 0; every line it wrote on stdout is JSON, and nothing on stderr', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    const notJson = lines.filter((line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        return typeof parsed !== 'object' || typeof parsed.level !== 'number' || typeof parsed.msg !== 'string';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const messages = lines.map((line) => (JSON.parse(line) as LogLine).msg);
    expect(messages).toEqual(expect.arrayContaining(['database open', `relational-care-graph serving ${base}/graphql (database: postgresql)`, 'graphql request', 'draining in-flight requests, then stopping']));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(stderr).toBe('');
  });
});

describe('npm start skips prisma generate when the client is current', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const generator = require('../../scripts/prisma-generate.js') as { isCurrent(): boolean; fingerprint(): string; fingerprintFile: string; entryFile: string };

  test('the client made by npm test / npm run build is current: the script exits at once, leaving the client untouched', () => {
    expect(generator.isCurrent()).toBe(true);
    const before = statSync(generator.entryFile).mtimeMs;
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prisma-generate.js')], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' }); // prisma's banners would be on stderr
    expect(statSync(generator.entryFile).mtimeMs).toBe(before);
  });

  test('a fingerprint that no longer matches the schema, config and Prisma versions makes it stale', () => {
    const saved = readFileSync(generator.fingerprintFile, 'utf8');
    try {
      expect(saved.trim()).toBe(generator.fingerprint());
      writeFileSync(generator.fingerprintFile, 'made from another schema\n');
      expect(generator.isCurrent()).toBe(false);
    } finally {
      writeFileSync(generator.fingerprintFile, saved);
    }
    expect(generator.isCurrent()).toBe(true);
  });
});
