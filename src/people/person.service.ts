import { lockRowForShare } from '../db/row-lock';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { decodeGlobalId, expectGlobalId } from '../graphql/global-id';
import { parseInput, patchOf, userError } from '../graphql/input';
import { runMutation, type MutationResult } from '../editing/mutation';
import { checkVersion, editAtVersion, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import { liveOrgUnitInScope } from '../organisation/org-unit.service';
import { PersonArchiveInput, PersonCreateInput, PersonUpdateInput } from './person.input';
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

type PersonRow = Awaited<ReturnType<Prisma.TransactionClient['person']['findUniqueOrThrow']>>;

function personValues(row: PersonRow): Record<string, unknown> {
  return { name: row.name, email: row.email, jobTitle: row.jobTitle, hasLivedExperience: row.hasLivedExperience };
}

/** How an edit of this person names them in a CONFLICT and in the audit log. */
function personEdit(person: PersonRow): Pick<VersionedEdit<PersonRow>, 'what' | 'valuesOf' | 'entityType' | 'orgUnitOf'> {
  return { what: `${person.name}’s record`, valuesOf: personValues, entityType: PERSON_TYPENAME, orgUnitOf: (row) => row.orgUnitId };
}

/** The unit a person works in: live, and inside the editor's scope. */
async function emailFree(tx: Prisma.TransactionClient, email: string, exceptId: number | null): Promise<void> {
  // Emails are unique across the installation, other trusts' people included (raw SQL: not in this actor's view).
  const [holder] = await tx.$queryRawUnsafe<Array<{ id: number }>>('SELECT id FROM person WHERE email = $1', email);
  if (holder && holder.id !== exceptId) userError(['email'], 'TAKEN', `Someone already has the email ${email}`);
}

/** Finds a person by global ID inside a mutation (a malformed ID is a user error on `field`). */
export async function livePerson(tx: Prisma.TransactionClient, globalId: string, field: string): Promise<PersonRow> {
  return livePersonById(tx, expectGlobalId(globalId, PERSON_TYPENAME, field), field);
}

/** The id of the person with this email (stored lower-case), else a NOT_FOUND user error; one of another trust is not found. */
export async function personIdByEmail(tx: Prisma.TransactionClient, email: string, field: string): Promise<number> {
  const row = await tx.person.findFirst({ where: { email }, select: { id: true } });
  if (!row) userError([field], 'NOT_FOUND', `No person has the email ${email}`);
  return row.id;
}

/**
 * The person an input names by global id or by email: exactly one of the two (both is a user
 * error; neither gives undefined, for the caller to require or to keep what is stored), and the
 * field that named them, for the caller's own errors about that person.
 */
export async function personNamedBy(
  tx: Prisma.TransactionClient,
  byId: { field: string; value: string | null | undefined },
  byEmail: { field: string; value: string | null | undefined },
): Promise<{ id: number; field: string } | undefined> {
  if (byId.value != null && byEmail.value != null) userError([byEmail.field], 'INVALID', `Name the person by ${byId.field} or by ${byEmail.field}, not both`);
  if (byEmail.value != null) return { id: await personIdByEmail(tx, byEmail.value, byEmail.field), field: byEmail.field };
  if (byId.value != null) return { id: expectGlobalId(byId.value, PERSON_TYPENAME, byId.field), field: byId.field };
  return undefined;
}

export async function livePersonById(tx: Prisma.TransactionClient, id: number, field: string): Promise<PersonRow> {
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
    const input = parseInput(PersonCreateInput.schema, rawInput);
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
    audit({ entityType: PERSON_TYPENAME, entityId: row.id, action: 'create', after: row, orgUnitId: row.orgUnitId });
    return personFromRow(row);
  });
}

export async function updatePerson(ctx: RequestContext, rawInput: PersonUpdateInput): Promise<VersionedResult<Person>> {
  const result = await runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(PersonUpdateInput.schema, rawInput);
    const person = await livePerson(tx, input.id, 'id');
    const edit = personEdit(person);
    checkVersion(edit.what, input.version, person, edit.valuesOf(person));
    if (input.email) await emailFree(tx, input.email, person.id);
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
    const data = {
      ...patchOf(input, ['name', 'email', 'jobTitle', 'hasLivedExperience']),
      ...(input.orgUnitCode !== undefined ? { orgUnitId: unit?.id ?? null } : {}),
    };
    const row = await editAtVersion(tx.person, person, input.version, data, { ...edit, audit, action: 'update' });
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
    const input = parseInput(PersonArchiveInput.schema, rawInput);
    const person = await livePerson(tx, input.id, 'id');
    // Archive first (locking the row), then check: anyone naming them as lead or owner meanwhile
    // has either committed (and is seen by the checks) or waits for us (and then sees the archive).
    const row = await editAtVersion(tx.person, person, input.version, { archivedAt: new Date() }, { ...personEdit(person), audit, action: 'archive' });
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
    return personFromRow(row);
  });
  return withCurrent(result, () => currentPerson(ctx, rawInput.id));
}
