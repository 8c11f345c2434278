import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { orgUnitsByCodeSql, orgUnitsByIdSql } from './org-unit.sql';
import { orgUnitFromRow, type OrgUnit, type OrgUnitRowFields } from './org-unit.type';

function buildOrgUnitLoaders(ctx: RequestContext) {
  const prisma = ctx.prisma;
  // by id (every `parent`, `ancestors`, `orgUnit` of a row): raw SQL, trust-scoped (org-unit.sql.ts)
  const orgUnitById = loaderByKey((ids: number[]) => orgUnitsByIdSql(ctx.db, ctx.actor, ids), (row) => row.id, orgUnitFromRow);
  /** A unit found another way (by code, as a child) is cached by id too. */
  const primed = (row: OrgUnitRowFields): OrgUnit => {
    const unit = orgUnitFromRow(row);
    orgUnitById.prime(unit.dbId, unit);
    return unit;
  };
  return {
    orgUnitById,
    orgUnitByCode: loaderByKey((codes: string[]) => orgUnitsByCodeSql(ctx.db, ctx.actor, codes), (row) => row.code, primed),
    orgUnitChildren: loaderOfLists(
      (parentIds: number[]) => prisma.orgUnit.findMany({ where: { parentId: { in: parentIds } }, orderBy: { id: 'asc' } }),
      (row) => row.parentId as number,
      primed,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const orgUnitLoaders = perRequest(buildOrgUnitLoaders);
