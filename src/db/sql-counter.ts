import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
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
