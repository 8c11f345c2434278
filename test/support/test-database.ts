import { openDatabase, type Database, type DatabaseKind } from '../../src/db/database';
import { createScratchDatabase } from '../../src/db/scratch-database';

/** The server tests create their databases on; CI runs PostgreSQL on 127.0.0.1:5432. */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgresql'];

export interface TestDatabase {
  db: Database;
  /** for postgresql: the URL of this test's own database */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ databaseUrl: null, dataDir: 'memory://', migrate: true });
    return {
      db,
      url: null,
      drop: async () => {
        await db.close();
      },
    };
  }
  const scratch = await createScratchDatabase(TEST_ADMIN_URL, 'test', { poolSize: 5 });
  return { db: scratch.db, url: scratch.url, drop: scratch.drop };
}
