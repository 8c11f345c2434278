import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { startServer, type AppServer } from '../../src/app';
import { createEphemeralPostgres, type EphemeralPostgres } from '../support/ephemeral-postgres';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { codeOf, gql, send } from './http';

const READ = 'query Units { orgUnits(first: 1) { totalCount } }';
const WRITE = 'mutation { measureCreate(input: { code: "GRACE", name: "Grace", scoringType: COUNT, improvementDirection: INCREASE }) { measure { code } userErrors { code message } } }';

function testConfig(env: Record<string, string> = {}) {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: TEST_ADMIN_KEY, ...env });
}

function readyUrl(graphqlUrl: string, probe: 'readyz' | 'healthz'): string {
  return graphqlUrl.replace(/\/graphql$/, `/${probe}`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await fn();
  return [value, Date.now() - started];
}

/** Holds an ACCESS EXCLUSIVE lock on a table until released, so requests that read it wait. */
async function lockTable(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('when PostgreSQL goes away and comes back (a server this test starts and stops) on postgresql', () => {
  let pg: EphemeralPostgres;
  let db: Database;
  let server: AppServer;
  let boardKey: string;

  beforeAll(async () => {
    pg = await createEphemeralPostgres();
    const config = testConfig({ DB_CONNECT_TIMEOUT_MS: '1000' });
    db = await openDatabase({ databaseUrl: pg.url(), dataDir: 'memory://', migrate: true, poolSize: 4, connectTimeoutMs: config.dbConnectTimeoutMs });
    server = await startServer(config, db, createLogger('silent'));
    const created = await gql(server.url, 'mutation K($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret } }', { input: { name: 'board', role: 'BOARD' } });
    boardKey = (created.body.data as { apiKeyCreate: { secret: string } }).apiKeyCreate.secret;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await pg?.destroy();
  });

  test('requests fail fast with 503 SERVICE_UNAVAILABLE, /readyz turns 503, and service resumes by itself', async () => {
    expect((await gql(server.url, READ)).status).toBe(200);
    expect((await send(readyUrl(server.url, 'readyz'), { method: 'GET', key: null, contentType: null })).status).toBe(200);

    await pg.stop();

    const [read, readMs] = await timed(() => gql(server.url, READ));
    expect([read.status, codeOf(read)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(read.body.errors![0].message).toBe('The database is unavailable; try again shortly');
    expect(read.headers.get('retry-after')).toBe('5');
    expect(readMs).toBeLessThan(2500);

    const [keyed, keyedMs] = await timed(() => gql(server.url, READ, undefined, boardKey)); // the key itself cannot be checked
    expect([keyed.status, codeOf(keyed)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(keyedMs).toBeLessThan(2500);

    const write = await gql(server.url, WRITE);
    expect([write.status, codeOf(write)]).toEqual([503, 'SERVICE_UNAVAILABLE']);

    // FHIR clients get the same answer in FHIR's own shape
    const [fhir, fhirMs] = await timed(() => send(server.url.replace(/\/graphql$/, '/fhir/Measure/GRACE'), { method: 'GET', key: boardKey, contentType: null }));
    expect(fhir.status).toBe(503);
    expect(fhir.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
    expect(fhir.headers.get('retry-after')).toBe('5');
    expect(fhirMs).toBeLessThan(2500);

    const [ready, readyMs] = await timed(() => send(readyUrl(server.url, 'readyz'), { method: 'GET', key: null, contentType: null }));
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable' });
    expect(readyMs).toBeLessThan(2500);
    expect((await send(readyUrl(server.url, 'healthz'), { method: 'GET', key: null, contentType: null })).status).toBe(200);

    await pg.start();

    // No restart: the pool reconnects on the next request.
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      recovered = (await send(readyUrl(server.url, 'readyz'), { method: 'GET', key: null, contentType: null })).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    const after = await gql(server.url, READ, undefined, boardKey);
    expect([after.status, after.body.errors]).toEqual([200, undefined]);
    const written = await gql(server.url, WRITE);
    expect(written.body.data).toEqual({ measureCreate: { measure: { code: 'GRACE' }, userErrors: [] } });
    const metrics = await send(server.url.replace(/\/graphql$/, '/metrics'), { method: 'GET', key: null, contentType: null });
    expect(metrics.text).toMatch(/rcg_graphql_requests_total\{operation="Units",type="query",outcome="SERVICE_UNAVAILABLE"\} 1/);
  });
});

describe('time bounds on postgresql', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
  });
  afterAll(() => database.drop());

  test('a request past REQUEST_TIMEOUT_MS is answered 503 REQUEST_TIMEOUT; its late result is dropped; the server carries on', async () => {
    const server = await startServer(testConfig({ REQUEST_TIMEOUT_MS: '600' }), database.db, createLogger('silent'));
    try {
      const lock = await lockTable(database.url!, 'org_unit');
      const [stuck, ms] = await timed(() => gql(server.url, READ));
      expect([stuck.status, codeOf(stuck)]).toEqual([503, 'REQUEST_TIMEOUT']);
      expect(stuck.headers.get('retry-after')).toBe('5');
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(3000);
      await lock.release(); // the abandoned query now finishes; its answer must go nowhere, quietly
      await new Promise((resolve) => setTimeout(resolve, 200));
      const next = await gql(server.url, READ);
      expect([next.status, next.body.errors]).toEqual([200, undefined]);
      expect(server.httpServer.requestTimeout).toBe(600);
    } finally {
      await server.stop();
    }
  });

  test('a statement past DB_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL and answered 503 REQUEST_TIMEOUT', async () => {
    const db = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 2, statementTimeoutMs: 300 });
    const server = await startServer(testConfig({ REQUEST_TIMEOUT_MS: '10000' }), db, createLogger('silent'));
    const lock = await lockTable(database.url!, 'org_unit');
    try {
      const [slow, ms] = await timed(() => gql(server.url, READ));
      expect([slow.status, codeOf(slow)]).toEqual([503, 'REQUEST_TIMEOUT']);
      expect(slow.body.errors![0].message).toMatch(/statement timeout/);
      expect(ms).toBeLessThan(3000);
      // /fhir answers the same way, as an OperationOutcome
      const fhir = await send(server.url.replace(/\/graphql$/, '/fhir/MeasureReport?measure=ANY&subject=ANY&period=2025-01'), { method: 'GET', contentType: null });
      expect(fhir.status).toBe(503);
      expect(fhir.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] });
      expect(fhir.headers.get('retry-after')).toBe('5');
    } finally {
      await lock.release();
      await server.stop();
      await db.close();
    }
  });
});

