import DataLoader from 'dataloader';
import { groupBy } from '../lib/group-by';
import type { PrismaClient } from '../generated/prisma/client';
import { orgUnitFromRow, type OrgUnit } from './org-unit.type';
import { perRequest } from '../graphql/context';

function buildOrgUnitLoaders(prisma: PrismaClient) {
  const byId = new DataLoader<number, OrgUnit | null>(async (ids) => {
    const rows = await prisma.orgUnit.findMany({ where: { id: { in: [...ids] } } });
    const map = new Map(rows.map((row) => [row.id, orgUnitFromRow(row)]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const byCode = new DataLoader<string, OrgUnit | null>(async (codes) => {
    const rows = await prisma.orgUnit.findMany({ where: { code: { in: [...codes] } } });
    const map = new Map(rows.map((row) => [row.code, orgUnitFromRow(row)]));
    return codes.map((code) => {
      const unit = map.get(code) ?? null;
      if (unit) byId.prime(unit.dbId, unit);
      return unit;
    });
  });
  const childrenByParentId = new DataLoader<number, OrgUnit[]>(async (parentIds) => {
    const rows = await prisma.orgUnit.findMany({ where: { parentId: { in: [...parentIds] } }, orderBy: { id: 'asc' } });
    const byParent = groupBy(rows, (row) => row.parentId as number, orgUnitFromRow);
    for (const unit of [...byParent.values()].flat()) byId.prime(unit.dbId, unit);
    return parentIds.map((id) => byParent.get(id) ?? []);
  });
  return { orgUnitById: byId, orgUnitByCode: byCode, orgUnitChildren: childrenByParentId };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const orgUnitLoaders = perRequest((ctx) => buildOrgUnitLoaders(ctx.prisma));
