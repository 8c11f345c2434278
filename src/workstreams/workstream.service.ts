import { peopleOfActorTrusts } from '../access/tenancy';
import { requireInScope } from '../graphql/scope';
import { lockRowForShare, lockRowsForShare } from '../db/row-lock';
import type { Prisma } from '../generated/prisma/client';
import { WorkstreamStatus, type PrincipleKey } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { expectGlobalId } from '../graphql/global-id';
import { parseInput, patchOf, requireEveryCode, userError } from '../graphql/input';
import { runMutation, type MutationResult, type MutationScope } from '../editing/mutation';
import { pageTableSorted, sortDirection, type OrderDirection, type SortColumn } from '../graphql/ordering';
import { checkVersion, editAtVersion, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import { livePersonById, personNamedBy } from '../people/person.service';
import { PERSON_TYPENAME } from '../people/person.type';
import { ORG_UNIT_TYPENAME } from '../organisation/org-unit.type';
import {
  WorkstreamArchiveInput,
  WorkstreamCreateInput,
  WorkstreamLeadInput,
  WorkstreamOrderField,
  WorkstreamPrincipleInput,
  WorkstreamTeamInput,
  WorkstreamTeamsInput,
  WorkstreamUpdateInput,
} from './workstream.input';
import { WORKSTREAM_TYPENAME, workstreamFromRow, type Workstream } from './workstream.type';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

// ---------------------------------------------------------------------------------------
// Reading: filters, search and sorting.
// ---------------------------------------------------------------------------------------

const WORKSTREAM_SORTS: Record<WorkstreamOrderField, SortColumn<Workstream>> = {
  NAME: { column: 'name', kind: 'text', valueOf: (w) => w.name },
  CODE: { column: 'code', kind: 'text', valueOf: (w) => w.code },
  STATUS: { column: 'status', kind: 'enum', order: Object.values(WorkstreamStatus), valueOf: (w) => w.status },
  UPDATED_AT: { column: 'updatedAt', kind: 'time', valueOf: (w) => w.updatedAt },
};

export interface WorkstreamFilter {
  status?: WorkstreamStatus | null;
  principle?: PrincipleKey | null;
  /** workstreams in which a team of this org unit's subtree takes part */
  orgUnitCode?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
  /** led (in any role) by this person (a global ID) */
  leadPersonId?: string | null;
  /** led (in any role) by the person with this email (any case) */
  leadPersonEmail?: string | null;
  /** led by someone whose name contains this */
  leadName?: string | null;
  orderBy?: { field: WorkstreamOrderField; direction?: OrderDirection | null } | null;
}

export async function listWorkstreams(ctx: RequestContext, filter: WorkstreamFilter, args: ConnectionArgs): Promise<Page<Workstream>> {
  const where: Prisma.WorkstreamWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
    ...(filter.principle ? { principles: { some: { principle: { key: filter.principle } } } } : {}),
  };
  if (filter.orgUnitCode) {
    const unit = await orgUnitLoaders(ctx).orgUnitByCode.load(filter.orgUnitCode);
    where.teams = { some: { orgUnit: { path: { startsWith: unit?.path ?? '/none/' } } } };
  }
  const leadConditions: Prisma.WorkstreamLeadWhereInput[] = [];
  if (filter.leadPersonId) leadConditions.push({ personId: expectGlobalId(filter.leadPersonId, PERSON_TYPENAME, 'leadPersonId') });
  if (filter.leadPersonEmail) leadConditions.push({ person: { email: filter.leadPersonEmail.trim().toLowerCase() } });
  if (filter.leadName) leadConditions.push({ person: { name: { contains: filter.leadName, mode: 'insensitive' } } });
  // A relation filter is not narrowed by the tenancy client: only the reader's trusts' leads may
  // match, or a lead's name or email would tell which workstreams another trust's person leads.
  const visible = peopleOfActorTrusts(ctx.actor);
  if (leadConditions.length > 0) where.leads = { some: { AND: [...leadConditions, ...(visible ? [{ person: visible }] : [])] } };

  if (filter.orderBy) {
    return pageTableSorted(args, ctx.prisma.workstream, where, WORKSTREAM_SORTS[filter.orderBy.field], sortDirection(filter.orderBy.direction), workstreamFromRow);
  }
  return pageTableById(args, ctx.prisma.workstream, where, workstreamFromRow);
}

