import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { PrincipleKey, WorkstreamStatus } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { OrgUnit, OrgUnitConnection } from '../organisation/org-unit.type';
import { Principle } from '../principles/principle.type';
import {
  LivedExperienceInvolvement,
  Milestone,
  Workstream,
  WorkstreamConnection,
  WorkstreamLead,
} from './workstream.type';
import { listWorkstreams, WorkstreamOrderField } from './workstream.service';
import { OrderDirection } from '../graphql/ordering';
import { workstreamLoaders } from './workstream.loaders';
import { principleLoaders } from '../principles/principle.loaders';

registerEnumType(WorkstreamOrderField, { name: 'WorkstreamOrderField' });

@InputType({ description: 'Sort order; ties are broken by creation order, so paging never repeats or skips.' })
class WorkstreamOrder {
  @Field(() => WorkstreamOrderField) field!: WorkstreamOrderField;
  @Field(() => OrderDirection, { nullable: true, description: 'ASC when omitted.' }) direction?: OrderDirection | null;
}

@ArgsType()
class WorkstreamsArgs extends ConnectionArgs {
  @Field(() => WorkstreamStatus, { nullable: true }) status?: WorkstreamStatus | null;
  @Field(() => PrincipleKey, { nullable: true }) principle?: PrincipleKey | null;
  @Field(() => String, { nullable: true, description: 'Workstreams with a participating team in this org unit’s subtree.' })
  orgUnitCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeArchived?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Workstreams this person leads (in any role).' }) leadPersonId?: string | null;
  @Field(() => String, { nullable: true, description: 'Workstreams led by someone whose name contains this (case-insensitive).' }) leadName?: string | null;
  @Field(() => WorkstreamOrder, { nullable: true, description: 'Creation order when omitted.' }) orderBy?: WorkstreamOrder | null;
}

@Resolver(() => Workstream)
export class WorkstreamResolver {
  @Query(() => Workstream, { nullable: true, description: 'A workstream by its code; NOT_FOUND error when there is none.' })
  async workstream(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<Workstream | null> {
    const workstream = await workstreamLoaders(ctx).workstreamByCode.load(code);
    if (!workstream) throw notFound(`No workstream has code "${code}"`);
    return workstream;
  }

  @Query(() => WorkstreamConnection)
  async workstreams(@Args() args: WorkstreamsArgs, @Ctx() ctx: RequestContext): Promise<WorkstreamConnection> {
    return toConnection(WorkstreamConnection, await listWorkstreams(ctx, args, args));
  }

  @FieldResolver(() => [Principle], { description: 'The 4Rs this workstream advances.' })
  async principles(@Root() workstream: Workstream, @Ctx() ctx: RequestContext): Promise<Principle[]> {
    const ids = await workstreamLoaders(ctx).principleIdsByWorkstream.load(workstream.dbId);
    const all = await principleLoaders(ctx).allPrinciples();
    return all.filter((principle) => ids.includes(principle.dbId));
  }

  @FieldResolver(() => OrgUnitConnection, { description: 'Teams and wards taking part.' })
  async teams(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<OrgUnitConnection> {
    const teams = await workstreamLoaders(ctx).teamsByWorkstream.load(workstream.dbId);
    return toConnection(OrgUnitConnection, pageFromArray(teams, args, (team) => team.dbId));
  }

  @FieldResolver(() => [WorkstreamLead])
  leads(@Root() workstream: Workstream, @Ctx() ctx: RequestContext): Promise<WorkstreamLead[]> {
    return workstreamLoaders(ctx).leadsByWorkstream.load(workstream.dbId);
  }

  @FieldResolver(() => [Milestone])
  milestones(@Root() workstream: Workstream, @Ctx() ctx: RequestContext): Promise<Milestone[]> {
    return workstreamLoaders(ctx).milestonesByWorkstream.load(workstream.dbId);
  }

  @FieldResolver(() => [LivedExperienceInvolvement], { description: 'Co-production: how people with lived experience take part.' })
  livedExperienceInvolvement(@Root() workstream: Workstream, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvement[]> {
    return workstreamLoaders(ctx).involvementByWorkstream.load(workstream.dbId);
  }
}

@Resolver(() => Principle)
export class PrincipleWorkstreamsResolver {
  @FieldResolver(() => WorkstreamConnection, { description: 'Live workstreams advancing this principle, by name.' })
  async workstreams(@Root() principle: Principle, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<WorkstreamConnection> {
    const workstreams = await workstreamLoaders(ctx).workstreamsByPrinciple.load(principle.dbId);
    return toConnection(WorkstreamConnection, pageFromArray(workstreams, args, (w) => w.dbId));
  }
}

@Resolver(() => OrgUnit)
export class OrgUnitWorkstreamsResolver {
  @FieldResolver(() => WorkstreamConnection, { description: 'Workstreams this team or ward takes part in.' })
  async workstreams(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<WorkstreamConnection> {
    const workstreams = await workstreamLoaders(ctx).workstreamsByTeam.load(unit.dbId);
    return toConnection(WorkstreamConnection, pageFromArray(workstreams, args, (w) => w.dbId));
  }
}
