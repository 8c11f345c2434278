import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import { principleFromRow, type Principle } from './principle.type';
import { perRequest } from '../graphql/context';

function buildPrincipleLoaders(prisma: PrismaClient) {
  // Four rows that never change at run time: one query serves every lookup in a request.
  let all: Promise<Principle[]> | null = null;
  const allPrinciples = () => {
    all ??= prisma.principle.findMany({ orderBy: { sortOrder: 'asc' } }).then((rows) => rows.map(principleFromRow));
    return all;
  };
  const principleById = new DataLoader<number, Principle | null>(async (ids) => {
    const principles = await allPrinciples();
    return ids.map((id) => principles.find((p) => p.dbId === id) ?? null);
  });
  return { allPrinciples, principleById };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const principleLoaders = perRequest((ctx) => buildPrincipleLoaders(ctx.prisma));
