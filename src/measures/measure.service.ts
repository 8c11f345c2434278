import { Prisma } from '../generated/prisma/client';
import type { Audience, PrincipleKey, ScoringType } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageFromQuery, pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { parseInput, patchOf, requireEveryCode, userError, type ValidInput } from '../graphql/input';
import type { DisclosureRule } from '../statistics/suppression';
import { runMutation, type MutationResult } from '../editing/mutation';
import { pageTableSorted, sortDirection, type OrderDirection, type SortColumn } from '../graphql/ordering';
import { checkVersion, editAtVersion, updateAtVersion, versionConflict, withCurrent, type VersionedEdit, type VersionedResult } from '../editing/versioning';
import { liveOrgUnitInScope } from '../organisation/org-unit.service';
import { requireEveryTrust } from '../graphql/scope';
import { livePersonById, personNamedBy } from '../people/person.service';
import { liveWorkstream } from '../workstreams/workstream.service';
import { workstreamFromRow, type Workstream } from '../workstreams/workstream.type';
import {
  MeasureArchiveInput,
  MeasureCreateInput,
  MeasureDisclosureInput,
  MeasureOrderField,
  MeasurePrincipleInput,
  MeasureTargetRemoveInput,
  MeasureTargetSetInput,
  MeasureUpdateInput,
  MeasureWorkstreamInput,
  WorkstreamMeasuresInput,
} from './measure.input';
import { measureCountSql, measureWindowSql } from './measure.sql';
import { MEASURE_TYPENAME, measureFromRow, measureTargetFromRow, type Measure, type MeasureTarget } from './measure.type';

/** A rule as stored (measure.disclosure): the numbers left out take the MHSDS defaults. */
function storedRule(scoringType: ScoringType, input: ValidInput<typeof MeasureDisclosureInput>): DisclosureRule {
  if (input.kind === 'NONE') return { kind: 'NONE' };
  const minCount = input.minCount ?? 5;
  return { kind: 'SMALL_NUMBERS', minCount, roundTo: input.roundTo ?? 5, minDenominator: input.minDenominator ?? (scoringType === 'RATE' ? 100 : minCount) };
}

/** Why a target makes no sense for a scoring type, or null when it does. */
export function targetProblem(scoringType: ScoringType, target: number): string | null {
  if (scoringType === 'PROPORTION' && (target < 0 || target > 1)) {
    return 'A proportion’s target is a fraction from 0 to 1 (e.g. 0.85 for 85%)';
  }
  if ((scoringType === 'COUNT' || scoringType === 'RATE') && target < 0) return 'A count or rate target cannot be negative';
  return null;
}

export interface MeasureFilter {
  audience?: Audience | null;
  principle?: PrincipleKey | null;
  workstreamCode?: string | null;
  search?: string | null;
  includeArchived?: boolean | null;
}

function measureWhere(filter: MeasureFilter): Prisma.MeasureWhereInput {
  return {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.audience ? { audience: filter.audience } : {}),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
    ...(filter.principle ? { principles: { some: { principle: { key: filter.principle } } } } : {}),
    ...(filter.workstreamCode ? { workstreams: { some: { workstream: { code: filter.workstreamCode } } } } : {}),
  };
}

export async function listMeasures(ctx: RequestContext, filter: MeasureFilter, args: ConnectionArgs): Promise<Page<Measure>> {
  if (!filter.search && !filter.principle && !filter.workstreamCode) {
    // The plain list (by audience, with or without archived measures): raw SQL, the hot path.
    const plain = { audience: filter.audience ?? null, includeArchived: filter.includeArchived ?? false };
    return pageFromQuery(
      args,
      (measure) => measure.dbId,
      async (window) => (await measureWindowSql(ctx.db, plain, window)).map(measureFromRow),
      () => measureCountSql(ctx.db, plain),
    );
  }
  const where = measureWhere(filter);
  return pageTableById(args, ctx.prisma.measure, where, measureFromRow);
}

