import { inScope, trustIdOfPath } from '../access/actor';
import { runMutation, type MutationResult } from '../editing/mutation';
import { editAtVersion, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { decodeGlobalId, expectGlobalId } from '../graphql/global-id';
import { parseInput, patchOf, userError } from '../graphql/input';
import { requireInScope } from '../graphql/scope';
import { describeFindings, findIdentifiers } from '../lib/identifier-screening';
import { liveOrgUnitInScope } from '../organisation/org-unit.service';
import { livePersonById, personNamedBy } from '../people/person.service';
import { UserErrorsException, type UserErrorData } from '../graphql/errors';
import {
  CoreItem22AssessmentRecordInput,
  FeedbackActionCreateInput,
  FeedbackActionUpdateInput,
  FeedbackPublishInput,
  FeedbackRecordInput,
  FeedbackThemeCreateInput,
  FeedbackUpdateInput,
  IMPORT_ROW,
  MAX_IMPORT_ROWS,
  type FeedbackRowInput,
} from './feedback.input';
import {
  actionFromRow,
  assessmentFromRow,
  CORE_ITEM_22_ASSESSMENT_TYPENAME,
  FEEDBACK_ACTION_TYPENAME,
  FEEDBACK_THEME_TYPENAME,
  FEEDBACK_TYPENAME,
  feedbackFromRow,
  isoDay,
  themeFromRow,
  type CoreFidelityAssessment,
  type Feedback,
  type FeedbackAction,
  type FeedbackTheme,
} from './feedback.type';
import { refreshCoreItem22 } from './core-item-22.service';

/** The user-error code for free text holding a patient identifier. */
export const IDENTIFIER_IN_TEXT = 'IDENTIFIER_IN_TEXT';

/** Today as a UTC calendar date (what "not in the future" and "overdue" compare against). */
export function todayUtc(): Date {
  return new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
}

/** The screening's finding as a user error: what kind was found, never the text itself. */
export function identifierProblem(field: string[], what: string, text: string): UserErrorData | null {
  const findings = findIdentifiers(text);
  if (findings.length === 0) return null;
  return {
    field,
    code: IDENTIFIER_IN_TEXT,
    message: `The ${what} appears to hold ${describeFindings(findings)}. Patient identifiers may not be recorded here: remove it and send again. Nothing was saved.`,
  };
}

function screen(field: string[], what: string, text: string | null | undefined): void {
  if (!text) return;
  const problem = identifierProblem(field, what, text);
  if (problem) throw new UserErrorsException([problem]);
}

function notInFuture(field: string, date: Date, what: string): void {
  if (isoDay(date) > isoDay(todayUtc())) userError([field], 'INVALID', `${what} (${isoDay(date)}) is in the future`);
}

// ---------------------------------------------------------------------------------------
// Themes: the faculty's list, shared by every trust.
// ---------------------------------------------------------------------------------------

export async function createTheme(ctx: RequestContext, rawInput: FeedbackThemeCreateInput): Promise<MutationResult<FeedbackTheme>> {
  return runMutation(ctx, 'editFacultyMap', async ({ tx, audit }) => {
    const input = parseInput(FeedbackThemeCreateInput.schema, rawInput);
    if (await tx.feedbackTheme.findUnique({ where: { code: input.code }, select: { id: true } })) {
      userError(['code'], 'TAKEN', `A feedback theme with code ${input.code} already exists`);
    }
    const row = await tx.feedbackTheme.create({ data: { code: input.code, name: input.name, principleKeys: [...new Set(input.principleKeys)] } });
    audit({ entityType: FEEDBACK_THEME_TYPENAME, entityId: row.id, action: 'create', after: row });
    return themeFromRow(row);
  });
}

/** The live themes the codes name (in the order given, duplicates dropped); an unknown or archived one is a user error on its index. */
async function themesByCodes(tx: Prisma.TransactionClient, codes: readonly string[], field: string[]): Promise<Array<{ id: number; code: string }>> {
  const rows = await tx.feedbackTheme.findMany({ where: { code: { in: [...codes] } }, select: { id: true, code: true, archivedAt: true } });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const problems: UserErrorData[] = [];
  const seen = new Set<string>();
  const themes: Array<{ id: number; code: string }> = [];
  codes.forEach((code, i) => {
    const theme = byCode.get(code);
    if (!theme) problems.push({ field: [...field, String(i)], code: 'NOT_FOUND', message: `No feedback theme has code ${code} (see feedbackThemes)` });
    else if (theme.archivedAt) problems.push({ field: [...field, String(i)], code: 'INVALID', message: `The theme ${code} is archived` });
    else if (!seen.has(code)) {
      seen.add(code);
      themes.push({ id: theme.id, code });
    }
  });
  if (problems.length > 0) throw new UserErrorsException(problems);
  return themes;
}

// ---------------------------------------------------------------------------------------
// Feedback: record, edit, publish.
// ---------------------------------------------------------------------------------------

type FeedbackRow = Awaited<ReturnType<Prisma.TransactionClient['feedback']['findUniqueOrThrow']>>;
type FeedbackWithUnit = FeedbackRow & { orgUnit: { code: string; path: string } };

function feedbackEdit(row: FeedbackRow): Pick<VersionedEdit<FeedbackRow>, 'what' | 'valuesOf' | 'entityType' | 'orgUnitOf'> {
  return {
    what: `Feedback ${encodeFeedbackLabel(row)}`,
    valuesOf: (r) => ({ status: r.status, receivedOn: r.receivedOn, source: r.source }),
    entityType: FEEDBACK_TYPENAME,
    orgUnitOf: (r) => r.orgUnitId,
  };
}

function encodeFeedbackLabel(row: FeedbackRow): string {
  return row.externalId ? `${row.source} ${row.externalId}` : `of ${isoDay(row.receivedOn)}`;
}

/** A feedback item named in an input by its global ID, of the actor's trusts and inside its scope. */
async function feedbackInScope(ctx: RequestContext, tx: Prisma.TransactionClient, globalId: string, field: string): Promise<FeedbackWithUnit> {
  const id = expectGlobalId(globalId, FEEDBACK_TYPENAME, field);
  const row = await tx.feedback.findUnique({ where: { id }, include: { orgUnit: { select: { code: true, path: true } } } });
  if (!row) userError([field], 'NOT_FOUND', 'No such feedback');
  requireInScope(ctx.actor, row.orgUnit);
  return row;
}

export async function currentFeedback(ctx: RequestContext, globalId: string): Promise<Feedback | null> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== FEEDBACK_TYPENAME) return null;
  const row = await ctx.prisma.feedback.findUnique({ where: { id: Number(decoded.id) } });
  return row ? feedbackFromRow(row) : null;
}

