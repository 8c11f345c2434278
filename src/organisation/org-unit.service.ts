import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { OrgUnitType } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageFromQuery, type ConnectionArgs, type Page } from '../graphql/connection';
import { parseInput, runMutation, userError, type MutationResult } from '../graphql/mutation';
import { orgUnitFromRow, type OrgUnit } from './org-unit.type';

/** Where each level may hang: a team sits under a service or directorate, never under a ward. */
const ALLOWED_PARENTS: Record<OrgUnitType, readonly OrgUnitType[]> = {
  TRUST: [],
  DIRECTORATE: ['TRUST'],
  SERVICE: ['TRUST', 'DIRECTORATE'],
  TEAM: ['DIRECTORATE', 'SERVICE'],
  WARD: ['DIRECTORATE', 'SERVICE'],
};

export const ORG_UNIT_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'A code is 2 to 32 characters: capital letters, digits and hyphens');

const orgUnitCreateInput = z.object({
  code: ORG_UNIT_CODE,
  name: z.string().trim().min(1, 'A name is required').max(200),
  type: z.enum(OrgUnitType),
  parentCode: ORG_UNIT_CODE.nullish(),
  odsCode: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{3}([A-Z0-9]{2})?$/, 'An ODS code is 3 characters (an organisation) or 5 (a site)')
    .nullish(),
});
export type OrgUnitCreateInput = z.input<typeof orgUnitCreateInput>;

export interface OrgUnitFilter {
  type?: OrgUnitType | null;
  /** only units in this unit's subtree (itself excluded) */
  withinCode?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
}

export async function findOrgUnitByCode(ctx: RequestContext, code: string): Promise<OrgUnit | null> {
  return ctx.loaders.orgUnitByCode.load(code);
}

export async function listOrgUnits(ctx: RequestContext, filter: OrgUnitFilter, args: ConnectionArgs): Promise<Page<OrgUnit>> {
  const where: Prisma.OrgUnitWhereInput = {
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
  if (filter.withinCode) {
    const root = await ctx.loaders.orgUnitByCode.load(filter.withinCode);
    if (!root) return pageFromQuery(args, (u: OrgUnit) => u.dbId, async () => [], async () => 0);
    where.path = { startsWith: root.path };
    where.id = { not: root.dbId };
  }
  return pageFromQuery(
    args,
    (unit: OrgUnit) => unit.dbId,
    async (window) => {
      const rows = await ctx.prisma.orgUnit.findMany({
        where: { AND: [where, { id: { gt: window.idGt, lt: window.idLt } }] },
        orderBy: { id: window.order },
        take: window.take,
      });
      return rows.map(orgUnitFromRow);
    },
    () => ctx.prisma.orgUnit.count({ where }),
  );
}

/** The ancestors of a unit, trust first, from its materialised path. */
export async function ancestorsOf(ctx: RequestContext, unit: OrgUnit): Promise<OrgUnit[]> {
  const ids = unit.path.split('/').filter(Boolean).map(Number).filter((id) => id !== unit.dbId);
  const units = await ctx.loaders.orgUnitById.loadMany(ids);
  return units.filter((u): u is OrgUnit => u !== null && !(u instanceof Error));
}

export async function createOrgUnit(ctx: RequestContext, rawInput: OrgUnitCreateInput): Promise<MutationResult<OrgUnit>> {
  return runMutation(ctx, 'editOrganisation', async ({ tx, audit }) => {
    const input = parseInput(orgUnitCreateInput, rawInput);
    if (input.type === 'TRUST' && !/^R[A-Z0-9]{2}$/.test(input.code)) {
      userError(['code'], 'INVALID', 'A trust is named by its NHS ODS code: three characters starting with R (e.g. RAT)');
    }
    if (await tx.orgUnit.findUnique({ where: { code: input.code }, select: { id: true } })) {
      userError(['code'], 'TAKEN', `An org unit with code ${input.code} already exists`);
    }
    let parent: { id: number; path: string; depth: number; type: OrgUnitType; archivedAt: Date | null } | null = null;
    if (input.parentCode) {
      parent = await tx.orgUnit.findUnique({ where: { code: input.parentCode } });
      if (!parent) userError(['parentCode'], 'NOT_FOUND', `No org unit has code ${input.parentCode}`);
      if (parent.archivedAt) userError(['parentCode'], 'INVALID', `${input.parentCode} is archived`);
    }
    const allowed = ALLOWED_PARENTS[input.type];
    if (!parent && input.type !== 'TRUST') {
      userError(['parentCode'], 'REQUIRED', `A ${input.type.toLowerCase()} needs a parent (${allowed.join(' or ')})`);
    }
    if (parent && !allowed.includes(parent.type)) {
      userError(
        ['parentCode'],
        'INVALID',
        allowed.length === 0 ? 'A trust is a root: it has no parent' : `A ${input.type.toLowerCase()} must sit under a ${allowed.join(' or ')}, not a ${parent.type}`,
      );
    }
    const created = await tx.orgUnit.create({
      data: {
        code: input.code,
        name: input.name,
        type: input.type,
        odsCode: input.odsCode ?? null,
        parentId: parent?.id ?? null,
        path: '/',
        depth: parent ? parent.depth + 1 : 0,
      },
    });
    const row = await tx.orgUnit.update({ where: { id: created.id }, data: { path: `${parent?.path ?? '/'}${created.id}/` } });
    audit({ entityType: 'OrgUnit', entityId: row.id, action: 'create', after: row });
    return orgUnitFromRow(row);
  });
}
