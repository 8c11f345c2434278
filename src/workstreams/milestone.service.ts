import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { InvolvementKind, MilestoneStatus } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { decodeGlobalId, expectGlobalId } from '../graphql/global-id';
import { calendarDate, keepIfOmitted, parseInput, userError, VERSION } from '../graphql/input';
import { runMutation, type MutationResult } from '../editing/mutation';
import { checkVersion, updateAtVersion, withCurrent, type VersionedResult } from '../editing/versioning';
import { day, liveWorkstream, WORKSTREAM_CODE, type WorkstreamRow } from './workstream.service';
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

const TITLE = z.string().trim().min(1, 'A title is required').max(300);
const milestoneCreateInput = z.object({
  workstreamCode: WORKSTREAM_CODE,
  title: TITLE,
  dueDate: calendarDate.nullish(),
  status: z.enum(MilestoneStatus).nullish(),
  completedOn: calendarDate.nullish(),
});
export type MilestoneCreateInput = z.input<typeof milestoneCreateInput>;

const milestoneUpdateInput = z.object({
  id: z.string(),
  version: VERSION,
  title: keepIfOmitted(TITLE),
  dueDate: calendarDate.nullish(),
  status: keepIfOmitted(z.enum(MilestoneStatus)),
  completedOn: calendarDate.nullish(),
});
export type MilestoneUpdateInput = z.input<typeof milestoneUpdateInput>;

const archiveInput = z.object({ id: z.string(), version: VERSION });
export type RecordArchiveInput = z.input<typeof archiveInput>;

type MilestoneRow = Awaited<ReturnType<Prisma.TransactionClient['milestone']['findUniqueOrThrow']>>;

function milestoneValues(row: MilestoneRow): Record<string, unknown> {
  return { title: row.title, status: row.status, dueDate: row.dueDate, completedOn: row.completedOn };
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
    const input = parseInput(milestoneCreateInput, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const status = input.status ?? 'PLANNED';
    checkMilestone(workstream, input.dueDate ?? null, status, input.completedOn ?? null);
    const row = await tx.milestone.create({
      data: { workstreamId: workstream.id, title: input.title, dueDate: input.dueDate ?? null, status, completedOn: input.completedOn ?? null },
    });
    audit({ entityType: 'Milestone', entityId: row.id, action: 'create', after: { ...row, workstream: workstream.code } });
    return milestoneFromRow(row);
  });
}

export async function updateMilestone(ctx: RequestContext, rawInput: MilestoneUpdateInput): Promise<VersionedResult<Milestone>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(milestoneUpdateInput, rawInput);
    const { milestone, workstream } = await liveMilestone(tx, input.id);
    checkVersion(`Milestone "${milestone.title}"`, input.version, milestone, milestoneValues(milestone));
    const dueDate = input.dueDate !== undefined ? input.dueDate : milestone.dueDate;
    const status = input.status ?? milestone.status;
    // Leaving DONE clears the completion date unless the editor sends one (which is then refused).
    const completedOn = input.completedOn !== undefined ? input.completedOn : status === 'DONE' ? milestone.completedOn : null;
    checkMilestone(workstream, dueDate, status, completedOn);
    await updateAtVersion(tx.milestone, milestone.id, input.version, { ...(input.title !== undefined ? { title: input.title } : {}), dueDate, status, completedOn }, `Milestone "${milestone.title}"`, milestoneValues);
    const row = await tx.milestone.findUniqueOrThrow({ where: { id: milestone.id } });
    audit({ entityType: 'Milestone', entityId: row.id, action: 'update', before: milestone, after: row });
    return milestoneFromRow(row);
  });
  return withCurrent(result, () => currentMilestone(ctx, rawInput.id));
}

export async function archiveMilestone(ctx: RequestContext, rawInput: RecordArchiveInput): Promise<VersionedResult<Milestone>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(archiveInput, rawInput);
    const { milestone } = await liveMilestone(tx, input.id);
    checkVersion(`Milestone "${milestone.title}"`, input.version, milestone, milestoneValues(milestone));
    await updateAtVersion(tx.milestone, milestone.id, input.version, { archivedAt: new Date() }, `Milestone "${milestone.title}"`, milestoneValues);
    const row = await tx.milestone.findUniqueOrThrow({ where: { id: milestone.id } });
    audit({ entityType: 'Milestone', entityId: row.id, action: 'archive', before: milestone, after: row });
    return milestoneFromRow(row);
  });
  return withCurrent(result, () => currentMilestone(ctx, rawInput.id));
}

