import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { pageFromQuery, type ConnectionArgs, type Page } from '../graphql/connection';
import { personFromRow, type Person } from './person.type';

export interface PeopleFilter {
  search?: string | null;
  includeArchived?: boolean | null;
}

export async function listPeople(ctx: RequestContext, filter: PeopleFilter, args: ConnectionArgs): Promise<Page<Person>> {
  const where: Prisma.PersonWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
  return pageFromQuery(
    args,
    (person: Person) => person.dbId,
    async (window) => {
      const rows = await ctx.prisma.person.findMany({
        where: { AND: [where, { id: { gt: window.idGt, lt: window.idLt } }] },
        orderBy: { id: window.order },
        take: window.take,
      });
      return rows.map(personFromRow);
    },
    () => ctx.prisma.person.count({ where }),
  );
}
