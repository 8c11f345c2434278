import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { countStatement } from './sql-counter';
import { transactionConnections, type DriverConnection, type TransactionConnectionSlot } from './transaction-connection';

/**
 * Raw SQL inside a Prisma transaction, sent straight to the transaction's own driver connection
 * (pg's pooled client, or PGlite's transaction) instead of through `tx.$queryRawUnsafe`. For the
 * import's few big statements (each one JSON parameter of 5,000 rows), Prisma's client and its
 * query compiler (WASM) were about 1 s of server CPU per 100,000 rows, a third of a first load's.
 * Same connection, same transaction, same statement count; only Prisma's handling is skipped.
 *
 * Where no driver connection is known (a transaction not opened by `transactionWithDriver`), the
 * statements go through Prisma as before, with the same results.
 */
export interface TransactionSql {
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  execute(sql: string, ...params: unknown[]): Promise<void>;
  /** true when statements go to the driver connection (tests check the fast path is taken) */
  readonly direct: boolean;
}

/** `prisma.$transaction(fn)`, with a TransactionSql on the transaction's own connection beside its client. */
export function transactionWithDriver<T>(
  prisma: PrismaClient,
  fn: (tx: Prisma.TransactionClient, sql: TransactionSql) => Promise<T>,
  options: { timeout: number; maxWait: number },
): Promise<T> {
  const slot: TransactionConnectionSlot = { connection: null };
  return transactionConnections.run(slot, () => prisma.$transaction((tx) => fn(tx, transactionSql(tx, slot.connection)), options));
}

/** The transaction's statements: on `connection` when known, else through Prisma's client. */
export function transactionSql(tx: Prisma.TransactionClient, connection: DriverConnection | null = null): TransactionSql {
  if (!connection) {
    return {
      direct: false,
      query: <T>(sql: string, ...params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params),
      execute: async (sql: string, ...params: unknown[]) => {
        await tx.$executeRawUnsafe(sql, ...params);
      },
    };
  }
  return {
    direct: true,
    query: async <T>(sql: string, ...params: unknown[]) => {
      countStatement();
      return (await connection.query(sql, params)).rows as T[];
    },
    execute: async (sql: string, ...params: unknown[]) => {
      countStatement();
      await connection.query(sql, params);
    },
  };
}