/** The real server as its own process (production mode) on a database this test made; resolves once it serves. */
async function spawnServer(databaseUrl: string, dataDir: string, env: Record<string, string> = {}) {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      MIGRATE_ON_START: 'false',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const output = { stdout: '', stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString();
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output.stdout);
      if (match) resolve(match[1]);
    });
    void exited.then(({ code }) => reject(new Error(`exited ${code} before serving: ${output.stderr}`)));
  });
  return { child, url, exited, output };
}

describe('SIGTERM on postgresql', () => {
  let database: TestDatabase;
  let child: ChildProcess | null = null;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    dataDir = mkdtempSync(path.join(tmpdir(), 'rcg-sigterm-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('drains the in-flight request, then exits 0', async () => {
    const spawned = await spawnServer(database.url!, dataDir);
    child = spawned.child;
    const { url, exited, output } = spawned;

    const lock = await lockTable(database.url!, 'org_unit');
    const inFlight = gql(url, READ);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the request is now waiting on the lock
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(child.exitCode).toBeNull(); // still draining
    await expect(gql(url, READ)).rejects.toThrow(); // and no longer accepting new connections
    await lock.release();

    const response = await inFlight;
    expect([response.status, response.body.errors]).toEqual([200, undefined]);
    expect(response.body.data).toEqual({ orgUnits: { totalCount: 0 } });
    expect((await exited).code).toBe(0);
    expect(output.stderr).not.toMatch(/error/i);
  });
});

