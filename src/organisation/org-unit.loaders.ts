import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { orgUnitsByCodeSql, orgUnitsByIdSql } from './org-unit.sql';
import { orgUnitFromRow, type OrgUnit, type OrgUnitRowFields } from './org-unit.type';

function buildOrgUnitLoaders(ctx: RequestContext) {
  const prisma = ctx.prisma;
  /**
   * Every unit this request has read, by id. Each came through a trust-scoped read for this
   * actor (the loaders are the request's, dropped after a write), so `parent` can answer from
   * here at once: no promise per row for graphql-js to wait on, no statement for a parent the
   * page already holds (a page of units by id holds most of its parents).
   */
  const read = new Map<number, OrgUnit>();
  const remembered = (row: OrgUnitRowFields): OrgUnit => {
    const unit = orgUnitFromRow(row);
    read.set(unit.dbId, unit);
    return unit;
  };
  // by id (every `parent`, `ancestors`, `orgUnit` of a row): raw SQL, trust-scoped (org-unit.sql.ts)
  const orgUnitById = loaderByKey((ids: number[]) => orgUnitsByIdSql(ctx.db, ctx.actor, ids), (row) => row.id, remembered);
  /** A unit found another way (by code, as a child, in a list) is cached by id too. */
  const primed = (row: OrgUnitRowFields): OrgUnit => {
    const unit = remembered(row);
    orgUnitById.prime(unit.dbId, unit);
    return unit;
  };
  return {
    orgUnitById,
    /** A unit by id if this request has already read it, else undefined (then load it with orgUnitById). */
    alreadyRead: (id: number): OrgUnit | undefined => read.get(id),
    /** Makes a row read by a list into the API type, remembered for the rest of the request. */
    fromListRow: primed,
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