export async function createMeasure(ctx: RequestContext, rawInput: MeasureCreateInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureCreateInput.schema, rawInput);
    if (input.scoringType === 'RATE' && input.multiplier == null) {
      userError(['multiplier'], 'REQUIRED', 'A rate needs a multiplier (e.g. 1000 for "per 1,000 bed days")');
    }
    if (input.scoringType !== 'RATE' && input.multiplier != null) {
      userError(['multiplier'], 'INVALID', `A multiplier applies only to a RATE, not a ${input.scoringType}`);
    }
    if (input.target != null) {
      const problem = targetProblem(input.scoringType, input.target);
      if (problem) userError(['target'], 'INVALID', problem);
    }
    if (await tx.measure.findUnique({ where: { code: input.code }, select: { id: true } })) {
      userError(['code'], 'TAKEN', `A measure with code ${input.code} already exists`);
    }
    // The target given here names no unit: it is every trust's default.
    if (input.target != null) await requireEveryTrust(tx, ctx.actor, 'A target that names no org unit');
    const row = await tx.measure.create({
      data: {
        code: input.code,
        name: input.name,
        description: input.description ?? '',
        scoringType: input.scoringType,
        improvementDirection: input.improvementDirection,
        multiplier: input.multiplier ?? null,
        unit: input.unit ?? null,
        audience: input.audience ?? 'PATIENTS',
        periodicity: input.periodicity ?? 'MONTH',
        numeratorLabel: input.numeratorLabel ?? null,
        denominatorLabel: input.denominatorLabel ?? null,
        ...(input.target != null ? { targets: { create: { value: input.target, orgUnitId: null } } } : {}),
        ...(input.disclosure ? { disclosure: storedRule(input.scoringType, input.disclosure) as Prisma.InputJsonObject } : {}),
        stratifiers: input.stratifiers ?? [],
      },
    });
    audit({ entityType: 'Measure', entityId: row.id, action: 'create', after: { ...row, target: input.target ?? null } });
    return measureFromRow(row);
  });
}

// ---------------------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------------------

export const MEASURE_SORTS: Record<MeasureOrderField, SortColumn<Measure>> = {
  NAME: { column: 'name', kind: 'text', valueOf: (m) => m.name },
  CODE: { column: 'code', kind: 'text', valueOf: (m) => m.code },
  UPDATED_AT: { column: 'updatedAt', kind: 'time', valueOf: (m) => m.updatedAt },
};

/** Measures sorted by a column, with keyset cursors that carry the sort value and the id. */
export async function listMeasuresSorted(
  ctx: RequestContext,
  filter: MeasureFilter,
  args: ConnectionArgs,
  orderBy: { field: MeasureOrderField; direction?: OrderDirection | null },
): Promise<Page<Measure>> {
  const where = measureWhere(filter);
  return pageTableSorted(args, ctx.prisma.measure, where, MEASURE_SORTS[orderBy.field], sortDirection(orderBy.direction), measureFromRow);
}

// ---------------------------------------------------------------------------------------
// Editing: update, archive, links to principles and workstreams, targets.
// ---------------------------------------------------------------------------------------

type MeasureRow = Awaited<ReturnType<Prisma.TransactionClient['measure']['findUniqueOrThrow']>>;

function measureValues(row: MeasureRow): Record<string, unknown> {
  return { name: row.name, scoringType: row.scoringType, improvementDirection: row.improvementDirection, multiplier: row.multiplier, unit: row.unit, audience: row.audience };
}

/** How an edit of this measure names it in a CONFLICT and in the audit log. */
function measureEdit(measure: MeasureRow): Pick<VersionedEdit<MeasureRow>, 'what' | 'valuesOf' | 'entityType'> {
  return { what: `Measure ${measure.code}`, valuesOf: measureValues, entityType: MEASURE_TYPENAME };
}

