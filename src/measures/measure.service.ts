import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { Audience, ImprovementDirection, ScoringType, type PrincipleKey } from '../generated/prisma/enums';
import type { RequestContext } from '../graphql/context';
import { pageFromQuery, type ConnectionArgs, type Page } from '../graphql/connection';
import { parseInput, runMutation, userError, type MutationResult } from '../graphql/mutation';
import { measureFromRow, type Measure } from './measure.type';

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

export async function listMeasures(ctx: RequestContext, filter: MeasureFilter, args: ConnectionArgs): Promise<Page<Measure>> {
  const where: Prisma.MeasureWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.audience ? { audience: filter.audience } : {}),
    ...(filter.search ? { name: { contains: filter.search, mode: 'insensitive' } } : {}),
    ...(filter.principle ? { principles: { some: { principle: { key: filter.principle } } } } : {}),
    ...(filter.workstreamCode ? { workstreams: { some: { workstream: { code: filter.workstreamCode } } } } : {}),
  };
  return pageFromQuery(
    args,
    (measure: Measure) => measure.dbId,
    async (window) => {
      const rows = await ctx.prisma.measure.findMany({
        where: { AND: [where, { id: { gt: window.idGt, lt: window.idLt } }] },
        orderBy: { id: window.order },
        take: window.take,
      });
      return rows.map(measureFromRow);
    },
    () => ctx.prisma.measure.count({ where }),
  );
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
