import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { PrincipleKey, WorkstreamStatus } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { Payload } from '../graphql/user-error';
import { payload } from '../editing/payload';
import { OrgUnit, OrgUnitConnection } from '../organisation/org-unit.type';
import { Principle } from '../principles/principle.type';
import { principleLoaders } from '../principles/principle.loaders';
import {
  LivedExperienceInvolvement,
  LivedExperienceInvolvementConnection,
  Milestone,
  MilestoneConnection,
  Workstream,
  WorkstreamConnection,
  WorkstreamLeadConnection,
} from './workstream.type';
import {
  WorkstreamArchiveInput,
  WorkstreamCreateInput,
  WorkstreamLeadInput,
  WorkstreamOrder,
  WorkstreamPrincipleInput,
  WorkstreamTeamInput,
  WorkstreamTeamsInput,
  WorkstreamUpdateInput,
} from './workstream.input';
import {
  ArchiveByIdInput,
  LivedExperienceInvolvementCreateInput,
  LivedExperienceInvolvementUpdateInput,
  MilestoneCreateInput,
  MilestoneUpdateInput,
} from './milestone.input';
import {
  addLead,
  addPrinciple,
  addTeam,
  addTeams,
  archiveWorkstream,
  createWorkstream,
  listWorkstreams,
  removeLead,
  removePrinciple,
  removeTeam,
  updateWorkstream,
} from './workstream.service';
import { archiveInvolvement, archiveMilestone, createInvolvement, createMilestone, updateInvolvement, updateMilestone } from './milestone.service';
import { workstreamLoaders } from './workstream.loaders';

