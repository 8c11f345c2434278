import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from './database';

/**
 * A throwaway PostgreSQL database, created on a server and migrated, for one test file or one
 * benchmark run; `drop` closes it (if still open) and removes it. One place for the tests and
 * the benchmark scripts.
 */
export interface ScratchDatabase {
  db: Database;
  url: string;
  /** closes the handle but keeps the database (e.g. to hand it to a server process) */
  close(): Promise<void>;
  drop(): Promise<void>;
}

export async function createScratchDatabase(adminUrl: string, label: string, options: { poolSize?: number } = {}): Promise<ScratchDatabase> {
  const name = `rcg_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', migrate: true, poolSize: options.poolSize ?? 10 });
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    await db.close();
  };
  return {
    db,
    url: url.toString(),
    close,
    drop: async () => {
      await close();
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
