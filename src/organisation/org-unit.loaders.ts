import type { OrgUnit as OrgUnitRow, PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { orgUnitFromRow, type OrgUnit } from './org-unit.type';

function buildOrgUnitLoaders(prisma: PrismaClient) {
  const orgUnitById = loaderByKey((ids: number[]) => prisma.orgUnit.findMany({ where: { id: { in: ids } } }), (row) => row.id, orgUnitFromRow);
  /** A unit found another way (by code, as a child) is cached by id too. */
  const primed = (row: OrgUnitRow): OrgUnit => {
    const unit = orgUnitFromRow(row);
    orgUnitById.prime(unit.dbId, unit);
    return unit;
  };
  return {
    orgUnitById,
    orgUnitByCode: loaderByKey((codes: string[]) => prisma.orgUnit.findMany({ where: { code: { in: codes } } }), (row) => row.code, primed),
    orgUnitChildren: loaderOfLists(
      (parentIds: number[]) => prisma.orgUnit.findMany({ where: { parentId: { in: parentIds } }, orderBy: { id: 'asc' } }),
      (row) => row.parentId as number,
      primed,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const orgUnitLoaders = perRequest((ctx) => buildOrgUnitLoaders(ctx.prisma));
