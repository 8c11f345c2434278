import type { Prisma } from '../generated/prisma/client';
import type { PrincipleKey, WorkstreamStatus } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageFromQuery, type ConnectionArgs, type Page } from '../graphql/connection';
import { workstreamFromRow, type Workstream } from './workstream.type';

export interface WorkstreamFilter {
  status?: WorkstreamStatus | null;
  principle?: PrincipleKey | null;
  /** workstreams in which a team of this org unit's subtree takes part */
  orgUnitCode?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
}

export async function listWorkstreams(ctx: RequestContext, filter: WorkstreamFilter, args: ConnectionArgs): Promise<Page<Workstream>> {
  const where: Prisma.WorkstreamWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
    ...(filter.principle ? { principles: { some: { principle: { key: filter.principle } } } } : {}),
  };
  if (filter.orgUnitCode) {
    const unit = await ctx.loaders.orgUnitByCode.load(filter.orgUnitCode);
    where.teams = { some: { orgUnit: { path: { startsWith: unit?.path ?? '/none/' } } } };
  }
  return pageFromQuery(
    args,
    (workstream: Workstream) => workstream.dbId,
    async (window) => {
      const rows = await ctx.prisma.workstream.findMany({
        where: { AND: [where, { id: { gt: window.idGt, lt: window.idLt } }] },
        orderBy: { id: window.order },
        take: window.take,
      });
      return rows.map(workstreamFromRow);
    },
    () => ctx.prisma.workstream.count({ where }),
  );
}
