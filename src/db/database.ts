import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { countingAdapterFactory } from './sql-counter';
import { migrate } from './migrate';
import { pgliteRawSql, pgRawSql, type RawSql } from './raw-sql';

export type DatabaseKind = 'pglite' | 'postgresql';

/** One handle on the database, whichever engine is behind it. */
export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  raw: RawSql;
  /** resolves when the database answers a trivial query */
  ping(): Promise<void>;
  /** pool use, for /metrics (PGlite has a single in-process connection) */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** a postgresql:// URL, or null for embedded PGlite */
  databaseUrl: string | null;
  /** PGlite data folder; 'memory://' keeps it in memory (tests) */
  dataDir: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** how long opening a connection may take before the query fails (PostgreSQL only) */
  connectTimeoutMs?: number;
  migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir);
  if (options.migrate) await migrate(db.raw);
  return db;
}

function openPglite(dataDir: string): Database {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir);
  const prisma = new PrismaClient({ adapter: countingAdapterFactory(new PrismaPGlite(pglite)) });
  const raw = pgliteRawSql(pglite);
  return {
    kind: 'pglite',
    prisma,
    raw,
    ping: async () => {
      await raw.query('SELECT 1');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
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
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: countingAdapterFactory(new PrismaPg(pool)) });
  const raw = pgRawSql(pool);
  return {
    kind: 'postgresql',
    prisma,
    raw,
    ping: async () => {
      await raw.query('SELECT 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
