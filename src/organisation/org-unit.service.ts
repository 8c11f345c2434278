import type { Prisma } from '../generated/prisma/client';
import type { OrgUnitType } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageFromArray, pageFromQuery, pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { runMutation, type MutationResult } from '../editing/mutation';
import { parseInput, patchOf, userError } from '../graphql/input';
import { checkVersion, editAtVersion, updateAtVersion, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import { requireInScope } from '../graphql/scope';
import { readsEveryTrust } from '../access/actor';
import { forbidden } from '../graphql/errors';
import { lockAllRollups } from '../observations/measure-locks';
import { rebuildRollups } from '../observations/rollups';
import { lockRowForShare } from '../db/row-lock';
import { OrgUnitArchiveInput, OrgUnitCreateInput, OrgUnitUpdateInput } from './org-unit.input';
import { ORG_UNIT_TYPENAME, orgUnitFromRow, type OrgUnit } from './org-unit.type';
import { orgUnitLoaders } from './org-unit.loaders';
import { orgUnitCountSql, orgUnitWindowSql } from './org-unit.sql';

async function codeIsTaken(tx: Prisma.TransactionClient, code: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>('SELECT 1 FROM org_unit WHERE code = $1', code);
  return rows.length > 0;
}

/** Where each level may hang: a team sits under a service or directorate, never under a ward. */
const ALLOWED_PARENTS: Record<OrgUnitType, readonly OrgUnitType[]> = {
  TRUST: [],
  DIRECTORATE: ['TRUST'],
  SERVICE: ['TRUST', 'DIRECTORATE'],
  TEAM: ['DIRECTORATE', 'SERVICE'],
  WARD: ['DIRECTORATE', 'SERVICE'],
};

export interface OrgUnitFilter {
  type?: OrgUnitType | null;
  /** only units in this unit's subtree (itself excluded) */
  withinCode?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
}

export async function findOrgUnitByCode(ctx: RequestContext, code: string): Promise<OrgUnit | null> {
  return orgUnitLoaders(ctx).orgUnitByCode.load(code);
}

export async function listOrgUnits(ctx: RequestContext, filter: OrgUnitFilter, args: ConnectionArgs): Promise<Page<OrgUnit>> {
  if (!filter.search && !filter.withinCode) {
    // The plain list (by type, with or without archived units): raw SQL, the hot path.
    const plain = { type: filter.type ?? null, includeArchived: filter.includeArchived ?? false };
    return pageFromQuery(
      args,
      (unit) => unit.dbId,
      async (window) => (await orgUnitWindowSql(ctx.db, ctx.actor, plain, window)).map(orgUnitLoaders(ctx).fromListRow),
      () => orgUnitCountSql(ctx.db, ctx.actor, plain),
    );
  }
  const where: Prisma.OrgUnitWhereInput = {
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
  if (filter.withinCode) {
    const root = await orgUnitLoaders(ctx).orgUnitByCode.load(filter.withinCode);
    if (!root) return pageFromArray<OrgUnit>([], args, (u) => u.dbId); // no such unit: an empty list
    where.path = { startsWith: root.path };
    where.id = { not: root.dbId };
  }
  return pageTableById(args, ctx.prisma.orgUnit, where, orgUnitFromRow);
}

/** The ancestors of a unit, trust first, from its materialised path. */
export async function ancestorsOf(ctx: RequestContext, unit: OrgUnit): Promise<OrgUnit[]> {
  const ids = unit.path.split('/').filter(Boolean).map(Number).filter((id) => id !== unit.dbId);
  const units = await orgUnitLoaders(ctx).orgUnitById.loadMany(ids);
  return units.filter((u): u is OrgUnit => u !== null && !(u instanceof Error));
}

export async function createOrgUnit(ctx: RequestContext, rawInput: OrgUnitCreateInput): Promise<MutationResult<OrgUnit>> {
  return runMutation(ctx, 'editOrganisation', async ({ tx, audit }) => {
    const input = parseInput(OrgUnitCreateInput.schema, rawInput);
    // NHS trust ODS codes begin with R or T (mental-health trusts such as TAF, TAH and TAD among the T codes).
    if (input.type === 'TRUST' && !/^[RT][A-Z0-9]{2}$/.test(input.code)) {
      userError(['code'], 'INVALID', 'A trust is named by its NHS ODS code: three characters starting with R or T (e.g. RAT, TAF)');
    }
    // A new trust is no one trust's to make: a key of some trusts could never read it.
    if (input.type === 'TRUST' && !readsEveryTrust(ctx.actor)) throw forbidden('Only a key of every trust may add a trust');
    // Codes are unique across the installation, other trusts' included (raw SQL: they are not in this actor's view).
    if (await codeIsTaken(tx, input.code)) {
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
    audit({ entityType: ORG_UNIT_TYPENAME, entityId: row.id, action: 'create', after: row });
    return orgUnitFromRow(row);
  });
}

// ---------------------------------------------------------------------------------------
// Editing: update (rename, retype, move to another parent) and archive.
// ---------------------------------------------------------------------------------------

type OrgUnitRow = Awaited<ReturnType<Prisma.TransactionClient['orgUnit']['findUniqueOrThrow']>>;

function orgUnitValues(row: OrgUnitRow): Record<string, unknown> {
  return { name: row.name, type: row.type, odsCode: row.odsCode, depth: row.depth };
}

/** How an edit of this unit names it in a CONFLICT and in the audit log. */
function orgUnitEdit(unit: OrgUnitRow): Pick<VersionedEdit<OrgUnitRow>, 'what' | 'valuesOf' | 'entityType'> {
  return { what: `Org unit ${unit.code}`, valuesOf: orgUnitValues, entityType: ORG_UNIT_TYPENAME };
}

async function liveOrgUnit(tx: Prisma.TransactionClient, code: string, field: string, lock = false): Promise<OrgUnitRow> {
  let row = await tx.orgUnit.findUnique({ where: { code } });
  if (!row) userError([field], 'NOT_FOUND', `No org unit has code ${code}`);
  if (lock) {
    // A new parent stays live until we commit (a concurrent archive waits, or is seen here).
    await lockRowForShare(tx, 'org_unit', row.id);
    row = await tx.orgUnit.findUniqueOrThrow({ where: { id: row.id } });
  }
  if (row.archivedAt) userError([field], 'INVALID', `${code} is archived`);
  return row;
}

/** A live org unit named in a mutation's input (`field`) that the actor may act on. */
export async function liveOrgUnitInScope(ctx: RequestContext, tx: Prisma.TransactionClient, code: string, field = 'orgUnitCode'): Promise<OrgUnitRow> {
  const unit = await liveOrgUnit(tx, code, field);
  requireInScope(ctx.actor, unit);
  return unit;
}

/** A fresh read of a unit (no request cache): what a client shows after a CONFLICT. */
export async function currentOrgUnit(ctx: RequestContext, code: string): Promise<OrgUnit | null> {
  const row = await ctx.prisma.orgUnit.findUnique({ where: { code } });
  return row ? orgUnitFromRow(row) : null;
}

export async function updateOrgUnit(ctx: RequestContext, rawInput: OrgUnitUpdateInput): Promise<VersionedResult<OrgUnit>> {
  const result = await runMutation(ctx, 'editOrganisation', async ({ tx, audit }) => {
    const input = parseInput(OrgUnitUpdateInput.schema, rawInput);
    // A move rebuilds every rollup: it locks them all, so no import interleaves, and locks first
    // (measure-locks.ts): before it reads the paths it rewrites (another move may be changing
    // them) and before its first board-visible write (else an import holding its locks and
    // waiting for the board data version row would deadlock with it).
    if (input.parentCode !== undefined) await lockAllRollups(tx);
    const unit = await liveOrgUnit(tx, input.code, 'code');
    requireInScope(ctx.actor, unit);
    const edit = orgUnitEdit(unit);
    checkVersion(edit.what, input.version, unit, edit.valuesOf(unit));

    const type = input.type ?? unit.type;
    if ((type === 'TRUST') !== (unit.type === 'TRUST')) {
      userError(['type'], 'INVALID', 'A trust stays a trust, and nothing else becomes one: create the new trust instead');
    }
    // Where the unit will hang: unchanged unless parentCode is given.
    let parent: OrgUnitRow | null = unit.parentId === null ? null : await tx.orgUnit.findUniqueOrThrow({ where: { id: unit.parentId } });
    const moving = input.parentCode !== undefined && input.parentCode !== (parent?.code ?? null);
    if (moving) {
      if (input.parentCode === null) {
        userError(['parentCode'], 'REQUIRED', type === 'TRUST' ? 'A trust is a root: it has no parent' : `A ${type.toLowerCase()} needs a parent`);
      }
      parent = await liveOrgUnit(tx, input.parentCode as string, 'parentCode', true);
      requireInScope(ctx.actor, parent);
      if (parent.path.startsWith(unit.path)) {
        userError(['parentCode'], 'INVALID', `${unit.code} cannot move under ${parent.code}: a unit cannot become its own ancestor`);
      }
    }
    const allowed = ALLOWED_PARENTS[type];
    if (type === 'TRUST' && parent) userError(['parentCode'], 'INVALID', 'A trust is a root: it has no parent');
    if (parent && !allowed.includes(parent.type)) {
      userError([moving ? 'parentCode' : 'type'], 'INVALID', `A ${type.toLowerCase()} must sit under a ${allowed.join(' or ')}, not a ${parent.type}`);
    }
    if (type !== unit.type) {
      const children = await tx.orgUnit.findMany({ where: { parentId: unit.id, archivedAt: null }, select: { code: true, type: true } });
      const misfit = children.find((child) => !ALLOWED_PARENTS[child.type].includes(type));
      if (misfit) userError(['type'], 'INVALID', `${misfit.code} (a ${misfit.type}) cannot sit under a ${type}`);
    }

    const newPath = moving ? `${(parent as OrgUnitRow).path}${unit.id}/` : unit.path;
    const newDepth = moving ? (parent as OrgUnitRow).depth + 1 : unit.depth;
    await updateAtVersion(
      tx.orgUnit,
      unit.id,
      input.version,
      {
        ...patchOf(input, ['name', 'type', 'odsCode']),
        ...(moving ? { parentId: (parent as OrgUnitRow).id, path: newPath, depth: newDepth } : {}),
      },
      edit.what,
      edit.valuesOf,
    );
    let movedDescendants = 0;
    if (moving) {
      // The whole subtree follows: its paths take the new prefix and its depths shift alike.
      movedDescendants = await tx.$executeRawUnsafe(
        `UPDATE org_unit SET path = $1 || substr(path, length($2) + 1), depth = depth + $3, updated_at = now()
         WHERE path LIKE $2 || '%' AND id <> $4`,
        newPath,
        unit.path,
        newDepth - unit.depth,
        unit.id,
      );
      // Pooled values follow the new tree (a directorate's figures gain or lose the moved team's).
      await rebuildRollups(tx);
    }
    const row = await tx.orgUnit.findUniqueOrThrow({ where: { id: unit.id } });
    audit({
      entityType: ORG_UNIT_TYPENAME,
      entityId: row.id,
      action: moving ? 'move' : 'update',
      before: unit,
      after: moving ? { ...row, parentCode: (parent as OrgUnitRow).code, movedDescendants } : row,
    });
    return orgUnitFromRow(row);
  });
  return withCurrent(result, () => currentOrgUnit(ctx, rawInput.code));
}

/**
 * Archives a unit (never deletes it: observations and history refer to it). Refused while it
 * has live children (archive from the leaves up, so no live unit hangs under an archived one)
 * or takes part in a live workstream (take it out first, so the map never shows archived teams).
 */
export async function archiveOrgUnit(ctx: RequestContext, rawInput: OrgUnitArchiveInput): Promise<VersionedResult<OrgUnit>> {
  const result = await runMutation(ctx, 'editOrganisation', async ({ tx, audit }) => {
    const input = parseInput(OrgUnitArchiveInput.schema, rawInput);
    const unit = await liveOrgUnit(tx, input.code, 'code');
    requireInScope(ctx.actor, unit);
    // Archive first (locking the row), then check: a team being added to a workstream meanwhile
    // has either committed (and is seen below) or waits for us (and then finds the unit archived).
    const row = await editAtVersion(tx.orgUnit, unit, input.version, { archivedAt: new Date() }, { ...orgUnitEdit(unit), audit, action: 'archive' });
    const children = await tx.orgUnit.findMany({ where: { parentId: unit.id, archivedAt: null }, select: { code: true }, orderBy: { code: 'asc' }, take: 5 });
    if (children.length > 0) {
      userError(['code'], 'INVALID', `${unit.code} still has live units under it (${children.map((c) => c.code).join(', ')}): archive or move them first`);
    }
    const workstreams = await tx.workstreamTeam.findMany({
      where: { orgUnitId: unit.id, workstream: { archivedAt: null } },
      select: { workstream: { select: { code: true } } },
      orderBy: { workstreamId: 'asc' },
    });
    if (workstreams.length > 0) {
      userError(['code'], 'INVALID', `${unit.code} takes part in ${workstreams.map((w) => w.workstream.code).join(', ')}: remove it from those workstreams first`);
    }
    return orgUnitFromRow(row);
  });
  return withCurrent(result, () => currentOrgUnit(ctx, rawInput.code));
}