export async function liveMeasure(tx: Prisma.TransactionClient, code: string, field: string): Promise<MeasureRow> {
  const row = await tx.measure.findUnique({ where: { code } });
  if (!row) userError([field], 'NOT_FOUND', `No measure has code ${code}`);
  if (row.archivedAt) userError([field], 'INVALID', `${code} is archived`);
  return row;
}

export async function currentMeasure(ctx: RequestContext, code: string): Promise<Measure | null> {
  const row = await ctx.prisma.measure.findUnique({ where: { code } });
  return row ? measureFromRow(row) : null;
}

export async function updateMeasure(ctx: RequestContext, rawInput: MeasureUpdateInput): Promise<VersionedResult<Measure>> {
  const result = await runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureUpdateInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.code, 'code');
    checkVersion(`Measure ${measure.code}`, input.version, measure, measureValues(measure));
    const scoringType = input.scoringType ?? measure.scoringType;
    const multiplier = input.multiplier !== undefined ? input.multiplier : scoringType === 'RATE' ? measure.multiplier : null;
    // Stored observations are components whose meaning these three fix: changing one would
    // silently turn every recorded value (and target) into a different number.
    const fixed: string[] = (['scoringType', 'periodicity'] as const).filter((f) => input[f] !== undefined && input[f] !== measure[f]);
    if (multiplier !== measure.multiplier) fixed.push('multiplier');
    if (fixed.length > 0 && (await tx.observation.findFirst({ where: { measureId: measure.id }, select: { id: true } }))) {
      userError([fixed[0]], 'INVALID', `${measure.code} already has observations: its ${fixed.join(', ')} can no longer change (create a new measure instead)`);
    }
    if (scoringType === 'RATE' && multiplier == null) userError(['multiplier'], 'REQUIRED', 'A rate needs a multiplier (e.g. 1000 for "per 1,000 bed days")');
    if (scoringType !== 'RATE' && multiplier != null) userError(['multiplier'], 'INVALID', `A multiplier applies only to a RATE, not a ${scoringType}`);
    if (scoringType !== measure.scoringType) {
      const targets = await tx.measureTarget.findMany({ where: { measureId: measure.id } });
      const misfit = targets.find((t) => targetProblem(scoringType, t.value) !== null);
      if (misfit) userError(['scoringType'], 'INVALID', `A target of ${misfit.value} does not fit a ${scoringType}: ${targetProblem(scoringType, misfit.value)}`);
    }
    // What decides the small-number rule (the rule, or the audience and scoring type its default
    // follows) is every trust's: one trust's key may not loosen what another's board is shown.
    if (input.disclosure !== undefined || (input.audience != null && input.audience !== measure.audience) || scoringType !== measure.scoringType) {
      await requireEveryTrust(tx, ctx.actor, `${measure.code}’s disclosure rule`);
    }
    if (input.stratifiers != null) {
      const dropped = measure.stratifiers.filter((key) => !input.stratifiers!.includes(key as never));
      // Raw SQL: strata of every trust count, not only those this actor reads.
      const [inUse] = dropped.length === 0 ? [] : await tx.$queryRawUnsafe<Array<{ stratifier: string }>>(
        'SELECT stratifier FROM observation WHERE measure_id = $1 AND stratifier = ANY($2::text[]) LIMIT 1',
        measure.id,
        dropped,
      );
      if (inUse) userError(['stratifiers'], 'INVALID', `${measure.code} has ${inUse.stratifier} observations: that stratifier cannot be taken away`);
    }
    const disclosure: Prisma.NullableJsonNullValueInput | Prisma.InputJsonObject | undefined =
      input.disclosure === undefined ? undefined : input.disclosure === null ? Prisma.DbNull : (storedRule(scoringType, input.disclosure) as Prisma.InputJsonObject);
    // The owner by global id or by email, as a workstream lead is named (one of the two, never
    // both); `ownerPersonId: null` alone clears the owner.
    const named = await personNamedBy(tx, { field: 'ownerPersonId', value: input.ownerPersonId }, { field: 'ownerPersonEmail', value: input.ownerPersonEmail });
    const ownerId = named ? (await livePersonById(tx, named.id, named.field)).id : input.ownerPersonId === null ? null : undefined;
    await updateAtVersion(
      tx.measure,
      measure.id,
      input.version,
      {
        ...patchOf(input, ['name', 'description', 'improvementDirection', 'unit', 'audience', 'periodicity', 'numeratorLabel', 'denominatorLabel', 'stratifiers']),
        scoringType,
        multiplier,
        ...patchOf({ ownerId }, ['ownerId']),
        ...patchOf({ disclosure }, ['disclosure']),
      },
      `Measure ${measure.code}`,
      measureValues,
    );
    const row = await tx.measure.findUniqueOrThrow({ where: { id: measure.id } });
    audit({ entityType: 'Measure', entityId: row.id, action: 'update', before: measure, after: row });
    return measureFromRow(row);
  });
  return withCurrent(result, () => currentMeasure(ctx, rawInput.code));
}

