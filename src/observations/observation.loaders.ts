import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import { groupBy } from '../lib/group-by';
import { revisionFromRow, type ObservationRevision } from './observation.type';
import { perRequest } from '../graphql/context';

function buildObservationLoaders(prisma: PrismaClient) {
  const revisionsByObservation = new DataLoader<bigint, ObservationRevision[]>(async (ids) => {
    const rows = await prisma.observationRevision.findMany({ where: { observationId: { in: [...ids] } }, orderBy: { revision: 'desc' } });
    const groups = groupBy(rows, (r) => r.observationId, revisionFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  return { revisionsByObservation };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const observationLoaders = perRequest((ctx) => buildObservationLoaders(ctx.prisma));