// ---------------------------------------------------------------------------------------
// Editing: create, update, archive, and the links to principles, teams and leads.
// ---------------------------------------------------------------------------------------

export type WorkstreamRow = Awaited<ReturnType<Prisma.TransactionClient['workstream']['findUniqueOrThrow']>>;

function workstreamValues(row: WorkstreamRow): Record<string, unknown> {
  return { name: row.name, status: row.status, startDate: row.startDate, endDate: row.endDate, aims: row.aims };
}

/** How an edit of this workstream names it in a CONFLICT and in the audit log. */
function workstreamEdit(workstream: WorkstreamRow): Pick<VersionedEdit<WorkstreamRow>, 'what' | 'valuesOf' | 'entityType'> {
  return { what: `Workstream ${workstream.code}`, valuesOf: workstreamValues, entityType: WORKSTREAM_TYPENAME };
}

/** A date column as the API shows it: YYYY-MM-DD. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A workstream that may still be edited: found, and not archived. */
export async function liveWorkstream(tx: Prisma.TransactionClient, code: string, field: string): Promise<WorkstreamRow> {
  const row = await tx.workstream.findUnique({ where: { code } });
  if (!row) userError([field], 'NOT_FOUND', `No workstream has code ${code}`);
  if (row.archivedAt) userError([field], 'INVALID', `${code} is archived`);
  return row;
}

export async function currentWorkstream(ctx: RequestContext, code: string): Promise<Workstream | null> {
  const row = await ctx.prisma.workstream.findUnique({ where: { code } });
  return row ? workstreamFromRow(row) : null;
}

function checkDates(startDate: Date | null, endDate: Date | null): void {
  if (startDate && endDate && endDate < startDate) {
    userError(['endDate'], 'INVALID', `The end date (${day(endDate)}) is before the start date (${day(startDate)})`);
  }
}

export async function createWorkstream(ctx: RequestContext, rawInput: WorkstreamCreateInput): Promise<MutationResult<Workstream>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamCreateInput.schema, rawInput);
    checkDates(input.startDate ?? null, input.endDate ?? null);
    if (await tx.workstream.findUnique({ where: { code: input.code }, select: { id: true } })) {
      userError(['code'], 'TAKEN', `A workstream with code ${input.code} already exists`);
    }
    const row = await tx.workstream.create({
      data: {
        code: input.code,
        name: input.name,
        description: input.description ?? '',
        aims: input.aims ?? [],
        status: input.status ?? 'PROPOSED',
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
      },
    });
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: row.id, action: 'create', after: row });
    return workstreamFromRow(row);
  });
}

export async function updateWorkstream(ctx: RequestContext, rawInput: WorkstreamUpdateInput): Promise<VersionedResult<Workstream>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamUpdateInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.code, 'code');
    const edit = workstreamEdit(workstream);
    checkVersion(edit.what, input.version, workstream, edit.valuesOf(workstream));
    const startDate = input.startDate !== undefined ? input.startDate : workstream.startDate;
    const endDate = input.endDate !== undefined ? input.endDate : workstream.endDate;
    checkDates(startDate, endDate);
    if (input.startDate !== undefined || input.endDate !== undefined) {
      // Milestones fall within the workstream's dates; moving the dates must not strand one.
      const due = await tx.milestone.aggregate({ where: { workstreamId: workstream.id, archivedAt: null }, _min: { dueDate: true }, _max: { dueDate: true } });
      if (startDate && due._min.dueDate && due._min.dueDate < startDate) {
        userError(['startDate'], 'INVALID', `A milestone is due on ${day(due._min.dueDate)}, before the new start date`);
      }
      if (endDate && due._max.dueDate && due._max.dueDate > endDate) {
        userError(['endDate'], 'INVALID', `A milestone is due on ${day(due._max.dueDate)}, after the new end date`);
      }
    }
    const data = patchOf(input, ['name', 'description', 'aims', 'status', 'startDate', 'endDate']);
    const row = await editAtVersion(tx.workstream, workstream, input.version, data, { ...edit, audit, action: 'update' });
    return workstreamFromRow(row);
  });
  return withCurrent(result, () => currentWorkstream(ctx, rawInput.code));
}