// ---------------------------------------------------------------------------------------
// Lived-experience involvement
// ---------------------------------------------------------------------------------------

const DESCRIPTION = z.string().trim().min(1, 'Say how people take part').max(4000);
const PEOPLE_COUNT = z.number().int('A number of people is a whole number').min(0, 'A number of people cannot be negative').max(100_000);
const involvementCreateInput = z.object({
  workstreamCode: WORKSTREAM_CODE,
  kind: z.enum(InvolvementKind),
  description: DESCRIPTION,
  peopleCount: PEOPLE_COUNT.nullish(),
  startedOn: calendarDate.nullish(),
});
export type InvolvementCreateInput = z.input<typeof involvementCreateInput>;

const involvementUpdateInput = z.object({
  id: z.string(),
  version: VERSION,
  kind: keepIfOmitted(z.enum(InvolvementKind)),
  description: keepIfOmitted(DESCRIPTION),
  peopleCount: PEOPLE_COUNT.nullish(),
  startedOn: calendarDate.nullish(),
});
export type InvolvementUpdateInput = z.input<typeof involvementUpdateInput>;

type InvolvementRow = Awaited<ReturnType<Prisma.TransactionClient['livedExperienceInvolvement']['findUniqueOrThrow']>>;

function involvementValues(row: InvolvementRow): Record<string, unknown> {
  return { kind: row.kind, description: row.description, peopleCount: row.peopleCount, startedOn: row.startedOn };
}

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

export async function createInvolvement(ctx: RequestContext, rawInput: InvolvementCreateInput): Promise<MutationResult<LivedExperienceInvolvement>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(involvementCreateInput, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    checkStartedOn(workstream, input.startedOn ?? null);
    const row = await tx.livedExperienceInvolvement.create({
      data: { workstreamId: workstream.id, kind: input.kind, description: input.description, peopleCount: input.peopleCount ?? null, startedOn: input.startedOn ?? null },
    });
    audit({ entityType: 'LivedExperienceInvolvement', entityId: row.id, action: 'create', after: { ...row, workstream: workstream.code } });
    return involvementFromRow(row);
  });
}

export async function updateInvolvement(ctx: RequestContext, rawInput: InvolvementUpdateInput): Promise<VersionedResult<LivedExperienceInvolvement>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(involvementUpdateInput, rawInput);
    const { involvement, workstream } = await liveInvolvement(tx, input.id);
    checkVersion('That involvement', input.version, involvement, involvementValues(involvement));
    if (input.startedOn !== undefined) checkStartedOn(workstream, input.startedOn);
    await updateAtVersion(
      tx.livedExperienceInvolvement,
      involvement.id,
      input.version,
      {
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.peopleCount !== undefined ? { peopleCount: input.peopleCount } : {}),
        ...(input.startedOn !== undefined ? { startedOn: input.startedOn } : {}),
      },
      'That involvement',
      involvementValues,
    );
    const row = await tx.livedExperienceInvolvement.findUniqueOrThrow({ where: { id: involvement.id } });
    audit({ entityType: 'LivedExperienceInvolvement', entityId: row.id, action: 'update', before: involvement, after: row });
    return involvementFromRow(row);
  });
  return withCurrent(result, () => currentInvolvement(ctx, rawInput.id));
}

export async function archiveInvolvement(ctx: RequestContext, rawInput: RecordArchiveInput): Promise<VersionedResult<LivedExperienceInvolvement>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(archiveInput, rawInput);
    const { involvement } = await liveInvolvement(tx, input.id);
    checkVersion('That involvement', input.version, involvement, involvementValues(involvement));
    await updateAtVersion(tx.livedExperienceInvolvement, involvement.id, input.version, { archivedAt: new Date() }, 'That involvement', involvementValues);
    const row = await tx.livedExperienceInvolvement.findUniqueOrThrow({ where: { id: involvement.id } });
    audit({ entityType: 'LivedExperienceInvolvement', entityId: row.id, action: 'archive', before: involvement, after: row });
    return involvementFromRow(row);
  });
  return withCurrent(result, () => currentInvolvement(ctx, rawInput.id));
}
