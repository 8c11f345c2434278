import type { Prisma } from '../generated/prisma/client';
import type { MilestoneStatus } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { decodeGlobalId, expectGlobalId } from '../graphql/global-id';
import { parseInput, patchOf, userError } from '../graphql/input';
import { runMutation, type MutationResult } from '../editing/mutation';
import { checkVersion, editAtVersion, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import {
  ArchiveByIdInput,
  LivedExperienceInvolvementCreateInput,
  LivedExperienceInvolvementUpdateInput,
  MilestoneCreateInput,
  MilestoneUpdateInput,
} from './milestone.input';
import { day, liveWorkstream, type WorkstreamRow } from './workstream.service';
import {
  INVOLVEMENT_TYPENAME,
  involvementFromRow,
  MILESTONE_TYPENAME,
  milestoneFromRow,
  type LivedExperienceInvolvement,
  type Milestone,
} from './workstream.type';

/*
 * A workstream's milestones and its lived-experience involvement: records of their own (each
 * with a version and a history), edited only while their workstream is live.
 */

// ---------------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------------

type MilestoneRow = Awaited<ReturnType<Prisma.TransactionClient['milestone']['findUniqueOrThrow']>>;

function milestoneValues(row: MilestoneRow): Record<string, unknown> {
  return { title: row.title, status: row.status, dueDate: row.dueDate, completedOn: row.completedOn };
}

/** How an edit of this milestone names it in a CONFLICT and in the audit log. */
function milestoneEdit(milestone: MilestoneRow): Pick<VersionedEdit<MilestoneRow>, 'what' | 'valuesOf' | 'entityType'> {
  return { what: `Milestone "${milestone.title}"`, valuesOf: milestoneValues, entityType: MILESTONE_TYPENAME };
}

/** Dates in order: a milestone falls due within its workstream; only a DONE one has a completion date. */
function checkMilestone(workstream: WorkstreamRow, dueDate: Date | null, status: MilestoneStatus, completedOn: Date | null): void {
  if (dueDate && workstream.startDate && dueDate < workstream.startDate) {
    userError(['dueDate'], 'INVALID', `${workstream.code} starts on ${day(workstream.startDate)}, after ${day(dueDate)}`);
  }
  if (dueDate && workstream.endDate && dueDate > workstream.endDate) {
    userError(['dueDate'], 'INVALID', `${workstream.code} ends on ${day(workstream.endDate)}, before ${day(dueDate)}`);
  }
  if (completedOn && status !== 'DONE') userError(['completedOn'], 'INVALID', `Only a DONE milestone has a completion date (this one is ${status})`);
}

async function liveMilestone(tx: Prisma.TransactionClient, globalId: string): Promise<{ milestone: MilestoneRow; workstream: WorkstreamRow }> {
  const id = expectGlobalId(globalId, MILESTONE_TYPENAME, 'id');
  const milestone = await tx.milestone.findUnique({ where: { id }, include: { workstream: true } });
  if (!milestone) userError(['id'], 'NOT_FOUND', 'No such milestone');
  if (milestone.archivedAt) userError(['id'], 'INVALID', 'That milestone is archived');
  if (milestone.workstream.archivedAt) userError(['id'], 'INVALID', `${milestone.workstream.code} is archived`);
  const { workstream, ...row } = milestone;
  return { milestone: row, workstream };
}

async function currentMilestone(ctx: RequestContext, globalId: string): Promise<Milestone | null> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== MILESTONE_TYPENAME) return null;
  const row = await ctx.prisma.milestone.findUnique({ where: { id: Number(decoded.id) } });
  return row ? milestoneFromRow(row) : null;
}

export async function createMilestone(ctx: RequestContext, rawInput: MilestoneCreateInput): Promise<MutationResult<Milestone>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(MilestoneCreateInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const status = input.status ?? 'PLANNED';
    checkMilestone(workstream, input.dueDate ?? null, status, input.completedOn ?? null);
    const row = await tx.milestone.create({
      data: { workstreamId: workstream.id, title: input.title, dueDate: input.dueDate ?? null, status, completedOn: input.completedOn ?? null },
    });
    audit({ entityType: MILESTONE_TYPENAME, entityId: row.id, action: 'create', after: { ...row, workstream: workstream.code } });
    return milestoneFromRow(row);
  });
}

export async function updateMilestone(ctx: RequestContext, rawInput: MilestoneUpdateInput): Promise<VersionedResult<Milestone>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(MilestoneUpdateInput.schema, rawInput);
    const { milestone, workstream } = await liveMilestone(tx, input.id);
    const edit = milestoneEdit(milestone);
    checkVersion(edit.what, input.version, milestone, edit.valuesOf(milestone));
    const dueDate = input.dueDate !== undefined ? input.dueDate : milestone.dueDate;
    const status = input.status ?? milestone.status;
    // Leaving DONE clears the completion date unless the editor sends one (which is then refused).
    const completedOn = input.completedOn !== undefined ? input.completedOn : status === 'DONE' ? milestone.completedOn : null;
    checkMilestone(workstream, dueDate, status, completedOn);
    const data = { ...patchOf(input, ['title']), dueDate, status, completedOn };
    const row = await editAtVersion(tx.milestone, milestone, input.version, data, { ...edit, audit, action: 'update' });
    return milestoneFromRow(row);
  });
  return withCurrent(result, () => currentMilestone(ctx, rawInput.id));
}