export async function recordFeedback(ctx: RequestContext, rawInput: FeedbackRecordInput): Promise<MutationResult<Feedback>> {
  return runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(FeedbackRecordInput.schema, rawInput);
    const unit = await liveOrgUnitInScope(ctx, tx, input.orgUnitCode);
    notInFuture('receivedOn', input.receivedOn, 'The date received');
    screen(['summary'], 'summary', input.summary);
    const themes = await themesByCodes(tx, input.themeCodes, ['themeCodes']);
    const trustId = trustIdOfPath(unit.path);
    if (input.externalId) {
      // Unique within the trust (raw SQL: a row of this trust the actor's scope may not reach still counts).
      const [taken] = await tx.$queryRawUnsafe<Array<{ id: number }>>(
        'SELECT id FROM feedback WHERE trust_id = $1 AND source = $2::"FeedbackSource" AND external_id = $3',
        trustId,
        input.source,
        input.externalId,
      );
      if (taken) userError(['externalId'], 'TAKEN', `Feedback from ${input.source} with external id ${input.externalId} is already recorded in this trust`);
    }
    const row = await tx.feedback.create({
      data: {
        orgUnitId: unit.id,
        trustId,
        source: input.source,
        externalId: input.externalId ?? null,
        receivedOn: input.receivedOn,
        summary: input.summary,
        recordedBy: ctx.actor.label,
        themes: { create: themes.map((t) => ({ themeId: t.id })) },
      },
    });
    audit({ entityType: FEEDBACK_TYPENAME, entityId: row.id, action: 'create', after: { ...row, themeCodes: themes.map((t) => t.code) }, orgUnitId: unit.id });
    await refreshCoreItem22(tx, ctx.actor.label, [unit.id]);
    return feedbackFromRow(row);
  });
}