describe('SIGTERM while an import holds its transaction open on postgresql', () => {
  const GRACE_MS = 500;
  /** how much longer than the grace period the process may take to roll back and exit */
  const EXIT_BOUND_MS = 5000;
  const APP = 'rcg-sigterm-import';
  let database: TestDatabase;
  let dataDir: string;
  let admin: Client;
  const children: ChildProcess[] = [];
  const IMPORT = 'mutation I($input: ImportObservationsInput!) { importObservations(input: $input) { created userErrors { code } } }';

  /** The spawned server's sessions, by the application_name its DATABASE_URL gives them. */
  const sessions = async () =>
    (await admin.query<{ state: string | null; wait_event_type: string | null }>('SELECT state, wait_event_type FROM pg_stat_activity WHERE application_name = $1', [APP])).rows;

  /** The value, or null if it takes longer than `ms`. */
  async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await condition()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return condition();
  }

  /** A server, and an import of one row stuck on the board data version row this test holds locked. */
  async function serverWithStuckImport(env: Record<string, string>) {
    const spawned = await spawnServer(`${database.url!}?application_name=${APP}`, dataDir, env);
    children.push(spawned.child);
    const lock = await lockRow(database.url!);
    const period = `2024-${String(children.length).padStart(2, '0')}-01`;
    const stuck = gql(spawned.url, IMPORT, { input: { rows: [{ measureCode: 'SIG-C', orgUnitCode: 'RSG', periodStart: period, numerator: 1, source: 'test' }] } }).catch((error: unknown) => error);
    // the import has taken its locks and written its rows, and now waits on ours
    expect(await waitFor(async () => (await sessions()).some((s) => s.state === 'active' && s.wait_event_type === 'Lock'), 10_000)).toBe(true);
    return { ...spawned, lock, stuck };
  }

  /** Holds the row every board-visible write updates (board_data_version), until released. */
  async function lockRow(url: string): Promise<{ release(): Promise<void> }> {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined); // dropping the database at the end terminates it
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT version FROM board_data_version WHERE id = 1 FOR UPDATE');
    return {
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    dataDir = mkdtempSync(path.join(tmpdir(), 'rcg-sigterm-'));
    admin = new Client({ connectionString: database.url! });
    admin.on('error', () => undefined);
    await admin.connect();
    const server = await startServer(testConfig(), database.db, createLogger('silent'));
    try {
      const unit = await gql(server.url, 'mutation { orgUnitCreate(input: { code: "RSG", name: "Sig", type: TRUST }) { userErrors { code } } }');
      const measure = await gql(server.url, 'mutation { measureCreate(input: { code: "SIG-C", name: "Sig", scoringType: COUNT, improvementDirection: INCREASE }) { userErrors { code } } }');
      expect([unit.body.data, measure.body.data]).toEqual([{ orgUnitCreate: { userErrors: [] } }, { measureCreate: { userErrors: [] } }]);
    } finally {
      await server.stop();
    }
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await admin?.end();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('past SHUTDOWN_GRACE_MS the import is rolled back and the process exits 0, leaving no session behind', async () => {
    const { child, exited, lock, stuck, output } = await serverWithStuckImport({ SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    try {
      const sent = Date.now();
      child.kill('SIGTERM');
      const exit = await within(exited, GRACE_MS + EXIT_BOUND_MS + 2000);
      expect(exit).not.toBeNull();
      expect(exit!.at - sent).toBeLessThan(GRACE_MS + EXIT_BOUND_MS);
      expect({ code: exit!.code, stderr: output.stderr }).toEqual({ code: 0, stderr: '' });
      // while our lock is still held: the import's session is gone, so its transaction rolled back;
      // nothing waits on the lock and nothing is left idle in transaction
      expect(await waitFor(async () => (await sessions()).length === 0, 2000)).toBe(true);
      await stuck;
    } finally {
      await lock.release();
    }
    expect(await database.db.prisma.observation.count()).toBe(0);
  });

  test('a second SIGTERM exits at once, whatever the grace period', async () => {
    const { child, exited, lock } = await serverWithStuckImport({ SHUTDOWN_GRACE_MS: '60000' });
    try {
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(child.exitCode).toBeNull(); // draining, up to a minute
      const sent = Date.now();
      child.kill('SIGTERM');
      const exit = await within(exited, 5000);
      expect(exit).not.toBeNull();
      expect(exit!.at - sent).toBeLessThan(2000);
      expect(exit!.code).not.toBe(0);
    } finally {
      await lock.release();
    }
    // its session ends once PostgreSQL sees the client gone: nothing is left idle in transaction
    expect(await waitFor(async () => (await sessions()).length === 0, 5000)).toBe(true);
    expect(await database.db.prisma.observation.count()).toBe(0);
  });
});