export async function archiveMilestone(ctx: RequestContext, rawInput: ArchiveByIdInput): Promise<VersionedResult<Milestone>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(ArchiveByIdInput.schema, rawInput);
    const { milestone } = await liveMilestone(tx, input.id);
    const row = await editAtVersion(tx.milestone, milestone, input.version, { archivedAt: new Date() }, { ...milestoneEdit(milestone), audit, action: 'archive' });
    return milestoneFromRow(row);
  });
  return withCurrent(result, () => currentMilestone(ctx, rawInput.id));
}

// ---------------------------------------------------------------------------------------
// Lived-experience involvement
// ---------------------------------------------------------------------------------------

type InvolvementRow = Awaited<ReturnType<Prisma.TransactionClient['livedExperienceInvolvement']['findUniqueOrThrow']>>;

function involvementValues(row: InvolvementRow): Record<string, unknown> {
  return { kind: row.kind, description: row.description, peopleCount: row.peopleCount, startedOn: row.startedOn };
}

/** How an edit of an involvement record names it in a CONFLICT and in the audit log. */
const INVOLVEMENT_EDIT: Pick<VersionedEdit<InvolvementRow>, 'what' | 'valuesOf' | 'entityType'> = {
  what: 'That involvement',
  valuesOf: involvementValues,
  entityType: INVOLVEMENT_TYPENAME,
};

function checkStartedOn(workstream: WorkstreamRow, startedOn: Date | null): void {
  if (startedOn && workstream.endDate && startedOn > workstream.endDate) {
    userError(['startedOn'], 'INVALID', `${workstream.code} ended on ${day(workstream.endDate)}, before ${day(startedOn)}`);
  }
}

async function liveInvolvement(tx: Prisma.TransactionClient, globalId: string): Promise<{ involvement: InvolvementRow; workstream: WorkstreamRow }> {
  const id = expectGlobalId(globalId, INVOLVEMENT_TYPENAME, 'id');
  const found = await tx.livedExperienceInvolvement.findUnique({ where: { id }, include: { workstream: true } });
  if (!found) userError(['id'], 'NOT_FOUND', 'No such involvement');
  if (found.archivedAt) userError(['id'], 'INVALID', 'That involvement is archived');
  if (found.workstream.archivedAt) userError(['id'], 'INVALID', `${found.workstream.code} is archived`);
  const { workstream, ...involvement } = found;
  return { involvement, workstream };
}

async function currentInvolvement(ctx: RequestContext, globalId: string): Promise<LivedExperienceInvolvement | null> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== INVOLVEMENT_TYPENAME) return null;
  const row = await ctx.prisma.livedExperienceInvolvement.findUnique({ where: { id: Number(decoded.id) } });
  return row ? involvementFromRow(row) : null;
}

export async function createInvolvement(ctx: RequestContext, rawInput: LivedExperienceInvolvementCreateInput): Promise<MutationResult<LivedExperienceInvolvement>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(LivedExperienceInvolvementCreateInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    checkStartedOn(workstream, input.startedOn ?? null);
    const row = await tx.livedExperienceInvolvement.create({
      data: { workstreamId: workstream.id, kind: input.kind, description: input.description, peopleCount: input.peopleCount ?? null, startedOn: input.startedOn ?? null },
    });
    audit({ entityType: INVOLVEMENT_TYPENAME, entityId: row.id, action: 'create', after: { ...row, workstream: workstream.code } });
    return involvementFromRow(row);
  });
}

export async function updateInvolvement(ctx: RequestContext, rawInput: LivedExperienceInvolvementUpdateInput): Promise<VersionedResult<LivedExperienceInvolvement>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(LivedExperienceInvolvementUpdateInput.schema, rawInput);
    const { involvement, workstream } = await liveInvolvement(tx, input.id);
    checkVersion(INVOLVEMENT_EDIT.what, input.version, involvement, INVOLVEMENT_EDIT.valuesOf(involvement));
    if (input.startedOn !== undefined) checkStartedOn(workstream, input.startedOn);
    const data = patchOf(input, ['kind', 'description', 'peopleCount', 'startedOn']);
    const row = await editAtVersion(tx.livedExperienceInvolvement, involvement, input.version, data, { ...INVOLVEMENT_EDIT, audit, action: 'update' });
    return involvementFromRow(row);
  });
  return withCurrent(result, () => currentInvolvement(ctx, rawInput.id));
}

export async function archiveInvolvement(ctx: RequestContext, rawInput: ArchiveByIdInput): Promise<VersionedResult<LivedExperienceInvolvement>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(ArchiveByIdInput.schema, rawInput);
    const { involvement } = await liveInvolvement(tx, input.id);
    const row = await editAtVersion(tx.livedExperienceInvolvement, involvement, input.version, { archivedAt: new Date() }, { ...INVOLVEMENT_EDIT, audit, action: 'archive' });
    return involvementFromRow(row);
  });
  return withCurrent(result, () => currentInvolvement(ctx, rawInput.id));
}
