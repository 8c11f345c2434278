import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Audience, PrincipleKey } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { payload } from '../editing/payload';
import { Payload } from '../graphql/user-error';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person } from '../people/person.type';
import { Principle } from '../principles/principle.type';
import { Workstream, WorkstreamConnection } from '../workstreams/workstream.type';
import { Measure, MeasureConnection, MeasureTarget, MeasureTargetConnection } from './measure.type';
import {
  MeasureArchiveInput,
  MeasureCreateInput,
  MeasureOrder,
  MeasurePrincipleInput,
  MeasureTargetRemoveInput,
  MeasureTargetSetInput,
  MeasureUpdateInput,
  MeasureWorkstreamInput,
  WorkstreamMeasuresInput,
} from './measure.input';
import {
  addMeasurePrinciple,
  addMeasureWorkstream,
  addWorkstreamMeasures,
  archiveMeasure,
  createMeasure,
  listMeasures,
  listMeasuresSorted,
  removeMeasurePrinciple,
  removeMeasureWorkstream,
  removeTarget,
  setTarget,
  updateMeasure,
} from './measure.service';
import { measureLoaders } from './measure.loaders';
import { principleLoaders } from '../principles/principle.loaders';
import { workstreamLoaders } from '../workstreams/workstream.loaders';
import { personLoaders } from '../people/person.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

@ArgsType()
class MeasuresArgs extends ConnectionArgs {
  @Field(() => Audience, { nullable: true }) audience?: Audience | null;
  @Field(() => PrincipleKey, { nullable: true }) principle?: PrincipleKey | null;
  @Field(() => String, { nullable: true }) workstreamCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeArchived?: boolean | null;
  @Field(() => MeasureOrder, { nullable: true, description: 'Creation order when omitted.' }) orderBy?: MeasureOrder | null;
}

@ObjectType()
class MeasureCreatePayload extends Payload {
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
}

@ObjectType()
class MeasurePayload extends Payload {
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
}

@ObjectType()
class WorkstreamMeasuresPayload extends Payload {
  @Field(() => Workstream, { nullable: true }) workstream!: Workstream | null;
}

@ObjectType()
class MeasureVersionedPayload extends Payload {
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
  @Field(() => Measure, { nullable: true, description: 'After a CONFLICT: the measure as a colleague left it.' }) current!: Measure | null;
}

@ObjectType()
class MeasureTargetPayload extends Payload {
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
  @Field(() => MeasureTarget, { nullable: true, description: 'The target set (null after a removal).' }) measureTarget!: MeasureTarget | null;
  @Field(() => MeasureTarget, { nullable: true, description: 'After a CONFLICT: the target as it now is (null if there is none).' }) current!: MeasureTarget | null;
}

