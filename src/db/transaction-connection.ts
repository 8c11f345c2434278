import { AsyncLocalStorage } from 'node:async_hooks';

// Where transaction-sql.ts learns a transaction's driver connection (apart from it, so sql-counter.ts imports it without a cycle).

/** What the driver adapters' transaction objects hold: pg's PoolClient and PGlite's Transaction both answer query(sql, params). */
export interface DriverConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface TransactionConnectionSlot {
  connection: DriverConnection | null;
}

export const transactionConnections = new AsyncLocalStorage<TransactionConnectionSlot>();

/**
 * Called by the counting adapter (sql-counter.ts) with each transaction it starts: inside
 * `transactionWithDriver`, the transaction's driver connection is noted for its callback.
 */
export function noteTransactionConnection(transaction: unknown): void {
  const slot = transactionConnections.getStore();
  const client = (transaction as { client?: unknown }).client;
  if (!slot || slot.connection || !client || typeof (client as DriverConnection).query !== 'function') return;
  slot.connection = client as DriverConnection;
}

