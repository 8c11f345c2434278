import { DateResolver } from 'graphql-scalars';
import { Arg, Args, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { notFound } from '../graphql/errors';
import { Payload } from '../graphql/user-error';
import { payload } from '../editing/payload';
import type { Granularity as GranularityType } from '../statistics/periods';
import { Measure } from '../measures/measure.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import { addSpcPhase, archiveSpcPhase, writeCommentary } from './annotation.service';
import { CommentaryWriteInput, SpcPhaseAddInput, SpcPhaseArchiveInput } from './board.input';
import { cachedBoardView } from './board-cache';
import { drillDown, exceptions, scorecard } from './board.service';
import {
  Commentary,
  CommentaryConnection,
  DrillDown,
  ExceptionEntryConnection,
  Granularity,
  MeasureSeries,
  Scorecard,
  ScorecardSectionConnection,
  SpcPhase,
  exceptionKey,
  workstreamSectionKey,
} from './board.type';
import { periodArg, seriesByOrgUnit, seriesFor } from './series.service';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { measureLoaders } from '../measures/measure.loaders';
import { boardLoaders, commentaryKey } from './board.loaders';

async function orgUnitOrThrow(ctx: RequestContext, code: string): Promise<OrgUnit> {
  const unit = await orgUnitLoaders(ctx).orgUnitByCode.load(code);
  if (!unit) throw notFound(`No org unit has code "${code}"`);
  return unit;
}

async function measureOrThrow(ctx: RequestContext, code: string): Promise<Measure> {
  const measure = await measureLoaders(ctx).measureByCode.load(code);
  if (!measure) throw notFound(`No measure has code "${code}"`);
  return measure;
}

@ObjectType()
class CommentaryWritePayload extends Payload {
  @Field(() => Commentary, { nullable: true }) commentary!: Commentary | null;
}

@ObjectType()
class SpcPhasePayload extends Payload {
  @Field(() => SpcPhase, { nullable: true }) spcPhase!: SpcPhase | null;
}

@Resolver(() => Measure)
export class MeasureSeriesResolver {
  @FieldResolver(() => MeasureSeries, { description: 'The measure at an org unit, pooled over its whole subtree, with SPC. Defaults: the 36 months to the latest with data.' })
  async series(
    @Root() measure: Measure,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('from', () => DateResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateResolver, { nullable: true }) to: Date | null,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: 'MONTH' }) granularity: GranularityType,
    @Ctx() ctx: RequestContext,
  ): Promise<MeasureSeries> {
    const unit = await orgUnitOrThrow(ctx, orgUnitCode);
    return seriesFor(ctx, measure, unit, { from: periodArg(from, 'from'), to: periodArg(to, 'to'), granularity });
  }

  @FieldResolver(() => [MeasureSeries], {
    description:
      'Small multiples: the measure’s series at many org units in one field, each exactly what `series` shows that unit (the same disclosure control). Give `orgUnitCodes` (in that order, at most 100; a code you cannot read is NOT_FOUND, as in `series`) or `childrenOf` (the unit’s children, as `OrgUnit.children` lists them). `last`: the last N months to `to` instead of `from`.',
  })
  async seriesByOrgUnit(
    @Root() measure: Measure,
    @Arg('orgUnitCodes', () => [String], { nullable: true }) orgUnitCodes: string[] | null,
    @Arg('childrenOf', () => String, { nullable: true }) childrenOf: string | null,
    @Arg('from', () => DateResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateResolver, { nullable: true }) to: Date | null,
    @Arg('last', () => Int, { nullable: true, description: 'The last N months ending at `to` (each unit’s latest with data when `to` is absent).' }) last: number | null,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: 'MONTH' }) granularity: GranularityType,
    @Ctx() ctx: RequestContext,
  ): Promise<MeasureSeries[]> {
    return seriesByOrgUnit(ctx, measure, { orgUnitCodes, childrenOf, from: periodArg(from, 'from'), to: periodArg(to, 'to'), last, granularity });
  }

  @FieldResolver(() => Commentary, { nullable: true, description: 'The current narrative for a period at an org unit.' })
  async commentary(
    @Root() measure: Measure,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('periodStart', () => DateResolver) periodStart: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<Commentary | null> {
    const unit = await orgUnitOrThrow(ctx, orgUnitCode);
    const versions = await boardLoaders(ctx).commentaryVersionsByKey.load(commentaryKey(measure.dbId, unit.dbId, periodArg(periodStart, 'periodStart')));
    return versions[0] ?? null;
  }

  @FieldResolver(() => CommentaryConnection, { description: 'Every version of the narrative for a period, newest first. A connection: every edit adds a version.' })
  async commentaryHistory(
    @Root() measure: Measure,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('periodStart', () => DateResolver) periodStart: Date,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<CommentaryConnection> {
    const unit = await orgUnitOrThrow(ctx, orgUnitCode);
    // Paged in SQL: every history the response asks for (one page request) is one statement.
    return toConnection(CommentaryConnection, await boardLoaders(ctx).commentaryPage(commentaryKey(measure.dbId, unit.dbId, periodArg(periodStart, 'periodStart')), args));
  }
}

@Resolver(() => Scorecard)
export class ScorecardResolver {
  @FieldResolver(() => ScorecardSectionConnection, {
    description: 'One section per live workstream with measures, by workstream name. A connection (the list grows with the workstreams); cursors name the workstream, so they hold while the view is recomputed.',
  })
  workstreams(@Root() card: Scorecard, @Args() args: ConnectionArgs): ScorecardSectionConnection {
    // The whole scorecard stays cached (one entry for every page); only the slice is per request.
    return toConnection(ScorecardSectionConnection, pageFromArray(card.workstreams, args, workstreamSectionKey));
  }
}

@Resolver()
export class BoardResolver {
  @Query(() => Scorecard, { nullable: true, description: 'Board scorecard for an org unit (pooled over its subtree) as at a period: by principle and by workstream. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.' })
  async scorecard(
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('period', () => DateResolver, { nullable: true, description: 'As-at month; default the latest with data.' }) period: Date | null,
    @Arg('recentPoints', () => Int, { defaultValue: 12, description: 'How many of the latest points (months, quarters or years) each entry carries.' }) recentPoints: number,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: 'MONTH', description: 'Months, or NHS quarters or financial years: the quarter or year `period` falls in is the last point.' })
    granularity: GranularityType,
    @Ctx() ctx: RequestContext,
  ): Promise<Scorecard | null> {
    const unit = await orgUnitOrThrow(ctx, orgUnitCode);
    const asAt = periodArg(period, 'period');
    const by = granularity ?? 'MONTH';
    return cachedBoardView(ctx, ['scorecard', unit.dbId, asAt, recentPoints, by], () => scorecard(ctx, unit, asAt, recentPoints, by));
  }

  @Query(() => DrillDown, { nullable: true, description: 'One measure across the children of an org unit, ranked best first, each with its icons. Null, with a NOT_FOUND error beside the other fields’ data, when no measure or org unit has the code.' })
  async drillDown(
    @Arg('measureCode') measureCode: string,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('period', () => DateResolver, { nullable: true }) period: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<DrillDown | null> {
    const [measure, unit] = await Promise.all([measureOrThrow(ctx, measureCode), orgUnitOrThrow(ctx, orgUnitCode)]);
    const asAt = periodArg(period, 'period');
    return cachedBoardView(ctx, ['drillDown', measure.dbId, unit.dbId, asAt], () => drillDown(ctx, measure, unit, asAt));
  }

  @Query(() => ExceptionEntryConnection, { nullable: true, description: 'Measures whose latest point is special-cause concern or whose assurance is FAIL, at the unit and `depth` levels below it. A connection (the list grows with units × measures); cursors name the measure × org unit pair, so they hold while the view is recomputed. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.' })
  async exceptions(
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('period', () => DateResolver, { nullable: true }) period: Date | null,
    @Arg('depth', () => Int, { defaultValue: 1 }) depth: number,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ExceptionEntryConnection | null> {
    const unit = await orgUnitOrThrow(ctx, orgUnitCode);
    const asAt = periodArg(period, 'period');
    // The whole computed view stays cached (one entry for every page); only the slice is per request.
    const all = await cachedBoardView(ctx, ['exceptions', unit.dbId, asAt, depth], () => exceptions(ctx, unit, depth, asAt));
    return toConnection(ExceptionEntryConnection, pageFromArray(all, args, exceptionKey));
  }

  @Mutation(() => CommentaryWritePayload, { description: 'Writes the narrative for a measure × org unit × period; earlier versions are kept.' })
  async commentaryWrite(@Arg('input', () => CommentaryWriteInput.type) input: CommentaryWriteInput, @Ctx() ctx: RequestContext): Promise<CommentaryWritePayload> {
    return payload('commentary', await writeCommentary(ctx, input));
  }

  @Mutation(() => SpcPhasePayload, { description: 'Records a baseline or a recalculation point on a measure × org unit, with the reason.' })
  async spcPhaseAdd(@Arg('input', () => SpcPhaseAddInput.type) input: SpcPhaseAddInput, @Ctx() ctx: RequestContext): Promise<SpcPhasePayload> {
    return payload('spcPhase', await addSpcPhase(ctx, input));
  }

  @Mutation(() => SpcPhasePayload, { description: 'Withdraws a baseline or recalculation point (kept for the record).' })
  async spcPhaseArchive(@Arg('input', () => SpcPhaseArchiveInput.type) input: SpcPhaseArchiveInput, @Ctx() ctx: RequestContext): Promise<SpcPhasePayload> {
    return payload('spcPhase', await archiveSpcPhase(ctx, input));
  }
}
