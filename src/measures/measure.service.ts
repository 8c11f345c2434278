import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { Audience, ImprovementDirection, Periodicity, PrincipleKey, ScoringType } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { keepIfOmitted, VERSION } from '../graphql/input';
import { parseInput, runMutation, userError, type MutationResult } from '../editing/mutation';
import { pageTableSorted, sortDirection, type OrderDirection, type SortColumn } from '../graphql/ordering';
import { checkVersion, updateAtVersion, versionConflict, withCurrent, type VersionedResult } from '../editing/versioning';
import { liveOrgUnitInScope, ORG_UNIT_CODE } from '../organisation/org-unit.service';
import { livePerson } from '../people/person.service';
import { liveWorkstream, WORKSTREAM_CODE } from '../workstreams/workstream.service';
import { measureFromRow, measureTargetFromRow, type Measure, type MeasureTarget } from './measure.type';

export const MEASURE_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,47}$/, 'A measure code is 2 to 48 characters: capital letters, digits, _ and -');

const measureCreateInput = z.object({
  code: MEASURE_CODE,
  name: z.string().trim().min(1, 'A name is required').max(200),
  description: z.string().trim().max(4000).nullish(),
  scoringType: z.enum(ScoringType),
  improvementDirection: z.enum(ImprovementDirection),
  multiplier: z.number().finite().positive('A multiplier must be greater than 0').nullish(),
  unit: z.string().trim().min(1).max(60).nullish(),
  target: z.number().finite().nullish(),
  audience: z.enum(Audience).nullish(),
  numeratorLabel: z.string().trim().max(200).nullish(),
  denominatorLabel: z.string().trim().max(200).nullish(),
});
export type MeasureCreateInput = z.input<typeof measureCreateInput>;

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
  const where = measureWhere(filter);
  return pageTableById(args, ctx.prisma.measure, where, measureFromRow);
}

export async function createMeasure(ctx: RequestContext, rawInput: MeasureCreateInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(measureCreateInput, rawInput);
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
        numeratorLabel: input.numeratorLabel ?? null,
        denominatorLabel: input.denominatorLabel ?? null,
        ...(input.target != null ? { targets: { create: { value: input.target, orgUnitId: null } } } : {}),
      },
    });
    audit({ entityType: 'Measure', entityId: row.id, action: 'create', after: { ...row, target: input.target ?? null } });
    return measureFromRow(row);
  });
}

// ---------------------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------------------

export enum MeasureOrderField {
  NAME = 'NAME',
  CODE = 'CODE',
  UPDATED_AT = 'UPDATED_AT',
}

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

const measureUpdateInput = z.object({
  code: MEASURE_CODE,
  version: VERSION,
  name: keepIfOmitted(measureCreateInput.shape.name),
  description: keepIfOmitted(z.string().trim().max(4000)),
  scoringType: keepIfOmitted(z.enum(ScoringType)),
  improvementDirection: keepIfOmitted(z.enum(ImprovementDirection)),
  multiplier: measureCreateInput.shape.multiplier,
  unit: measureCreateInput.shape.unit,
  audience: keepIfOmitted(z.enum(Audience)),
  periodicity: keepIfOmitted(z.enum(Periodicity)),
  numeratorLabel: measureCreateInput.shape.numeratorLabel,
  denominatorLabel: measureCreateInput.shape.denominatorLabel,
  ownerPersonId: z.string().nullish(),
});
export type MeasureUpdateInput = z.input<typeof measureUpdateInput>;

const measureArchiveInput = z.object({ code: MEASURE_CODE, version: VERSION });
export type MeasureArchiveInput = z.input<typeof measureArchiveInput>;

const measurePrincipleInput = z.object({ measureCode: MEASURE_CODE, principle: z.enum(PrincipleKey) });
export type MeasurePrincipleInput = z.input<typeof measurePrincipleInput>;

const measureWorkstreamInput = z.object({ measureCode: MEASURE_CODE, workstreamCode: WORKSTREAM_CODE });
export type MeasureWorkstreamInput = z.input<typeof measureWorkstreamInput>;

const targetSetInput = z.object({
  measureCode: MEASURE_CODE,
  orgUnitCode: ORG_UNIT_CODE.nullish(),
  value: z.number().finite(),
  rationale: z.string().trim().max(2000).nullish(),
  version: VERSION.nullish(),
});
export type MeasureTargetSetInput = z.input<typeof targetSetInput>;

const targetRemoveInput = z.object({ measureCode: MEASURE_CODE, orgUnitCode: ORG_UNIT_CODE.nullish(), version: VERSION });
export type MeasureTargetRemoveInput = z.input<typeof targetRemoveInput>;

type MeasureRow = Awaited<ReturnType<Prisma.TransactionClient['measure']['findUniqueOrThrow']>>;

function measureValues(row: MeasureRow): Record<string, unknown> {
  return { name: row.name, scoringType: row.scoringType, improvementDirection: row.improvementDirection, multiplier: row.multiplier, unit: row.unit, audience: row.audience };
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
    const input = parseInput(measureUpdateInput, rawInput);
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
    let ownerId: number | null | undefined;
    if (input.ownerPersonId !== undefined) ownerId = input.ownerPersonId === null ? null : (await livePerson(tx, input.ownerPersonId, 'ownerPersonId')).id;
    await updateAtVersion(
      tx.measure,
      measure.id,
      input.version,
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        scoringType,
        multiplier,
        ...(input.improvementDirection !== undefined ? { improvementDirection: input.improvementDirection } : {}),
        ...(input.unit !== undefined ? { unit: input.unit } : {}),
        ...(input.audience !== undefined ? { audience: input.audience } : {}),
        ...(input.periodicity !== undefined ? { periodicity: input.periodicity } : {}),
        ...(input.numeratorLabel !== undefined ? { numeratorLabel: input.numeratorLabel } : {}),
        ...(input.denominatorLabel !== undefined ? { denominatorLabel: input.denominatorLabel } : {}),
        ...(ownerId !== undefined ? { ownerId } : {}),
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
    const input = parseInput(measureArchiveInput, rawInput);
    const measure = await liveMeasure(tx, input.code, 'code');
    checkVersion(`Measure ${measure.code}`, input.version, measure, measureValues(measure));
    await updateAtVersion(tx.measure, measure.id, input.version, { archivedAt: new Date() }, `Measure ${measure.code}`, measureValues);
    const row = await tx.measure.findUniqueOrThrow({ where: { id: measure.id } });
    audit({ entityType: 'Measure', entityId: row.id, action: 'archive', before: measure, after: row });
    return measureFromRow(row);
  });
  return withCurrent(result, () => currentMeasure(ctx, rawInput.code));
}

// Links are sets: adding an existing one is TAKEN, removing a missing one NOT_FOUND; no version needed.

export function addMeasurePrinciple(ctx: RequestContext, rawInput: MeasurePrincipleInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(measurePrincipleInput, rawInput);
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
    const input = parseInput(measurePrincipleInput, rawInput);
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
    const input = parseInput(measureWorkstreamInput, rawInput);
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

export function removeMeasureWorkstream(ctx: RequestContext, rawInput: MeasureWorkstreamInput): Promise<MutationResult<Measure>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(measureWorkstreamInput, rawInput);
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
    const input = parseInput(targetSetInput, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
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
    const input = parseInput(targetRemoveInput, rawInput);
    const measure = await liveMeasure(tx, input.measureCode, 'measureCode');
    const unit = input.orgUnitCode ? await liveOrgUnitInScope(ctx, tx, input.orgUnitCode) : null;
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