/** Archives a measure: it leaves the map and lists; its observations, targets and history stay. */
export async function archiveMeasure(ctx: RequestContext, rawInput: MeasureArchiveInput): Promise<VersionedResult<Measure>> {
  const result = await runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureArchiveInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.code, 'code');
    const row = await editAtVersion(tx.measure, measure, input.version, { archivedAt: new Date() }, { ...measureEdit(measure), audit, action: 'archive' });
    return measureFromRow(row);
  });
  return withCurrent(result, () => currentMeasure(ctx, rawInput.code));
}

// Links are sets: adding an existing one is TAKEN, removing a missing one NOT_FOUND; no version needed.

export function addMeasurePrinciple(ctx: RequestContext, rawInput: MeasurePrincipleInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasurePrincipleInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const principle = await tx.principle.findUniqueOrThrow({ where: { key: input.principle } });
    if (await tx.measurePrinciple.findUnique({ where: { measureId_principleId: { measureId: measure.id, principleId: principle.id } } })) {
      userError(['principle'], 'TAKEN', `${measure.code} already evidences ${principle.key}`);
    }
    await tx.measurePrinciple.create({ data: { measureId: measure.id, principleId: principle.id } });
    audit({ entityType: 'Measure', entityId: measure.id, action: 'addPrinciple', before: null, after: { principle: principle.key } });
    return measureFromRow(measure);
  });
}

export function removeMeasurePrinciple(ctx: RequestContext, rawInput: MeasurePrincipleInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasurePrincipleInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const principle = await tx.principle.findUniqueOrThrow({ where: { key: input.principle } });
    const removed = await tx.measurePrinciple.deleteMany({ where: { measureId: measure.id, principleId: principle.id } });
    if (removed.count === 0) userError(['principle'], 'NOT_FOUND', `${measure.code} does not evidence ${principle.key}`);
    audit({ entityType: 'Measure', entityId: measure.id, action: 'removePrinciple', before: { principle: principle.key }, after: null });
    return measureFromRow(measure);
  });
}

export function addMeasureWorkstream(ctx: RequestContext, rawInput: MeasureWorkstreamInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureWorkstreamInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    if (await tx.measureWorkstream.findUnique({ where: { measureId_workstreamId: { measureId: measure.id, workstreamId: workstream.id } } })) {
      userError(['workstreamCode'], 'TAKEN', `${measure.code} already evidences ${workstream.code}`);
    }
    await tx.measureWorkstream.create({ data: { measureId: measure.id, workstreamId: workstream.id } });
    audit({ entityType: 'Measure', entityId: measure.id, action: 'addWorkstream', before: null, after: { workstream: workstream.code } });
    audit({ entityType: 'Workstream', entityId: workstream.id, action: 'addMeasure', before: null, after: { measure: measure.code } });
    return measureFromRow(measure);
  });
}

