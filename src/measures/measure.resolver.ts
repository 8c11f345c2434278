import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Audience, ImprovementDirection, PrincipleKey, ScoringType } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { Payload } from '../graphql/user-error';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person } from '../people/person.type';
import { Principle } from '../principles/principle.type';
import { Workstream } from '../workstreams/workstream.type';
import { Measure, MeasureConnection, MeasureTarget } from './measure.type';
import { createMeasure, listMeasures } from './measure.service';

@ArgsType()
class MeasuresArgs extends ConnectionArgs {
  @Field(() => Audience, { nullable: true }) audience?: Audience | null;
  @Field(() => PrincipleKey, { nullable: true }) principle?: PrincipleKey | null;
  @Field(() => String, { nullable: true }) workstreamCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeArchived?: boolean | null;
}

@InputType()
class MeasureCreateInput {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ScoringType) scoringType!: ScoringType;
  @Field(() => ImprovementDirection) improvementDirection!: ImprovementDirection;
  @Field(() => Float, { nullable: true, description: 'Required for a RATE (e.g. 1000); not allowed otherwise.' }) multiplier?: number | null;
  @Field(() => String, { nullable: true }) unit?: string | null;
  @Field(() => Float, { nullable: true, description: 'Trust-wide target in the measure’s unit (a proportion as 0..1).' }) target?: number | null;
  @Field(() => Audience, { nullable: true, description: 'Whose experience it measures; PATIENTS when omitted.' }) audience?: Audience | null;
  @Field(() => String, { nullable: true }) numeratorLabel?: string | null;
  @Field(() => String, { nullable: true }) denominatorLabel?: string | null;
}

@ObjectType()
class MeasureCreatePayload extends Payload {
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
}

@Resolver(() => Measure)
export class MeasureResolver {
  @Query(() => Measure, { nullable: true, description: 'A measure by its code; NOT_FOUND error when there is none.' })
  async measure(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Measure | null> {
    const measure = await ctx.loaders.measureByCode.load(code);
    if (!measure) throw notFound(`No measure has code "${code}"`);
    return measure;
  }

  @Query(() => MeasureConnection)
  async measures(@Args() args: MeasuresArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    return toConnection(MeasureConnection, await listMeasures(ctx, args, args));
  }

  @FieldResolver(() => [Principle], { description: 'The 4Rs this measure evidences.' })
  async principles(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<Principle[]> {
    const ids = await ctx.loaders.principleIdsByMeasure.load(measure.dbId);
    const all = await ctx.loaders.allPrinciples();
    return all.filter((principle) => ids.includes(principle.dbId));
  }

  @FieldResolver(() => [Workstream], { description: 'Workstreams this measure evidences.' })
  async workstreams(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<Workstream[]> {
    const ids = await ctx.loaders.workstreamIdsByMeasure.load(measure.dbId);
    const workstreams = await ctx.loaders.workstreamById.loadMany(ids);
    return workstreams.filter((w): w is Workstream => w !== null && !(w instanceof Error));
  }

  @FieldResolver(() => [MeasureTarget], { description: 'Targets: trust-wide and per org unit.' })
  targets(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<MeasureTarget[]> {
    return ctx.loaders.targetsByMeasure.load(measure.dbId);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'The trust-wide target, if any.' })
  async target(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<number | null> {
    const targets = await ctx.loaders.targetsByMeasure.load(measure.dbId);
    return targets.find((t) => t.orgUnitId === null)?.value ?? null;
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who owns the measure and writes its commentary.' })
  owner(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<Person | null> | null {
    return measure.ownerId === null ? null : ctx.loaders.personById.load(measure.ownerId);
  }

  @Mutation(() => MeasureCreatePayload)
  async measureCreate(@Arg('input') input: MeasureCreateInput, @Ctx() ctx: RequestContext): Promise<MeasureCreatePayload> {
    const result = await createMeasure(ctx, input);
    return { measure: result.value, userErrors: result.userErrors };
  }
}

@Resolver(() => MeasureTarget)
export class MeasureTargetResolver {
  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Null for the trust-wide target.' })
  orgUnit(@Root() target: MeasureTarget, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return target.orgUnitId === null ? null : ctx.loaders.orgUnitById.load(target.orgUnitId);
  }
}

@Resolver(() => Principle)
export class PrincipleMeasuresResolver {
  @FieldResolver(() => MeasureConnection, { description: 'Live measures evidencing this principle, by name.' })
  async measures(@Root() principle: Principle, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    const measures = await ctx.loaders.measuresByPrinciple.load(principle.dbId);
    return toConnection(MeasureConnection, pageFromArray(measures, args, (m) => m.dbId));
  }
}

@Resolver(() => Workstream)
export class WorkstreamMeasuresResolver {
  @FieldResolver(() => MeasureConnection, { description: 'Live measures this workstream owns, by name.' })
  async measures(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    const measures = await ctx.loaders.measuresByWorkstream.load(workstream.dbId);
    return toConnection(MeasureConnection, pageFromArray(measures, args, (m) => m.dbId));
  }
}