@Resolver(() => Measure)
export class MeasureResolver {
  @Query(() => Measure, { nullable: true, description: 'A measure by its code; NOT_FOUND error when there is none.' })
  async measure(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Measure | null> {
    const measure = await measureLoaders(ctx).measureByCode.load(code);
    if (!measure) throw notFound(`No measure has code "${code}"`);
    return measure;
  }

  @Query(() => MeasureConnection)
  async measures(@Args() args: MeasuresArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    const page = args.orderBy ? await listMeasuresSorted(ctx, args, args, args.orderBy) : await listMeasures(ctx, args, args);
    return toConnection(MeasureConnection, page);
  }

  @FieldResolver(() => [Principle], { description: 'The 4Rs this measure evidences.' })
  async principles(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<Principle[]> {
    const ids = await measureLoaders(ctx).principleIdsByMeasure.load(measure.dbId);
    const all = await principleLoaders(ctx).allPrinciples();
    return all.filter((principle) => ids.includes(principle.dbId));
  }

  @FieldResolver(() => WorkstreamConnection, { description: 'Workstreams this measure evidences, by name. A connection: a measure may serve any number of workstreams.' })
  async workstreams(@Root() measure: Measure, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<WorkstreamConnection> {
    // Paged in SQL, batched across every measure in the response: one statement per page request.
    return toConnection(WorkstreamConnection, await workstreamLoaders(ctx).workstreamPageByMeasure(measure.dbId, args));
  }

  @FieldResolver(() => MeasureTargetConnection, {
    description: 'Targets: trust-wide and per org unit (one per unit that has its own), in the order set. A connection: a trust may set a target for every team and ward.',
  })
  async targets(@Root() measure: Measure, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MeasureTargetConnection> {
    // Paged from the measure's whole list of targets, which every series of the measure reads anyway (a unit's target is the nearest above it).
    return toConnection(MeasureTargetConnection, pageFromArray(await measureLoaders(ctx).targetsByMeasure.load(measure.dbId), args, (t) => t.dbId));
  }

  @FieldResolver(() => Float, { nullable: true, description: 'The trust-wide target, if any.' })
  async target(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<number | null> {
    const targets = await measureLoaders(ctx).targetsByMeasure.load(measure.dbId);
    return targets.find((t) => t.orgUnitId === null)?.value ?? null;
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who owns the measure and writes its commentary.' })
  owner(@Root() measure: Measure, @Ctx() ctx: RequestContext): Promise<Person | null> | null {
    return measure.ownerId === null ? null : personLoaders(ctx).personById.load(measure.ownerId);
  }

  @Mutation(() => MeasureCreatePayload)
  async measureCreate(@Arg('input', () => MeasureCreateInput.type) input: MeasureCreateInput, @Ctx() ctx: RequestContext): Promise<MeasureCreatePayload> {
    return payload('measure', await createMeasure(ctx, input));
  }

  @Mutation(() => MeasureVersionedPayload, { description: 'Edits a measure definition (editMeasures).' })
  async measureUpdate(@Arg('input', () => MeasureUpdateInput.type) input: MeasureUpdateInput, @Ctx() ctx: RequestContext): Promise<MeasureVersionedPayload> {
    return payload('measure', await updateMeasure(ctx, input));
  }

  @Mutation(() => MeasureVersionedPayload, { description: 'Takes a measure off the map; observations, targets and history are kept.' })
  async measureArchive(@Arg('input', () => MeasureArchiveInput.type) input: MeasureArchiveInput, @Ctx() ctx: RequestContext): Promise<MeasureVersionedPayload> {
    return payload('measure', await archiveMeasure(ctx, input));
  }

  @Mutation(() => MeasurePayload)
  async measureAddPrinciple(@Arg('input', () => MeasurePrincipleInput.type) input: MeasurePrincipleInput, @Ctx() ctx: RequestContext): Promise<MeasurePayload> {
    return payload('measure', await addMeasurePrinciple(ctx, input));
  }

  @Mutation(() => MeasurePayload)
  async measureRemovePrinciple(@Arg('input', () => MeasurePrincipleInput.type) input: MeasurePrincipleInput, @Ctx() ctx: RequestContext): Promise<MeasurePayload> {
    return payload('measure', await removeMeasurePrinciple(ctx, input));
  }

  @Mutation(() => MeasurePayload, { description: 'The measure evidences (and belongs to) a workstream.' })
  async measureAddWorkstream(@Arg('input', () => MeasureWorkstreamInput.type) input: MeasureWorkstreamInput, @Ctx() ctx: RequestContext): Promise<MeasurePayload> {
    return payload('measure', await addMeasureWorkstream(ctx, input));
  }

  @Mutation(() => WorkstreamMeasuresPayload, { description: 'Several measures evidence one workstream at once (all, or none with user errors).' })
  async workstreamAddMeasures(@Arg('input', () => WorkstreamMeasuresInput.type) input: WorkstreamMeasuresInput, @Ctx() ctx: RequestContext): Promise<WorkstreamMeasuresPayload> {
    return payload('workstream', await addWorkstreamMeasures(ctx, input));
  }

  @Mutation(() => MeasurePayload)
  async measureRemoveWorkstream(@Arg('input', () => MeasureWorkstreamInput.type) input: MeasureWorkstreamInput, @Ctx() ctx: RequestContext): Promise<MeasurePayload> {
    return payload('measure', await removeMeasureWorkstream(ctx, input));
  }

  @Mutation(() => MeasureTargetPayload, { description: 'Sets a target, trust-wide or for one org unit (a proportion’s target is a fraction 0..1).' })
  async measureTargetSet(@Arg('input', () => MeasureTargetSetInput.type) input: MeasureTargetSetInput, @Ctx() ctx: RequestContext): Promise<MeasureTargetPayload> {
    const result = await setTarget(ctx, input);
    return { measure: result.value?.measure ?? null, measureTarget: result.value?.target ?? null, current: result.current?.target ?? null, userErrors: result.userErrors };
  }

  @Mutation(() => MeasureTargetPayload)
  async measureTargetRemove(@Arg('input', () => MeasureTargetRemoveInput.type) input: MeasureTargetRemoveInput, @Ctx() ctx: RequestContext): Promise<MeasureTargetPayload> {
    const result = await removeTarget(ctx, input);
    return { measure: result.value?.measure ?? null, measureTarget: null, current: result.current?.target ?? null, userErrors: result.userErrors };
  }
}

@Resolver(() => MeasureTarget)
export class MeasureTargetResolver {
  @FieldResolver(() => OrgUnit, { nullable: true, description: 'Null for the trust-wide target.' })
  orgUnit(@Root() target: MeasureTarget, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return target.orgUnitId === null ? null : orgUnitLoaders(ctx).orgUnitById.load(target.orgUnitId);
  }
}

@Resolver(() => Principle)
export class PrincipleMeasuresResolver {
  @FieldResolver(() => MeasureConnection, { description: 'Live measures evidencing this principle, by name.' })
  async measures(@Root() principle: Principle, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    const measures = await measureLoaders(ctx).measuresByPrinciple.load(principle.dbId);
    return toConnection(MeasureConnection, pageFromArray(measures, args, (m) => m.dbId));
  }
}

@Resolver(() => Workstream)
export class WorkstreamMeasuresResolver {
  @FieldResolver(() => MeasureConnection, { description: 'Live measures this workstream owns, by name.' })
  async measures(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MeasureConnection> {
    const measures = await measureLoaders(ctx).measuresByWorkstream.load(workstream.dbId);
    return toConnection(MeasureConnection, pageFromArray(measures, args, (m) => m.dbId));
  }
}
