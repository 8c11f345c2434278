import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/**
 * Raw SQL on the driver, past Prisma, over either driver: the hot reads, migrations, readiness.
 * Uncounted here; the Database's `raw` counts each query for the request's SQL counter
 * (countingRawSql in sql-counter.ts).
 */
export interface RawSqlSession {
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface RawSql extends RawSqlSession {
  transaction<T>(fn: (tx: RawSqlSession) => Promise<T>): Promise<T>;
}

function pgliteSession(db: PGlite | PGliteTransaction): RawSqlSession {
  return {
    exec: async (script) => {
      await db.exec(script);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
  };
}

export function pgliteRawSql(db: PGlite): RawSql {
  return {
    ...pgliteSession(db),
    transaction: (fn) => db.transaction((tx) => fn(pgliteSession(tx))),
  };
}

function pgSession(client: Pool | PoolClient): RawSqlSession {
  return {
    exec: async (script) => {
      await client.query(script);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
  };
}

export function pgRawSql(pool: Pool): RawSql {
  return {
    ...pgSession(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgSession(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
