import type { Prisma } from '../generated/prisma/client';

/**
 * Writers of observations and rollups queue on transaction-scoped advisory locks:
 * - an import holds its measures' locks, so overlapping imports of a measure serialise instead
 *   of racing, plus a shared hold on the all-rollups lock;
 * - a move of an org unit, which rebuilds every rollup, holds the all-rollups lock exclusively,
 *   so it waits for the imports in flight and they (and imports of measures created meanwhile)
 *   wait for it.
 *
 * Lock order, to rule out deadlocks: these locks first, before any statement that bumps the
 * board data version (whose single row every board-visible write locks); the all-rollups lock
 * before measure locks; measure locks in id order.
 */
// Namespace for pg_advisory_xact_lock(int, int): ours, so other users of advisory locks don't collide.
const LOCK_NAMESPACE = 4243;
// Measure ids start at 1, so key 0 is free for the all-rollups lock.
const ALL_ROLLUPS = 0;

// executeRaw: the lock functions return void, which a result set cannot carry.

/** Before writing observations of these measures. */
export async function lockMeasures(tx: Prisma.TransactionClient, measureIds: readonly number[]): Promise<void> {
  const sorted = [...new Set(measureIds)].sort((a, b) => a - b);
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, ${ALL_ROLLUPS})`);
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, m) FROM unnest($1::int[]) AS m ORDER BY m`, sorted);
}

/** Before rebuilding every rollup (a move in the org tree). */
export async function lockAllRollups(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${ALL_ROLLUPS})`);
}
