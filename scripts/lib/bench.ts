/**
 * Shared by the benchmark scripts: a scratch PostgreSQL database that is dropped afterwards,
 * and an autocannon run that reports p50/p95/p99 from every response time (autocannon's own
 * summary has no p95).
 */
import autocannon from 'autocannon';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch-database';

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A scratch PostgreSQL database on the benchmark server (dropped by the caller). */
export function createBenchDatabase(label: string, poolSize = 10): Promise<ScratchDatabase> {
  return createScratchDatabase(BENCH_ADMIN_URL, label, { poolSize });
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** POSTs one GraphQL body repeatedly at `connections` concurrency for `seconds`. */
export async function loadTest(url: string, key: string, body: unknown, seconds: number, connections = 10): Promise<LoadResult> {
  const times: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  // Without a callback the instance is both an event emitter and a promise (its types show only the promise).
  (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** POSTs one GraphQL operation, fails on any error, and returns the SQL statements it took. */
export async function postQuery(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown[]; extensions?: { sqlStatements?: number } };
  if (body.errors) throw new Error(`benchmark query failed: ${JSON.stringify(body.errors)}`);
  return body.extensions?.sqlStatements ?? NaN;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the API as its own process, as it runs in production, so the load generator does not
 * share its event loop. Starts on a free port against `databaseUrl`, no seeding, no migration.
 */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // Rate limiting off: a benchmark sends far more than one credential's budget.
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      NODE_OPTIONS: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = setInterval(() => {
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        clearInterval(check);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
