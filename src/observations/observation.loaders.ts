import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import { groupBy } from '../lib/group-by';
import { revisionFromRow, type ObservationRevision } from './observation.type';

export function observationLoaders(prisma: PrismaClient) {
  const revisionsByObservation = new DataLoader<bigint, ObservationRevision[]>(async (ids) => {
    const rows = await prisma.observationRevision.findMany({ where: { observationId: { in: [...ids] } }, orderBy: { revision: 'desc' } });
    const groups = groupBy(rows, (r) => r.observationId, revisionFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  return { revisionsByObservation };
}