export async function updateFeedback(ctx: RequestContext, rawInput: FeedbackUpdateInput): Promise<VersionedResult<Feedback>> {
  const result = await runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(FeedbackUpdateInput.schema, rawInput);
    const existing = await feedbackInScope(ctx, tx, input.id, 'id');
    const { orgUnit: _unit, ...feedback } = existing;
    if (input.receivedOn) {
      notInFuture('receivedOn', input.receivedOn, 'The date received');
      const earliest = await tx.feedbackAction.aggregate({ where: { feedbackId: feedback.id }, _min: { dueOn: true, completedOn: true } });
      for (const [date, what] of [
        [earliest._min.dueOn, 'is due'],
        [earliest._min.completedOn, 'was completed'],
      ] as const) {
        if (date && date < input.receivedOn) userError(['receivedOn'], 'INVALID', `An action on this feedback ${what} on ${isoDay(date)}, before ${isoDay(input.receivedOn)}`);
      }
    }
    screen(['summary'], 'summary', input.summary);
    const themes = input.themeCodes ? await themesByCodes(tx, input.themeCodes, ['themeCodes']) : null;
    const summaryChanged = input.summary !== undefined && input.summary !== feedback.summary;
    const data: Prisma.FeedbackUpdateManyMutationInput = {
      ...patchOf(input, ['receivedOn', 'summary']),
      // A changed summary has not been reviewed: it leaves the wall until published again.
      ...(summaryChanged ? { status: 'DRAFT' as const, reviewedBy: null, publishedAt: null } : {}),
    };
    const row = await editAtVersion(tx.feedback, feedback, input.version, data, { ...feedbackEdit(feedback), audit, action: 'update' });
    if (themes) {
      await tx.feedbackThemeLink.deleteMany({ where: { feedbackId: row.id } });
      await tx.feedbackThemeLink.createMany({ data: themes.map((t) => ({ feedbackId: row.id, themeId: t.id })) });
    }
    await refreshCoreItem22(tx, ctx.actor.label, [row.orgUnitId]);
    return feedbackFromRow(row);
  });
  return withCurrent(result, () => currentFeedback(ctx, rawInput.id));
}

/** A reviewer publishes a DRAFT summary: it may then be shown on the unit's "you said, we did". */
export async function publishFeedback(ctx: RequestContext, rawInput: FeedbackPublishInput): Promise<VersionedResult<Feedback>> {
  const result = await runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(FeedbackPublishInput.schema, rawInput);
    const { orgUnit: _unit, ...feedback } = await feedbackInScope(ctx, tx, input.id, 'id');
    const edit = feedbackEdit(feedback);
    if (feedback.version === input.version && feedback.status === 'PUBLISHED') userError(['id'], 'INVALID', 'This feedback is already published');
    // Screened again at review: the rules may have grown since it was recorded.
    screen(['id'], 'summary', feedback.summary);
    const row = await editAtVersion(tx.feedback, feedback, input.version, { status: 'PUBLISHED' as const, reviewedBy: ctx.actor.label, publishedAt: new Date() }, { ...edit, audit, action: 'publish' });
    return feedbackFromRow(row);
  });
  return withCurrent(result, () => currentFeedback(ctx, rawInput.id));
}

// ---------------------------------------------------------------------------------------
// Actions.
// ---------------------------------------------------------------------------------------

type ActionRow = Awaited<ReturnType<Prisma.TransactionClient['feedbackAction']['findUniqueOrThrow']>>;

/** The owner: a live person of the feedback's trust, or of none (a person with no unit is shared). */
/**
 * The owner an action input names (ownerPersonId or ownerPersonEmail, exactly one), live and of
 * the feedback's trust (or of none); undefined when neither is sent.
 */
async function ownerFor(
  tx: Prisma.TransactionClient,
  input: { ownerPersonId?: string | null; ownerPersonEmail?: string | null },
  feedbackTrustId: number,
): Promise<{ id: number } | undefined> {
  const named = await personNamedBy(tx, { field: 'ownerPersonId', value: input.ownerPersonId }, { field: 'ownerPersonEmail', value: input.ownerPersonEmail });
  if (!named) return undefined;
  const person = await livePersonById(tx, named.id, named.field);
  if (person.orgUnitId !== null) {
    const unit = await tx.orgUnit.findUniqueOrThrow({ where: { id: person.orgUnitId }, select: { path: true } });
    if (trustIdOfPath(unit.path) !== feedbackTrustId) userError([named.field], 'INVALID', `${person.name} works in another trust: an action’s owner is of the feedback’s trust`);
  }
  return person;
}