/** Archives a workstream: it leaves the map; its links, milestones and history are kept. */
export async function archiveWorkstream(ctx: RequestContext, rawInput: WorkstreamArchiveInput): Promise<VersionedResult<Workstream>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamArchiveInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.code, 'code');
    const row = await editAtVersion(tx.workstream, workstream, input.version, { archivedAt: new Date() }, { ...workstreamEdit(workstream), audit, action: 'archive' });
    return workstreamFromRow(row);
  });
  return withCurrent(result, () => currentWorkstream(ctx, rawInput.code));
}

/*
 * Links are sets: adding one that exists is TAKEN, removing one that does not is NOT_FOUND,
 * and neither needs a version (no colleague's edit can be overwritten by adding or removing a
 * link). Each change is audited on every side that has a history.
 */

async function linkMutation(
  ctx: RequestContext,
  permission: 'editFacultyMap' | 'editWorkstreamTeams',
  fn: (scope: MutationScope) => Promise<WorkstreamRow>,
): Promise<MutationResult<Workstream>> {
  return runMutation(ctx, permission, async (scope) => workstreamFromRow(await fn(scope)));
}

async function principleByKey(tx: Prisma.TransactionClient, key: PrincipleKey): Promise<{ id: number; key: PrincipleKey }> {
  return tx.principle.findUniqueOrThrow({ where: { key }, select: { id: true, key: true } });
}

export function addPrinciple(ctx: RequestContext, rawInput: WorkstreamPrincipleInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamPrincipleInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const principle = await principleByKey(tx, input.principle);
    const link = { workstreamId_principleId: { workstreamId: workstream.id, principleId: principle.id } };
    if (await tx.workstreamPrinciple.findUnique({ where: link })) {
      userError(['principle'], 'TAKEN', `${workstream.code} already serves ${principle.key}`);
    }
    await tx.workstreamPrinciple.create({ data: { workstreamId: workstream.id, principleId: principle.id } });
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'addPrinciple', before: null, after: { principle: principle.key } });
    return workstream;
  });
}

export function removePrinciple(ctx: RequestContext, rawInput: WorkstreamPrincipleInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamPrincipleInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const principle = await principleByKey(tx, input.principle);
    const removed = await tx.workstreamPrinciple.deleteMany({ where: { workstreamId: workstream.id, principleId: principle.id } });
    if (removed.count === 0) userError(['principle'], 'NOT_FOUND', `${workstream.code} does not serve ${principle.key}`);
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'removePrinciple', before: { principle: principle.key }, after: null });
    return workstream;
  });
}

/** A unit that may take part in a workstream: a live team or ward within the editor's scope. */
async function participatingUnit(ctx: RequestContext, tx: Prisma.TransactionClient, code: string) {
  const found = await tx.orgUnit.findUnique({ where: { code }, select: { id: true } });
  if (!found) userError(['orgUnitCode'], 'NOT_FOUND', `No org unit has code ${code}`);
  // Held until commit, so a concurrent orgUnitArchive cannot slip between our check and our link.
  await lockRowForShare(tx, 'org_unit', found.id);
  const unit = await tx.orgUnit.findUniqueOrThrow({ where: { id: found.id } });
  requireInScope(ctx.actor, unit);
  return unit;
}