@ArgsType()
class WorkstreamsArgs extends ConnectionArgs {
  @Field(() => WorkstreamStatus, { nullable: true }) status?: WorkstreamStatus | null;
  @Field(() => PrincipleKey, { nullable: true }) principle?: PrincipleKey | null;
  @Field(() => String, { nullable: true, description: 'Workstreams with a participating team in this org unit’s subtree.' })
  orgUnitCode?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' }) search?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeArchived?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Workstreams this person leads (in any role).' }) leadPersonId?: string | null;
  @Field(() => String, { nullable: true, description: 'Workstreams led (in any role) by the person with this email (any case): leadPersonId by code.' }) leadPersonEmail?: string | null;
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
    return toConnection(OrgUnitConnection, await workstreamLoaders(ctx).teamPage(workstream.dbId, args));
  }

  @FieldResolver(() => WorkstreamLeadConnection, { description: 'Who leads it, by role then person; cursors name the person. Paged in SQL.' })
  async leads(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<WorkstreamLeadConnection> {
    return toConnection(WorkstreamLeadConnection, await workstreamLoaders(ctx).leadPage(workstream.dbId, args));
  }

  @FieldResolver(() => MilestoneConnection, { description: 'Live milestones by due date (undated last), then creation. Paged in SQL.' })
  async milestones(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<MilestoneConnection> {
    return toConnection(MilestoneConnection, await workstreamLoaders(ctx).milestonePage(workstream.dbId, args));
  }

  @FieldResolver(() => LivedExperienceInvolvementConnection, { description: 'Co-production: how people with lived experience take part, in the order recorded. Paged in SQL.' })
  async livedExperienceInvolvement(@Root() workstream: Workstream, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementConnection> {
    return toConnection(LivedExperienceInvolvementConnection, await workstreamLoaders(ctx).involvementPage(workstream.dbId, args));
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

@ObjectType()
class WorkstreamPayload extends Payload {
  @Field(() => Workstream, { nullable: true }) workstream!: Workstream | null;
}

@ObjectType()
class WorkstreamVersionedPayload extends Payload {
  @Field(() => Workstream, { nullable: true }) workstream!: Workstream | null;
  @Field(() => Workstream, { nullable: true, description: 'After a CONFLICT: the workstream as a colleague left it.' }) current!: Workstream | null;
}

@ObjectType()
class MilestonePayload extends Payload {
  @Field(() => Milestone, { nullable: true }) milestone!: Milestone | null;
  @Field(() => Milestone, { nullable: true, description: 'After a CONFLICT: the milestone as a colleague left it.' }) current!: Milestone | null;
}

@ObjectType()
class LivedExperienceInvolvementPayload extends Payload {
  @Field(() => LivedExperienceInvolvement, { nullable: true }) livedExperienceInvolvement!: LivedExperienceInvolvement | null;
  @Field(() => LivedExperienceInvolvement, { nullable: true, description: 'After a CONFLICT: the record as a colleague left it.' })
  current!: LivedExperienceInvolvement | null;
}

/** Editing the faculty map's workstreams: every mutation is one transaction with its audit entries. */
@Resolver()
export class WorkstreamMutationResolver {
  @Mutation(() => WorkstreamPayload, { description: 'A new workstream (editFacultyMap).' })
  async workstreamCreate(@Arg('input', () => WorkstreamCreateInput.type) input: WorkstreamCreateInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await createWorkstream(ctx, input));
  }

  @Mutation(() => WorkstreamVersionedPayload)
  async workstreamUpdate(@Arg('input', () => WorkstreamUpdateInput.type) input: WorkstreamUpdateInput, @Ctx() ctx: RequestContext): Promise<WorkstreamVersionedPayload> {
    return payload('workstream', await updateWorkstream(ctx, input));
  }

  @Mutation(() => WorkstreamVersionedPayload, { description: 'Takes a workstream off the map; its links and history are kept.' })
  async workstreamArchive(@Arg('input', () => WorkstreamArchiveInput.type) input: WorkstreamArchiveInput, @Ctx() ctx: RequestContext): Promise<WorkstreamVersionedPayload> {
    return payload('workstream', await archiveWorkstream(ctx, input));
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamAddPrinciple(@Arg('input', () => WorkstreamPrincipleInput.type) input: WorkstreamPrincipleInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await addPrinciple(ctx, input));
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamRemovePrinciple(@Arg('input', () => WorkstreamPrincipleInput.type) input: WorkstreamPrincipleInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await removePrinciple(ctx, input));
  }

  @Mutation(() => WorkstreamPayload, { description: 'A team or ward joins. A TEAM_MANAGER may enrol only its own teams.' })
  async workstreamAddTeam(@Arg('input', () => WorkstreamTeamInput.type) input: WorkstreamTeamInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await addTeam(ctx, input));
  }

  @Mutation(() => WorkstreamPayload, {
    description: 'Several teams or wards join at once (at most 100): all of them, or none with a user error per refused code. A TEAM_MANAGER may enrol only its own teams.',
  })
  async workstreamAddTeams(@Arg('input', () => WorkstreamTeamsInput.type) input: WorkstreamTeamsInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await addTeams(ctx, input));
  }

  @Mutation(() => WorkstreamPayload, { description: 'A team or ward leaves. A TEAM_MANAGER may withdraw only its own teams.' })
  async workstreamRemoveTeam(@Arg('input', () => WorkstreamTeamInput.type) input: WorkstreamTeamInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await removeTeam(ctx, input));
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamAddLead(@Arg('input', () => WorkstreamLeadInput.type) input: WorkstreamLeadInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await addLead(ctx, input));
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamRemoveLead(@Arg('input', () => WorkstreamLeadInput.type) input: WorkstreamLeadInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    return payload('workstream', await removeLead(ctx, input));
  }

  @Mutation(() => MilestonePayload)
  async milestoneCreate(@Arg('input', () => MilestoneCreateInput.type) input: MilestoneCreateInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    return { ...payload('milestone', await createMilestone(ctx, input)), current: null };
  }

  @Mutation(() => MilestonePayload)
  async milestoneUpdate(@Arg('input', () => MilestoneUpdateInput.type) input: MilestoneUpdateInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    return payload('milestone', await updateMilestone(ctx, input));
  }

  @Mutation(() => MilestonePayload)
  async milestoneArchive(@Arg('input', () => ArchiveByIdInput.type) input: ArchiveByIdInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    return payload('milestone', await archiveMilestone(ctx, input));
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementCreate(@Arg('input', () => LivedExperienceInvolvementCreateInput.type) input: LivedExperienceInvolvementCreateInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    return { ...payload('livedExperienceInvolvement', await createInvolvement(ctx, input)), current: null };
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementUpdate(@Arg('input', () => LivedExperienceInvolvementUpdateInput.type) input: LivedExperienceInvolvementUpdateInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    return payload('livedExperienceInvolvement', await updateInvolvement(ctx, input));
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementArchive(@Arg('input', () => ArchiveByIdInput.type) input: ArchiveByIdInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    return payload('livedExperienceInvolvement', await archiveInvolvement(ctx, input));
  }
}