async function workstreamIdFor(tx: Prisma.TransactionClient, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined) return undefined;
  if (code === null) return null;
  const row = await tx.workstream.findUnique({ where: { code }, select: { id: true, archivedAt: true } });
  if (!row) userError(['workstreamCode'], 'NOT_FOUND', `No workstream has code ${code}`);
  if (row.archivedAt) userError(['workstreamCode'], 'INVALID', `${code} is archived`);
  return row.id;
}

async function measureIdFor(tx: Prisma.TransactionClient, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined) return undefined;
  if (code === null) return null;
  const row = await tx.measure.findUnique({ where: { code }, select: { id: true, archivedAt: true } });
  if (!row) userError(['measureCode'], 'NOT_FOUND', `No measure has code ${code}`);
  if (row.archivedAt) userError(['measureCode'], 'INVALID', `${code} is archived`);
  return row.id;
}

function checkDue(dueOn: Date, receivedOn: Date): void {
  if (dueOn < receivedOn) userError(['dueOn'], 'INVALID', `The due date (${isoDay(dueOn)}) is before the feedback was received (${isoDay(receivedOn)})`);
}

export async function currentAction(ctx: RequestContext, globalId: string): Promise<FeedbackAction | null> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== FEEDBACK_ACTION_TYPENAME) return null;
  const row = await ctx.prisma.feedbackAction.findUnique({ where: { id: Number(decoded.id) } });
  return row ? actionFromRow(row) : null;
}

export async function createAction(ctx: RequestContext, rawInput: FeedbackActionCreateInput): Promise<MutationResult<FeedbackAction>> {
  return runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(FeedbackActionCreateInput.schema, rawInput);
    const feedback = await feedbackInScope(ctx, tx, input.feedbackId, 'feedbackId');
    screen(['description'], 'description', input.description);
    checkDue(input.dueOn, feedback.receivedOn);
    const owner = (await ownerFor(tx, input, feedback.trustId)) ?? userError(['ownerPersonId'], 'REQUIRED', 'Name the owner: ownerPersonId or ownerPersonEmail');
    const row = await tx.feedbackAction.create({
      data: {
        feedbackId: feedback.id,
        description: input.description,
        ownerId: owner.id,
        dueOn: input.dueOn,
        workstreamId: (await workstreamIdFor(tx, input.workstreamCode)) ?? null,
        measureId: (await measureIdFor(tx, input.measureCode)) ?? null,
      },
    });
    audit({ entityType: FEEDBACK_ACTION_TYPENAME, entityId: row.id, action: 'create', after: row, orgUnitId: feedback.orgUnitId });
    audit({ entityType: FEEDBACK_TYPENAME, entityId: feedback.id, action: 'addAction', after: { actionId: row.id, description: row.description }, orgUnitId: feedback.orgUnitId });
    return actionFromRow(row);
  });
}

