import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { ImportObservationsInput, ObservationRecordInput } from './observation.input';
import { ImportObservationsPayload, Observation, ObservationRecordPayload, ObservationRevision, observationFromRow } from './observation.type';
import { noteObservationRows } from '../server/request-state';
import { importObservations } from './import-pipeline';
import { readableObservations, seesTrueFiguresOfAll } from './observation-access';
import type { IncomingRow } from './row-validation';
import { measureLoaders } from '../measures/measure.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { observationLoaders } from './observation.loaders';

function toIncoming(ctx: RequestContext, row: ObservationRecordInput & { stratum?: { stratifier: string; code: string } | null }): IncomingRow {
  return {
    measureCode: row.measureCode,
    orgUnitCode: row.orgUnitCode,
    periodStart: row.periodStart,
    numerator: row.numerator,
    denominator: row.denominator,
    source: row.source ?? ctx.actor.sourceSystem ?? 'api',
    externalId: row.externalId ?? null,
    stratum: row.stratum ?? null,
  };
}

@Resolver(() => Observation)
export class ObservationResolver {
  @Mutation(() => ImportObservationsPayload, {
    description: 'Bulk, idempotent import (up to 10,000 rows). Re-sending a batch reports its rows as unchanged; a changed value creates a revision.',
  })
  async importObservations(@Arg('input') input: ImportObservationsInput, @Ctx() ctx: RequestContext): Promise<ImportObservationsPayload> {
    const summary = await importObservations(
      ctx,
      input.rows.map((row) => toIncoming(ctx, row)),
      { dryRun: input.dryRun, allOrNothing: input.allOrNothing },
    );
    noteObservationRows(ctx.actor, summary);
    const { created, updated, unchanged, rejected, dryRun, rejectedRows, userErrors } = summary;
    const accepted = created + updated + unchanged;
    // Which rows were new, changed or unchanged says whether a guess matched the stored figure:
    // only a writer who may read the true figures of every unit written to is told.
    if (!(await seesTrueFiguresOfAll(ctx, input.rows.map((row) => row.orgUnitCode)))) {
      return { created: 0, updated: 0, unchanged: 0, accepted, outcomesWithheld: true, rejected, dryRun, rejectedRows, userErrors };
    }
    return { created, updated, unchanged, accepted, outcomesWithheld: false, rejected, dryRun, rejectedRows, userErrors };
  }

  @Mutation(() => ObservationRecordPayload, { description: 'Records or corrects one observation (a correction keeps the earlier value as a revision).' })
  async observationRecord(@Arg('input') input: ObservationRecordInput, @Ctx() ctx: RequestContext): Promise<ObservationRecordPayload> {
    const summary = await importObservations(ctx, [toIncoming(ctx, input)], { dryRun: false, allOrNothing: true, returnIds: true });
    noteObservationRows(ctx.actor, summary);
    if (!summary.accepted) {
      // Single-row errors name the input's own fields, not ["rows", "0", ...].
      const userErrors = summary.userErrors.map((e) => ({ ...e, field: e.field[0] === 'rows' ? e.field.slice(2) : e.field }));
      return { observation: null, outcome: null, userErrors };
    }
    const id = summary.observationIds.get(0);
    const row = id === undefined ? null : await ctx.prisma.observation.findUnique({ where: { id } });
    // As for a bulk import: the outcome and the stored record (with its revisions) only for a writer who may read them.
    if (!row || (await readableObservations(ctx, [row])).length === 0) return { observation: null, outcome: null, userErrors: [] };
    const outcome = summary.created ? 'CREATED' : summary.updated ? 'UPDATED' : 'UNCHANGED';
    return { observation: observationFromRow(row), outcome, userErrors: [] };
  }

  @FieldResolver(() => Measure)
  async measure(@Root() observation: Observation, @Ctx() ctx: RequestContext): Promise<Measure> {
    return (await measureLoaders(ctx).measureById.load(observation.measureId)) as Measure;
  }

  @FieldResolver(() => OrgUnit)
  async orgUnit(@Root() observation: Observation, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    return (await orgUnitLoaders(ctx).orgUnitById.load(observation.orgUnitId)) as OrgUnit;
  }

  @FieldResolver(() => [ObservationRevision], { description: 'Earlier values, newest first.' })
  revisions(@Root() observation: Observation, @Ctx() ctx: RequestContext): Promise<ObservationRevision[]> {
    return observationLoaders(ctx).revisionsByObservation.load(observation.dbId);
  }
}
