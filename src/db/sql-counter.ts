import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { RawSql, RawSqlSession } from './raw-sql';
import { noteTransactionConnection } from './transaction-connection';

/**
 * Counts the SQL statements each GraphQL request sends, so tests can prove a query is
 * free of N+1 and logs can report it. The count lives in AsyncLocalStorage: every
 * statement issued while serving a request lands on that request's counter.
 */
export interface SqlCounter {
  statements: number;
}

const storage = new AsyncLocalStorage<SqlCounter>();

export function withSqlCounter<T>(counter: SqlCounter, fn: () => T): T {
  return storage.run(counter, fn);
}

export function countStatement(): void {
  const counter = storage.getStore();
  if (counter) counter.statements += 1;
}

/**
 * The raw SQL interface with each `query` counted, as Prisma's adapter counts its statements: the
 * Database's `raw` (database.ts), so application reads sent on the driver count themselves. Only
 * inside a request (an active counter): migrations at start-up, scripts and tests count nothing.
 * `exec` runs scripts (migrations, ANALYZE), never a request's, and is not counted.
 */
export function countingRawSql(raw: RawSql): RawSql {
  const counted = (session: RawSqlSession): RawSqlSession => ({
    exec: (script) => session.exec(script),
    query: <T>(sql: string, params?: unknown[]) => {
      countStatement();
      return session.query<T>(sql, params);
    },
  });
  return { ...counted(raw), transaction: (fn) => raw.transaction((tx) => fn(counted(tx))) };
}

function countingQueryable<Q extends SqlQueryable>(target: Q): Q {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'queryRaw' || prop === 'executeRaw') {
        return (...args: unknown[]) => {
          countStatement();
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) => {
          const tx = await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args);
          noteTransactionConnection(tx);
          return countingQueryable(tx);
        };
      }
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** Wraps a Prisma driver adapter factory so every statement it runs is counted. */
export function countingAdapterFactory<F extends SqlDriverAdapterFactory>(factory: F): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'connect') {
        return async () => countingQueryable<SqlDriverAdapter>(await (value as () => Promise<SqlDriverAdapter>).apply(obj));
      }
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}