export async function updateAction(ctx: RequestContext, rawInput: FeedbackActionUpdateInput): Promise<VersionedResult<FeedbackAction>> {
  const result = await runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(FeedbackActionUpdateInput.schema, rawInput);
    const id = expectGlobalId(input.id, FEEDBACK_ACTION_TYPENAME, 'id');
    const action = await tx.feedbackAction.findUnique({ where: { id } });
    if (!action) userError(['id'], 'NOT_FOUND', 'No such action');
    const feedback = await tx.feedback.findUniqueOrThrow({ where: { id: action.feedbackId }, include: { orgUnit: { select: { code: true, path: true } } } });
    requireInScope(ctx.actor, feedback.orgUnit);

    const status = input.status ?? action.status;
    const evidence = input.evidence !== undefined ? input.evidence : action.evidence;
    const droppedReason = status === 'DROPPED' ? (input.droppedReason !== undefined ? input.droppedReason : action.droppedReason) : null;
    if (input.droppedReason && status !== 'DROPPED') userError(['droppedReason'], 'INVALID', 'A reason is given only when the action is DROPPED');
    let completedOn: Date | null = null;
    if (status === 'DONE') {
      completedOn = input.completedOn ?? (action.status === 'DONE' ? action.completedOn : null) ?? todayUtc();
      if (!evidence) userError(['evidence'], 'REQUIRED', 'A DONE action needs evidence of completion: say what shows it was done');
      if (completedOn < feedback.receivedOn) {
        userError(['completedOn'], 'INVALID', `The completion date (${isoDay(completedOn)}) is before the feedback was received (${isoDay(feedback.receivedOn)})`);
      }
      notInFuture('completedOn', completedOn, 'The completion date');
    } else if (input.completedOn) {
      userError(['completedOn'], 'INVALID', 'A completion date is given only when the action is DONE');
    }
    if (status === 'DROPPED' && !droppedReason) userError(['droppedReason'], 'REQUIRED', 'A DROPPED action needs the reason it was dropped');
    screen(['description'], 'description', input.description);
    screen(['evidence'], 'evidence', input.evidence);
    screen(['droppedReason'], 'reason', input.droppedReason);
    const dueOn = input.dueOn ?? action.dueOn;
    checkDue(dueOn, feedback.receivedOn);
    const ownerId = (await ownerFor(tx, input, feedback.trustId))?.id;
    const workstreamId = await workstreamIdFor(tx, input.workstreamCode);
    const measureId = await measureIdFor(tx, input.measureCode);

    const data: Prisma.FeedbackActionUncheckedUpdateManyInput = {
      ...patchOf(input, ['description', 'dueOn']),
      status,
      evidence,
      droppedReason,
      completedOn,
      ...(ownerId !== undefined ? { ownerId } : {}),
      ...(workstreamId !== undefined ? { workstreamId } : {}),
      ...(measureId !== undefined ? { measureId } : {}),
    };
    const edit: VersionedEdit<ActionRow> = {
      what: `The action “${action.description.slice(0, 60)}”`,
      valuesOf: (r) => ({ status: r.status, dueOn: r.dueOn, completedOn: r.completedOn }),
      entityType: FEEDBACK_ACTION_TYPENAME,
      orgUnitOf: () => feedback.orgUnitId,
      audit,
      action: input.status && input.status !== action.status ? `status:${input.status}` : 'update',
    };
    const row = await editAtVersion(tx.feedbackAction, action, input.version, data, edit);
    await refreshCoreItem22(tx, ctx.actor.label, [feedback.orgUnitId]);
    return actionFromRow(row);
  });
  return withCurrent(result, () => currentAction(ctx, rawInput.id));
}

// ---------------------------------------------------------------------------------------
// CORE item 22 assessments (criteria a, b, d).
// ---------------------------------------------------------------------------------------

export async function recordAssessment(ctx: RequestContext, rawInput: CoreItem22AssessmentRecordInput): Promise<MutationResult<CoreFidelityAssessment>> {
  return runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const input = parseInput(CoreItem22AssessmentRecordInput.schema, rawInput);
    const unit = await liveOrgUnitInScope(ctx, tx, input.orgUnitCode);
    if (unit.type !== 'TEAM' && unit.type !== 'WARD') userError(['orgUnitCode'], 'INVALID', `${unit.code} is a ${unit.type.toLowerCase()}: CORE fidelity is assessed per team or ward`);
    notInFuture('assessedOn', input.assessedOn, 'The assessment date');
    screen(['evidence'], 'evidence', input.evidence);
    const row = await tx.coreItem22Assessment.create({
      data: { orgUnitId: unit.id, criterion: input.criterion, met: input.met, assessedOn: input.assessedOn, assessor: input.assessor, evidence: input.evidence, recordedBy: ctx.actor.label },
    });
    audit({ entityType: CORE_ITEM_22_ASSESSMENT_TYPENAME, entityId: row.id, action: 'create', after: row, orgUnitId: unit.id });
    await refreshCoreItem22(tx, ctx.actor.label, [unit.id]);
    return assessmentFromRow(row);
  });
}

// ---------------------------------------------------------------------------------------
// Bulk import from survey systems: idempotent on (source, externalId) within the trust.
// ---------------------------------------------------------------------------------------

export interface FeedbackImportSummary {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  userErrors: UserErrorData[];
}

