import { inScope } from '../access/actor';
import type { RequestContext } from '../graphql/context';
import { expectGlobalId } from '../graphql/global-id';
import { runMutation, type MutationResult, type MutationScope } from '../editing/mutation';
import { parseInput, userError } from '../graphql/input';
import { CommentaryWriteInput, SpcPhaseArchiveInput, spcPhaseAddRules, type SpcPhaseAddInput } from './board.input';
import { COMMENTARY_TYPENAME, commentaryFromRow, SPC_PHASE_TYPENAME, spcPhaseFromRow, type Commentary, type SpcPhase } from './board.type';

/** Finds the measure and org unit a write names, and checks a scoped actor may write there. */
async function resolveTarget({ tx }: MutationScope, ctx: RequestContext, measureCode: string, orgUnitCode: string) {
  const [measure, unit] = await Promise.all([
    tx.measure.findUnique({ where: { code: measureCode }, select: { id: true } }),
    tx.orgUnit.findUnique({ where: { code: orgUnitCode }, select: { id: true, path: true } }),
  ]);
  if (!measure) userError(['measureCode'], 'NOT_FOUND', `No measure has code ${measureCode}`);
  if (!unit) userError(['orgUnitCode'], 'NOT_FOUND', `No org unit has code ${orgUnitCode}`);
  if (!inScope(ctx.actor, unit.path)) userError(['orgUnitCode'], 'FORBIDDEN', `${orgUnitCode} is outside your key’s scope`);
  return { measureId: measure.id, orgUnitId: unit.id };
}

export async function writeCommentary(ctx: RequestContext, raw: CommentaryWriteInput): Promise<MutationResult<Commentary>> {
  return runMutation(ctx, 'writeCommentary', async (scope) => {
    const input = parseInput(CommentaryWriteInput.schema, raw);
    const { measureId, orgUnitId } = await resolveTarget(scope, ctx, input.measureCode, input.orgUnitCode);
    const row = await scope.tx.commentary.create({
      data: { measureId, orgUnitId, periodStart: new Date(`${input.periodStart}T00:00:00Z`), text: input.text, author: ctx.actor.label },
    });
    scope.audit({ entityType: COMMENTARY_TYPENAME, entityId: row.id, action: 'write', after: row, orgUnitId: row.orgUnitId });
    return commentaryFromRow(row);
  });
}

export async function addSpcPhase(ctx: RequestContext, raw: SpcPhaseAddInput): Promise<MutationResult<SpcPhase>> {
  return runMutation(ctx, 'editMeasures', async (scope) => {
    const input = parseInput(spcPhaseAddRules, raw);
    const { measureId, orgUnitId } = await resolveTarget(scope, ctx, input.measureCode, input.orgUnitCode);
    const row = await scope.tx.spcPhase.create({
      data: {
        measureId,
        orgUnitId,
        kind: input.kind,
        periodStart: new Date(`${input.periodStart}T00:00:00Z`),
        periodEnd: input.periodEnd ? new Date(`${input.periodEnd}T00:00:00Z`) : null,
        reason: input.reason,
        createdBy: ctx.actor.label,
      },
    });
    scope.audit({ entityType: SPC_PHASE_TYPENAME, entityId: row.id, action: 'create', after: row, orgUnitId: row.orgUnitId });
    return spcPhaseFromRow(row);
  });
}

export async function archiveSpcPhase(ctx: RequestContext, raw: SpcPhaseArchiveInput): Promise<MutationResult<SpcPhase>> {
  return runMutation(ctx, 'editMeasures', async ({ tx, audit }) => {
    const input = parseInput(SpcPhaseArchiveInput.schema, raw);
    const dbId = expectGlobalId(input.id, SPC_PHASE_TYPENAME);
    const existing = await tx.spcPhase.findUnique({ where: { id: dbId } });
    if (!existing) userError(['id'], 'NOT_FOUND', 'No such baseline or recalculation point');
    if (existing.archivedAt) return spcPhaseFromRow(existing);
    const row = await tx.spcPhase.update({ where: { id: dbId }, data: { archivedAt: new Date() } });
    audit({ entityType: SPC_PHASE_TYPENAME, entityId: row.id, action: 'archive', before: existing, after: row, orgUnitId: row.orgUnitId });
    return spcPhaseFromRow(row);
  });
}