export function addTeam(ctx: RequestContext, rawInput: WorkstreamTeamInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editWorkstreamTeams', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamTeamInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const unit = await participatingUnit(ctx, tx, input.orgUnitCode);
    if (unit.archivedAt) userError(['orgUnitCode'], 'INVALID', `${unit.code} is archived`);
    if (unit.type !== 'TEAM' && unit.type !== 'WARD') {
      userError(['orgUnitCode'], 'INVALID', `Teams and wards take part in workstreams; ${unit.code} is a ${unit.type}`);
    }
    if (input.joinedOn && workstream.endDate && input.joinedOn > workstream.endDate) {
      userError(['joinedOn'], 'INVALID', `${workstream.code} ended on ${day(workstream.endDate)}, before ${day(input.joinedOn)}`);
    }
    if (await tx.workstreamTeam.findUnique({ where: { workstreamId_orgUnitId: { workstreamId: workstream.id, orgUnitId: unit.id } } })) {
      userError(['orgUnitCode'], 'TAKEN', `${unit.code} already takes part in ${workstream.code}`);
    }
    const joinedOn = input.joinedOn ?? null;
    await tx.workstreamTeam.create({ data: { workstreamId: workstream.id, orgUnitId: unit.id, joinedOn } });
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'addTeam', before: null, after: { orgUnit: unit.code, joinedOn }, orgUnitId: unit.id });
    audit({ entityType: ORG_UNIT_TYPENAME, entityId: unit.id, action: 'joinWorkstream', before: null, after: { workstream: workstream.code, joinedOn }, orgUnitId: unit.id });
    return workstream;
  });
}

/**
 * Several teams or wards join at once, under the rules of addTeam for each: all of them, or none
 * with a user error per refused code (its index in `orgUnitCodes`). A fixed number of statements
 * whatever the number of codes: the units, their locks, their links and the writes are one each.
 */
export function addTeams(ctx: RequestContext, rawInput: WorkstreamTeamsInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editWorkstreamTeams', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamTeamsInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    if (input.joinedOn && workstream.endDate && input.joinedOn > workstream.endDate) {
      userError(['joinedOn'], 'INVALID', `${workstream.code} ended on ${day(workstream.endDate)}, before ${day(input.joinedOn)}`);
    }
    const found = await tx.orgUnit.findMany({ where: { code: { in: input.orgUnitCodes } }, select: { id: true } });
    // Held until commit, as addTeam holds its one unit: a concurrent archive cannot slip in.
    await lockRowsForShare(tx, 'org_unit', found.map((u) => u.id));
    const units = new Map((await tx.orgUnit.findMany({ where: { id: { in: found.map((u) => u.id) } } })).map((u) => [u.code, u]));
    for (const unit of units.values()) requireInScope(ctx.actor, unit);
    const taken = new Set(
      (await tx.workstreamTeam.findMany({ where: { workstreamId: workstream.id, orgUnitId: { in: [...units.values()].map((u) => u.id) } }, select: { orgUnitId: true } })).map((l) => l.orgUnitId),
    );
    requireEveryCode(input.orgUnitCodes, 'orgUnitCodes', (code) => {
      const unit = units.get(code);
      if (!unit) return { code: 'NOT_FOUND', message: `No org unit has code ${code}` };
      if (unit.archivedAt) return { code: 'INVALID', message: `${code} is archived` };
      if (unit.type !== 'TEAM' && unit.type !== 'WARD') return { code: 'INVALID', message: `Teams and wards take part in workstreams; ${code} is a ${unit.type}` };
      if (taken.has(unit.id)) return { code: 'TAKEN', message: `${code} already takes part in ${workstream.code}` };
      return null;
    });
    const joinedOn = input.joinedOn ?? null;
    const joining = input.orgUnitCodes.map((code) => units.get(code)!);
    await tx.workstreamTeam.createMany({ data: joining.map((unit) => ({ workstreamId: workstream.id, orgUnitId: unit.id, joinedOn })) });
    for (const unit of joining) {
      audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'addTeam', before: null, after: { orgUnit: unit.code, joinedOn }, orgUnitId: unit.id });
      audit({ entityType: ORG_UNIT_TYPENAME, entityId: unit.id, action: 'joinWorkstream', before: null, after: { workstream: workstream.code, joinedOn }, orgUnitId: unit.id });
    }
    return workstream;
  });
}

