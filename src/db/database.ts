import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool, type PoolClient } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { countingAdapterFactory, countingRawSql } from './sql-counter';
import { migrate } from './migrate';
import { pgliteRawSql, pgRawSql, type RawSql } from './raw-sql';

export type DatabaseKind = 'pglite' | 'postgresql';

/** One handle on the database, whichever engine is behind it. */
export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** raw SQL on the driver, each query counted for the request's SQL counter (sql-counter.ts) */
  raw: RawSql;
  /** resolves when the database answers a trivial query */
  ping(): Promise<void>;
  /** pool use, for /metrics (PGlite has a single in-process connection) */
  poolStats(): { total: number; idle: number; waiting: number };
  /**
   * Closes the database once the work on it has finished. With `abandonAfterMs`, sessions
   * still busy after that long (requests abandoned at shutdown) are terminated, so PostgreSQL
   * rolls their transactions back and releases their locks instead of close() waiting on them
   * for ever; `terminated` says how many.
   */
  close(options?: CloseOptions): Promise<{ terminated: number }>;
}

export interface CloseOptions {
  abandonAfterMs?: number;
}

export interface DatabaseOptions {
  /** a postgresql:// URL, or null for embedded PGlite */
  databaseUrl: string | null;
  /** PGlite data folder; 'memory://' keeps it in memory (tests) */
  dataDir: string;
  /** PGlite's shared_buffers; default 16MB */
  pgliteSharedBuffers?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** how long opening a connection may take before the query fails (PostgreSQL only) */
  connectTimeoutMs?: number;
  migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir, options.pgliteSharedBuffers ?? '16MB');
  if (options.migrate) await migrate(db.raw);
  return db;
}

function openPglite(dataDir: string, sharedBuffers: string): Database {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // PostgreSQL's default 128MB of shared buffers live in PGlite's WASM heap, which never shrinks,
  // and double-cache pages the OS already caches: 16MB took idle RSS from about 300 to 185 MB on
  // the seeded demo. The defaults are kept and the setting appended (startParams replaces them).
  const pglite = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] });
  const prisma = new PrismaClient({ adapter: countingAdapterFactory(new PrismaPGlite(pglite)) });
  const driver = pgliteRawSql(pglite);
  const raw = countingRawSql(driver);
  return {
    kind: 'pglite',
    prisma,
    raw,
    ping: async () => {
      await driver.query('SELECT 1'); // uncounted, as /readyz runs under observeRequests' counter too
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    // One in-process connection: nothing outside can hold a lock it waits on.
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      return { terminated: 0 };
    },
  };
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 15000,
    // Fail fast when the server is away rather than queueing requests behind a dead socket.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    // No JIT: the app's statements take milliseconds, and JIT compiles once a plan's estimated cost
    // passes jit_above_cost, which larger data crosses. On the 10× benchmark data the coverage
    // matrix's latest-period read spent 24 ms compiling for a 6 ms execution.
    options: '-c jit=off',
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Every open session, so close() can find those still busy; a checked-out client that loses
  // its server (or is terminated at shutdown) reports it to its query, and must not crash the process.
  const sessions = new Set<PoolClient>();
  pool.on('connect', (client) => {
    sessions.add(client);
    client.on('error', () => undefined);
  });
  pool.on('remove', (client) => sessions.delete(client));
  const prisma = new PrismaClient({ adapter: countingAdapterFactory(new PrismaPg(pool)) });
  const driver = pgRawSql(pool);
  const raw = countingRawSql(driver);
  return {
    kind: 'postgresql',
    prisma,
    raw,
    ping: async () => {
      await driver.query('SELECT 1'); // uncounted, as /readyz runs under observeRequests' counter too
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async ({ abandonAfterMs }: CloseOptions = {}) => {
      // Prisma rolls back a transaction still open, which waits for that session's statement;
      // the pool ends idle sessions at once and each busy one when its work releases it.
      const closed = Promise.all([prisma.$disconnect(), pool.end()]);
      if (abandonAfterMs === undefined || (await settlesWithin(closed, abandonAfterMs))) {
        await closed;
        return { terminated: 0 };
      }
      const pids = [...sessions].map((client) => (client as PoolClient & { processID: number | null }).processID).filter((pid): pid is number => pid !== null);
      await terminateSessions(url, pids, options.connectTimeoutMs ?? 2000);
      await closed; // each terminated session fails its statement, is released and removed
      return { terminated: pids.length };
    },
  };
}

/** True when `promise` settles within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}

/**
 * Terminates our own sessions from a connection of their own (the pool is closing). A session
 * waiting on a lock would not notice its client going away until it got the lock; terminated,
 * its transaction rolls back now.
 */
async function terminateSessions(url: string, pids: number[], connectTimeoutMs: number): Promise<void> {
  if (pids.length === 0) return;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
