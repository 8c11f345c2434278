/**
 * Seeds the demonstration trust into an empty database, and keeps its demo keys present.
 * Safe to call at every start: it loads only when there are no org units at all, and two
 * processes starting together serialise on an advisory lock (the second finds the data).
 */
import type { PrismaClient } from '../generated/prisma/client';
import { DEMO_OPTIONS, DEMO_TRUST_CODE } from './constants';
import { createDemoKeys, type DemoKey } from './demo-keys';
import type { LoadCounts } from './load-dataset';

// Any constant; it only has to be the same for every process seeding this database.
const SEED_LOCK_ID = 4_242_005;
const SEED_TIMEOUT_MS = 10 * 60 * 1000;

export interface SeedResult {
  /** true when this call loaded the demo dataset */
  seeded: boolean;
  /** what was loaded, or null when nothing was */
  counts: LoadCounts | null;
  /** the demo keys, when the demo trust exists (empty for a database holding other data) */
  keys: DemoKey[];
}

export async function seedDemo(prisma: PrismaClient): Promise<SeedResult> {
  const counts = await loadDemoIfEmpty(prisma);
  const keys = await demoKeysIfSeeded(prisma);
  return { seeded: counts !== null, counts, keys };
}

/** Loads the demo dataset if the database has no org unit at all; what it loaded, or null. */
export async function loadDemoIfEmpty(prisma: PrismaClient): Promise<LoadCounts | null> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${SEED_LOCK_ID}::bigint)) AS lock`;
      // Checked under the lock: a database with any org unit is someone's data, never overwritten.
      if ((await tx.orgUnit.count()) > 0) return null;
      // The generator and loader only when there is something to load: a restart on a seeded
      // database loads neither (they are most of the demo's code).
      const [{ buildDataset }, { loadDatasetInto }] = await Promise.all([import('./dataset'), import('./load-dataset')]);
      return loadDatasetInto(tx, buildDataset(DEMO_OPTIONS));
    },
    { timeout: SEED_TIMEOUT_MS, maxWait: 60_000 },
  );
}

/** The demo keys (made present), when the demo trust exists; none for a database holding other data. */
export async function demoKeysIfSeeded(prisma: PrismaClient): Promise<DemoKey[]> {
  const demoTrust = await prisma.orgUnit.findUnique({ where: { code: DEMO_TRUST_CODE }, select: { id: true } });
  return demoTrust ? createDemoKeys(prisma) : [];
}
