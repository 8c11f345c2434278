import type { PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey } from '../graphql/loaders';
import { personFromRow } from './person.type';

function buildPersonLoaders(prisma: PrismaClient) {
  return {
    personById: loaderByKey((ids: number[]) => prisma.person.findMany({ where: { id: { in: ids } } }), (row) => row.id, personFromRow),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const personLoaders = perRequest((ctx) => buildPersonLoaders(ctx.prisma));
