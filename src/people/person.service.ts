import { z } from 'zod';
import { lockRowForShare } from '../db/row-lock';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { decodeGlobalId, expectGlobalId } from '../graphql/global-id';
import { keepIfOmitted, parseInput, userError, VERSION } from '../graphql/input';
import { runMutation, type MutationResult } from '../editing/mutation';
import { checkVersion, updateAtVersion, withCurrent, type VersionedResult } from '../editing/versioning';
import { liveOrgUnitInScope } from '../organisation/org-unit.service';
import { ORG_UNIT_CODE } from '../organisation/org-unit.input';
import { PERSON_TYPENAME, personFromRow, type Person } from './person.type';

export interface PeopleFilter {
  search?: string | null;
  includeArchived?: boolean | null;
}

export async function listPeople(ctx: RequestContext, filter: PeopleFilter, args: ConnectionArgs): Promise<Page<Person>> {
  const where: Prisma.PersonWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
  };
  return pageTableById(args, ctx.prisma.person, where, personFromRow);
}

// ---------------------------------------------------------------------------------------
// Editing: create, update, archive.
// ---------------------------------------------------------------------------------------

const EMAIL = z.string().trim().toLowerCase().email('Not an email address').max(320);
const personFields = {
  name: z.string().trim().min(1, 'A name is required').max(200),
  email: EMAIL.nullish(),
  jobTitle: z.string().trim().max(200).nullish(),
  hasLivedExperience: z.boolean().nullish(),
  orgUnitCode: ORG_UNIT_CODE.nullish(),
};
const personCreateInput = z.object(personFields);
export type PersonCreateInput = z.input<typeof personCreateInput>;

const personUpdateInput = z.object({
  id: z.string(),
  version: VERSION,
  name: keepIfOmitted(personFields.name),
  email: personFields.email,
  jobTitle: personFields.jobTitle,
  hasLivedExperience: keepIfOmitted(z.boolean()),
  orgUnitCode: personFields.orgUnitCode,
});
export type PersonUpdateInput = z.input<typeof personUpdateInput>;

const personArchiveInput = z.object({ id: z.string(), version: VERSION });
export type PersonArchiveInput = z.input<typeof personArchiveInput>;

type PersonRow = Awaited<ReturnType<Prisma.TransactionClient['person']['findUniqueOrThrow']>>;

function personValues(row: PersonRow): Record<string, unknown> {
  return { name: row.name, email: row.email, jobTitle: row.jobTitle, hasLivedExperience: row.hasLivedExperience };
}

/** The unit a person works in: live, and inside the editor's scope. */
async function emailFree(tx: Prisma.TransactionClient, email: string, exceptId: number | null): Promise<void> {
  const holder = await tx.person.findUnique({ where: { email }, select: { id: true } });
  if (holder && holder.id !== exceptId) userError(['email'], 'TAKEN', `Someone already has the email ${email}`);
}

/** Finds a person by global ID inside a mutation (a malformed ID is a user error on `field`). */
export async function livePerson(tx: Prisma.TransactionClient, globalId: string, field: string): Promise<PersonRow> {
  const id = expectGlobalId(globalId, PERSON_TYPENAME, field);
  // Whoever is about to name this person (as a lead, an owner) holds them until commit: a
  // concurrent archive then either waits for us or has already happened and is seen below.
  await lockRowForShare(tx, 'person', id);
  const row = await tx.person.findUnique({ where: { id } });
  if (!row) userError([field], 'NOT_FOUND', 'No such person');
  if (row.archivedAt) userError([field], 'INVALID', `${row.name} is archived`);
  return row;
}

export async function currentPerson(ctx: RequestContext, globalId: string): Promise<Person | null> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== PERSON_TYPENAME) return null;
  const row = await ctx.prisma.person.findUnique({ where: { id: Number(decoded.id) } });
  return row ? personFromRow(row) : null;
}

export async function createPerson(ctx: RequestContext, rawInput: PersonCreateInput): Promise<MutationResult<Person>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(personCreateInput, rawInput);
    if (input.email) await emailFree(tx, input.email, null);
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
    const row = await tx.person.create({
      data: {
        name: input.name,
        email: input.email ?? null,
        jobTitle: input.jobTitle ?? null,
        hasLivedExperience: input.hasLivedExperience ?? false,
        orgUnitId: unit?.id ?? null,
      },
    });
    audit({ entityType: 'Person', entityId: row.id, action: 'create', after: row });
    return personFromRow(row);
  });
}

export async function updatePerson(ctx: RequestContext, rawInput: PersonUpdateInput): Promise<VersionedResult<Person>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(personUpdateInput, rawInput);
    const person = await livePerson(tx, input.id, 'id');
    checkVersion(`${person.name}’s record`, input.version, person, personValues(person));
    if (input.email) await emailFree(tx, input.email, person.id);
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
    await updateAtVersion(
      tx.person,
      person.id,
      input.version,
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.jobTitle !== undefined ? { jobTitle: input.jobTitle } : {}),
        ...(input.hasLivedExperience !== undefined ? { hasLivedExperience: input.hasLivedExperience } : {}),
        ...(input.orgUnitCode !== undefined ? { orgUnitId: unit?.id ?? null } : {}),
      },
      `${person.name}’s record`,
      personValues,
    );
    const row = await tx.person.findUniqueOrThrow({ where: { id: person.id } });
    audit({ entityType: 'Person', entityId: row.id, action: 'update', before: person, after: row });
    return personFromRow(row);
  });
  return withCurrent(result, () => currentPerson(ctx, rawInput.id));
}

/**
 * Archives a person. Refused while they lead a live workstream or own a live measure: hand
 * those over first, so the map never names an archived lead or owner.
 */
export async function archivePerson(ctx: RequestContext, rawInput: PersonArchiveInput): Promise<VersionedResult<Person>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(personArchiveInput, rawInput);
    const person = await livePerson(tx, input.id, 'id');
    checkVersion(`${person.name}’s record`, input.version, person, personValues(person));
    // Archive first (locking the row), then check: anyone naming them as lead or owner meanwhile
    // has either committed (and is seen by the checks) or waits for us (and then sees the archive).
    await updateAtVersion(tx.person, person.id, input.version, { archivedAt: new Date() }, `${person.name}’s record`, personValues);
    const [leads, owns] = await Promise.all([
      tx.workstreamLead.findMany({ where: { personId: person.id, workstream: { archivedAt: null } }, select: { workstream: { select: { code: true } } } }),
      tx.measure.findMany({ where: { ownerId: person.id, archivedAt: null }, select: { code: true } }),
    ]);
    if (leads.length > 0) {
      userError(['id'], 'INVALID', `${person.name} leads ${leads.map((l) => l.workstream.code).sort().join(', ')}: remove them as lead first`);
    }
    if (owns.length > 0) {
      userError(['id'], 'INVALID', `${person.name} owns ${owns.map((m) => m.code).sort().join(', ')}: give those measures another owner first`);
    }
    const row = await tx.person.findUniqueOrThrow({ where: { id: person.id } });
    audit({ entityType: 'Person', entityId: row.id, action: 'archive', before: person, after: row });
    return personFromRow(row);
  });
  return withCurrent(result, () => currentPerson(ctx, rawInput.id));
}
