import type { PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey } from '../graphql/loaders';
import { principleFromRow, type Principle } from './principle.type';

function buildPrincipleLoaders(prisma: PrismaClient) {
  // Four rows that never change at run time: one query serves every lookup in a request.
  let all: Promise<Principle[]> | null = null;
  const allPrinciples = () => {
    all ??= prisma.principle.findMany({ orderBy: { sortOrder: 'asc' } }).then((rows) => rows.map(principleFromRow));
    return all;
  };
  /** By id, answered from the four (whatever the ids asked for). */
  const principleById = loaderByKey((_ids: number[]) => allPrinciples(), (principle) => principle.dbId, (principle) => principle);
  return { allPrinciples, principleById };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const principleLoaders = perRequest((ctx) => buildPrincipleLoaders(ctx.prisma));
