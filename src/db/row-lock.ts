import type { Prisma } from '../generated/prisma/client';

/**
 * Takes a shared row lock for the rest of the transaction: a check made after it ("this unit
 * is not archived") cannot be invalidated by a concurrent writer of that row until we commit,
 * and a writer that locked the row first is waited for, so the check reads its result.
 */
export async function lockRowForShare(tx: Prisma.TransactionClient, table: 'org_unit' | 'person', id: number): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM ${table} WHERE id = $1 FOR SHARE`, id);
}

/** The same for many rows at once, in one statement (in id order, so two such locks cannot deadlock). */
export async function lockRowsForShare(tx: Prisma.TransactionClient, table: 'org_unit' | 'person', ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.$executeRawUnsafe(`SELECT 1 FROM ${table} WHERE id = ANY($1::int[]) ORDER BY id FOR SHARE`, [...ids].sort((a, b) => a - b));
}
