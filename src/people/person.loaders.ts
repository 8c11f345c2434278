import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import { personFromRow, type Person } from './person.type';
import { perRequest } from '../graphql/context';

function buildPersonLoaders(prisma: PrismaClient) {
  const personById = new DataLoader<number, Person | null>(async (ids) => {
    const rows = await prisma.person.findMany({ where: { id: { in: [...ids] } } });
    const map = new Map(rows.map((row) => [row.id, personFromRow(row)]));
    return ids.map((id) => map.get(id) ?? null);
  });
  return { personById };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const personLoaders = perRequest((ctx) => buildPersonLoaders(ctx.prisma));
