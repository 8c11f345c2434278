import { DateResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { notFound } from '../graphql/errors';
import { Granularity } from './board.type';
import { periodArg } from './series.service';
import { Measure } from '../measures/measure.type';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import type { Granularity as GranularityType } from '../statistics/periods';
import { cachedBoardView } from './board-cache';
import { equalityDrillDown, equalityFor, type EqualityRanking as EqualityRankingType } from './equality.service';
import { EqualityDrillDown, EqualityRanking, EqualityView } from './equality.type';

@Resolver(() => Measure)
export class EqualityResolver {
  @FieldResolver(() => EqualityView, {
    description:
      'The measure at an org unit (pooled over its subtree) split by one of its stratifiers: each stratum over the window, its ratio to the reference stratum with a 95% interval, its own series and the ratio per period. Default window: the financial year to date.',
  })
  async equality(
    @Root() measure: Measure,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('stratifier', { description: 'ETHNICITY, SEX, AGE_BAND or LEGAL_STATUS: one the measure is reported by.' }) stratifier: string,
    @Arg('from', () => DateResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateResolver, { nullable: true, description: 'Default: the latest month with stratified data.' }) to: Date | null,
    @Arg('referenceCode', () => String, { nullable: true, description: 'Default: the stratifier’s usual reference (ETHNICITY A, or WHITE when grouped; SEX 2; AGE_BAND 25-34; LEGAL_STATUS INFORMAL).' })
    referenceCode: string | null,
    @Arg('grouped', { defaultValue: false, description: 'Pool the codes into the stratifier’s broad groups (ETHNICITY only).' }) grouped: boolean,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: 'MONTH', description: 'Of each stratum’s series and ratio series.' }) granularity: GranularityType,
    @Ctx() ctx: RequestContext,
  ): Promise<EqualityView> {
    const unit = await orgUnitLoaders(ctx).orgUnitByCode.load(orgUnitCode);
    if (!unit) throw notFound(`No org unit has code "${orgUnitCode}"`);
    const args = { stratifier, from: periodArg(from, 'from'), to: periodArg(to, 'to'), referenceCode: referenceCode ?? null, grouped, granularity };
    return cachedBoardView(ctx, ['equality', measure.dbId, unit.dbId, args.stratifier, args.from, args.to, args.referenceCode, String(grouped), granularity], () => equalityFor(ctx, measure, unit, args));
  }

  @FieldResolver(() => EqualityDrillDown, { description: 'One stratum of the measure across the children of an org unit, over the parent’s window, ranked (see EqualityRanking).' })
  async equalityDrillDown(
    @Root() measure: Measure,
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('stratifier') stratifier: string,
    @Arg('code', { description: 'The stratum (or, when grouped, broad group) to rank by.' }) code: string,
    @Arg('from', () => DateResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateResolver, { nullable: true }) to: Date | null,
    @Arg('referenceCode', () => String, { nullable: true }) referenceCode: string | null,
    @Arg('grouped', { defaultValue: false }) grouped: boolean,
    @Arg('rankBy', () => EqualityRanking, { defaultValue: 'RATIO_WIDEST_FIRST' }) rankBy: EqualityRankingType,
    @Ctx() ctx: RequestContext,
  ): Promise<EqualityDrillDown> {
    const unit = await orgUnitLoaders(ctx).orgUnitByCode.load(orgUnitCode);
    if (!unit) throw notFound(`No org unit has code "${orgUnitCode}"`);
    const args = { stratifier, code, from: periodArg(from, 'from'), to: periodArg(to, 'to'), referenceCode: referenceCode ?? null, grouped, granularity: 'MONTH' as const, rankBy };
    const result = await cachedBoardView(ctx, ['equalityDrillDown', measure.dbId, unit.dbId, stratifier, code, args.from, args.to, args.referenceCode, String(grouped), rankBy], () =>
      equalityDrillDown(ctx, measure, unit, args),
    );
    return { total: result.total, rows: result.rows.map(({ orgUnit, rank, stratum }) => ({ orgUnit, rank, stratum })) };
  }
}