/**
 * Links several measures to one workstream (a faculty lead mapping a workstream names its
 * measures together): all or none, in a fixed number of statements however many measures.
 */
export function addWorkstreamMeasures(ctx: RequestContext, rawInput: WorkstreamMeasuresInput): Promise<MutationResult<Workstream>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(WorkstreamMeasuresInput.schema, rawInput);
    const workstream = await liveWorkstream(tx, input.workstreamCode, 'workstreamCode');
    const measures = new Map((await tx.measure.findMany({ where: { code: { in: input.measureCodes } } })).map((m) => [m.code, m]));
    const taken = new Set(
      (await tx.measureWorkstream.findMany({ where: { workstreamId: workstream.id, measureId: { in: [...measures.values()].map((m) => m.id) } }, select: { measureId: true } })).map((l) => l.measureId),
    );
    requireEveryCode(input.measureCodes, 'measureCodes', (code) => {
      const measure = measures.get(code);
      if (!measure) return { code: 'NOT_FOUND', message: `No measure has code ${code}` };
      if (measure.archivedAt) return { code: 'INVALID', message: `${code} is archived` };
      if (taken.has(measure.id)) return { code: 'TAKEN', message: `${code} already evidences ${workstream.code}` };
      return null;
    });
    const linking = input.measureCodes.map((code) => measures.get(code)!);
    await tx.measureWorkstream.createMany({ data: linking.map((measure) => ({ measureId: measure.id, workstreamId: workstream.id })) });
    for (const measure of linking) {
      audit({ entityType: 'Measure', entityId: measure.id, action: 'addWorkstream', before: null, after: { workstream: workstream.code } });
      audit({ entityType: 'Workstream', entityId: workstream.id, action: 'addMeasure', before: null, after: { measure: measure.code } });
    }
    return workstreamFromRow(workstream);
  });
}

export function removeMeasureWorkstream(ctx: RequestContext, rawInput: MeasureWorkstreamInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureWorkstreamInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const workstream = await tx.workstream.findUnique({ where: { code: input.workstreamCode } });
    if (!workstream) userError(['workstreamCode'], 'NOT_FOUND', `No workstream has code ${input.workstreamCode}`);
    const removed = await tx.measureWorkstream.deleteMany({ where: { measureId: measure.id, workstreamId: workstream.id } });
    if (removed.count === 0) userError(['workstreamCode'], 'NOT_FOUND', `${measure.code} does not evidence ${workstream.code}`);
    audit({ entityType: 'Measure', entityId: measure.id, action: 'removeWorkstream', before: { workstream: workstream.code }, after: null });
    audit({ entityType: 'Workstream', entityId: workstream.id, action: 'removeMeasure', before: { measure: measure.code }, after: null });
    return measureFromRow(measure);
  });
}

export interface TargetChange {
  measure: Measure;
  target: MeasureTarget | null;
}

/** The unit a target is for (null: trust-wide), within the editor's scope. */
function targetLabel(measure: MeasureRow, unit: { code: string } | null): string {
  return `The ${unit ? `${unit.code} ` : 'trust-wide '}target of ${measure.code}`;
}

async function findTarget(tx: Prisma.TransactionClient, measureId: number, orgUnitId: number | null) {
  // (measure_id, org_unit_id) is unique, but NULL org units need an explicit IS NULL.
  return tx.measureTarget.findFirst({ where: { measureId, orgUnitId } });
}

export async function currentTarget(ctx: RequestContext, measureCode: string, orgUnitCode: string | null | undefined): Promise<MeasureTarget | null> {
  const row = await ctx.prisma.measureTarget.findFirst({
    where: { measure: { code: measureCode }, ...(orgUnitCode ? { orgUnit: { code: orgUnitCode } } : { orgUnitId: null }) },
  });
  return row ? measureTargetFromRow(row) : null;
}