export function removeTeam(ctx: RequestContext, rawInput: WorkstreamTeamInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editWorkstreamTeams', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamTeamInput.schema.omit({ joinedOn: true }), rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const unit = await participatingUnit(ctx, tx, input.orgUnitCode);
    const link = await tx.workstreamTeam.findUnique({ where: { workstreamId_orgUnitId: { workstreamId: workstream.id, orgUnitId: unit.id } } });
    if (!link) userError(['orgUnitCode'], 'NOT_FOUND', `${unit.code} does not take part in ${workstream.code}`);
    await tx.workstreamTeam.delete({ where: { workstreamId_orgUnitId: { workstreamId: workstream.id, orgUnitId: unit.id } } });
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'removeTeam', before: { orgUnit: unit.code, joinedOn: link.joinedOn }, after: null, orgUnitId: unit.id });
    audit({ entityType: ORG_UNIT_TYPENAME, entityId: unit.id, action: 'leaveWorkstream', before: { workstream: workstream.code, joinedOn: link.joinedOn }, after: null, orgUnitId: unit.id });
    return workstream;
  });
}

/** The person a lead input names, by global id or by email (exactly one), and the field that named them. */
async function leadPerson(tx: Prisma.TransactionClient, input: { personId?: string | null; personEmail?: string | null }): Promise<{ id: number; field: string }> {
  const named = await personNamedBy(tx, { field: 'personId', value: input.personId }, { field: 'personEmail', value: input.personEmail });
  return named ?? userError(['personId'], 'REQUIRED', 'Name the person: personId or personEmail');
}

/** Adds a lead; naming someone who already leads it in another role changes their role. */
export function addLead(ctx: RequestContext, rawInput: WorkstreamLeadInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamLeadInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const named = await leadPerson(tx, input);
    const person = await livePersonById(tx, named.id, named.field);
    const role = input.role ?? 'LEAD';
    const key = { workstreamId_personId: { workstreamId: workstream.id, personId: person.id } };
    const existing = await tx.workstreamLead.findUnique({ where: key });
    if (existing?.role === role) userError([named.field], 'TAKEN', `${person.name} is already ${role} of ${workstream.code}`);
    if (existing) {
      await tx.workstreamLead.update({ where: key, data: { role } });
      const before = { workstream: workstream.code, person: person.name, role: existing.role };
      const after = { ...before, role };
      // The person's unit: a lead of another trust is not named to this one, on either side.
      audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'changeLeadRole', before, after, orgUnitId: person.orgUnitId });
      audit({ entityType: PERSON_TYPENAME, entityId: person.id, action: 'changeLeadRole', before, after, orgUnitId: person.orgUnitId });
    } else {
      await tx.workstreamLead.create({ data: { workstreamId: workstream.id, personId: person.id, role } });
      const after = { workstream: workstream.code, person: person.name, role };
      audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'addLead', before: null, after, orgUnitId: person.orgUnitId });
      audit({ entityType: PERSON_TYPENAME, entityId: person.id, action: 'addLead', before: null, after, orgUnitId: person.orgUnitId });
    }
    return workstream;
  });
}

export function removeLead(ctx: RequestContext, rawInput: WorkstreamLeadInput): Promise<MutationResult<Workstream>> {
  return linkMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamLeadInput.schema.omit({ role: true }), rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const named = await leadPerson(tx, input);
    const personId = named.id;
    const key = { workstreamId_personId: { workstreamId: workstream.id, personId } };
    const existing = await tx.workstreamLead.findUnique({ where: key, include: { person: { select: { name: true, orgUnitId: true } } } });
    if (!existing) userError([named.field], 'NOT_FOUND', `That person does not lead ${workstream.code}`);
    await tx.workstreamLead.delete({ where: key });
    const before = { workstream: workstream.code, person: existing.person.name, role: existing.role };
    audit({ entityType: WORKSTREAM_TYPENAME, entityId: workstream.id, action: 'removeLead', before, after: null, orgUnitId: existing.person.orgUnitId });
    audit({ entityType: PERSON_TYPENAME, entityId: personId, action: 'removeLead', before, after: null, orgUnitId: existing.person.orgUnitId });
    return workstream;
  });
}