/**
 * Every row is checked (each problem on its own row, `["rows", "<i>", "<field>"]`); any problem
 * and nothing is written. A row whose (source, externalId) is already recorded in its trust
 * updates that item (summary, date, themes; a changed summary goes back to DRAFT), so
 * re-sending a file changes nothing. `dryRun` checks and counts, and writes nothing.
 */
export async function importFeedback(ctx: RequestContext, rows: FeedbackRowInput[], dryRun: boolean): Promise<FeedbackImportSummary> {
  const empty = { accepted: 0, created: 0, updated: 0, unchanged: 0 };
  if (rows.length > MAX_IMPORT_ROWS) {
    return { ...empty, userErrors: [{ field: ['rows'], code: 'INVALID', message: `At most ${MAX_IMPORT_ROWS} rows per request (got ${rows.length})` }] };
  }
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const result = await runMutation(ctx, 'recordFeedback', async ({ tx, audit }) => {
    const problems: UserErrorData[] = [];
    const parsed = rows.map((raw, i) => {
      const check = IMPORT_ROW.safeParse({ ...raw, source: raw.source?.trim().toUpperCase() });
      if (!check.success) {
        for (const issue of check.error.issues) problems.push({ field: ['rows', String(i), ...issue.path.map(String)], code: 'INVALID', message: issue.message });
        return null;
      }
      return check.data;
    });
    // Codes resolved once for the batch.
    const unitCodes = [...new Set(parsed.flatMap((r) => (r ? [r.orgUnitCode] : [])))];
    const units = new Map((await tx.orgUnit.findMany({ where: { code: { in: unitCodes } } })).map((u) => [u.code, u]));
    const themeCodes = [...new Set(parsed.flatMap((r) => r?.themeCodes ?? []))];
    const themes = new Map((await tx.feedbackTheme.findMany({ where: { code: { in: themeCodes } } })).map((t) => [t.code, t]));
    const seen = new Map<string, number>();
    const valid: Array<{ i: number; row: NonNullable<(typeof parsed)[number]>; unitId: number; trustId: number; themeIds: number[] }> = [];
    parsed.forEach((row, i) => {
      if (!row) return;
      const at = (field: string, code: string, message: string) => problems.push({ field: ['rows', String(i), field], code, message });
      const unit = units.get(row.orgUnitCode);
      const before = problems.length;
      if (!unit) at('orgUnitCode', 'NOT_FOUND', `No org unit has code ${row.orgUnitCode}`);
      else if (unit.archivedAt) at('orgUnitCode', 'INVALID', `${row.orgUnitCode} is archived`);
      else if (!inScopeOf(ctx, unit.path)) at('orgUnitCode', 'FORBIDDEN', `${row.orgUnitCode} is outside your key’s scope`);
      if (isoDay(row.receivedOn) > isoDay(todayUtc())) at('receivedOn', 'INVALID', `The date received (${isoDay(row.receivedOn)}) is in the future`);
      row.themeCodes.forEach((code, t) => {
        const theme = themes.get(code);
        if (!theme || theme.archivedAt) problems.push({ field: ['rows', String(i), 'themeCodes', String(t)], code: theme ? 'INVALID' : 'NOT_FOUND', message: theme ? `The theme ${code} is archived` : `No feedback theme has code ${code}` });
      });
      const identifier = identifierProblem(['rows', String(i), 'summary'], 'summary', row.summary);
      if (identifier) problems.push(identifier);
      if (unit) {
        const key = `${trustIdOfPath(unit.path)}|${row.source}|${row.externalId}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) at('externalId', 'INVALID', `Row ${earlier} has the same source and external id`);
        else seen.set(key, i);
      }
      if (problems.length === before && unit) {
        valid.push({ i, row, unitId: unit.id, trustId: trustIdOfPath(unit.path), themeIds: [...new Set(row.themeCodes.map((c) => themes.get(c)!.id))] });
      }
    });
    // In row order (the schema's checks ran before the references').
    if (problems.length > 0) throw new UserErrorsException(problems.map((p, k) => ({ p, k })).sort((x, y) => Number(x.p.field[1]) - Number(y.p.field[1]) || x.k - y.k).map((x) => x.p));

    // What exists already, by (trust, source, external id): raw SQL, one statement.
    const existing = valid.length
      ? await tx.$queryRawUnsafe<Array<{ id: number; trust_id: number; source: string; external_id: string; org_unit_id: number; received_on: Date; summary: string; version: number; theme_ids: number[] }>>(
          `SELECT f.id, f.trust_id, f.source::text AS source, f.external_id, f.org_unit_id, f.received_on, f.summary, f.version,
                  COALESCE(array_agg(l.theme_id ORDER BY l.theme_id) FILTER (WHERE l.theme_id IS NOT NULL), '{}') AS theme_ids
           FROM feedback f LEFT JOIN feedback_theme_link l ON l.feedback_id = f.id
           WHERE (f.trust_id, f.source::text, f.external_id) IN (SELECT * FROM unnest($1::int[], $2::text[], $3::text[]))
           GROUP BY f.id`,
          valid.map((v) => v.trustId),
          valid.map((v) => v.row.source),
          valid.map((v) => v.row.externalId),
        )
      : [];
    const byKey = new Map(existing.map((e) => [`${e.trust_id}|${e.source}|${e.external_id}`, e]));
    const touchedUnits = new Set<number>();
    for (const v of valid) {
      const found = byKey.get(`${v.trustId}|${v.row.source}|${v.row.externalId}`);
      if (!found) {
        counts.created += 1;
        if (dryRun) continue;
        const row = await tx.feedback.create({
          data: {
            orgUnitId: v.unitId,
            trustId: v.trustId,
            source: v.row.source,
            externalId: v.row.externalId,
            receivedOn: v.row.receivedOn,
            summary: v.row.summary,
            recordedBy: ctx.actor.label,
            themes: { create: v.themeIds.map((themeId) => ({ themeId })) },
          },
        });
        audit({ entityType: FEEDBACK_TYPENAME, entityId: row.id, action: 'import', after: row, orgUnitId: v.unitId });
        touchedUnits.add(v.unitId);
        continue;
      }
      const sameThemes = [...v.themeIds].sort((a, b) => a - b).join(',') === found.theme_ids.join(',');
      const same = found.org_unit_id === v.unitId && isoDay(found.received_on) === isoDay(v.row.receivedOn) && found.summary === v.row.summary && sameThemes;
      if (same) {
        counts.unchanged += 1;
        continue;
      }
      counts.updated += 1;
      if (dryRun) continue;
      // The item may sit outside a manager's scope (another team's): it is then not theirs to change.
      const current = await tx.feedback.findUniqueOrThrow({ where: { id: found.id }, include: { orgUnit: { select: { code: true, path: true } } } });
      if (!inScopeOf(ctx, current.orgUnit.path)) {
        throw new UserErrorsException([{ field: ['rows', String(v.i), 'externalId'], code: 'FORBIDDEN', message: `This item is recorded at ${current.orgUnit.code}, outside your key’s scope` }]);
      }
      const summaryChanged = found.summary !== v.row.summary;
      await tx.feedback.update({
        where: { id: found.id },
        data: {
          orgUnitId: v.unitId,
          receivedOn: v.row.receivedOn,
          summary: v.row.summary,
          version: { increment: 1 },
          ...(summaryChanged ? { status: 'DRAFT' as const, reviewedBy: null, publishedAt: null } : {}),
        },
      });
      if (!sameThemes) {
        await tx.feedbackThemeLink.deleteMany({ where: { feedbackId: found.id } });
        await tx.feedbackThemeLink.createMany({ data: v.themeIds.map((themeId) => ({ feedbackId: found.id, themeId })) });
      }
      audit({ entityType: FEEDBACK_TYPENAME, entityId: found.id, action: 'import', before: found, after: { ...v.row, themeIds: v.themeIds }, orgUnitId: v.unitId });
      touchedUnits.add(v.unitId).add(found.org_unit_id);
    }
    // A dry run wrote nothing above: it only counted.
    if (!dryRun) await refreshCoreItem22(tx, ctx.actor.label, [...touchedUnits]);
    return valid.length;
  });
  if (result.userErrors.length > 0) return { ...empty, userErrors: result.userErrors };
  return { accepted: counts.created + counts.updated + counts.unchanged, ...counts, userErrors: [] };
}

function inScopeOf(ctx: RequestContext, path: string): boolean {
  return inScope(ctx.actor, path);
}