/**
 * Sets a target, trust-wide or for one org unit. Replacing a target needs the version the
 * editor saw; setting one where none was needs no version (and if a colleague set one
 * meanwhile, that is a CONFLICT too, rather than overwriting theirs).
 */
export async function setTarget(ctx: RequestContext, rawInput: MeasureTargetSetInput): Promise<VersionedResult<TargetChange>> {
  const result = await runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureTargetSetInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
    if (!unit) await requireEveryTrust(tx, ctx.actor, 'A target that names no org unit');
    const problem = targetProblem(measure.scoringType, input.value);
    if (problem) userError(['value'], 'INVALID', problem);
    const label = targetLabel(measure, unit);
    const existing = await findTarget(tx, measure.id, unit?.id ?? null);
    let row;
    if (!existing) {
      if (input.version != null) userError(['version'], 'CONFLICT', `${label} was removed by someone else: nothing was saved; set it afresh without a version`);
      row = await tx.measureTarget.create({ data: { measureId: measure.id, orgUnitId: unit?.id ?? null, value: input.value, rationale: input.rationale ?? null } });
    } else {
      if (input.version == null) {
        userError(['version'], 'CONFLICT', `${label} is already set (version ${existing.version}, value ${existing.value}): send that version to replace it`);
      }
      await updateAtVersion(
        tx.measureTarget,
        existing.id,
        input.version,
        { value: input.value, ...(input.rationale !== undefined ? { rationale: input.rationale } : {}) },
        label,
        (now) => ({ value: now.value, rationale: now.rationale }),
      );
      row = await tx.measureTarget.findUniqueOrThrow({ where: { id: existing.id } });
    }
    const after = { orgUnit: unit?.code ?? null, value: row.value, rationale: row.rationale, version: row.version };
    audit({
      entityType: 'Measure',
      entityId: measure.id,
      action: 'setTarget',
      orgUnitId: unit?.id ?? null,
      before: existing ? { orgUnit: unit?.code ?? null, value: existing.value, rationale: existing.rationale, version: existing.version } : null,
      after,
    });
    return { measure: measureFromRow(measure), target: measureTargetFromRow(row) };
  });
  return withCurrent(result, async () => {
    const [measure, target] = await Promise.all([currentMeasure(ctx, rawInput.measureCode), currentTarget(ctx, rawInput.measureCode, rawInput.orgUnitCode)]);
    return measure ? { measure, target } : null;
  });
}

export async function removeTarget(ctx: RequestContext, rawInput: MeasureTargetRemoveInput): Promise<VersionedResult<TargetChange>> {
  const result = await runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(MeasureTargetRemoveInput.schema, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
    if (!unit) await requireEveryTrust(tx, ctx.actor, 'A target that names no org unit');
    const label = targetLabel(measure, unit);
    const existing = await findTarget(tx, measure.id, unit?.id ?? null);
    if (!existing) userError(['orgUnitCode'], 'NOT_FOUND', `${label} is not set`);
    // A target is a setting, not a record anything refers to: it goes, and the audit keeps it.
    const removed = await tx.measureTarget.deleteMany({ where: { id: existing.id, version: input.version } });
    if (removed.count === 0) versionConflict(label, input.version, existing, { value: existing.value, rationale: existing.rationale });
    audit({
      entityType: 'Measure',
      entityId: measure.id,
      action: 'removeTarget',
      orgUnitId: unit?.id ?? null,
      before: { orgUnit: unit?.code ?? null, value: existing.value, rationale: existing.rationale, version: existing.version },
      after: null,
    });
    return { measure: measureFromRow(measure), target: null };
  });
  return withCurrent(result, async () => {
    const [measure, target] = await Promise.all([currentMeasure(ctx, rawInput.measureCode), currentTarget(ctx, rawInput.measureCode, rawInput.orgUnitCode)]);
    return measure ? { measure, target } : null;
  });
}
