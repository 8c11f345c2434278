import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { DateResolver } from 'graphql-scalars';
import type { RequestContext } from '../graphql/context';
import { InvolvementKind, MilestoneStatus, PrincipleKey, WorkstreamLeadRole, WorkstreamStatus } from '../graphql/enums';
import { Payload } from '../graphql/user-error';
import {
  archiveInvolvement,
  archiveMilestone,
  createInvolvement,
  createMilestone,
  updateInvolvement,
  updateMilestone,
} from './milestone.service';
import {
  addLead,
  addPrinciple,
  addTeam,
  archiveWorkstream,
  createWorkstream,
  removeLead,
  removePrinciple,
  removeTeam,
  updateWorkstream,
} from './workstream.service';
import { LivedExperienceInvolvement, Milestone, Workstream } from './workstream.type';

// ----- inputs -----

@InputType()
class WorkstreamCreateInput {
  @Field({ description: 'Unique and permanent, e.g. OPEN-DIALOGUE.' }) code!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) aims?: string[] | null;
  @Field(() => WorkstreamStatus, { nullable: true, description: 'PROPOSED when omitted.' }) status?: WorkstreamStatus | null;
  @Field(() => DateResolver, { nullable: true }) startDate?: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'Not before startDate.' }) endDate?: Date | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears a date.' })
class WorkstreamUpdateInput {
  @Field() code!: string;
  @Field(() => Int, { description: 'The version you read; a stale one gets a CONFLICT user error and changes nothing.' }) version!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) aims?: string[] | null;
  @Field(() => WorkstreamStatus, { nullable: true }) status?: WorkstreamStatus | null;
  @Field(() => DateResolver, { nullable: true }) startDate?: Date | null;
  @Field(() => DateResolver, { nullable: true }) endDate?: Date | null;
}

@InputType()
class WorkstreamArchiveInput {
  @Field() code!: string;
  @Field(() => Int) version!: number;
}

@InputType()
class WorkstreamPrincipleInput {
  @Field() workstreamCode!: string;
  @Field(() => PrincipleKey) principle!: PrincipleKey;
}

@InputType()
class WorkstreamTeamInput {
  @Field() workstreamCode!: string;
  @Field({ description: 'A team or ward.' }) orgUnitCode!: string;
  @Field(() => DateResolver, { nullable: true, description: 'When the team joined (add only).' }) joinedOn?: Date | null;
}

@InputType()
class WorkstreamLeadInput {
  @Field() workstreamCode!: string;
  @Field(() => ID) personId!: string;
  @Field(() => WorkstreamLeadRole, { nullable: true, description: 'LEAD when omitted (add only); naming a current lead again changes their role.' })
  role?: WorkstreamLeadRole | null;
}

@InputType()
class MilestoneCreateInput {
  @Field() workstreamCode!: string;
  @Field() title!: string;
  @Field(() => DateResolver, { nullable: true, description: 'Within the workstream’s start and end dates.' }) dueDate?: Date | null;
  @Field(() => MilestoneStatus, { nullable: true, description: 'PLANNED when omitted.' }) status?: MilestoneStatus | null;
  @Field(() => DateResolver, { nullable: true, description: 'Only for a DONE milestone.' }) completedOn?: Date | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears a date.' })
class MilestoneUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => DateResolver, { nullable: true }) dueDate?: Date | null;
  @Field(() => MilestoneStatus, { nullable: true }) status?: MilestoneStatus | null;
  @Field(() => DateResolver, { nullable: true }) completedOn?: Date | null;
}

@InputType()
class ArchiveByIdInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@InputType()
class LivedExperienceInvolvementCreateInput {
  @Field() workstreamCode!: string;
  @Field(() => InvolvementKind) kind!: InvolvementKind;
  @Field() description!: string;
  @Field(() => Int, { nullable: true }) peopleCount?: number | null;
  @Field(() => DateResolver, { nullable: true }) startedOn?: Date | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears peopleCount or startedOn.' })
class LivedExperienceInvolvementUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => InvolvementKind, { nullable: true }) kind?: InvolvementKind | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true }) peopleCount?: number | null;
  @Field(() => DateResolver, { nullable: true }) startedOn?: Date | null;
}

// ----- payloads -----

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
  async workstreamCreate(@Arg('input') input: WorkstreamCreateInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await createWorkstream(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamVersionedPayload)
  async workstreamUpdate(@Arg('input') input: WorkstreamUpdateInput, @Ctx() ctx: RequestContext): Promise<WorkstreamVersionedPayload> {
    const result = await updateWorkstream(ctx, input);
    return { workstream: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamVersionedPayload, { description: 'Takes a workstream off the map; its links and history are kept.' })
  async workstreamArchive(@Arg('input') input: WorkstreamArchiveInput, @Ctx() ctx: RequestContext): Promise<WorkstreamVersionedPayload> {
    const result = await archiveWorkstream(ctx, input);
    return { workstream: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamAddPrinciple(@Arg('input') input: WorkstreamPrincipleInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await addPrinciple(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamRemovePrinciple(@Arg('input') input: WorkstreamPrincipleInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await removePrinciple(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload, { description: 'A team or ward joins. A TEAM_MANAGER may enrol only its own teams.' })
  async workstreamAddTeam(@Arg('input') input: WorkstreamTeamInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await addTeam(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload, { description: 'A team or ward leaves. A TEAM_MANAGER may withdraw only its own teams.' })
  async workstreamRemoveTeam(@Arg('input') input: WorkstreamTeamInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await removeTeam(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamAddLead(@Arg('input') input: WorkstreamLeadInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await addLead(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async workstreamRemoveLead(@Arg('input') input: WorkstreamLeadInput, @Ctx() ctx: RequestContext): Promise<WorkstreamPayload> {
    const result = await removeLead(ctx, input);
    return { workstream: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => MilestonePayload)
  async milestoneCreate(@Arg('input') input: MilestoneCreateInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    const result = await createMilestone(ctx, input);
    return { milestone: result.value, current: null, userErrors: result.userErrors };
  }

  @Mutation(() => MilestonePayload)
  async milestoneUpdate(@Arg('input') input: MilestoneUpdateInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    const result = await updateMilestone(ctx, input);
    return { milestone: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => MilestonePayload)
  async milestoneArchive(@Arg('input') input: ArchiveByIdInput, @Ctx() ctx: RequestContext): Promise<MilestonePayload> {
    const result = await archiveMilestone(ctx, input);
    return { milestone: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementCreate(@Arg('input') input: LivedExperienceInvolvementCreateInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    const result = await createInvolvement(ctx, input);
    return { livedExperienceInvolvement: result.value, current: null, userErrors: result.userErrors };
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementUpdate(@Arg('input') input: LivedExperienceInvolvementUpdateInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    const result = await updateInvolvement(ctx, input);
    return { livedExperienceInvolvement: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => LivedExperienceInvolvementPayload)
  async livedExperienceInvolvementArchive(@Arg('input') input: ArchiveByIdInput, @Ctx() ctx: RequestContext): Promise<LivedExperienceInvolvementPayload> {
    const result = await archiveInvolvement(ctx, input);
    return { livedExperienceInvolvement: result.value, current: result.current, userErrors: result.userErrors };
  }
}
